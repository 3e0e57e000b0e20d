import { DomUtils, parseDocument } from "htmlparser2";
import type { Element } from "domhandler";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { fflate } from "./archive.js";
import { apply, fixedPagesToDocument, mul, rulesOf, type FixedPage, type Item, type Matrix, type Polygon, type Rule } from "./layout.js";

/**
 * OFD (GB/T 33190-2016, 版式文档), the national fixed-layout format many government systems export
 * besides PDF → the document seam. An OFD is a zip of XML: OFD.xml names the document, whose
 * Document.xml lists the pages and their templates; each page's Content.xml holds TextObjects
 * (characters with positions) and PathObjects (lines). They become the text runs and ruling lines
 * of the layout engine PDF uses, so tables, wrapped paragraphs and page numbers are read the same.
 */
export function readOfd(bytes: Uint8Array, file: string): Document {
  let pages: FixedPage[];
  try {
    pages = new OfdPackage(bytes, file).pages();
  } catch (e) {
    // Elements nested thousands deep (no producer writes them) exhaust the stack reading their text.
    if (e instanceof RangeError) throw damaged(file, "XML 嵌套过深 (XML nested too deep)");
    throw e;
  }
  const doc = fixedPagesToDocument(pages, file, "ofd");
  if (!doc) throw new InputError("SCANNED_OFD", `${file}: OFD 没有文字层，可能是扫描件，需先做文字识别(OCR) (OFD has no text layer, probably a scan; run OCR first)`);
  return doc;
}

const damaged = (file: string, why: string) => new InputError("UNREADABLE", `${file}: OFD 文件已损坏或无法读取 (damaged or unreadable OFD: ${why})`);

/** OFD lengths are millimetres; the layout engine works in points. */
const PT_PER_MM = 72 / 25.4;
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** Glyphs the fonts of reports set a full em wide (CJK, fullwidth forms and punctuation). */
const FULL_WIDTH = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

type Box = [number, number, number, number];
const MAX_NESTING = 64;

const localName = (el: Element) => el.name.slice(el.name.indexOf(":") + 1);
const kids = (el: Element): Element[] => el.children.filter((c): c is Element => c.type === "tag");
const child = (el: Element, name: string) => kids(el).find((c) => localName(c) === name);
const textOf = (el: Element | undefined): string => (el ? DomUtils.textContent(el) : "");

const numbers = (s: string | undefined): number[] => (s ?? "").trim().split(/[\s,]+/).filter(Boolean).map(Number);

function box(s: string | undefined): Box | undefined {
  const n = numbers(s);
  return n.length === 4 && n.every(Number.isFinite) ? [n[0], n[1], n[2], n[3]] : undefined;
}

function matrix(s: string | undefined): Matrix {
  const n = numbers(s);
  return n.length === 6 && n.every(Number.isFinite) ? [n[0], n[1], n[2], n[3], n[4], n[5]] : IDENTITY;
}

/**
 * A DeltaX/DeltaY list with its `g n v` runs (v repeated n times) written out, up to the `max`
 * the text has use for: `g 1000000000 1` is a few bytes.
 */
function deltas(s: string | undefined, max: number): number[] {
  const t = (s ?? "").trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < t.length && out.length < max; i++) {
    if (t[i] === "g") {
      const n = Math.min(Number(t[i + 1]) || 0, max - out.length);
      const v = Number(t[i + 2]);
      for (let k = 0; k < n; k++) out.push(v);
      i += 2;
    } else out.push(Number(t[i]));
  }
  return out.map((v) => (Number.isFinite(v) ? v : 0));
}

/** The parts of the package by path, and the walk from OFD.xml to each page's objects. */
class OfdPackage {
  private readonly parts: Record<string, Uint8Array>;
  private readonly folded = new Map<string, string>();

  constructor(bytes: Uint8Array, private readonly file: string) {
    try {
      // Only the XML parts: fonts, pictures and signatures are not needed to read the text.
      this.parts = fflate().unzipSync(bytes, { filter: (f) => /\.xml$/i.test(f.name) });
    } catch (e) {
      throw damaged(this.file, `${e instanceof Error ? e.message : e}`);
    }
    for (const name of Object.keys(this.parts)) this.folded.set(name.toLowerCase(), name);
  }

