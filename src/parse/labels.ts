import { fieldDefsFor, fieldDefs, namedSet, type FieldId, type Generation } from "../model/index.js";
import { labelKey, stripOrdinal } from "./normalise.js";

/**
 * The statutory tables of the 2019/2021 templates as reading plans built from data/fields.json:
 * rows in template order, each with the keys its label is found by and the field ids of its
 * cells in column order. Nothing here is tuned to a report; labels and variants are data.
 */

export interface RowSpec {
  /** Row id inside the table (`new`, `result.withheld.state_secret`, `规章`). */
  id: string;
  label: string;
  /** Leading ordinal of the official label in key form (`一、`, `(一)`, `1.`), or "". */
  ordinal: string;
  /** Label keys without ordinal and without parenthetical notes, longest first. */
  keys: string[];
  /** Field ids of the value cells, in column order; empty for group header rows. */
  cells: FieldId[];
  /** Column labels in order, parallel to cells. */
  columns: string[];
}

export interface SubTable {
  /** `一`, `五`, `六`, `八`, `九` (第二十条第（X）项). */
  item: string;
  rows: RowSpec[];
}

/** Label key, ordinal removed, parenthetical notes removed (they are often dropped or reworded). */
export function coreKey(label: string): string {
  let core = cores.get(label);
  if (core === undefined) {
    const k = stripOrdinal(labelKey(label));
    const bare = k.replace(/\([^()]*\)/g, "");
    core = bare.length >= 2 ? bare : k;
    // Row matching asks for every label cell against every template row.
    if (cores.size >= 20_000) cores.clear();
    cores.set(label, core);
  }
  return core;
}
const cores = new Map<string, string>();

export function ordinalOf(label: string): string {
  const k = labelKey(label);
  const core = stripOrdinal(k);
  return k.slice(0, k.length - core.length).replace(/^其中:?/, "");
}

function keysOf(label: string, variants: string[]): string[] {
  const set = new Set<string>([coreKey(label), ...variants.map(coreKey)].filter((k) => k.length > 0));
  return [...set].sort((a, b) => b.length - a.length);
}

const cache = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/** Table 三: group header rows (no cells) interleaved with the value rows. */
export function table3(generation: Generation): RowSpec[] {
  return memo(`t3:${generation}`, () => {
    const cols = namedSet("T3_COLS");
    const rows: RowSpec[] = [];
    const groupsDone = new Set<string>();
    for (const r of namedSet("T3_ROWS", generation)) {
      // A row inside a group: announce the group header first (its label is the derived subtotal's).
      const group = /^result\.(withheld|unable|not_processed|other)\./.exec(r)?.[1];
      if (r.startsWith("result.") && !groupsDone.has("result")) {
        groupsDone.add("result");
        rows.push({ id: "result", label: "三、本年度办理结果", ordinal: "三、", keys: ["本年度办理结果"], cells: [], columns: [] });
      }
      if (group && !groupsDone.has(group)) {
        const sub = fieldDefs(`applications.result.${group}.subtotal.natural`).find((d) => d.kind === "derived" && d.generation.includes(generation));
        if (sub) {
          groupsDone.add(group);
          rows.push({ id: `result.${group}`, label: sub.label, ordinal: ordinalOf(sub.label), keys: keysOf(sub.label, sub.variants), cells: [], columns: [] });
        }
      }
      const def = fieldDefs(`applications.${r}.natural`).find((d) => d.generation.includes(generation));
      if (!def) continue;
      const cells = cols.map((c) => `applications.${r}.${c}`);
      const columns = cells.map((id) => fieldDefs(id)[0]?.column ?? "");
      rows.push({ id: r, label: def.label, ordinal: ordinalOf(def.label), keys: keysOf(def.label, def.variants), cells, columns });
    }
    return rows;
  });
}

/** Table 二: the sub-tables of 第二十条 of a generation, rows and columns in template order. */
export function table2(generation: Generation): SubTable[] {
  return memo(`t2:${generation}`, () => {
    const items = new Map<string, Map<string, RowSpec>>();
    const ITEM: Record<string, string> = { "1": "一", "5": "五", "6": "六", "8": "八", "9": "九" };
    for (const d of fieldDefsFor(generation)) {
      const m = /^t2\.art20_(\d)$/.exec(d.table);
      if (!m || d.kind !== "reported") continue;
      const item = ITEM[m[1]];
      const rows = items.get(item) ?? new Map<string, RowSpec>();
      items.set(item, rows);
      const row = rows.get(d.label) ?? { id: d.label, label: d.label, ordinal: "", keys: keysOf(d.label, d.variants), cells: [], columns: [] };
      rows.set(d.label, row);
      row.cells.push(d.id);
      row.columns.push(d.column ?? "");
    }
    const order = ["一", "五", "六", "八", "九"];
    return order.filter((i) => items.has(i)).map((item) => ({ item, rows: [...items.get(item)!.values()] }));
  });
}

/** Table 四: one data row of 15 cells, three blocks of five columns. */
export function table4(): FieldId[] {
  return memo("t4", () => namedSet("T4_GROUPS").flatMap((g) => namedSet("T4_COLS").map((c) => `review.${g}.${c}`)));
}

/** Column header words of table 四, used to find where its header ends and its data begins. */
export const T4_HEADER_WORDS = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉", "合计"];

/** Column header words of table 三 (the text between its caption and its first row). */
export const T3_HEADER_WORDS = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];
