import { fieldDefs, fieldDefsFor, fieldsFile, namedSet, type FieldDef, type FieldId, type Generation } from "../model/index.js";
import layout from "./layout.json" with { type: "json" };

/**
 * The statutory tables of a report as a list of blocks (title, headings, prose, tables with real
 * row/column spans), built from data/fields.json (labels, row and column order) and layout.json
 * (the few texts that are not field labels). Every output form (HTML, Word HTML, flattened text)
 * is written from this one layout, so they cannot disagree about order or spans.
 */

/** The report model a renderer writes: a generation's fields with the report's identity. */
export interface ReportModel {
  generation: Generation;
  year: number;
  agency: string;
  fields: Record<FieldId, number>;
  /**
   * Pre-2019 only: which statistics table the report carries. Default: 福建 when any 历年累计
   * (`cumulative.`) field is present (row set B when a B-only row is present, else A), else national.
   */
  table?: "national" | "fujian-A" | "fujian-B";
}

export type CellRole = "caption" | "header" | "label" | "unit" | "value" | "mark";

export interface LayoutCell {
  text: string;
  role: CellRole;
  rowspan?: number;
  colspan?: number;
  /** The field whose value the cell prints (value cells). */
  field?: FieldId;
}

export type Block =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "para"; text: string }
  | { kind: "table"; name: string; rows: LayoutCell[][] };

export interface ValueOptions {
  /** How a negative 本年增/减 is printed: `-3` (default) or `减3` (positives then `增3`). */
  sign?: "minus" | "zengjian";
}

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));

/** The printed text of a value: blank when absent, 0 as `0`, decimals as written, signs per option. */
export function formatValue(id: FieldId, fields: Record<FieldId, number>, opts: ValueOptions = {}): string {
  const v = fields[id];
  if (v === undefined) return "";
  const base = id.startsWith("cumulative.") ? id.slice(11) : id;
  const signed = fieldDefs(base)[0]?.value_type === "signed_integer";
  if (signed && opts.sign === "zengjian" && v !== 0) return `${v < 0 ? "减" : "增"}${Math.abs(v)}`;
  return numberText(v);
}

/** Plain decimal notation (never exponent form), at most 6 decimals: the precision reports print. */
function numberText(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
}

/** Which pre-2019 table a report carries (see ReportModel.table). */
export function pre2019Table(report: ReportModel): "national" | "fujian-A" | "fujian-B" {
  if (report.table) return report.table;
  const ids = Object.keys(report.fields);
  if (!ids.some((id) => id.startsWith("cumulative."))) return "national";
  const a = layout.fujian.variants.A.rows;
  const bOnly = layout.fujian.variants.B.rows.filter((id) => !a.includes(id));
  return bOnly.some((id) => report.fields[id] !== undefined) ? "fujian-B" : "fujian-A";
}

/** The whole report as blocks, in template order. */
export function reportLayout(report: ReportModel, opts: ValueOptions = {}): Block[] {
  const title: Block = { kind: "title", text: fill(layout.title, { agency: report.agency, year: report.year }) };
  if (report.generation === "pre2019") return [title, ...pre2019Blocks(report, opts)];
  const sections = fieldsFile().sections.filter((s) => s.generation.includes(report.generation));
  const out: Block[] = [title];
  for (const s of sections) {
    out.push({ kind: "heading", text: s.label });
    if (s.key === "other") {
      // The 2021 template reports information-processing fees here, in prose, before anything else.
      const fee = report.fields["processing_fee.amount_yuan"];
      if (fee !== undefined) out.push({ kind: "para", text: fee === 0 ? layout.fee_prose.none : fill(layout.fee_prose.charged, { amount: formatValue("processing_fee.amount_yuan", report.fields, opts) }) });
    }
    const prose = (layout.prose as Record<string, string>)[s.key];
    if (prose) out.push({ kind: "para", text: prose });
    if (s.key === "proactive") out.push({ kind: "table", name: "二", rows: table2(report, opts) });
    if (s.key === "applications") out.push({ kind: "table", name: "三", rows: table3(report) });
    if (s.key === "review") out.push({ kind: "table", name: "四", rows: table4(report) });
  }
  return out;
}

const val = (report: ReportModel, id: FieldId, opts: ValueOptions = {}, colspan?: number): LayoutCell => ({
  text: formatValue(id, report.fields, opts),
  role: "value",
  field: id,
  ...(colspan && colspan > 1 ? { colspan } : {}),
});

