import type { Document } from "../document.js";
import { DocumentBuilder, cellText } from "./build.js";

/**
 * Fixed-layout pages (PDF, OFD) → the document seam: lines rebuilt from the positions of text
 * runs, wrapped paragraphs re-joined, tables drawn with ruling lines made true grids (spans from
 * the missing rules), page numbers dropped, tables cut by a page break joined. Page space is PDF's:
 * points, y growing upward, each run's baseline at its y.
 */

/** One run of text on a page (baseline at y, w its advance). */
export interface Item { s: string; x: number; y: number; w: number; size: number }
/** An axis-aligned ruling line: horizontal when y1 === y2. */
export interface Rule { x1: number; y1: number; x2: number; y2: number }
/** A painted subpath, its points in page space. */
export type Polygon = [number, number][];

/** A page's text runs and ruling lines, in page space; width and height in points. */
export interface FixedPage { width: number; height: number; items: Item[]; rules: Rule[] }

/** An affine transform [a b c d e f]: (x, y) → (a·x + c·y + e, b·x + d·y + f), as PDF and OFD write it. */
export type Matrix = [number, number, number, number, number, number];
/** m after n: n applied first. */
export const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];
export const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** Pages → document; null when they carry (almost) no text: a scan, which the caller refuses in its own words. */
export function fixedPagesToDocument(pages: FixedPage[], file: string, format: Document["format"]): Document | null {
  let chars = 0;
  for (const p of pages) for (const it of p.items) chars += it.s.replace(/\s/g, "").length;
  if (chars < 10) return null;
  return assemble(pages.map((p) => layoutPage(p.items, p.rules)), file, format);
}

const TOL = 1.5;
const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

/** The ruling lines painted subpaths draw: axis-aligned stroked segments, and thin filled rectangles. */
export function rulesOf(polygons: Polygon[], filled: boolean, rules: Rule[] = []): Rule[] {
  for (const poly of polygons) {
    if (filled) {
      // A filled thin rectangle is how many producers (Word among them) draw a border.
      const xs = poly.map((p) => p[0]);
      const ys = poly.map((p) => p[1]);
      const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      if (y2 - y1 < 2.5 && x2 - x1 > 3) rules.push({ x1, x2, y1: (y1 + y2) / 2, y2: (y1 + y2) / 2 });
      else if (x2 - x1 < 2.5 && y2 - y1 > 3) rules.push({ x1: (x1 + x2) / 2, x2: (x1 + x2) / 2, y1, y2 });
      continue;
    }
    for (let k = 1; k < poly.length; k++) {
      const [ax, ay] = poly[k - 1];
      const [bx, by] = poly[k];
      if (Math.abs(ay - by) < 0.5 && Math.abs(ax - bx) > 3) rules.push({ x1: Math.min(ax, bx), x2: Math.max(ax, bx), y1: ay, y2: ay });
      else if (Math.abs(ax - bx) < 0.5 && Math.abs(ay - by) > 3) rules.push({ x1: ax, x2: ax, y1: Math.min(ay, by), y2: Math.max(ay, by) });
    }
  }
  return rules;
}

/** Sorted distinct positions, merging values closer than TOL. */
function cluster(values: number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].sort((a, b) => a - b)) {
    if (out.length && v - out[out.length - 1] < TOL * 2) continue;
    out.push(v);
  }
  return out;
}

interface Line { y: number; x: number; end: number; size: number; text: string }
interface Grid { rows: string[][]; origin: boolean[][]; xs: number[] }
interface Block { top: number; line?: Line; table?: Grid }
interface PageLayout { blocks: Block[] }

/** Joins runs left to right into one line's text: a space for a word gap, " | " for a column gap. */
function joinRuns(runs: Item[]): string {
  let text = "";
  let prev: Item | undefined;
  for (const it of runs) {
    if (prev) {
      const gap = it.x - (prev.x + prev.w);
      const size = Math.max(prev.size, it.size);
      // Writers add about 0.2em between CJK and Latin/digits on their own (autospacing); a real
      // space is wider. Spaces matter: they separate cells of flattened tables ("2笔 984361元").
      if (gap > 2 * size) text += " | ";
      else if (gap > 0.3 * size) text += " ";
    }
    text += it.s;
    prev = it;
  }
  return text;
}

