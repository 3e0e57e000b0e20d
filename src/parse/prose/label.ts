import { fieldDef, type FieldId } from "../../model/index.js";
import { labelKey, stripOrdinal } from "../normalise.js";

/** A field's label as a person reads it in a message: no ordinal, no note (`政策解读稿件发布数`). */
export function bodyKeyOf(id: FieldId): string {
  const cum = id.startsWith("cumulative.");
  const d = fieldDef(cum ? id.slice(11) : id);
  if (!d) return id;
  const core = (l: string) => {
    const k = stripOrdinal(stripOrdinal(labelKey(l)).replace(/^其中:?/, ""));
    const bare = k.replace(/\([^()]*\)/g, "");
    return bare.length >= 2 ? bare : k;
  };
  const col = d.column && !/^(?:统计数|YYYY年度|年度|总计)$/.test(d.column) ? `/${core(d.column)}` : "";
  return `${core(d.label)}${col}${cum ? "(历年累计)" : ""}`;
}