/** Table 二: one 4-column grid holding the 第二十条 sub-tables, each with caption and header rows. */
function table2(report: ReportModel, opts: ValueOptions): LayoutCell[][] {
  const gen = report.generation;
  const items = layout.t2.items as Record<string, string>;
  const subs = new Map<string, Map<string, FieldDef[]>>();
  for (const d of fieldDefsFor(gen)) {
    if (!(d.table in items) || d.kind !== "reported") continue;
    const rows = subs.get(d.table) ?? new Map<string, FieldDef[]>();
    subs.set(d.table, rows);
    rows.set(d.label, [...(rows.get(d.label) ?? []), d]);
  }
  const out: LayoutCell[][] = [];
  for (const [table, rows] of [...subs].sort(([a], [b]) => Object.keys(items).indexOf(a) - Object.keys(items).indexOf(b))) {
    out.push([{ text: fill(layout.t2.caption, { item: items[table] }), role: "caption", colspan: 4 }]);
    const first = [...rows.values()][0];
    // Fewer than three value columns: the last spans the rest, except where the template leaves the 4th cell empty.
    const blankFourth = layout.t2.blank_fourth_column.includes(table) && first.length === 2;
    const spanOf = (k: number, n: number) => (!blankFourth && k === n - 1 ? 4 - n : 1);
    const tail = (n: number, role: CellRole): LayoutCell[] => (blankFourth ? Array.from({ length: 3 - n }, () => ({ text: "", role })) : []);
    out.push([{ text: layout.t2.content, role: "header" }, ...first.map((d, k) => ({ text: d.column ?? "", role: "header" as const, ...(spanOf(k, first.length) > 1 ? { colspan: spanOf(k, first.length) } : {}) })), ...tail(first.length, "header")]);
    for (const [label, defs] of rows) {
      out.push([{ text: label, role: "label" }, ...defs.map((d, k) => val(report, d.id, opts, spanOf(k, defs.length))), ...tail(defs.length, "value")]);
    }
  }
  return out;
}

const t3Def = (id: FieldId, gen: Generation, kind?: FieldDef["kind"]) => fieldDefs(id).find((d) => d.generation.includes(gen) && (!kind || d.kind === kind));

/** Table 三: the note cell (3×3), applicant header rows, row labels over 3 grid columns with group cells. */
function table3(report: ReportModel): LayoutCell[][] {
  const gen = report.generation;
  const cols = namedSet("T3_COLS");
  const colLabel = (c: string) => t3Def(`applications.new.${c}`, gen)?.column ?? c;
  const out: LayoutCell[][] = [
    [{ text: layout.t3.note, role: "header", rowspan: 3, colspan: 3 }, { text: layout.t3.applicants, role: "header", colspan: 7 }],
    [{ text: colLabel("natural"), role: "header", rowspan: 2 }, { text: t3Def("applications.new.org_subtotal", gen)?.column ?? layout.t3.organisations, role: "header", colspan: 5 }, { text: colLabel("total"), role: "header", rowspan: 2 }],
    cols.slice(1, 6).map((c) => ({ text: colLabel(c), role: "header" as const })),
  ];
  const rows = namedSet("T3_ROWS", gen);
  const resultRows = rows.filter((r) => r.startsWith("result."));
  const groupOf = (r: string) => {
    const g = /^result\.(withheld|unable|not_processed|other)\.(?!subtotal$)/.exec(r)?.[1];
    return g && t3Def(`applications.result.${g}.subtotal.natural`, gen, "derived") ? g : undefined;
  };
  for (const r of rows) {
    const values = cols.map((c) => val(report, `applications.${r}.${c}`));
    const label = t3Def(`applications.${r}.natural`, gen)?.label ?? r;
    if (!r.startsWith("result.")) {
      out.push([{ text: label, role: "label", colspan: 3 }, ...values]);
      continue;
    }
    const lead: LayoutCell[] = [];
    if (r === resultRows[0]) lead.push({ text: layout.t3.result, role: "label", rowspan: resultRows.length });
    const g = groupOf(r);
    if (g) {
      const members = resultRows.filter((x) => groupOf(x) === g);
      if (members[0] === r) lead.push({ text: t3Def(`applications.result.${g}.subtotal.natural`, gen, "derived")!.label, role: "label", rowspan: members.length });
      out.push([...lead, { text: label, role: "label" }, ...values]);
    } else {
      out.push([...lead, { text: label, role: "label", colspan: 2 }, ...values]);
    }
  }
  return out;
}

