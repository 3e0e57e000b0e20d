import * as CFB from "cfb";
import type { Document } from "../document.js";
import { checkDocumentSize, InputError, MAX_TEXT_BYTES } from "../decode.js";
import { DocumentBuilder, type EdgeRow } from "./build.js";

/**
 * Word 97–2003 (.doc) and WPS 文字 (.wps) files → the document seam, tables kept as grids.
 *
 * Offices still publish many reports as .doc attachments. The file is a compound file (cfb reads
 * the container); inside, the text is a list of pieces (UTF-16 or 8-bit), and a table is marked in
 * the text itself: each cell ends with U+0007, each row with one more U+0007 whose paragraph
 * carries the "row end" property. That property, the row's cell boundaries and its merged cells
 * live in the paragraph formatting (FKP pages), read here for table paragraphs only. The layout
 * is [MS-DOC]'s; text extractors (word-extractor) drop the row ends, which the tables need.
 */

/** Sprm opcodes ([MS-DOC] 2.6): the few the table structure needs. */
const SPRM = {
  inTable: 0x2416, // sprmPFInTable: the paragraph is in a table
  rowEnd: 0x2417, // sprmPFTtp: the paragraph is a row's end mark
  depth: 0x6649, // sprmPItap: table nesting depth
  defTable: 0xd608, // sprmTDefTable: the row's cell boundaries and per-cell flags (TC80)
  vertMerge: 0xd62b, // sprmTVertMerge: one cell's vertical merge
  huge: 0x6646, // sprmPHugePapx: the list is too long for its page and lives in the Data stream
} as const;

/** TC80 flags of a cell ([MS-DOC] 2.9.328). */
const TC = { merged: 0x0002, vertMerge: 0x0020, vertRestart: 0x0040 } as const;

/** A paragraph's table marks; a row end's also carry its row's cell edges and merges. */
interface Paragraph extends Omit<EdgeRow, "cells"> {
  inTable: boolean;
  rowEnd: boolean;
  depth: number;
}

const PLAIN: Paragraph = { inTable: false, rowEnd: false, depth: 0 };

class Damaged extends Error {}

/** A bounds-checked little-endian view (a damaged file reads as damaged, never out of range). */
class Bytes {
  constructor(readonly buf: Buffer) {}
  private at(off: number, n: number): number {
    if (!Number.isInteger(off) || off < 0 || off + n > this.buf.length) throw new Damaged(`offset ${off} outside the stream`);
    return off;
  }
  u8 = (off: number) => this.buf[this.at(off, 1)];
  u16 = (off: number) => this.buf.readUInt16LE(this.at(off, 2));
  i16 = (off: number) => this.buf.readInt16LE(this.at(off, 2));
  u32 = (off: number) => this.buf.readUInt32LE(this.at(off, 4));
  slice = (off: number, n: number) => this.buf.subarray(this.at(off, n), off + n);
}

export async function readDoc(bytes: Uint8Array, file: string): Promise<Document> {
  checkDocumentSize(bytes, file, "Word 文件", ".doc file");
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: "buffer" });
  } catch (e) {
    throw new InputError("UNREADABLE", `${file}: 旧版 Office 文件已损坏或无法读取 (damaged or unreadable compound file: ${e instanceof Error ? e.message : e})`);
  }
  const stream = (name: string) => {
    const entry = CFB.find(container, name);
    const c = entry?.content as Uint8Array | undefined;
    return c ? new Bytes(Buffer.from(c.buffer, c.byteOffset, c.byteLength)) : undefined;
  };
  const word = stream("WordDocument");
  if (!word) {
    // A spreadsheet (.xls, or WPS's .et: the same format) in the same kind of container.
    if (stream("Workbook") || stream("Book")) return (await import("./xls.js")).readXls(bytes, file);
    throw new InputError("UNSUPPORTED", `${file}: 不是 Word 文档或 Excel 表格的旧版 Office 文件，请提供 .doc、.docx、.xls、.xlsx、.pdf、网页或文本 (a compound file that is neither a Word document nor a spreadsheet)`);
  }
  try {
    return readWordDocument(word, stream, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof Damaged || e instanceof RangeError) {
      throw new InputError("UNREADABLE", `${file}: Word 文件已损坏或无法读取 (damaged .doc: ${e.message})`);
    }
    throw e;
  }
}