  /**
   * A part named from `base`'s folder, or from the package root when it begins with "/". Some
   * producers write root paths without the slash, and Windows ones change case: both are tried.
   */
  private resolve(base: string, loc: string): string | undefined {
    const dir = base.includes("/") ? base.slice(0, base.lastIndexOf("/") + 1) : "";
    const tries = loc.startsWith("/") ? [loc] : [dir + loc, loc];
    for (const t of tries) {
      const parts: string[] = [];
      for (const seg of t.split(/[/\\]+/)) {
        if (seg === "..") parts.pop();
        else if (seg && seg !== ".") parts.push(seg);
      }
      const path = parts.join("/");
      const found = this.parts[path] ? path : this.folded.get(path.toLowerCase());
      if (found) return found;
    }
    return undefined;
  }

  private xml(path: string): Element {
    const text = new TextDecoder("utf-8").decode(this.parts[path]);
    const root = kids(parseDocument(text, { xmlMode: true }) as unknown as Element)[0];
    if (!root) throw damaged(this.file, `${path} 不是 XML，可能已加密 (not XML, perhaps encrypted)`);
    return root;
  }

  private part(base: string, loc: string | undefined, zh: string, en: string): [string, Element] {
    const path = loc ? this.resolve(base, loc.trim()) : undefined;
    if (!path) throw damaged(this.file, `缺少${zh} ${loc ?? ""} (no ${en} ${loc ?? ""})`);
    return [path, this.xml(path)];
  }

  pages(): FixedPage[] {
    const [ofdPath, ofd] = this.part("", "OFD.xml", "入口文件", "entry file");
    const body = child(ofd, "DocBody");
    const [docPath, document] = this.part(ofdPath, body && textOf(child(body, "DocRoot")), "文档根 DocRoot", "document root");
    const common = child(document, "CommonData");
    const pageArea = common && child(common, "PageArea");
    const defaultBox = box(textOf(pageArea && child(pageArea, "PhysicalBox"))) ?? [0, 0, 210, 297];
    const templates = new Map<string, string>();
    for (const t of common ? kids(common).filter((k) => localName(k) === "TemplatePage") : []) {
      if (t.attribs.ID && t.attribs.BaseLoc) templates.set(t.attribs.ID, t.attribs.BaseLoc);
    }
    const list = child(document, "Pages");
    const pages: FixedPage[] = [];
    for (const ref of list ? kids(list).filter((k) => localName(k) === "Page") : []) {
      const [, page] = this.part(docPath, ref.attribs.BaseLoc, "页面", "page");
      const area = child(page, "Area");
      const [, , width, height] = box(textOf(area && child(area, "PhysicalBox"))) ?? defaultBox;
      const sink = new PageSink(height, this.file);
      // A template's content (letterhead, page numbers) lies under or over the page's own.
      const contents: Element[] = [];
      for (const t of kids(page).filter((k) => localName(k) === "Template")) {
        const loc = templates.get(t.attribs.TemplateID ?? "");
        if (!loc) continue;
        const [, tpl] = this.part(docPath, loc, "模板页", "template page");
        const c = child(tpl, "Content");
        if (c) contents.push(c);
      }
      const own = child(page, "Content");
      if (own) contents.push(own);
      for (const c of contents) sink.objects(c);
      pages.push({ width: width * PT_PER_MM, height: height * PT_PER_MM, items: sink.items, rules: sink.rules });
    }
    if (!pages.length) throw damaged(this.file, "文档没有页面 (the document has no pages)");
    return pages;
  }
}

/** One page's text runs and rules, converted to the layout engine's space (points, y upward). */
class PageSink {
  readonly items: Item[] = [];
  readonly rules: Rule[] = [];

  constructor(private readonly pageHeight: number, private readonly file: string) {}

  private point(m: Matrix, x: number, y: number): [number, number] {
    const [px, py] = apply(m, x, y);
    return [px * PT_PER_MM, (this.pageHeight - py) * PT_PER_MM];
  }

  /** Layers and page blocks nest (a few levels in real files); text and path objects are the leaves read here. */
  objects(el: Element, depth = 0): void {
    if (depth > MAX_NESTING) throw damaged(this.file, `页面块嵌套超过 ${MAX_NESTING} 层 (page blocks nested deeper than ${MAX_NESTING})`);
    for (const k of kids(el)) {
      if (k.attribs.Visible === "false") continue;
      const name = localName(k);
      if (name === "TextObject") this.text(k);
      else if (name === "PathObject") this.path(k);
      else if (name === "Layer" || name === "PageBlock") this.objects(k, depth + 1);
    }
  }

