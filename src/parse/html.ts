import { InputError } from "./decode.js";
import { fastTree, HIDDEN, type DomNode } from "./html-tree.js";
import { lazy } from "./lazy.js";
import { looksTraditional, normaliseText } from "./normalise.js";
import type { TableGrid } from "./document.js";

const parse5 = lazy<typeof import("parse5")>("parse5");

/**
 * HTML to visible text plus true table grids. The page is only parsed, never run: scripts, styles,
 * comments (incl. Word's `<!--[if ...]-->`) and embedded objects are dropped. The tree is parse5's
 * (the HTML standard's), built by htmlparser2 where that gives the same tree for our purposes
 * (html-tree.ts) and by parse5 itself elsewhere. Work is bounded: nesting depth, spans and grid
 * sizes are capped.
 */

/** Which HTML parser builds the tree: `auto` (htmlparser2 where safe, else parse5) or parse5 always. */
export type HtmlEngine = "auto" | "parse5";

const attr = (n: DomNode, name: string): string | undefined => n.attrs?.find((a) => a.name === name)?.value;
const textNode = (n: DomNode) => n.nodeName === "#text";
/** Elements only: parse5 names the others `#text`, `#comment`, `#document`, `#documentType`. */
const tagName = (n: DomNode): string | undefined => (n.nodeName.charCodeAt(0) === 35 /* # */ ? undefined : n.nodeName);

const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
  "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "ul",
  "caption", "tbody", "thead", "tfoot", "title",
]);
const MAX_DEPTH = 400;
const MAX_SPAN_COLS = 100;
const MAX_SPAN_ROWS = 500;
const MAX_GRID_CELLS = 200_000;

export interface HtmlContent {
  /** Normalised visible text; each data-table row is one line of ` | `-joined origin cells. */
  text: string;
  tables: TableGrid[];
}

/** Metadata some CMSs keep only in <head>: title and publishing body, surfaced as the first lines. */
function headLines(doc: DomNode): string[] {
  const html = doc.childNodes?.find((n) => n.nodeName === "html");
  const head = html?.childNodes?.find((n) => n.nodeName === "head");
  const metas = new Map<string, string>();
  let title: string | undefined;
  for (const n of head?.childNodes ?? []) {
    if (n.nodeName === "meta") {
      const name = attr(n, "name");
      if (name && !metas.has(name)) metas.set(name, attr(n, "content") ?? "");
    } else if (n.nodeName === "title" && title === undefined) title = textOf(n);
  }
  const lines: string[] = [];
  const heading = metas.get("ArticleTitle") || title;
  if (heading?.trim()) lines.push(`标题: ${heading.trim()}`);
  const source = metas.get("ContentSource");
  if (source?.trim()) lines.push(`发布机构: ${source.trim()}`);
  const date = metas.get("PubDate");
  if (date?.trim()) lines.push(`发布时间: ${date.trim()}`);
  return lines;
}

/**
 * Elements whose end tag is optional or that never nest: a page may leave them open without any
 * real depth (the parser closes them itself).
 */
const SHALLOW = new Set(["p", "li", "td", "th", "tr", "tbody", "thead", "tfoot", "colgroup", "col", "option", "optgroup", "dt", "dd", "rt", "rp", "html", "head", "body", "br", "img", "meta", "link", "hr", "input", "wbr", "area", "base", "source", "track", "embed", "param", "o:p"]);
/** Far beyond any real page (a few hundred at most); the HTML parser's cost grows with the square of it. */
const MAX_NESTING = 20_000;

/**
 * Deepest nesting of the page's elements (or, below the limit, an upper bound), counted on the raw
 * tags (linear, before any parsing).
 */