function readWordDocument(word: Bytes, stream: (name: string) => Bytes | undefined, file: string): Document {
  // The FIB ([MS-DOC] 2.5.1): FibBase, then three counted arrays; the FC/LCB pairs are the third.
  if (word.u16(0) !== 0xa5ec) throw new Damaged("no Word file header");
  const nFib = word.u16(2);
  const flags = word.u16(0x0a);
  if (flags & 0x0100) throw new InputError("UNSUPPORTED", `${file}: Word 文件有密码保护，请去除密码后再读 (the .doc is encrypted)`);
  if (nFib < 101) throw new InputError("UNSUPPORTED", `${file}: Word 6.0/95 及更早的格式不支持，请另存为 .docx (Word 95 and older are not supported)`);
  const table = stream(flags & 0x0200 ? "1Table" : "0Table");
  if (!table) throw new Damaged("no table stream");
  const csw = word.u16(0x20);
  const lwAt = 0x22 + csw * 2;
  const cslw = word.u16(lwAt);
  const ccpText = word.u32(lwAt + 2 + 3 * 4);
  const fcLcbAt = lwAt + 2 + cslw * 4 + 2;
  const pair = (i: number) => ({ fc: word.u32(fcLcbAt + i * 8), lcb: word.u32(fcLcbAt + i * 8 + 4) });

  const pieces = readPieces(table, pair(33), word);
  const paragraphs = paragraphReader(word, table, stream("Data"), pair(13), pieces);
  const text = pieceText(word, pieces, ccpText, file);
  return buildDocument(text, paragraphs, file);
}

interface Piece {
  cpStart: number;
  cpEnd: number;
  /** Byte offset of its first character in the WordDocument stream. */
  fc: number;
  /** 8-bit (Windows-1252) instead of UTF-16. */
  compressed: boolean;
  /** Paragraph properties applied to the whole piece (a fast save's edits), if any. */
  grpprl?: Buffer;
}

/** The piece table (the CLX, [MS-DOC] 2.9.38): where each run of characters is stored. */
function readPieces(table: Bytes, clx: { fc: number; lcb: number }, word: Bytes): Piece[] {
  const grpprls: Buffer[] = [];
  let at = clx.fc;
  const end = clx.fc + clx.lcb;
  while (at < end && table.u8(at) === 0x01) {
    const cb = table.i16(at + 1);
    if (cb < 0) throw new Damaged("negative property size");
    grpprls.push(table.slice(at + 3, cb));
    at += 3 + cb;
  }
  if (at >= end || table.u8(at) !== 0x02) throw new Damaged("no piece table");
  const lcb = table.u32(at + 1);
  const plc = at + 5;
  const n = (lcb - 4) / 12;
  if (!Number.isInteger(n) || n < 1) throw new Damaged("bad piece table");
  const pieces: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const cpStart = table.u32(plc + i * 4);
    const cpEnd = table.u32(plc + (i + 1) * 4);
    const pcd = plc + (n + 1) * 4 + i * 8;
    const raw = table.u32(pcd + 2);
    const prm = table.u16(pcd + 6);
    const compressed = (raw & 0x40000000) !== 0;
    const fc = compressed ? (raw & 0x3fffffff) / 2 : raw;
    if (cpEnd < cpStart || fc + (cpEnd - cpStart) * (compressed ? 1 : 2) > word.buf.length) throw new Damaged("piece outside the stream");
    pieces.push({ cpStart, cpEnd, fc, compressed, grpprl: prm & 1 ? grpprls[prm >> 1] : undefined });
  }
  return pieces;
}