/** Groups items into lines (same baseline within half a glyph), top to bottom. */
function toLines(items: Item[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: Item[][] = [];
  for (const it of sorted) {
    const g = groups[groups.length - 1];
    if (g && Math.abs(g[0].y - it.y) < 0.5 * Math.max(g[0].size, it.size)) g.push(it);
    else groups.push([it]);
  }
  return groups.map((g) => {
    g.sort((a, b) => a.x - b.x);
    const last = g[g.length - 1];
    return { y: g[0].y, x: g[0].x, end: last.x + last.w, size: Math.max(...g.map((i) => i.size)), text: joinRuns(g) };
  });
}

/** Finds ruled tables, fills their grids with the items inside, and lays out what is left as lines. */
function layoutPage(items: Item[], rules: Rule[]): PageLayout {
  const blocks: Block[] = [];
  const used = new Set<Item>();
  for (const group of connectedRules(rules)) {
    const xs = cluster(group.filter((r) => r.x1 === r.x2).map((r) => r.x1));
    const ys = cluster(group.filter((r) => r.y1 === r.y2).map((r) => r.y1)).reverse();
    if (xs.length < 3 || ys.length < 3) continue;
    const R = ys.length - 1;
    const C = xs.length - 1;
    const vAt = (k: number, i: number) => group.some((r) => r.x1 === r.x2 && Math.abs(r.x1 - xs[k]) < TOL * 2 && r.y1 - TOL <= (ys[i] + ys[i + 1]) / 2 && (ys[i] + ys[i + 1]) / 2 <= r.y2 + TOL);
    const hAt = (k: number, j: number) => group.some((r) => r.y1 === r.y2 && Math.abs(r.y1 - ys[k]) < TOL * 2 && r.x1 - TOL <= (xs[j] + xs[j + 1]) / 2 && (xs[j] + xs[j + 1]) / 2 <= r.x2 + TOL);
    // Cells merge where the rule between them is missing (that is what a span looks like).
    const parent = Array.from({ length: R * C }, (_, k) => k);
    const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
    const union = (a: number, b: number) => { parent[find(a)] = find(b); };
    for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) {
      if (j + 1 < C && !vAt(j + 1, i)) union(i * C + j, i * C + j + 1);
      if (i + 1 < R && !hAt(i + 1, j)) union(i * C + j, (i + 1) * C + j);
    }
    const cellItems = new Map<number, Item[]>();
    for (const it of items) {
      if (used.has(it)) continue;
      const cx = it.x + it.w / 2;
      const cy = it.y + it.size * 0.35;
      if (cx < xs[0] || cx > xs[C] || cy > ys[0] || cy < ys[R]) continue;
      const j = xs.findIndex((x, k) => k < C && cx >= x && cx <= xs[k + 1]);
      const i = ys.findIndex((y, k) => k < R && cy <= y && cy >= ys[k + 1]);
      if (i < 0 || j < 0) continue;
      used.add(it);
      const root = find(i * C + j);
      if (!cellItems.has(root)) cellItems.set(root, []);
      cellItems.get(root)!.push(it);
    }
    const texts = new Map<number, string>();
    for (const [root, its] of cellItems) {
      let text = "";
      for (const l of toLines(its)) text += text && (CJK.test(text.slice(-1)) || CJK.test(l.text[0])) ? l.text : (text ? " " : "") + l.text;
      texts.set(root, cellText(text.replace(/ \| /g, " ")));
    }
    const seen = new Set<number>();
    const rows: string[][] = [];
    const origin: boolean[][] = [];
    for (let i = 0; i < R; i++) {
      rows.push([]);
      origin.push([]);
      for (let j = 0; j < C; j++) {
        const root = find(i * C + j);
        rows[i].push(texts.get(root) ?? "");
        origin[i].push(!seen.has(root));
        seen.add(root);
      }
    }
    blocks.push({ top: ys[0], table: { rows, origin, xs } });
  }
  for (const line of toLines(items.filter((it) => !used.has(it)))) blocks.push({ top: line.y, line });
  blocks.sort((a, b) => b.top - a.top);
  return { blocks };
}