function nestingDepth(html: string): number {
  // A page with fewer tags than the limit cannot nest deeper than it: most pages need no count.
  let tags = 0;
  for (let i = html.indexOf("<"); i >= 0 && tags <= MAX_NESTING; i = html.indexOf("<", i + 1)) tags++;
  if (tags <= MAX_NESTING) return tags;
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const name = m[2].toLowerCase();
    if (SHALLOW.has(name) || m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

export function htmlToContent(html: string, file = "input", engine: HtmlEngine = "auto"): HtmlContent {
  if (nestingDepth(html) > MAX_NESTING) {
    throw new InputError("NOT_REPORT", `${file}: HTML 元素嵌套超过 ${MAX_NESTING} 层，不是正常网页 (HTML nested more than ${MAX_NESTING} levels deep: not a real page)`);
  }
  const doc = (engine === "auto" && fastTree(html)) || (parse5().parse(html, { scriptingEnabled: false }) as unknown as DomNode);
  const out = new Builder();
  for (const l of headLines(doc)) out.line(l);
  walk(doc, out, 0);
  return out.finish();
}

const NOT_SPACE = /[^\s\u200b\u200c\u200d\u2060\ufeff\u00ad]/;
/** Joins the raw pieces for one normalisation pass; neither tree has U+0000 in its text (parse5 replaces or drops it, fastTree declines such pages). */
const SEP = "\u0000";

/** What `\s` matches. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/**
 * Whether tidying would leave `t` as it is: nothing to trim, no run to collapse (`cell`: of any
 * whitespace, to one space; otherwise: of spaces, tabs, form and line tabulations).
 */
export function isTidy(t: string, cell: boolean): boolean {
  const n = t.length;
  if (n === 0) return true;
  if (isSpace(t.charCodeAt(0)) || isSpace(t.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = t.charCodeAt(i);
    if (c > 32 && c < 0xa0) continue;
    if (cell ? isSpace(c) && (c !== 32 || isSpace(t.charCodeAt(i + 1))) : c === 9 || c === 11 || c === 12 || (c === 32 && t.charCodeAt(i + 1) === 32)) return false;
  }
  return true;
}

/** A piece of visible text as the page has it, and how it is tidied once normalised. */
interface Piece {
  raw: string;
  /** `line`: spaces and tabs collapsed, trimmed, dropped when empty; `head`: trimmed; `cell`: all whitespace collapsed, trimmed; `chars`: as is. */
  tidy: "line" | "head" | "cell" | "chars";
}

/**
 * Collects the page's lines and grids raw, then normalises all of them in one pass: whether text
 * is traditional is a property of the page's visible text, not of each piece (a cell of 減2 or
 * 7.告知作出更改補充數 alone has no character that gives it away), and one pass over the joined
 * text costs far less than one per line and cell.
 */
class Builder {
  private pieces: Piece[] = [];
  private pending = "";
  /** In document order: a text piece (its index) or a table of piece indices. */
  private items: (number | { cells: number[][]; origin: boolean[][] })[] = [];

  inline(s: string): void {
    this.pending += s;
  }
  /** Ends the current line (block boundary). */
  br(): void {
    // Most block boundaries close nothing but the indentation between tags.
    if (NOT_SPACE.test(this.pending)) this.items.push(this.piece(this.pending, "line"));
    this.pending = "";
  }
  line(s: string): void {
    this.br();
    this.items.push(this.piece(s, "head"));
  }
  piece(raw: string, tidy: Piece["tidy"]): number {
    return this.pieces.push({ raw, tidy }) - 1;
  }
  table(cells: number[][], origin: boolean[][]): void {
    this.br();
    this.items.push({ cells, origin });
  }
  finish(): HtmlContent {
    this.br();
    const joined = this.pieces.map((p) => p.raw).join(SEP);
    const norm = normaliseText(joined, looksTraditional(joined)).split(SEP);
    const texts = this.pieces.map(({ tidy }, i) => {
      const t = norm[i];
      // Most pieces are tidy already: checked character by character, far cheaper than a replace.
      if (tidy === "line") return isTidy(t, false) ? t : t.replace(/[ \t\f\v]+/g, " ").trim();
      if (tidy === "head") return t.trim();
      if (tidy === "cell") return isTidy(t, true) ? t : t.replace(/\s+/g, " ").trim();
      return t;
    });
    const parts: string[] = [];
    let length = 0;
    const push = (s: string) => {
      parts.push(s);
      length += s.length;
    };
    const tables: TableGrid[] = [];
    for (const item of this.items) {
      if (typeof item === "number") {
        const t = texts[item];
        if (t || this.pieces[item].tidy === "head") push(t + "\n");
        continue;
      }
      const offset = length;
      const rows = item.cells.map((r) => r.map((i) => (i < 0 ? "" : texts[i])));
      for (let r = 0; r < rows.length; r++) {
        const cells = rows[r].filter((_, c) => item.origin[r][c]);
        if (cells.length) push(cells.join(" | ") + "\n");
      }
      tables.push({ rows, origin: item.origin, index: tables.length, offset });
    }
    return { text: parts.join(""), tables };
  }
}

/** What the walk does with an element, by tag name (one lookup per element); others are inline. */
type Role = "skip" | "block" | "br" | "table";
const ROLE = new Map<string, Role>([
  ...[...BLOCK, "tr", "td", "th"].map((t): [string, Role] => [t, "block"]),
  ...[...HIDDEN].map((t): [string, Role] => [t, "skip"]),
  ["br", "br"],
  ["table", "table"],
]);

function walk(node: DomNode, out: Builder, depth: number): void {
  const nodeName = node.nodeName;
  if (nodeName === "#text") {
    out.inline(node.value ?? "");
    return;
  }
  const name = tagName(node);
  if (nodeName !== "#document" && !name) return; // comments, doctype
  const role = name ? ROLE.get(name) : undefined;
  if (role === "skip") return;
  if (depth > MAX_DEPTH) {
    out.inline(textOf(node));
    return;
  }
  if (role === "br") {
    out.br();
    return;
  }
  if (role === "table" && !(node.nestedTable ?? hasNestedTable(node))) {
    const g = grid(node, out);
    if (g) out.table(g.cells, g.origin);
    return;
  }
  const block = role === "block" || role === "table";
  if (block) out.br();
  const children = node.childNodes;
  if (children) for (let i = 0; i < children.length; i++) walk(children[i], out, depth + 1);
  if (block) out.br();
}

const LINE_TAGS = new Set(["p", "div", "br", "li"]);

/** Plain text of a subtree, iteratively (no recursion limit issue), skipping invisible parts. */
function textOf(node: DomNode): string {
  let s = "";
  const stack: DomNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (textNode(n)) s += n.value ?? "";
    else {
      const name = tagName(n);
      if (!name || HIDDEN.has(name)) continue;
      if (LINE_TAGS.has(name)) s += "\n";
      const ch = n.childNodes ?? [];
      for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]);
    }
  }
  return s;
}

