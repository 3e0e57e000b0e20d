import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { checkArchive } from "./archive.js";

/** Input formats read here, told apart by their bytes (the file name only words the errors). */
export type BinaryFormat = "doc" | "docx" | "rtf" | "pdf" | "ofd" | "xlsx" | "mhtml";

const has = (buf: Buffer, s: string) => buf.indexOf(s, 0, "latin1") >= 0;

/** Which of the binary formats the bytes are, null for anything else (HTML, text, ...). */
export function sniffFormat(bytes: Uint8Array, filename = "input"): BinaryFormat | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 1024).indexOf("%PDF-", 0, "latin1") >= 0) return "pdf";
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) {
    if (has(buf, "word/document.xml")) return "docx";
    if (has(buf, "xl/workbook.xml")) return "xlsx";
    // OFD (GB/T 33190): the package's entry point is OFD.xml at its root.
    if (has(buf, "OFD.xml") || has(buf, "ofd.xml")) return "ofd";
    throw new InputError("UNSUPPORTED", `${filename}: 不支持的压缩包或文档格式，请提供 .docx、.xlsx、.pdf、.ofd、网页或文本；报告的压缩包请先解压 (unsupported archive/document format; unpack an archive of reports first)`);
  }
  if (isMhtml(buf)) return "mhtml";
  if (isRtf(buf)) return "rtf";
  // A compound file (Office 97–2003, WPS): the Word reader tells a .doc from a .xls inside.
  if (buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) return "doc";
  return null;
}

/** RTF begins with `{\rtf` (after a byte-order mark or blank space, as some exporters write it). */
function isRtf(buf: Buffer): boolean {
  return /^(\xEF\xBB\xBF)?\s*\{\\rtf/.test(buf.subarray(0, 16).toString("latin1"));
}

/** A MIME header line (`From:`, `MIME-Version:`, `Snapshot-Content-Location:` …) first, a multipart/related body declared near it: a web page saved as one file. HTML and text never begin with a header line. */
function isMhtml(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096).toString("latin1");
  return /^[ \t\r\n]*[A-Za-z][\w-]*:/.test(head) && /^content-type:[ \t]*multipart\/related/im.test(head);
}

/**
 * Reads a DOC, DOCX, RTF, PDF, OFD, XLSX or MHTML file into the document seam; null when the bytes are none of these
 * (the caller then decodes them as HTML or text). Readers load lazily: a text-only batch never
 * pays for pdfjs or exceljs.
 */
export async function readFormat(bytes: Uint8Array, filename: string): Promise<Document | null> {
  const format = sniffFormat(bytes, filename);
  if (format === "docx") {
    checkArchive(bytes, filename, "Word");
    return (await import("./docx.js")).readDocx(bytes, filename);
  }
  if (format === "doc") return (await import("./doc.js")).readDoc(bytes, filename);
  if (format === "rtf") return (await import("./rtf.js")).readRtf(bytes, filename);
  if (format === "pdf") return (await import("./pdf.js")).readPdf(bytes, filename);
  if (format === "ofd") {
    checkArchive(bytes, filename, "OFD");
    return (await import("./ofd.js")).readOfd(bytes, filename);
  }
  if (format === "mhtml") return (await import("./mhtml.js")).readMhtml(bytes, filename);
  if (format === "xlsx") {
    checkArchive(bytes, filename, "Excel");
    return (await import("./xlsx.js")).readXlsx(bytes, filename);
  }
  return null;
}

/** File name endings the folder walk picks up. */
export const INPUT_EXTENSIONS = [".html", ".htm", ".shtml", ".mht", ".mhtml", ".txt", ".doc", ".wps", ".docx", ".rtf", ".pdf", ".ofd", ".xls", ".et", ".xlsx"] as const;