/** Rules grouped into tables: two rules belong together when they touch or cross. */
function connectedRules(rules: Rule[]): Rule[][] {
  const parent = rules.map((_, k) => k);
  const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
  const h = rules.map((r, k) => [r, k] as const).filter(([r]) => r.y1 === r.y2);
  const v = rules.map((r, k) => [r, k] as const).filter(([r]) => r.x1 === r.x2);
  for (const [a, ka] of h) for (const [b, kb] of v) {
    if (b.x1 >= a.x1 - TOL && b.x1 <= a.x2 + TOL && a.y1 >= b.y1 - TOL && a.y1 <= b.y2 + TOL) parent[find(ka)] = find(kb);
  }
  const groups = new Map<number, Rule[]>();
  rules.forEach((r, k) => {
    const root = find(k);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(r);
  });
  return [...groups.values()];
}

const PAGE_NUMBER = /^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;

/**
 * Page numbers printed in a header or footer: the first or last line of most pages, a number
 * alone, at the same height on every page. A lone number that is a table value ends a page
 * somewhere else and is kept.
 */
function pageNumbers(pages: PageLayout[]): Set<Line> {
  const found = new Set<Line>();
  if (pages.length < 2) return found;
  for (const pick of [(ls: Line[]) => ls[0], (ls: Line[]) => ls[ls.length - 1]]) {
    const hits = pages.map((p) => pick(p.blocks.filter((b) => b.line).map((b) => b.line!))).filter((l): l is Line => !!l && PAGE_NUMBER.test(l.text.trim()));
    if (hits.length < Math.max(2, pages.length * 0.6)) continue;
    const ys = hits.map((l) => l.y);
    if (Math.max(...ys) - Math.min(...ys) > 3) continue;
    // Numbers that count up one per page; table values ending pages at one height do not.
    const nums = hits.map((l) => Number(/\d+/.exec(l.text)?.[0]));
    if (nums.some((n, k) => k > 0 && n <= nums[k - 1])) continue;
    if (nums[nums.length - 1] - nums[0] > pages.length) continue;
    for (const l of hits) found.add(l);
  }
  return found;
}

/**
 * Pages → document. A line that reaches the right edge of the text block and is followed by one
 * starting at the left edge was wrapped by the layout, not by the author: the two are re-joined
 * so a paragraph is one line again, as in the HTML and text inputs.
 */
function assemble(pages: PageLayout[], file: string, format: Document["format"]): Document {
  const out = new DocumentBuilder(file, format);
  const lines = pages.flatMap((p) => p.blocks.filter((b) => b.line).map((b) => b.line!));
  const left = Math.min(...lines.map((l) => l.x));
  // Line ends scatter (hanging punctuation, kinsoku breaks a character or two early): the text
  // block's right edge is a high percentile of them, not the maximum.
  const ends = lines.map((l) => l.end).sort((a, b) => a - b);
  const right = ends[Math.floor(ends.length * 0.9)] ?? 0;
  const furniture = pageNumbers(pages);
  let pending: Line | undefined;
  const flush = () => { if (pending) out.line(pending.text); pending = undefined; };
  let open: Grid | undefined;
  const closeTable = () => { if (open) out.table(open.rows, open.origin); open = undefined; };
  for (const page of pages) {
    const body = page.blocks.filter((b) => !b.line || !furniture.has(b.line));
    for (const block of body) {
      if (block.table) {
        flush();
        if (open && block === body[0] && continues(open, block.table)) { joinContinuation(open, block.table); continue; }
        closeTable();
        open = block.table;
        continue;
      }
      closeTable();
      const line = block.line!;
      if (furniture.has(line)) continue;
      if (pending && pending.end >= right - 2.5 * pending.size && line.x <= left + 0.5 * line.size && !pending.text.includes(" | ")) {
        const glue = CJK.test(pending.text.slice(-1)) || CJK.test(line.text[0]) ? "" : " ";
        pending = { ...line, text: pending.text + glue + line.text };
        continue;
      }
      flush();
      pending = line;
    }
  }
  flush();
  closeTable();
  return out.build();
}

const NUMERIC = /^[-+]?[\d.,]+\s*(?:万元|元|件|条|项|个|次|人次|人|篇|笔)?$/;

/**
 * The top of a page's table continues the one that ended the page before: same outer edges, and
 * the column rules of one are among those of the other (header rows often draw fewer).
 */