/** Table 四: 行政复议 (5) | 行政诉讼 (10, two blocks of 5), three header rows, one data row. */
function table4(report: ReportModel): LayoutCell[][] {
  const gen = report.generation;
  const colsIds = namedSet("T4_COLS");
  const colLabel = (c: string) => t3Def(`review.reconsideration.${c}`, gen)?.column ?? c;
  const labels = colsIds.map(colLabel);
  const data = namedSet("T4_GROUPS").flatMap((g) => colsIds.map((c) => val(report, `review.${g}.${c}`)));
  return [
    [{ text: layout.t4.reconsideration, role: "header", colspan: 5 }, { text: layout.t4.litigation, role: "header", colspan: 10 }],
    [...labels.map((text) => ({ text, role: "header" as const, rowspan: 2 })), { text: layout.t4.direct, role: "header", colspan: 5 }, { text: layout.t4.after, role: "header", colspan: 5 }],
    [...labels, ...labels].map((text) => ({ text, role: "header" as const })),
    data,
  ];
}

/** Pre-2019: six sections (条例 2007 第三十二条) and the statistics table as an appendix. */
function pre2019Blocks(report: ReportModel, opts: ValueOptions): Block[] {
  const which = pre2019Table(report);
  const conf = which === "national" ? layout.national : layout.fujian;
  const sections = fieldsFile().sections.filter((s) => s.generation.includes("pre2019"));
  const out: Block[] = [];
  conf.sections.forEach((key, i) => {
    const s = sections.find((x) => x.key === key);
    if (!s) return;
    out.push({ kind: "heading", text: `${layout.ordinals[i]}、${s.label}` });
    // Pre-2019 prose must not name the 2019 sections (收到和处理…申请情况 marks the 2019 formats).
    const prose = (layout.prose_pre2019 as Record<string, string>)[key] ?? (layout.prose as Record<string, string>)[key];
    if (prose) out.push({ kind: "para", text: prose });
  });
  out.push({ kind: "heading", text: conf.appendix });
  out.push({ kind: "table", name: which, rows: which === "national" ? nationalTable(report, opts) : fujianTable(report, which === "fujian-A" ? "A" : "B") });
  return out;
}

/** 统计指标 | 单位 | 统计数, with the heading rows (`——` in both value columns) where the data puts them. */
function nationalTable(report: ReportModel, opts: ValueOptions): LayoutCell[][] {
  const [h1, h2, h3] = layout.national.header;
  const out: LayoutCell[][] = [[{ text: h1, role: "header" }, { text: h2, role: "header" }, { text: h3, role: "header" }]];
  const headings = fieldsFile().pre2019_heading_rows;
  const mark = layout.national.heading_mark;
  for (const d of fieldsFile().fields.filter((f) => f.table === "pre2019.indicators")) {
    for (const h of headings.filter((x) => x.position === `before ${d.id}`)) {
      out.push([{ text: h.label, role: "label" }, { text: mark, role: "mark" }, { text: mark, role: "mark" }]);
    }
    out.push([{ text: d.label, role: "label" }, { text: d.unit, role: "unit" }, val(report, d.id, opts)]);
  }
  return out;
}

/** 指标名称 | 计量单位 | YYYY年度 | 历年累计, in the row set of variant A or B. */
function fujianTable(report: ReportModel, variant: "A" | "B"): LayoutCell[][] {
  const v = layout.fujian.variants[variant];
  const labels = v.labels as Record<string, string>;
  const out: LayoutCell[][] = [layout.fujian.header.map((h) => ({ text: fill(h, { year: report.year }), role: "header" as const }))];
  for (const id of v.rows) {
    if (v.optional.includes(id) && report.fields[id] === undefined && report.fields[`cumulative.${id}`] === undefined) continue;
    const d = fieldDefs(id).find((x) => x.table === "pre2019.fujian");
    if (!d) throw new Error(`layout.json: ${id} is not a 福建 table field`);
    out.push([{ text: labels[id] ?? d.label, role: "label" }, { text: d.unit, role: "unit" }, val(report, id), val(report, `cumulative.${id}`)]);
  }
  return out;
}

/** The 福建 row labels the layout uses in place of fields.json's (each must be a known variant). */
export function fujianLabelOverrides(): { id: FieldId; label: string }[] {
  return Object.values(layout.fujian.variants).flatMap((v) => Object.entries(v.labels as Record<string, string>).map(([id, label]) => ({ id, label })));
}
