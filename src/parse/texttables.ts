import { readFileSync } from "node:fs";
import { fieldDef, namedSet, type FieldId, type Generation, type Provenance } from "../model/index.js";
import { CELL_UNITS, convertUnit, parseCell } from "./cells.js";
import { oneCell, weighReadings, type LostRow } from "./lost.js";
import type { DigitRun } from "./solve.js";
import { table2, table3, table4, T4_HEADER_WORDS, type RowSpec } from "./labels.js";

const T3_COLUMNS = JSON.parse(readFileSync(new URL("./columns.json", import.meta.url), "utf8")) as { t3: Record<string, string[]> };

/**
 * Reads the statutory tables of the 2019/2021 templates from text, whatever way the table was
 * flattened (spec §7): pipe rows (positions kept or lost), one cell per line, space-separated
 * cells with stray spaces, and cells run together as digit strings. Row labels are found in
 * template order in a "squeezed" copy of the text (no whitespace, no pipes, `,` = `、`), so split
 * labels (`本年度办 理结果`, `结<br>果`) match; the values of a row are the printed text between
 * its label and the next row's label.
 */

export interface Squeezed {
  sq: string;
  /** sq index → index in the original text. */
  map: number[];
}

export function squeeze(text: string): Squeezed {
  let sq = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let ch = text[i];
    if (/\s|\|/.test(ch)) continue;
    if (ch === "," || ch === "，") ch = "、";
    else if (ch === "'" || ch === "“" || ch === "”") ch = "\"";
    sq += ch;
    map.push(i);
  }
  map.push(text.length);
  return { sq, map };
}

/** What the table readers hand to the pipeline: values read directly, blanks, runs to solve. */
export interface TableRead {
  values: Record<FieldId, number>;
  provenance: Record<FieldId, Provenance>;
  blank: FieldId[];
  ambiguous: FieldId[];
  runs: DigitRun[];
  /** Rows whose blank cells lost their positions: placed by the identities after solving. */
  lost: LostRow[];
  /** Money read with a unit that must be converted after solving: field → printed unit. */
  units: Record<FieldId, string>;
  /** Which statutory tables were seen (caption or header found) and which were read to their end. */
  seen: { t2: boolean; t3: boolean; t4: boolean };
  complete: { t2: boolean; t3: boolean; t4: boolean };
  /** Issues: rows with more values than cells, and the like. */
  notes: { rule: string; message: string; fields: FieldId[] }[];
}

function emptyRead(): TableRead {
  return {
    values: {}, provenance: {}, blank: [], ambiguous: [], runs: [], lost: [], units: {},
    seen: { t2: false, t3: false, t4: false }, complete: { t2: false, t3: false, t4: false }, notes: [],
  };
}

interface Hit {
  start: number;
  end: number;
}

/** Earliest occurrence of any key in [from, to); ties go to the longest key. Skips a following parenthetical note. */
function findKey(s: Squeezed, keys: string[], from: number, to: number): Hit | undefined {
  let best: Hit | undefined;
  // Search a slice: indexOf over the whole rest of a large text for every row would be quadratic.
  const hay = s.sq.slice(from, to);
  for (const k of keys) {
    const j = hay.indexOf(k);
    if (j < 0) continue;
    const i = from + j;
    if (!best || i < best.start || (i === best.start && i + k.length > best.end)) best = { start: i, end: i + k.length };
  }
  if (best && s.sq[best.end] === "(") {
    const close = s.sq.indexOf(")", best.end);
    if (close > 0 && close - best.end < 60) best.end = close + 1;
  }
  return best;
}

const CN_NUM = "一二三四五六七八九十";

/**
 * Where the printed ordinal of a row begins, just before its label (`2.`, `2、`, `(三)`, `三、`;
 * with `bare`, also `2` glued to the previous row's digits: `00000002其他法律…`).
 */
function ordinalStart(s: Squeezed, labelStart: number, ordinal: string, bare = false): number {
  if (!ordinal) return labelStart;
  const before = s.sq.slice(Math.max(0, labelStart - 8), labelStart);
  const num = /\d+|[一二三四五六七八九十]+/.exec(ordinal)?.[0];
  if (!num) return labelStart;
  const pats = /\d/.test(num)
    ? [new RegExp(`${num}[.、:]$`), ...(bare ? [new RegExp(`${num}$`)] : [])]
    : [new RegExp(`\\(${num}\\)$`), new RegExp(`${num}、$`), new RegExp(`${num}${num}、$`)];
  for (const p of pats) {
    const m = p.exec(before);
    if (m) return labelStart - m[0].length;
  }
  return labelStart;
}

