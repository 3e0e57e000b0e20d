import { assignRow, labelAt, PLAN, type Entry } from "./dictionary.js";
import type { FieldId } from "../../model/index.js";
import { parseCell } from "../cells.js";
import { squeezeWithOffsets } from "../normalise.js";

/**
 * Row recognition of the pre-2019 tables in running text, whatever the extraction did to them:
 * one cell per line (S4), cells separated by spaces (F pingtan/2012-80734), or everything run
 * together with the unit and the next row's ordinal (`其中：1.网站公开条41815092.政府公报公开条77`).
 * Labels are found in a compact copy of the text (whitespace removed); values are cut from the
 * original text so that the spaces that do separate cells survive.
 */

export interface TextRow {
  /** Label as printed (compact, ordinal removed). */
  label: string;
  /** The field of the row's first value column; undefined for unknown rows and headings. */
  id?: FieldId;
  heading: boolean;
  unknown: boolean;
  unit?: string;
  /** Whitespace-separated value pieces as printed (each one or more cells). */
  tokens: string[];
  /** The tokens are the row's cells in column order, blanks as "" (a pipe row that keeps its empty cells). */
  positional?: boolean;
  /** The row as printed (label to last value). */
  raw: string;
  /** Offset of the row in the document text. */
  offset: number;
}

export interface TextTable {
  /** 1 = one value column (统计数 / 年末统计 / 数量); 2 = YYYY年度 and 历年累计. */
  columns: 1 | 2;
  header: string;
  offset: number;
  end: number;
  rows: TextRow[];
}

const alt = (xs: string[]) => xs.map((x) => `(?:${x})`).join("|");
const H = PLAN.header;
/** 指标名称 | 计量单位 | 2013年度 | 历年累计 (any of the columns after the first may be missing). */
const HEADER = new RegExp(`(?:${alt(H.label_column.filter((l) => l.length > 2))})(?:${alt(H.unit_column)})?(?:${alt(H.year_column)})?(${alt(H.cumulative_column)})?`, "g");
const UNITS = [...PLAN.units].sort((a, b) => b.length - a.length);
const PREFIX = /(?:其中:?)?(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d)|\d(?=[\u4e00-\u9fff]))?/y;
const NOTE = /\([^()]{0,80}\)/y;
const VALUE_CHAR = /[\d.,\-—无%]/;
const SENTENCE = /[。;!?]/;