  /** An object's space: its Boundary's corner is the origin, its CTM maps into that. */
  private space(el: Element): Matrix {
    const b = box(el.attribs.Boundary) ?? [0, 0, 0, 0];
    return mul([1, 0, 0, 1, b[0], b[1]], matrix(el.attribs.CTM));
  }

  private text(el: Element): void {
    const m = this.space(el);
    const size = Number(el.attribs.Size) || 3.5;
    // The glyph size on the page: the CTM scales it with everything else (positions and advances
    // go through the CTM point by point).
    const sizePt = size * (Math.hypot(m[2], m[3]) || 1) * PT_PER_MM;
    // Without the font's metrics a glyph's width is estimated: a full em for CJK, 0.6 em for the
    // rest (digits are 0.5 em in proportional fonts, 0.6 in monospaced ones; too wide only hides
    // a space narrower than 0.1 em, too narrow would invent spaces between every digit).
    const advance = (ch: string) => (FULL_WIDTH.test(ch) ? size : size * 0.6);
    // Every glyph of the object where it is drawn: TextCodes each start at their X and Y (or where
    // the previous one ended) and step by their DeltaX/DeltaY, or by the glyph's own width.
    const glyphs: { ch: string; x: number; y: number }[] = [];
    let x = 0;
    let y = 0;
    for (const code of kids(el).filter((k) => localName(k) === "TextCode")) {
      if (code.attribs.X !== undefined) x = Number(code.attribs.X) || 0;
      if (code.attribs.Y !== undefined) y = Number(code.attribs.Y) || 0;
      const chars = [...textOf(code)];
      const dx = deltas(code.attribs.DeltaX, chars.length);
      const dy = deltas(code.attribs.DeltaY, chars.length);
      chars.forEach((ch, i) => {
        glyphs.push({ ch, x, y });
        if (i < chars.length - 1) { x += dx[i] ?? advance(ch); y += dy[i] ?? 0; }
        else x += advance(ch);
      });
    }
    // Runs of glyphs side by side. A jump wider than the glyph by 0.4 em (a space left out of
    // the text, the next cell of a table row set as one line) ends a run, so the layout engine
    // sees the gap; the spacing of justified text does not.
    let from = 0;
    glyphs.forEach((g, i) => {
      const next = glyphs[i + 1];
      const step = next ? next.x - g.x : NaN;
      if (next && next.y === g.y && step >= 0 && step <= advance(g.ch) + 0.4 * size) return;
      let first = from;
      while (first <= i && !glyphs[first].ch.trim()) first++;
      if (first <= i) {
        const [x0, y0] = this.point(m, glyphs[first].x, g.y);
        const [x1] = this.point(m, g.x + advance(g.ch), g.y);
        this.items.push({ s: glyphs.slice(first, i + 1).map((c) => c.ch).join(""), x: x0, y: y0, w: x1 - x0, size: sizePt });
      }
      from = i + 1;
    });
  }

  private path(el: Element): void {
    const m = this.space(el);
    const polygons: Polygon[] = [];
    let cur: Polygon = [];
    const t = textOf(child(el, "AbbreviatedData")).trim().split(/[\s,]+/).filter(Boolean);
    const arity: Record<string, number> = { S: 2, M: 2, L: 2, Q: 4, B: 6, A: 7, C: 0 };
    for (let i = 0; i < t.length;) {
      const op = t[i++];
      const n = arity[op];
      if (n === undefined) continue;
      const args = t.slice(i, i + n).map(Number);
      i += n;
      if (args.length < n || args.some((v) => !Number.isFinite(v))) break;
      if (op === "C") { if (cur.length) cur.push(cur[0]); continue; }
      const pt = this.point(m, args[n - 2], args[n - 1]);
      if (op === "S" || op === "M") { if (cur.length) polygons.push(cur); cur = [pt]; }
      else cur.push(pt);
    }
    if (cur.length) polygons.push(cur);
    // Stroke is on and fill off unless the object says otherwise; a cell may be both.
    if (el.attribs.Fill === "true") rulesOf(polygons, true, this.rules);
    if (el.attribs.Stroke !== "false") rulesOf(polygons, false, this.rules);
  }
}