const VALUE_TOKEN = new RegExp(`^(?:\\s+|\\||(?:增加|减少|增|减|[+\\-])?\\d+(?:\\.\\d+)?(?:${CELL_UNITS})?|无|—+|-+|－|/)`);

/** The value part of a region: from its start up to the first text that cannot be a cell value. */
function valuePart(region: string): string {
  let i = 0;
  while (i < region.length) {
    const m = VALUE_TOKEN.exec(region.slice(i, i + 40));
    if (!m || m[0].length === 0) break;
    i += m[0].length;
  }
  return region.slice(0, i);
}

interface RowValues {
  kind: "cells" | "lost" | "tokens";
  /** cells: one entry per cell ("" = blank). lost/tokens: the printed pieces in order. */
  pieces: string[];
}

/**
 * Splits a row's value text into cells or printed tokens. Empty pieces of a pipe row are blank
 * cells, except the separators around them: `labelled`, the part follows the row's label, so the
 * text before its first pipe is the label's; `opened`, the printed line began with a pipe
 * (`| 规章 | 0 | 0 | 1 |`), so a pipe at its end closes it. Otherwise an empty first or last piece
 * is a blank cell (` | 3 | … ` in table 四, `规章 | 0 | 0 | `), unless the row has more pieces than cells.
 */
function splitRow(part: string, n: number, labelled = true, opened = false): RowValues {
  // The rest of the label's (or header's) line holding only separators: the cells are on the next line.
  const firstLine = part.replace(/^[ \t|]*\n/, "").split("\n")[0];
  const pipes = (firstLine.match(/\|/g) ?? []).length;
  if (pipes >= 1 && (pipes >= 2 || n === 1 || /\|\s*\S/.test(firstLine))) {
    let segs = firstLine.split("|").map((x) => x.trim());
    if (segs[0] === "" && /^\s*\|/.test(firstLine) && (labelled || segs.length > n)) segs = segs.slice(1);
    if (segs.length > 0 && segs[segs.length - 1] === "" && /\|\s*$/.test(firstLine) && (opened || segs.length > n)) segs = segs.slice(0, -1);
    if (segs.length === n) return { kind: "cells", pieces: segs };
    return { kind: "lost", pieces: segs.filter((x) => x !== "") };
  }
  // A sign can only begin a cell: `2648-18538` is 2648 | -18538 (本年增/减 glued to its neighbour).
  const tokens = part.split(/[\s|]+/).flatMap((x) => x.split(/(?<=\d)(?=-\d)/)).filter((x) => x !== "");
  return { kind: "tokens", pieces: tokens };
}

interface Ctx {
  s: Squeezed;
  text: string;
  out: TableRead;
  method: "table" | "text";
}

function record(ctx: Ctx, id: FieldId, raw: string, source: string, offset: number, method: Provenance["method"] = ctx.method): boolean {
  const cell = parseCell(raw);
  if (cell.kind === "blank") {
    ctx.out.blank.push(id);
    return true;
  }
  if (cell.kind === "text") return false;
  const unit = fieldDef(id)?.unit ?? "件";
  ctx.out.values[id] = convertUnit(cell.value, cell.unit, unit);
  ctx.out.provenance[id] = { method, source, raw: raw.trim(), offset };
  return true;
}