function continues(prev: Grid, next: Grid): boolean {
  const near = (a: number[], b: number[]) => a.every((x) => b.some((y) => Math.abs(x - y) < 3));
  const edges = Math.abs(prev.xs[0] - next.xs[0]) < 3 && Math.abs(prev.xs[prev.xs.length - 1] - next.xs[next.xs.length - 1]) < 3;
  return edges && (near(prev.xs, next.xs) || near(next.xs, prev.xs));
}

/** Re-cuts a grid on finer column rules: a split column repeats its text as a span. */
function regrid(g: Grid, xs: number[]): void {
  const map = xs.slice(0, -1).map((x, k) => {
    const mid = (x + xs[k + 1]) / 2;
    return Math.max(0, g.xs.findIndex((a, j) => j < g.xs.length - 1 && mid >= a && mid < g.xs[j + 1]));
  });
  g.rows = g.rows.map((row) => map.map((j) => row[j]));
  g.origin = g.origin.map((row) => map.map((j, k) => row[j] && (k === 0 || map[k - 1] !== j)));
  g.xs = xs;
}

/** Each column's cell in a row, as "start-end" of the columns it covers (an origin and the copies of its text to its right). */
function runs(row: string[], origin: boolean[]): string[] {
  const out: string[] = [];
  for (let j = 0; j < row.length;) {
    let k = j + 1;
    while (k < row.length && !origin[k] && row[k] === row[j]) k++;
    for (let m = j; m < k; m++) out.push(`${j}-${k}`);
    j = k;
  }
  return out;
}

/**
 * Appends a table's continuation from the next page. A row the page break cut in two (its first
 * part holds the numbers, the rest only label text) is glued back; a spanning label cell cut by
 * the break (empty on the new page) takes the text it has above.
 */
function joinContinuation(prev: Grid, next: Grid): void {
  if (prev.xs.length !== next.xs.length) {
    const xs = cluster([...prev.xs, ...next.xs]);
    regrid(prev, xs);
    regrid(next, xs);
  }
  const last = prev.rows.length - 1;
  const lastRow = prev.rows[last];
  const first = next.rows[0];
  const cut = first.every((t) => t === "" || !NUMERIC.test(t)) && lastRow.some((t) => NUMERIC.test(t));
  let rows = next.rows.map((r) => [...r]);
  let origin = next.origin.map((r) => [...r]);
  if (cut) {
    first.forEach((t, j) => {
      if (!t || !next.origin[0][j]) return;
      const glue = CJK.test(lastRow[j].slice(-1)) || CJK.test(t[0]) ? "" : " ";
      const old = lastRow[j];
      for (let i = 0; i < prev.rows.length; i++) for (let k = 0; k < lastRow.length; k++) if (prev.rows[i][k] === old && (i === last || !prev.origin[last][k])) prev.rows[i][k] = old + glue + t;
    });
    rows = rows.slice(1);
    origin = origin.slice(1);
  }
  // A header row the break cut in two (no numbers on either side of it): a cell over the same
  // columns on both sides is one cell whose text wrapped over the break ("结果维" | "持"). It
  // becomes a cell spanning both rows, as in the template; cells laid out differently (a
  // spanning heading above, its sub-headings below) are different cells.
  if (!cut && rows.length && !lastRow.some((t) => NUMERIC.test(t)) && !first.some((t) => NUMERIC.test(t)) && !prev.rows.some((r) => r.join("\0") === first.join("\0"))) {
    const a = runs(lastRow, prev.origin[last]);
    const b = runs(first, next.origin[0]);
    first.forEach((t, j) => {
      const above = lastRow[j];
      if (!t || !above || !next.origin[0][j] || a[j] !== b[j]) return;
      const glue = CJK.test(above.slice(-1)) || CJK.test(t[0]) ? "" : " ";
      const text = above + glue + t;
      for (let k = j; k < first.length && a[k] === a[j]; k++) {
        prev.rows[last][k] = text;
        rows[0][k] = text;
        origin[0][k] = false;
      }
    });
  }
  if (rows.length) {
    rows[0].forEach((t, j) => {
      const above = prev.rows[last][j];
      if (t !== "" || !above || NUMERIC.test(above)) return;
      for (let i = 0; i < rows.length && rows[i][j] === "" && (i === 0 || !origin[i][j]); i++) { rows[i][j] = above; origin[i][j] = false; }
    });
  }
  prev.rows.push(...rows);
  prev.origin.push(...origin);
}
