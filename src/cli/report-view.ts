import { fieldDefsFor, fieldLabel, namedSet, type FieldId, type Finding, type ParsedReport, type Severity } from "../model/index.js";

/**
 * Terminal views of a parsed report: the statutory tables drawn with box-drawing characters and
 * the values in place (CJK characters count two columns), and findings as lines.
 */

/** Display width: East Asian wide and full-width characters take two terminal columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x200b || (c >= 0x300 && c <= 0x36f)) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(s)));
  return align === "left" ? s + fill : fill + s;
}

/** Cuts a label to a display width, marking the cut with …. */
function clip(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = "";
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + "…";
}

/** A boxed table: first column left-aligned (labels), the others right-aligned (values). */
export function drawBox(header: string[], rows: string[][]): string {
  const n = header.length;
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const row = (cells: string[]) => "│" + Array.from({ length: n }, (_, i) => " " + pad(cells[i] ?? "", widths[i], i === 0 ? "left" : "right") + " ").join("│") + "│";
  return [line("┌", "┬", "┐"), row(header), line("├", "┼", "┤"), ...rows.map(row), line("└", "┴", "┘")].join("\n");
}

/** How one cell shows: its value, blank (empty), ambiguous (?), not found (·). */
function cell(r: ParsedReport, id: FieldId): string {
  const v = r.fields[id];
  if (v !== undefined) return String(v);
  if (r.ambiguous.includes(id)) return "?";
  if (r.blank.includes(id)) return "";
  return "·";
}

const T3_COL_SHORT: Record<string, string> = { natural: "自然人", commercial: "商业企业", research: "科研机构", nonprofit: "社会公益", legal: "法律服务", other: "其他", total: "总计" };
const T3_GROUP: Record<string, string> = { "result.withheld.": "（三）不予公开", "result.unable.": "（四）无法提供", "result.not_processed.": "（五）不予处理", "result.other.": "（六）其他处理" };
const T4_ROW: Record<string, string> = { reconsideration: "行政复议", litigation_direct: "诉讼·未经复议直接起诉", litigation_after: "诉讼·复议后起诉" };
const T4_COL: Record<string, string> = { upheld: "结果维持", corrected: "结果纠正", other: "其他结果", pending: "尚未审结", total: "总计" };

function table2(r: ParsedReport): string[] {
  const gen = r.format === "2019" ? "2019" : "2021";
  const out: string[] = [];
  const byTable = new Map<string, Map<string, { cols: string[]; ids: FieldId[] }>>();
  for (const d of fieldDefsFor(gen)) {
    if (!d.table.startsWith("t2.") || d.kind !== "reported") continue;
    const t = byTable.get(d.table) ?? new Map();
    byTable.set(d.table, t);
    const row = t.get(d.label) ?? { cols: [], ids: [] };
    t.set(d.label, row);
    row.cols.push(d.column ?? "");
    row.ids.push(d.id);
  }
  const ITEM: Record<string, string> = { "1": "一", "5": "五", "6": "六", "8": "八", "9": "九" };
  for (const [table, rows] of byTable) {
    const first = [...rows.values()][0];
    const header = ["信息内容", ...first.cols];
    const body = [...rows.entries()].map(([label, row]) => [label, ...row.ids.map((id) => cell(r, id))]);
    out.push(`第二十条第（${ITEM[table.slice(-1)] ?? table}）项`, drawBox(header, body));
  }
  return out;
}

function table3(r: ParsedReport): string {
  const gen = r.format === "2019" ? "2019" : "2021";
  const cols = namedSet("T3_COLS");
  const rows = namedSet("T3_ROWS", gen).map((row) => {
    const label = fieldLabel(`applications.${row}.natural`, gen).split(" / ")[0];
    // Sub-rows carry their group's name, as the row-spanning cell does in the printed table.
    const group = Object.entries(T3_GROUP).find(([prefix]) => row.startsWith(prefix) && row !== "result.other.subtotal")?.[1];
    return [clip(group ? `${group}·${label}` : label, 32), ...cols.map((c) => cell(r, `applications.${row}.${c}`))];
  });
  return drawBox(["", ...cols.map((c) => T3_COL_SHORT[c] ?? c)], rows);
}