/** Reads one row's cells from its value text. */
function readRow(ctx: Ctx, row: RowSpec, part: string, offset: number, source: string): void {
  const n = row.cells.length;
  // Table 四's one data row has no label: its line's first pipe may follow a blank first cell.
  const labelled = row.keys.length > 0;
  const lineStart = ctx.text.lastIndexOf("\n", offset - 1) + 1;
  const rv = splitRow(part, n, labelled, labelled && /^[ \t]*\|/.test(ctx.text.slice(lineStart, lineStart + 40)));
  const src = (i: number) => `${source} / ${row.columns[i] || i + 1}`;
  if (rv.kind === "cells") {
    rv.pieces.forEach((p, i) => {
      if (!record(ctx, row.cells[i], p, src(i), offset, "table")) ctx.out.ambiguous.push(row.cells[i]);
    });
    return;
  }
  const pieces = rv.pieces;
  if (pieces.length === 0) {
    ctx.out.blank.push(...row.cells);
    return;
  }
  const cells = pieces.map(parseCell);
  if (pieces.length === n && cells.every((c) => c.kind === "value")) {
    pieces.forEach((p, i) => record(ctx, row.cells[i], p, src(i), offset));
    return;
  }
  if (rv.kind === "lost") {
    // Blank cells dropped with their separators (spec §7 item 5): the identities place the values.
    if (cells.every((c) => c.kind === "value") && pieces.length < n) {
      ctx.out.lost.push({ fields: [...row.cells], values: cells.map((c) => (c.kind === "value" ? c.value : 0)), raw: pieces, source, offset });
      return;
    }
    ctx.out.ambiguous.push(...row.cells);
    ctx.out.notes.push({ rule: "CELLS-LOST", message: `${source}: ${n} 个单元格只印出 ${pieces.length} 个值，无法确定位置 (${pieces.length} values for ${n} cells; positions unknown)`, fields: row.cells });
    return;
  }
  if (pieces.length > n) {
    ctx.out.ambiguous.push(...row.cells);
    ctx.out.notes.push({ rule: "EXTRA-VALUES", message: `${source}: ${n} 个单元格印出 ${pieces.length} 个值 (${pieces.length} values for ${n} cells)`, fields: row.cells });
    return;
  }
  // Fewer tokens than cells: digits run together; the solver splits them by the identities.
  const tokens: string[] = [];
  let ok = true;
  let cellUnit: string | undefined;
  for (const p of pieces) {
    const m = new RegExp(`^(-?\\d+(?:\\.\\d+)?)(${CELL_UNITS})?$`).exec(p.replace(/^减/, "-").replace(/^增/, ""));
    if (!m) {
      ok = false;
      break;
    }
    tokens.push(m[1]);
    if (m[2] && p === pieces[pieces.length - 1]) cellUnit = m[2];
  }
  if (!ok) {
    ctx.out.ambiguous.push(...row.cells);
    ctx.out.notes.push({ rule: "CELLS-UNREADABLE", message: `${source}: 无法读出「${part.trim()}」 (cannot read the cells)`, fields: row.cells });
    return;
  }
  if (cellUnit) ctx.out.units[row.cells[n - 1]] = cellUnit;
  ctx.out.runs.push({ tokens, fields: [...row.cells], source, raw: part.trim(), offset });
}

/**
 * Does this table print its numeric ordinals bare (`1属于国家秘密`, `2其他法律…`)? Decided where it
 * cannot be a value digit: the first numbered row of a group follows the group's label (text, no
 * digits), so a `1` there is an ordinal. Only then is a trailing digit equal to the next row's
 * ordinal cut from the previous row's values.
 */
function bareOrdinals(s: Squeezed, hits: { row: RowSpec; hit: Hit }[]): boolean {
  let seen = 0;
  for (const { row, hit } of hits) {
    const num = /^\d+/.exec(row.ordinal)?.[0];
    if (!num) continue;
    const before = s.sq.slice(Math.max(0, hit.start - num.length - 1), hit.start);
    if (new RegExp(`(?:^|[^\\d.、:])${num}$`).test(before) && /[\u4e00-\u9fff)]/.test(before[0] ?? "")) seen++;
  }
  return seen >= 2;
}

/** Reads consecutive rows found in [from, to) of the squeezed text; returns the end of the last row read. */
function readRows(ctx: Ctx, rows: RowSpec[], from: number, to: number, tableName: string, window: number): { found: Set<string>; end: number } {
  const { s } = ctx;
  const hits: { row: RowSpec; hit: Hit }[] = [];
  let pos = from;
  for (const row of rows) {
    const limit = Math.min(to, pos + (hits.length === 0 ? Math.max(window, 3000) : window));
    const hit = findKey(s, row.keys, pos, limit);
    if (!hit) continue;
    hits.push({ row, hit });
    pos = hit.end;
  }
  const found = new Set<string>();
  let end = from;
  const bare = bareOrdinals(s, hits);
  for (let i = 0; i < hits.length; i++) {
    const { row, hit } = hits[i];
    found.add(row.id);
    const next = hits[i + 1];
    const stop = next ? ordinalStart(s, next.hit.start, next.row.ordinal, bare) : Math.min(to, s.sq.length);
    // From just after the label: blank cells before the first printed value keep their places.
    const a = hit.end > 0 ? s.map[hit.end - 1] + 1 : s.map[hit.end];
    const b = s.map[Math.max(hit.end, stop)];
    const region = ctx.text.slice(a, next ? b : Math.min(ctx.text.length, a + 400));
    const part = valuePart(region);
    end = Math.max(end, hit.end + part.replace(/[\s|]/g, "").length);
    if (row.cells.length === 0) continue;
    readRow(ctx, row, part, a, `${tableName} ${row.label}`);
  }
  return { found, end };
}