/** The main document's characters (CP 0 up to ccpText). */
function pieceText(word: Bytes, pieces: Piece[], ccpText: number, file: string): string {
  const parts: string[] = [];
  let size = 0;
  for (const p of pieces) {
    if (p.cpStart >= ccpText) break;
    const count = Math.min(p.cpEnd, ccpText) - p.cpStart;
    const raw = word.slice(p.fc, count * (p.compressed ? 1 : 2));
    const s = p.compressed ? new TextDecoder("windows-1252").decode(raw) : raw.toString("utf16le");
    size += s.length * 2;
    if (size > MAX_TEXT_BYTES) throw new InputError("TOO_LARGE", `${file}: Word 文件正文过大，上限 ${MAX_TEXT_BYTES / 1048576} MB (the .doc's text is too large)`);
    parts.push(s);
  }
  return parts.join("");
}

/** Calls `each(opcode, operandOffset, operandSize)` for every sprm of a property list. */
function eachSprm(g: Bytes, start: number, end: number, each: (op: number, at: number, size: number) => void): void {
  let at = start;
  while (at + 2 <= end) {
    const op = g.u16(at);
    let size: number;
    let operand = at + 2;
    switch (op >> 13) {
      case 0: case 1: size = 1; break;
      case 2: case 4: case 5: size = 2; break;
      case 3: size = 4; break;
      case 7: size = 3; break;
      default:
        // Variable: a size byte, except the table definition's two.
        if (op === SPRM.defTable) { size = g.u16(operand) - 1; operand += 2; }
        else { size = g.u8(operand); operand += 1; }
    }
    if (operand + size > end) return;
    each(op, operand, size);
    at = operand + size;
  }
}

function paragraphOf(g: Bytes, start: number, end: number, data: Bytes | undefined, base: Paragraph = PLAIN): Paragraph {
  let p: Paragraph = { ...base };
  eachSprm(g, start, end, (op, at, size) => {
    if (op === SPRM.huge && data) {
      const off = g.u32(at);
      p = paragraphOf(data, off + 2, off + 2 + data.u16(off), undefined, p);
    } else if (op === SPRM.inTable) p.inTable = g.u8(at) !== 0;
    else if (op === SPRM.rowEnd) p.rowEnd = g.u8(at) !== 0;
    else if (op === SPRM.depth) p.depth = g.u32(at);
    else if (op === SPRM.defTable && size >= 1) {
      const cells = g.u8(at);
      if (at + 1 + (cells + 1) * 2 > at + size) return;
      p.bounds = Array.from({ length: cells + 1 }, (_, i) => g.i16(at + 1 + i * 2));
      const tcAt = at + 1 + (cells + 1) * 2;
      const tcs = Math.min(cells, Math.floor((at + size - tcAt) / 20));
      p.mergedLeft = Array.from({ length: cells }, (_, i) => i < tcs && (g.u16(tcAt + i * 20) & TC.merged) !== 0);
      p.mergedUp = Array.from({ length: cells }, (_, i) => {
        const f = i < tcs ? g.u16(tcAt + i * 20) : 0;
        return (f & TC.vertMerge) !== 0 && (f & TC.vertRestart) === 0;
      });
    } else if (op === SPRM.vertMerge && size >= 2 && p.mergedUp) {
      const cell = g.u8(at);
      if (cell < p.mergedUp.length) p.mergedUp[cell] = g.u8(at + 1) === 1;
    }
  });
  if (p.depth > 0) p.inTable = true;
  if (p.inTable && p.depth === 0) p.depth = 1;
  return p;
}

/**
 * The properties of the paragraph ending at a character position: the PAPX FKP pages
 * ([MS-DOC] 2.9.175) map byte ranges of the WordDocument stream to property lists.
 */