function hasNestedTable(table: DomNode): boolean {
  const stack = [...(table.childNodes ?? [])];
  let seen = 0;
  while (stack.length && seen++ < 100_000) {
    const n = stack.pop()!;
    if (n.nodeName === "table") return true;
    for (const c of n.childNodes ?? []) stack.push(c);
  }
  return false;
}

/** The rows of a table (not of nested ones), through thead/tbody/tfoot. */
function rowsOf(table: DomNode): DomNode[] {
  const rows: DomNode[] = [];
  for (const c of table.childNodes ?? []) {
    const n = c.nodeName;
    if (n === "tr") rows.push(c);
    else if (n === "thead" || n === "tbody" || n === "tfoot") for (const r of c.childNodes ?? []) if (r.nodeName === "tr") rows.push(r);
  }
  return rows;
}

/**
 * Text of one cell, as a piece of the page's text. Word exports put each character of a vertical
 * header in its own paragraph (`结<br>果<br>维<br>持`): pieces of one character are joined without spaces.
 */
function cellText(cell: DomNode, out: Builder): number {
  // Most cells hold one line of text and nothing else.
  const only = cell.childNodes?.length === 1 ? cell.childNodes[0] : undefined;
  // Its whitespace is collapsed once the page's text is normalised.
  if (only?.nodeName === "#text" && !only.value?.includes("\n")) return out.piece(only.value ?? "", "cell");
  const pieces = textOf(cell)
    .split("\n")
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p !== "");
  if (pieces.length > 1 && pieces.every((p) => [...p].length === 1)) return out.piece(pieces.join(""), "chars");
  return out.piece(pieces.join(" "), "cell");
}

function span(v: string | undefined, max: number): number {
  const n = Number.parseInt(v ?? "1", 10);
  if (!Number.isFinite(n) || n < 1) return 1;
  return Math.min(n, max);
}

/**
 * Expands rowspan/colspan into a rectangular grid of cell pieces; each spanned position repeats
 * its cell's piece, a position no cell covers is -1 (empty).
 */
function grid(table: DomNode, out: Builder): { cells: number[][]; origin: boolean[][] } | undefined {
  const trs = rowsOf(table);
  if (!trs.length) return undefined;
  const rows: number[][] = [];
  const origin: boolean[][] = [];
  let cells = 0;
  for (let r = 0; r < trs.length; r++) {
    rows[r] ??= [];
    origin[r] ??= [];
    let c = 0;
    for (const td of trs[r].childNodes ?? []) {
      const n = td.nodeName;
      if (n !== "td" && n !== "th") continue;
      while (rows[r][c] !== undefined) c++;
      const rs = span(attr(td, "rowspan"), MAX_SPAN_ROWS);
      const cs = span(attr(td, "colspan"), MAX_SPAN_COLS);
      const text = cellText(td, out);
      for (let dr = 0; dr < rs; dr++) {
        // A rowspan past the last row is clipped, as browsers do.
        if (r + dr >= trs.length) break;
        rows[r + dr] ??= [];
        origin[r + dr] ??= [];
        for (let dc = 0; dc < cs; dc++) {
          if (++cells > MAX_GRID_CELLS) return undefined;
          rows[r + dr][c + dc] = text;
          origin[r + dr][c + dc] = dr === 0 && dc === 0;
        }
      }
      c += cs;
    }
  }
  const width = Math.max(...rows.map((r) => r.length));
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < width; c++) {
      if (rows[r][c] === undefined) {
        rows[r][c] = -1;
        origin[r][c] = true;
      }
    }
  }
  return { cells: rows, origin };
}