const CAPTION = /第二十条第\(?([一二三四五六七八九十]+)\)?项/g;

/** Table 二: the 第二十条 sub-tables, each read between its caption and the next. */
function readTable2(ctx: Ctx, generation: Generation, limit: number): number {
  const { s } = ctx;
  const caps: { item: string; start: number; end: number }[] = [];
  CAPTION.lastIndex = 0;
  for (let m = CAPTION.exec(s.sq); m; m = CAPTION.exec(s.sq)) {
    if (caps.some((c) => c.item === m![1])) break; // a second copy of the tables (pages printed twice)
    if (caps.length && m.index - caps[caps.length - 1].end > 1500) break;
    caps.push({ item: m[1], start: m.index, end: m.index + m[0].length });
  }
  if (!caps.length) return -1;
  ctx.out.seen.t2 = true;
  const subs = table2(generation);
  let end = caps[0].end;
  for (let i = 0; i < caps.length; i++) {
    const sub = subs.find((t) => t.item === caps[i].item);
    if (!sub) continue;
    const to = i + 1 < caps.length ? caps[i + 1].start : Math.min(limit, caps[i].end + 600);
    const r = readRows(ctx, sub.rows, caps[i].end, to, `表二 第二十条第(${sub.item})项`, 400);
    end = Math.max(end, r.end);
  }
  const items = new Set(caps.map((c) => c.item));
  ctx.out.complete.t2 = subs.every((t) => items.has(t.item));
  return end;
}

const T3_START = ["本列数据的勾稽关系", "申请人情况"];

/** Header words of table 三 columns (columns.json), longest first, to the column they name. */
function t3HeaderWords(): [string, string][] {
  const byLabel = new Map(namedSet("T3_COLS").map((c) => [fieldDef(`applications.new.${c}`)?.column ?? c, c]));
  const words: [string, string][] = [];
  for (const [label, variants] of Object.entries(T3_COLUMNS.t3)) for (const v of variants) words.push([v, byLabel.get(label) ?? label]);
  words.push(["法人或其他组织小计", "org_subtotal"], ["小计", "org_subtotal"], ["法人或其他组织", "group"], ["申请人情况", "skip"]);
  return words.sort((a, b) => b[0].length - a[0].length);
}

/**
 * The column order a one-line header of table 三 gives (`| | 总计 | 自然人 | 商业企业 | … |`), when
 * it names every column once and differs from the template order. The template's own three header
 * rows flattened (`自然人 法人或其他组织 总计 商业企业 …`) carry the group word and are not an order.
 */
function headerOrder(region: string): string[] | null {
  const cols = namedSet("T3_COLS");
  const words = t3HeaderWords();
  for (const line of region.split("\n")) {
    const sqLine = line.replace(/[\s|]+/g, "");
    const seq: string[] = [];
    for (let i = 0; i < sqLine.length; ) {
      const w = words.find(([v]) => sqLine.startsWith(v, i));
      if (w) {
        if (w[1] !== "skip") seq.push(w[1]);
        i += w[0].length;
      } else i++;
    }
    if (seq.includes("group")) continue;
    const named = seq.filter((c) => c !== "org_subtotal");
    if (named.length !== cols.length || !cols.every((c) => named.includes(c))) continue;
    if (seq.filter((c) => c === "org_subtotal").length > 1) continue;
    return seq.join() === cols.join() ? null : seq;
  }
  return null;
}

/** A table 三 row's cells in the printed column order (a printed 小计 reads into the derived org subtotal). */
function reorder(row: RowSpec, order: string[]): RowSpec {
  const base = row.cells[0].slice(0, row.cells[0].lastIndexOf("."));
  const cells = order.map((c) => `${base}.${c}`);
  return { ...row, cells, columns: cells.map((id) => fieldDef(id)?.column ?? "") };
}

function readTable3(ctx: Ctx, generation: Generation, from: number): number {
  const { s } = ctx;
  const rows = table3(generation);
  let start = -1;
  for (const k of T3_START) {
    const i = s.sq.indexOf(k, from);
    if (i >= 0 && (start < 0 || i < start)) start = i;
  }
  const first = findKey(s, rows[0].keys, start >= 0 ? start : from, s.sq.length);
  if (!first) return -1;
  if (start < 0 || first.start - start > 3000) start = first.start;
  ctx.out.seen.t3 = true;
  const order = start < first.start ? headerOrder(ctx.text.slice(s.map[start], s.map[first.start])) : null;
  const printed = order ? rows.map((row) => (row.cells.length ? reorder(row, order) : row)) : rows;
  const r = readRows(ctx, printed, start, s.sq.length, "表三", 600);
  const valueRows = rows.filter((x) => x.cells.length);
  ctx.out.complete.t3 = valueRows.every((x) => r.found.has(x.id));
  return r.end;
}

