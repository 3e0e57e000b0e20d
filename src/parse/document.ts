import { htmlToContent } from "./html.js";
import { normaliseText } from "./normalise.js";
/**
 * The normalised document every reader works on, whatever the input format was
 * (HTML, text; later DOCX via HTML, PDF and XLSX via rebuilt lines and grids).
 */

/** A table as a true grid: rowspan/colspan expanded, each spanned position repeating its cell's text. */
export interface TableGrid {
  /** Normalised cell texts (normaliseText applied, whitespace collapsed, trimmed). */
  rows: string[][];
  /** For each grid position, true where the cell is the origin of its span (not a repeat). */
  origin: boolean[][];
  /** Index of the table in the document, for provenance (`table 3, row 5, col 2`). */
  index: number;
  /** Character offset in `Document.text` where the table's first row line starts. */
  offset: number;
}

export interface Document {
  /** File name as given by the caller (for messages and provenance). */
  file: string;
  /** How the input was read. */
  format: "html" | "text" | "doc" | "docx" | "rtf" | "pdf" | "ofd" | "xls" | "xlsx";
  /**
   * The whole visible text, normalised (simplified, ASCII widths, \n line ends). For HTML, each
   * table row is one line with its cells joined by " | ", so text readers see tables as text too.
   */
  text: string;
  /** Real tables (HTML, DOCX, XLSX; PDF where columns could be rebuilt). Empty for plain text. */
  tables: TableGrid[];
}

/** True when the text is a web page (or an HTML fragment with real markup), not plain text. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 65536);
  if (/^\s*<(?:!doctype\s+html|html|\?xml[^>]*>\s*<html)/i.test(head)) return true;
  const tags = head.match(/<\/?(?:html|body|div|p|table|tr|td|span|br|meta|head|title|section|article|font|strong)\b[^>]*>/gi);
  return (tags?.length ?? 0) >= 5;
}

/** Word's conditional comments left as literal text in plain-text copies (`<!--[if !supportLists]-->`). */
const WORD_ARTIFACTS = /<!--\[(?:if [^\]]*|endif)\]-->|<!\[(?:if [^\]]*|endif)\]>|<\/?o:p>/gi;

/** Decoded text (HTML or plain) to the Document every reader works on. */
export function toDocument(decoded: string, file: string): Document {
  if (looksLikeHtml(decoded)) {
    const { text, tables } = htmlToContent(decoded, file);
    return { file, format: "html", text, tables };
  }
  const text = normaliseText(decoded.replace(WORD_ARTIFACTS, "")).replace(/[ \t\f\v]+\n/g, "\n");
  return { file, format: "text", text, tables: [] };
}
