import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { apply, fixedPagesToDocument, mul, rulesOf, type FixedPage, type Item, type Matrix, type Polygon, type Rule } from "./layout.js";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;
const pkgDir = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));

/**
 * A PDF with a text layer → the document seam. Lines are rebuilt from text positions and
 * wrapped paragraphs re-joined; tables drawn with ruling lines become true grids (spans from the
 * missing rules). A PDF whose pages carry no text (a scan) is refused with SCANNED_PDF.
 */
export async function readPdf(bytes: Uint8Array, file: string): Promise<Document> {
  const doc = fixedPagesToDocument(await pdfPages(bytes, file), file, "pdf");
  if (!doc) throw new InputError("SCANNED_PDF", `${file}: PDF 没有文字层，可能是扫描件，需先做文字识别(OCR) (PDF has no text layer, probably a scan; run OCR first)`);
  return doc;
}

/** Each page's text runs and ruling lines, as pdfjs reads them (rules only on pages with text). */
export async function pdfPages(bytes: Uint8Array, file: string): Promise<FixedPage[]> {
  const lib = await (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));
  let doc: Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
  try {
    doc = await lib.getDocument({
      // pdfjs takes ownership of (detaches) the buffer it is given, so it gets a copy.
      data: new Uint8Array(bytes),
      cMapUrl: join(pkgDir, "cmaps") + "/",
      cMapPacked: true,
      standardFontDataUrl: join(pkgDir, "standard_fonts") + "/",
      useSystemFonts: false,
      disableFontFace: true,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    if (name === "PasswordException") throw new InputError("UNREADABLE", `${file}: PDF 已加密，需要密码 (encrypted PDF, password required)`);
    throw new InputError("UNREADABLE", `${file}: PDF 文件已损坏或无法读取 (damaged or unreadable PDF: ${e instanceof Error ? e.message : e})`);
  }
  try {
    const pages: FixedPage[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const items: Item[] = [];
      // Characters set in each of the four directions: a landscape page printed on a portrait sheet
      // (as virtual printers print a wide table) has all its text turned a quarter.
      const turned = [0, 0, 0, 0];
      for (const it of content.items) {
        if (!("str" in it) || !it.str.trim()) continue;
        const [a, b, , d, e, f] = it.transform as number[];
        const size = Math.hypot(b, d) || Math.abs(a) || it.height || 10;
        items.push({ s: it.str, x: e, y: f, w: it.width, size });
        turned[(Math.round(Math.atan2(b, a) / (Math.PI / 2)) + 4) % 4] += it.str.length;
      }
      const rules = items.length ? extractRules(await page.getOperatorList(), lib.OPS) : [];
      const [x0, y0, x1, y1] = page.view;
      const quarter = turned.indexOf(Math.max(...turned));
      pages.push(quarter ? upright({ width: x1 - x0, height: y1 - y0, items, rules }, quarter) : { width: x1 - x0, height: y1 - y0, items, rules });
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/**
 * A page whose text runs a quarter (or half) turn from upright, turned back: every text position
 * and rule end goes through the inverse turn, so lines run left to right and down the page again.
 * (A run's width lies along its own direction, so it is unchanged.)
 */
function upright(page: FixedPage, quarter: number): FixedPage {
  const turn = ([x, y]: [number, number]): [number, number] => (quarter === 1 ? [y, -x] : quarter === 2 ? [-x, -y] : [-y, x]);
  const items = page.items.map((it) => {
    const [x, y] = turn([it.x, it.y]);
    return { ...it, x, y };
  });
  const rules = page.rules.map((r) => {
    const [ax, ay] = turn([r.x1, r.y1]);
    const [bx, by] = turn([r.x2, r.y2]);
    return { x1: Math.min(ax, bx), x2: Math.max(ax, bx), y1: Math.min(ay, by), y2: Math.max(ay, by) };
  });
  return quarter % 2 ? { width: page.height, height: page.width, items, rules } : { ...page, items, rules };
}

/** Ruling lines of a page: stroked axis-aligned segments and thin filled rectangles. */
function extractRules(ops: { fnArray: number[]; argsArray: unknown[] }, OPS: PdfJs["OPS"]): Rule[] {
  const rules: Rule[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const painting = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) ctm = mul(ctm, ops.argsArray[i] as Matrix);
    else if (fn === OPS.constructPath) {
      const [op, data] = ops.argsArray[i] as [number, [ArrayLike<number> | null]];
      const path = data?.[0];
      if (!painting.has(op) || !path) continue;
      const pt = (x: number, y: number) => apply(ctm, x, y);
      const points: Polygon[] = [];
      let cur: Polygon = [];
      for (let k = 0; k < path.length;) {
        const code = path[k];
        if (code === 0) { if (cur.length) points.push(cur); cur = [pt(path[k + 1], path[k + 2])]; k += 3; }
        else if (code === 1) { cur.push(pt(path[k + 1], path[k + 2])); k += 3; }
        else if (code === 2) { cur.push(pt(path[k + 5], path[k + 6])); k += 7; }
        else if (code === 3) { cur.push(pt(path[k + 3], path[k + 4])); k += 5; }
        else { if (cur.length) cur.push(cur[0]); k += 1; }
      }
      if (cur.length) points.push(cur);
      rulesOf(points, op !== OPS.stroke && op !== OPS.closeStroke, rules);
    }
  }
  return rules;
}