/** Table 四: after its header words, one row of 15 cells. */
function readTable4(ctx: Ctx, from: number): number {
  const { s } = ctx;
  let start = -1;
  for (const k of ["行政复议行政诉讼", "行政复议", "行政複議"]) {
    const i = s.sq.indexOf(k, from);
    if (i >= 0) {
      start = i;
      break;
    }
  }
  if (start < 0 || start - from > 2000) return -1;
  let p = start;
  const words = [...T4_HEADER_WORDS].sort((a, b) => b.length - a.length);
  let headerWords = 0;
  for (;;) {
    const w = words.find((x) => s.sq.startsWith(x, p));
    if (!w) break;
    p += w.length;
    headerWords++;
  }
  if (headerWords < 5) return -1;
  // A short row label before the 15 numbers (`数量`, `件数`) is not part of the data.
  const label = /^[\u4e00-\u9fff()]{1,8}(?=[\d|])/.exec(s.sq.slice(p, p + 12));
  if (label && !/^[无增减]/.test(label[0])) p += label[0].length;
  ctx.out.seen.t4 = true;
  // From just after the header (or row label): a blank first cell keeps its place.
  const a = p > 0 ? s.map[p - 1] + 1 : s.map[p];
  const part = valuePart(ctx.text.slice(a, a + 600));
  const ids = table4();
  const row: RowSpec = { id: "review", label: "行政复议、行政诉讼", ordinal: "", keys: [], cells: ids, columns: ids.map((id) => fieldDef(id)?.column ?? "") };
  const before = Object.keys(ctx.out.values).length + ctx.out.runs.length + ctx.out.ambiguous.length + ctx.out.blank.length;
  if (part.replace(/[\s|]/g, "") !== "") readRow(ctx, row, part, a, "表四");
  const after = Object.keys(ctx.out.values).length + ctx.out.runs.length + ctx.out.ambiguous.length + ctx.out.blank.length;
  ctx.out.complete.t4 = after > before;
  return p + part.replace(/[\s|]/g, "").length;
}

/**
 * Rows printed as fewer space- or line-separated numbers than cells: run together, or blank cells
 * dropped? Where both readings stand and disagree the cells are ambiguous (lost.ts weighReadings);
 * the rows settled here leave the runs, the rest go to the solver as before.
 */
function weigh(out: TableRead, generation: Generation): void {
  // A page that runs digits together somewhere (a token no cell prints: `01`, `0000000`) lost its
  // separators, not its blanks: its short rows stay run together, as the labelled pages read.
  if (out.runs.some((r) => r.tokens.some((t) => oneCell(t) === undefined))) return;
  const w = weighReadings(out.runs, out.lost, out.values, out.blank, generation, (r) => !r.fields.some((f) => out.units[f] !== undefined));
  if (!w) return;
  out.runs = out.runs.filter((_, i) => !w.rows.includes(i));
  Object.assign(out.values, w.values);
  Object.assign(out.provenance, w.provenance);
  out.blank.push(...w.blank);
  out.ambiguous.push(...w.ambiguous);
  for (const x of w.issues) out.notes.push({ rule: x.rule, message: x.message, fields: x.fields ?? [] });
}

/** Reads tables 二, 三, 四 of a 2019/2021 report from its text. */
export function readTextTables(text: string, generation: Generation, method: "table" | "text" = "text"): TableRead {
  const out = emptyRead();
  const s = squeeze(text);
  const ctx: Ctx = { s, text, out, method };
  const t3Anchor = s.sq.indexOf("本年新收政府信息公开申请数量");
  const t2end = readTable2(ctx, generation, t3Anchor >= 0 ? t3Anchor : s.sq.length);
  const t3end = readTable3(ctx, generation, Math.max(0, t2end));
  readTable4(ctx, t3end >= 0 ? t3end : Math.max(0, t2end));
  weigh(out, generation);
  out.blank = [...new Set(out.blank)].filter((id) => out.values[id] === undefined);
  out.ambiguous = [...new Set(out.ambiguous)];
  return out;
}

export { CN_NUM };