function unitAt(c: string, pos: number): string | undefined {
  return UNITS.find((u) => c.startsWith(u, pos));
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** Does a value start here (a digit, a dash, 无 before a row boundary)? */
function valueStart(c: string, pos: number): boolean {
  const ch = c[pos];
  if (isDigit(ch) || c.startsWith("——", pos)) return true;
  const u = unitAt(c, pos);
  if (u) {
    const n = c[pos + u.length];
    return isDigit(n) || n === "—" || n === "无" || n === "-";
  }
  return false;
}

/**
 * Every pre-2019 statistics table found in the text. `skip` lists text ranges already read from
 * real grids (an HTML table also appears in the text as ` | ` lines).
 */
export function findTextTables(text: string, skip: [number, number][] = []): TextTable[] {
  const { c, map } = squeezeWithOffsets(text);
  const out: (TextTable & { endCompact: number })[] = [];
  HEADER.lastIndex = 0;
  let m: RegExpExecArray | null;
  let resumeAt = 0;
  while ((m = HEADER.exec(c))) {
    if (m.index < resumeAt) continue;
    const at = map[m.index];
    if (skip.some(([a, b]) => at >= a && at < b)) continue;
    const table = readRows(text, c, map, m.index + m[0].length, m[1] ? 2 : 1, m[0]);
    table.offset = at;
    if (table.rows.some((r) => r.id)) out.push(table);
    resumeAt = table.endCompact;
    HEADER.lastIndex = Math.max(HEADER.lastIndex, table.endCompact);
  }
  return out.map(({ endCompact: _e, ...t }) => t);
}

function readRows(text: string, c: string, map: Int32Array, start: number, columns: 1 | 2, header: string): TextTable & { endCompact: number } {
  const rows: TextRow[] = [];
  let p = start;
  let lastOrder = -1;
  while (p < c.length) {
    const rowStart = p;
    PREFIX.lastIndex = p;
    const pre = PREFIX.exec(c);
    const q = p + (pre ? pre[0].length : 0);
    let entry: Entry | undefined = labelAt(c, q);
    let e = q;
    let label: string;
    if (entry) {
      e = q + entry.key.length;
      NOTE.lastIndex = e;
      const note = NOTE.exec(c);
      if (note) e += note[0].length;
      // A known label must be followed by its unit or values, or by the next row (its unit between
      // them when the row has no value): anything else means it is only the beginning of a longer,
      // unknown label.
      const u = unitAt(c, e);
      if (!valueStart(c, e) && !boundaryAfter(c, e) && !(u && boundaryAfter(c, e + u.length))) entry = undefined;
    }
    if (entry) {
      label = c.slice(q, e);
    } else {
      e = q;
      while (e < c.length && !valueStart(c, e)) {
        if (c[e] === "(") {
          const close = c.indexOf(")", e);
          e = close > e && close - e < 60 ? close + 1 : e + 1;
        } else e++;
      }
      label = c.slice(q, e);
      if (!label || label.length > PLAN.max_unknown_label || SENTENCE.test(label) || PLAN.end_markers.some((x) => label.includes(x)) || /\d{4}年\d{1,2}月/.test(c.slice(q, e + 8))) break;
    }
    const piped = pipeCells(text, map, e, columns);
    if (piped) {
      const offset = map[rowStart] ?? text.length;
      const row: TextRow = { label, heading: false, unknown: !entry, tokens: piped.cells, positional: true, raw: text.slice(offset, piped.lineEnd), offset, ...(piped.unit ? { unit: piped.unit } : {}) };
      lastOrder = assignRow(row, entry, lastOrder);
      rows.push(row);
      p = piped.next;
      continue;
    }
    let v = e;
    const unit = unitAt(c, v);
    if (unit) v += unit.length;
    let vEnd = v;
    while (vEnd < c.length && VALUE_CHAR.test(c[vEnd])) {
      if (c[vEnd] === "无" && vEnd > v) break;
      vEnd++;
    }
    // The next row's ordinal glued to this row's digits (`41815092.政府公报`): give back one digit.
    let giveBack = 0;
    while (vEnd > v && (c[vEnd - 1] === "." || c[vEnd - 1] === "、")) vEnd--;
    if (vEnd > v && isDigit(c[vEnd - 1]) && (c[vEnd] === "." || c[vEnd] === "、") && !isDigit(c[vEnd + 1])) giveBack = 1;
    const valEnd = vEnd - giveBack;
    const tokens = valEnd > v ? text.slice(map[v], map[valEnd - 1] + 1).split(/[\s|]+/).filter(Boolean) : [];
    const offset = map[rowStart] ?? text.length;
    const rawEnd = valEnd > rowStart ? map[valEnd - 1] + 1 : map[e - 1] + 1;
    const row: TextRow = { label, heading: false, unknown: !entry, tokens, raw: text.slice(offset, rawEnd), offset, ...(unit ? { unit } : {}) };
    lastOrder = assignRow(row, entry, lastOrder);
    rows.push(row);
    if (valEnd <= rowStart) break;
    p = Math.max(valEnd, e);
    if (p === rowStart) break;
  }
  // Trailing unknown rows after the last known one are page text, not table rows.
  while (rows.length && rows[rows.length - 1].unknown && rows[rows.length - 1].tokens.length === 0) rows.pop();
  const end = p < c.length ? map[p] : text.length;
  return { columns, header, offset: 0, end, rows, endCompact: p };
}

/**
 * A row printed as pipe cells on its line (`2.政府公报公开 | 条 |  | 1`): the cells after the label
 * keep their places, so an empty one is a blank cell in its own column. Undefined when the rest of
 * the line is not `| cell | cell …` or does not have one cell per column (then the text reader's
 * token rules apply).
 */
function pipeCells(text: string, map: Int32Array, e: number, columns: number): { cells: string[]; unit?: string; lineEnd: number; next: number } | undefined {
  if (e === 0 || e > map.length) return undefined;
  const from = map[e - 1] + 1;
  const nl = text.indexOf("\n", from);
  const lineEnd = nl < 0 ? text.length : nl;
  const rest = text.slice(from, lineEnd);
  if (!/^[ \t]*\|/.test(rest)) return undefined;
  let pieces = rest.split("|").slice(1).map((x) => x.trim());
  let unit: string | undefined;
  if (pieces.length > columns && (pieces[0] === "" || UNITS.includes(pieces[0]))) {
    unit = pieces[0] || undefined;
    pieces = pieces.slice(1);
  }
  // A closing pipe (`| 3 | 5 |`) leaves one empty piece more than there are cells.
  if (pieces.length === columns + 1 && pieces[columns] === "") pieces = pieces.slice(0, columns);
  if (pieces.length !== columns || pieces.some((x) => parseCell(x).kind === "text")) return undefined;
  // The next row starts at the first printed character after this line.
  let next = e;
  while (next < map.length && map[next] < lineEnd) next++;
  return { cells: pieces, ...(unit ? { unit } : {}), lineEnd, next };
}

/** Right after a label: is this the start of another row (a table written without values)? */
function boundaryAfter(c: string, pos: number): boolean {
  if (pos >= c.length) return true;
  PREFIX.lastIndex = pos;
  const pre = PREFIX.exec(c);
  const q = pos + (pre ? pre[0].length : 0);
  return (pre !== null && pre[0].length > 0) || labelAt(c, q) !== undefined;
}
