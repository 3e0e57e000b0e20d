import { labelAt, PLAN, resolve, type Entry } from "./dictionary.js";
import type { FieldId } from "../../model/index.js";

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

interface Compact {
  c: string;
  /** Original offset of every compact character. */
  map: number[];
}

function compact(text: string): Compact {
  let c = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (/\s/.test(ch) || ch === "|") continue;
    c += ch;
    map.push(i);
  }
  return { c, map };
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
  const { c, map } = compact(text);
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

function readRows(text: string, c: string, map: number[], start: number, columns: 1 | 2, header: string): TextTable & { endCompact: number } {
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
      // A known label must be followed by its unit or values, or by the next row: anything else
      // means it is only the beginning of a longer, unknown label.
      if (!valueStart(c, e) && !boundaryAfter(c, e)) entry = undefined;
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
    if (entry) {
      const cand = resolve(entry, lastOrder);
      if (cand) {
        row.id = cand.id;
        lastOrder = cand.order;
      } else row.heading = true;
    }
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

/** Right after a label: is this the start of another row (a table written without values)? */
function boundaryAfter(c: string, pos: number): boolean {
  if (pos >= c.length) return true;
  PREFIX.lastIndex = pos;
  const pre = PREFIX.exec(c);
  const q = pos + (pre ? pre[0].length : 0);
  return (pre !== null && pre[0].length > 0) || labelAt(c, q) !== undefined;
}
