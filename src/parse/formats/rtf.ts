import iconv from "iconv-lite";
import type { Document } from "../document.js";
import { checkDocumentSize, InputError, MAX_TEXT_BYTES } from "../decode.js";
import { DocumentBuilder, type EdgeRow } from "./build.js";

/**
 * Rich Text Format → the document seam, tables kept as grids. Word, WPS and AbiWord save RTF, and
 * many ".doc" downloads are RTF inside. The syntax is small (groups, control words, text); the
 * text is bytes in the code page of its font (\fcharset134: GBK) or \uN escapes; a table is
 * paragraphs marked \intbl, cells ended by \cell, rows by \row, each row's cell edges given by
 * its \cellx words and its merged cells by \clvmrg/\clmrg.
 */

/** Groups whose content is not the document's text. Fields show their result (\fldrslt), not their code. */
const SKIPPED = new Set([
  "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr",
  "footerf", "footnote", "annotation", "object", "fldinst", "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator",
  "themedata", "colorschememapping", "latentstyles", "datastore", "xmlnstbl", "pgdsctbl", "shpinst", "nonshppict", "mmathPr", "filetbl",
]);

/** \fcharset → code page (Windows' charset numbers). */
const CHARSET_CODEPAGE: Record<number, number> = {
  0: 1252, 128: 932, 129: 949, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
};

/** Control words that stand for a character. */
const SYMBOLS: Record<string, string> = {
  tab: " ", emdash: "—", endash: "–", bullet: "•", lquote: "‘", rquote: "’", ldblquote: "“", rdblquote: "”",
  "~": " ", _: "-", emspace: " ", enspace: " ", qmspace: " ", line: "\n",
};

interface State {
  skip: boolean;
  /** Characters of fallback after a \uN escape. */
  uc: number;
  codepage: number;
  /** Inside the font table: the font being defined. */
  fontTable: boolean;
}

type Token =
  | { type: "{" }
  | { type: "}" }
  | { type: "text"; data: Buffer }
  | { type: "word"; word: string; param?: number; byte?: number };

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const HEX = /^[0-9a-fA-F]{2}$/;

/** The RTF syntax ([RTF 1.9.1] "Conventions of an RTF reader"): groups, control words and symbols, text. */
function* tokens(buf: Buffer): Generator<Token> {
  let i = 0;
  while (i < buf.length) {
    const c = buf[i];
    if (c === 0x7b || c === 0x7d) { yield { type: c === 0x7b ? "{" : "}" }; i++; continue; }
    if (c !== 0x5c) {
      const start = i;
      while (i < buf.length && buf[i] !== 0x5c && buf[i] !== 0x7b && buf[i] !== 0x7d) i++;
      yield { type: "text", data: buf.subarray(start, i) };
      continue;
    }
    const next = buf[i + 1];
    if (next === undefined) break;
    if (isLetter(next)) {
      let j = i + 1;
      while (j < buf.length && j - i <= 32 && isLetter(buf[j])) j++;
      const word = buf.toString("latin1", i + 1, j);
      let k = j;
      if (buf[k] === 0x2d) k++;
      while (k < buf.length && k - j <= 10 && isDigit(buf[k])) k++;
      const param = k > j && isDigit(buf[k - 1]) ? Number(buf.toString("latin1", j, k)) : undefined;
      i = param === undefined ? j : k;
      if (buf[i] === 0x20) i++;
      if (word === "bin" && param !== undefined && param > 0) { i += param; continue; }
      yield { type: "word", word, param };
      continue;
    }
    if (next === 0x27) {
      const hex = buf.toString("latin1", i + 2, i + 4);
      i += HEX.test(hex) ? 4 : 2;
      if (HEX.test(hex)) yield { type: "word", word: "'", byte: parseInt(hex, 16) };
      continue;
    }
    i += 2;
    if (next === 0x5c || next === 0x7b || next === 0x7d) yield { type: "text", data: buf.subarray(i - 1, i) };
    else if (next === 0x0a || next === 0x0d) yield { type: "word", word: "par" };
    else yield { type: "word", word: String.fromCharCode(next) };
  }
}

