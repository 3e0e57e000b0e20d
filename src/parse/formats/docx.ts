import mammoth from "mammoth";
import * as cheerio from "cheerio";
// cheerio's own types come from domhandler, which it depends on.
import type { AnyNode, Element } from "domhandler";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { DocumentBuilder, cellText, expandSpans, type SpanCell } from "./build.js";

const BLOCK = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"]);

/** Word (.docx) → the document seam, through mammoth's HTML (tables keep rowspan/colspan). */
export async function readDocx(bytes: Uint8Array, file: string): Promise<Document> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (e) {
    throw new InputError("UNREADABLE", `${file}: Word 文件已损坏或无法读取 (damaged or unreadable .docx: ${e instanceof Error ? e.message : e})`);
  }
  return htmlBlocksToDocument(html, file, "docx");
}

/** Walks simple block HTML (as mammoth writes it): paragraphs become lines, tables grids. */
export function htmlBlocksToDocument(html: string, file: string, format: Document["format"]): Document {
  const $ = cheerio.load(html);
  const out = new DocumentBuilder(file, format);
  const walk = (nodes: readonly AnyNode[]) => {
    for (const node of nodes) {
      if (node.type === "text") { out.line(node.data); continue; }
      if (node.type !== "tag") continue;
      const el = node as Element;
      if (el.name === "table") {
        const rows: SpanCell[][] = [];
        $(el).find("tr").filter((_, tr) => $(tr).closest("table")[0] === el).each((_, tr) => {
          const cells: SpanCell[] = [];
          $(tr).children("td,th").each((_, td) => {
            const parts: string[] = [];
            $(td).find("p,li").each((_, p) => { parts.push($(p).text()); });
            const text = parts.length ? parts.join(" ") : $(td).text();
            cells.push({ text: cellText(text), rowspan: Number($(td).attr("rowspan") ?? 1) || 1, colspan: Number($(td).attr("colspan") ?? 1) || 1 });
          });
          rows.push(cells);
        });
        const grid = expandSpans(rows);
        out.table(grid.rows, grid.origin);
      } else if (BLOCK.has(el.name)) {
        // A paragraph may hold <br> line breaks; each is its own line as in the HTML path.
        $(el).find("br").replaceWith("\n");
        for (const l of $(el).text().split("\n")) out.line(l);
      } else {
        walk(el.children);
      }
    }
  };
  walk($("body").length ? $("body")[0].children : $.root()[0].children);
  return out.build();
}
