import mammoth from "mammoth";
import { DomUtils, parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { DocumentBuilder, cellText, expandSpans, type SpanCell } from "./build.js";

const BLOCK = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"]);

// Pictures (seals, logos, scanned signatures) hold no figures: mammoth's default reads each one and
// writes it into the HTML as base64, most of the time spent on a Word file that has them.
const NO_PICTURES = { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) };

/** Word (.docx) → the document seam, through mammoth's HTML (tables keep rowspan/colspan). */
export async function readDocx(bytes: Uint8Array, file: string): Promise<Document> {
  return htmlBlocksToDocument(await docxToHtml(bytes, file), file, "docx");
}

/** mammoth's HTML of a Word file, pictures left out. */
export async function docxToHtml(bytes: Uint8Array, file: string): Promise<string> {
  try {
    return (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, NO_PICTURES)).value;
  } catch (e) {
    throw new InputError("UNREADABLE", `${file}: Word 文件已损坏或无法读取 (damaged or unreadable .docx: ${e instanceof Error ? e.message : e})`);
  }
}

/** Walks simple block HTML (as mammoth writes it): paragraphs become lines, tables grids. */
function htmlBlocksToDocument(html: string, file: string, format: Document["format"]): Document {
  const root = parseDocument(html);
  const out = new DocumentBuilder(file, format);
  const walk = (nodes: readonly ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === "text") { out.line(node.data); continue; }
      if (node.type !== "tag") continue;
      if (node.name === "table") {
        const grid = expandSpans(rowsOf(node).map((tr) => tr.children.filter(isCell).map(spanCell)));
        out.table(grid.rows, grid.origin);
      } else if (BLOCK.has(node.name)) {
        // A paragraph may hold <br> line breaks; each is its own line as in the HTML path.
        for (const l of textOf(node, "\n").split("\n")) out.line(l);
      } else {
        walk(node.children);
      }
    }
  };
  const body = DomUtils.findOne((e) => e.name === "body", root.children);
  walk((body ?? root).children);
  return out.build();
}

/** The table's own rows, at any depth but not those of tables nested in its cells. */
function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (nodes: readonly ChildNode[]) => {
    for (const n of nodes) {
      if (n.type !== "tag" || n.name === "table") continue;
      if (n.name === "tr") rows.push(n);
      else visit(n.children);
    }
  };
  visit(table.children);
  return rows;
}

const isCell = (n: ChildNode): n is Element => n.type === "tag" && (n.name === "td" || n.name === "th");

/** A cell's text: its paragraphs and list items joined by spaces, or all its text when it has none. */
function spanCell(td: Element): SpanCell {
  const parts = DomUtils.findAll((e) => e.name === "p" || e.name === "li", td.children).map((p) => textOf(p, ""));
  const text = parts.length ? parts.join(" ") : textOf(td, "");
  return { text: cellText(text), rowspan: Number(td.attribs.rowspan ?? 1) || 1, colspan: Number(td.attribs.colspan ?? 1) || 1 };
}

/** All text under a node (as a browser's textContent), with `br` in place of each <br>. */
function textOf(node: Element, br: string): string {
  let s = "";
  const visit = (nodes: readonly ChildNode[]) => {
    for (const n of nodes) {
      if (n.type === "text") s += n.data;
      else if (n.type === "tag" || n.type === "script" || n.type === "style") {
        if (n.name === "br") s += br;
        else visit(n.children);
      } else if (n.type === "cdata") visit(n.children);
    }
  };
  visit(node.children);
  return s;
}