export function readRtf(bytes: Uint8Array, file: string): Document {
  checkDocumentSize(bytes, file, "RTF 文件", "RTF file");
  const out = new DocumentBuilder(file, "rtf");
  const fonts = new Map<number, number>();
  let ansi = 1252;
  let state: State = { skip: false, uc: 1, codepage: ansi, fontTable: false };
  const stack: State[] = [];
  let groupStart = false;
  let font: number | undefined;

  let text = "";
  let pending: number[] = [];
  let fallback = 0;
  const flush = () => {
    if (!pending.length) return;
    const cp = iconv.encodingExists(`cp${state.codepage}`) ? `cp${state.codepage}` : "cp1252";
    text += iconv.decode(Buffer.from(pending), cp);
    pending = [];
  };
  // Paragraph and table state.
  let inTable = false;
  let cellParts: string[] = [];
  let cells: string[] = [];
  let rows: EdgeRow[] = [];
  // The row definition (\trowd … \cellx): its left edge, each cell's right edge and merge flags;
  // a cell's flags come before its \cellx.
  const newRow = () => ({ left: 0, bounds: [] as number[], mergedLeft: [] as boolean[], mergedUp: [] as boolean[], nextUp: false, nextLeft: false });
  let row = newRow();
  const flushTable = () => {
    if (rows.length) out.edgeTable(rows);
    rows = [];
    cells = [];
    cellParts = [];
  };
  const paragraph = () => {
    flush();
    if (inTable) cellParts.push(text);
    else {
      flushTable();
      for (const l of text.split("\n")) out.line(l);
    }
    text = "";
  };

  for (const token of tokens(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    if (token.type === "{") {
      flush();
      stack.push(state);
      state = { ...state };
      groupStart = true;
      continue;
    }
    if (token.type === "}") {
      flush();
      state = stack.pop() ?? state;
      groupStart = false;
      continue;
    }
    const first = groupStart;
    groupStart = false;
    if (token.type === "text") {
      if (state.skip) continue;
      let data = token.data;
      if (fallback) {
        const n = Math.min(fallback, data.length);
        fallback -= n;
        data = data.subarray(n);
      }
      if (state.fontTable) continue;
      for (const b of data) if (b !== 0x0d && b !== 0x0a) pending.push(b);
      continue;
    }
    const { word, param } = token;
    if (word === "*" && first) { state.skip = true; continue; }
    if (SKIPPED.has(word)) { state.skip = true; continue; }
    if (word === "fonttbl") { state.fontTable = true; continue; }
    if (state.fontTable) {
      if (word === "f" && param !== undefined) font = param;
      else if (word === "fcharset" && param !== undefined && font !== undefined) fonts.set(font, CHARSET_CODEPAGE[param] ?? ansi);
      continue;
    }
    if (word === "ansicpg" && param) { ansi = param; state.codepage = param; continue; }
    if (word === "'") {
      if (state.skip) continue;
      if (fallback) { fallback--; continue; }
      pending.push(token.byte!);
      continue;
    }
    if (word === "uc" && param !== undefined) { state.uc = param; continue; }
    if (word === "u" && param !== undefined) {
      if (state.skip) continue;
      flush();
      text += String.fromCharCode(param < 0 ? param + 65536 : param);
      fallback = state.uc;
      continue;
    }
    fallback = 0;
    if (word === "f" && param !== undefined) { flush(); state.codepage = fonts.get(param) ?? ansi; continue; }
    if (state.skip) continue;
    if (Object.hasOwn(SYMBOLS, word)) { flush(); text += SYMBOLS[word]; continue; }
    switch (word) {
      case "par": case "sect": case "page": paragraph(); break;
      case "pard": flush(); inTable = false; break;
      case "intbl": inTable = true; break;
      case "trowd": row = newRow(); break;
      case "trleft": row.left = param ?? 0; break;
      case "clvmrg": row.nextUp = true; break;
      case "clmrg": row.nextLeft = true; break;
      case "cellx":
        row.bounds.push(param ?? 0);
        row.mergedUp.push(row.nextUp);
        row.mergedLeft.push(row.nextLeft);
        row.nextUp = false;
        row.nextLeft = false;
        break;
      case "nestcell": paragraph(); break;
      case "cell":
        flush();
        cellParts.push(text);
        text = "";
        cells.push(cellParts.join(" "));
        cellParts = [];
        break;
      case "row":
        flush();
        rows.push({ cells, bounds: row.bounds.length ? [row.left, ...row.bounds] : undefined, mergedLeft: row.mergedLeft, mergedUp: row.mergedUp });
        cells = [];
        cellParts = [];
        inTable = false;
        break;
    }
  }
  flush();
  if (cells.length) rows.push({ cells });
  const rest = [...cellParts, text].join("\n");
  flushTable();
  for (const l of rest.split("\n")) out.line(l);
  const doc = out.build();
  // Pictures make an RTF large; its text, what the parser works on, has the limit every input has.
  if (Buffer.byteLength(doc.text, "utf8") > MAX_TEXT_BYTES) {
    throw new InputError("TOO_LARGE", `${file}: RTF 文件正文过大，上限 ${MAX_TEXT_BYTES / 1048576} MB (the RTF's text is too large)`);
  }
  return doc;
}
