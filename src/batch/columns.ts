import { allFieldDefs, fieldLabel, type FieldId, type ParsedReport } from "../model/index.js";
import type { Outcome } from "./parse-file.js";

export type HeaderLanguage = "id" | "zh";

/** Every field id of the catalog, in catalog order, plus the 历年累计 twins of the Fujian table. */
let cached: FieldId[] | undefined;
export function fieldColumns(): FieldId[] {
  if (cached) return cached;
  const ids: FieldId[] = [];
  const seen = new Set<FieldId>();
  for (const d of allFieldDefs()) if (!seen.has(d.id)) { seen.add(d.id); ids.push(d.id); }
  for (const d of allFieldDefs()) {
    const id = `cumulative.${d.id}`;
    if (d.table === "pre2019.fujian" && !seen.has(id)) { seen.add(id); ids.push(id); }
  }
  cached = ids;
  return ids;
}

const META = ["file", "error", "generation", "report_year", "agency", "ambiguous", "check_errors"] as const;
const META_ZH: Record<(typeof META)[number], string> = {
  file: "文件", error: "错误", generation: "报告格式", report_year: "年度", agency: "机关", ambiguous: "存疑字段", check_errors: "校验错误数",
};

/** The header row of the wide table: metadata columns then one column per field. */
export function header(lang: HeaderLanguage, withError: boolean): string[] {
  const meta = META.filter((m) => withError || m !== "error");
  if (lang === "id") return [...meta, ...fieldColumns()];
  const ids = fieldColumns();
  const labels = ids.map((id) => fieldLabel(id, "2021"));
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  // Different ids can share a label across generations; the id keeps such headers apart.
  return [...meta.map((m) => META_ZH[m]), ...labels.map((l, k) => (count.get(l)! > 1 ? `${l} [${ids[k]}]` : l))];
}

/** One wide row for a report (values as numbers, absent fields empty). */
export function reportRow(file: string, r: ParsedReport, withError: boolean): (string | number | null)[] {
  const meta: (string | number | null)[] = [file];
  if (withError) meta.push(null);
  meta.push(r.format, r.report_year, r.agency, r.ambiguous.length ? r.ambiguous.join(" ") : null, r.issues.filter((i) => i.severity === "error").length);
  return [...meta, ...fieldColumns().map((id) => r.fields[id] ?? null)];
}

/** The row of a file that failed: its name and error, nothing else. */
export function errorRow(o: Extract<Outcome, { ok: false }>): string[] {
  return [o.file, `${o.error.code}: ${o.error.message}`];
}