function table4(r: ParsedReport): string {
  const cols = namedSet("T4_COLS");
  const rows = namedSet("T4_GROUPS").map((g) => [T4_ROW[g] ?? g, ...cols.map((c) => cell(r, `review.${g}.${c}`))]);
  return drawBox(["", ...cols.map((c) => T4_COL[c] ?? c)], rows);
}

/** pre-2019 and anything else: one line per field read, in catalog order. */
function fieldList(r: ParsedReport): string {
  const ids = Object.keys(r.fields);
  if (!ids.length) return "  （未读出数值 / no values read）";
  const rows = ids.map((id) => [clip(fieldLabel(id, r.format ?? undefined), 40), cell(r, id)]);
  return drawBox(["指标 (field)", "数值"], rows);
}

/** Tables 三 and 四 as drawn in the terminal (used for a register's computed tables too). */
export function drawApplicationTables(r: ParsedReport): string {
  return ["三、收到和处理政府信息公开申请情况", table3(r), "", "四、政府信息公开行政复议、行政诉讼情况", table4(r)].join("\n");
}

/** The readable summary of one report: who, which year, which format, its tables, its findings. */
export function drawReport(r: ParsedReport): string {
  const out: string[] = [];
  out.push(r.file);
  out.push(`  机构 (agency): ${r.agency ?? "不明 (unknown)"}`);
  out.push(`  年度 (year): ${r.report_year ?? "不明 (unknown)"}`);
  out.push(`  格式 (format): ${r.format ?? "不明 (unknown)"}`);
  out.push(`  读取 ${Object.keys(r.fields).length} 项，空白 ${r.blank.length} 项，不确定 ${r.ambiguous.length} 项 (fields read, blank, ambiguous)`);
  if (r.format === "2019" || r.format === "2021") {
    out.push("", "二、主动公开政府信息情况", ...table2(r));
    out.push("", drawApplicationTables(r));
  } else {
    out.push("", fieldList(r));
  }
  out.push("  空白单元格留空，? = 有多种拆分、不作猜测，· = 未找到 (blank = empty, ? = ambiguous, · = not found)");
  out.push("", formatFindings(r.issues));
  return out.join("\n");
}

const HEADINGS: Record<Severity, { zh: string; en: string }> = {
  error: { zh: "错误", en: "errors" },
  warning: { zh: "警告", en: "warnings" },
  info: { zh: "提示", en: "notes" },
};

/** Which language(s) messages are shown in: Chinese then English by default. */
export type Lang = "zh" | "en" | "both";

/** Findings grouped by severity, most severe first, each in the chosen language(s), with the probable cell where the validator found one. */
export function formatFindings(issues: Finding[], lang: Lang = "both"): string {
  const lines: string[] = [];
  if (!issues.length) {
    lines.push(`  ${lang === "en" ? "no findings" : lang === "zh" ? "未发现问题" : "未发现问题 (no findings)"}`);
    return lines.join("\n");
  }
  for (const sev of ["error", "warning", "info"] as Severity[]) {
    const group = issues.filter((f) => f.severity === sev);
    if (!group.length) continue;
    const h = HEADINGS[sev];
    lines.push(`  ${lang === "en" ? h.en : lang === "zh" ? h.zh : `${h.zh} (${h.en})`} ${group.length}`);
    for (const f of group) {
      const tag = (s: string) => (s.startsWith(f.rule) || s.includes(` ${f.rule} `) ? s : `[${f.rule}] ${s}`);
      // Parser issues carry both languages in one message (`中文 (English)`): printed once.
      if (f.message_en === undefined) { lines.push(`    ${tag(f.message)}`); continue; }
      if (lang !== "en") lines.push(`    ${tag(f.message)}`);
      if (lang !== "zh") lines.push(`${lang === "en" ? "    " : "      "}${tag(f.message_en)}`);
      if (f.suggestion && !f.message.includes(String(f.suggestion.value))) lines.push(`      建议 (suggestion): ${f.suggestion.field} = ${f.suggestion.value}（${f.suggestion.reason}）`);
    }
  }
  return lines.join("\n");
}