function paragraphReader(word: Bytes, table: Bytes, data: Bytes | undefined, bte: { fc: number; lcb: number }, pieces: Piece[]): (cp: number) => Paragraph {
  const runs: { start: number; end: number; grpprl?: [number, number] }[] = [];
  const pages = (bte.lcb - 4) / 8;
  if (!Number.isInteger(pages) || pages < 0) throw new Damaged("bad paragraph table");
  for (let i = 0; i < pages; i++) {
    const page = (table.u32(bte.fc + (pages + 1) * 4 + i * 4) & 0x3fffff) * 512;
    const crun = word.u8(page + 511);
    for (let r = 0; r < crun; r++) {
      const start = word.u32(page + r * 4);
      const end = word.u32(page + (r + 1) * 4);
      const bx = word.u8(page + (crun + 1) * 4 + r * 13) * 2;
      if (bx === 0) { runs.push({ start, end }); continue; }
      let cb = word.u8(page + bx);
      let at = page + bx + 1;
      if (cb === 0) { cb = word.u8(at) * 2; at += 1; } else cb = cb * 2 - 1;
      // The paragraph's style (2 bytes), then its sprms.
      runs.push({ start, end, grpprl: [at + 2, Math.min(at + cb, page + 511)] });
    }
  }
  runs.sort((a, b) => a.start - b.start);
  const find = (fc: number) => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (runs[mid].end <= fc) lo = mid + 1;
      else if (runs[mid].start > fc) hi = mid - 1;
      else return runs[mid];
    }
    return undefined;
  };
  let piece = 0;
  return (cp) => {
    // Paragraph ends are asked for in order: the piece index only moves forward.
    while (piece < pieces.length - 1 && pieces[piece].cpEnd <= cp) piece++;
    const p = pieces[piece];
    const fc = p.fc + (cp - p.cpStart) * (p.compressed ? 1 : 2);
    const run = find(fc);
    const base = run?.grpprl ? paragraphOf(word, run.grpprl[0], run.grpprl[1], data) : PLAIN;
    if (!p.grpprl) return base;
    const g = new Bytes(p.grpprl);
    return paragraphOf(g, 0, p.grpprl.length, data, base);
  };
}

/** Characters Word uses as marks, as the text they stand for ("" drops them). */
const MARKS: Record<string, string> = {
  "\x01": "", "\x02": "", "\x05": "", "\x08": "", "\x1f": "",
  "\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\x1e": "-", "\xa0": " ", "\t": " ",
};

function buildDocument(text: string, paragraphOf: (cp: number) => Paragraph, file: string): Document {
  const out = new DocumentBuilder(file, "doc");
  let current = "";
  let cellParts: string[] = [];
  let cells: string[] = [];
  let rows: EdgeRow[] = [];
  // Field codes: \x13 instruction \x14 result \x15; the instruction is hidden, the result shown.
  const fields: boolean[] = [];
  const flushTable = () => {
    if (rows.length) out.edgeTable(rows);
    rows = [];
    cells = [];
    cellParts = [];
  };
  for (let cp = 0; cp < text.length; cp++) {
    const ch = text[cp];
    if (ch === "\x13") { fields.push(true); continue; }
    if (ch === "\x14") { if (fields.length) fields[fields.length - 1] = false; continue; }
    if (ch === "\x15") { fields.pop(); continue; }
    if (fields.length && fields[fields.length - 1]) continue;
    if (ch === "\r" || ch === "\x07") {
      const p = paragraphOf(cp);
      if (!p.inTable) {
        flushTable();
        for (const line of current.split("\n")) out.line(line);
      } else if (ch === "\r" || p.depth > 1) {
        // A paragraph inside a cell (a nested table's cells and rows end with paragraph marks too).
        cellParts.push(current);
      } else if (p.rowEnd) {
        rows.push({ ...p, cells });
        cells = [];
        cellParts = [];
      } else {
        cellParts.push(current);
        cells.push(cellParts.join(" "));
        cellParts = [];
      }
      current = "";
      continue;
    }
    current += MARKS[ch] ?? ch;
  }
  // A file cut short inside a table: what was read of it still counts.
  if (cells.length) rows.push({ ...rows[rows.length - 1], cells });
  const rest = [...cellParts, current].join("\n");
  flushTable();
  for (const line of rest.split("\n")) out.line(line);
  return out.build();
}
