import { isUtf8 } from "node:buffer";
import { lazy } from "./lazy.js";

/** The GBK/Big5/UTF-16 decoder, for files that are not UTF-8 (and zip member names in GBK). */
export const iconv = lazy<typeof import("iconv-lite")>("iconv-lite");
const jschardet = lazy<typeof import("jschardet")>("jschardet");

/** A decoding failure, as a value: the CLI turns it into a one-line message and exit code 2. */
export class InputError extends Error {
  constructor(
    readonly code: "EMPTY" | "BINARY" | "ENCODING" | "TOO_LARGE" | "NOT_REPORT" | "NOT_FOUND" | "UNREADABLE" | "SCANNED_PDF" | "SCANNED_OFD" | "UNSUPPORTED" | "UNWRITABLE",
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

export interface Decoded {
  text: string;
  encoding: string;
}

/** Text and HTML larger than this are refused: no real report comes near it, and parsing stays bounded. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
const MAX_BYTES = MAX_TEXT_BYTES;

/** The largest document file read (DOC, RTF, MHTML, a download): pictures make them large; their text still has MAX_TEXT_BYTES. */
export const MAX_DOCUMENT_BYTES = 128 * 1024 * 1024;

/** Refuses a document file over MAX_DOCUMENT_BYTES, naming what it is (`what` in Chinese, `en` in English). */
export function checkDocumentSize(bytes: Uint8Array, file: string, what: string, en: string): void {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new InputError("TOO_LARGE", `${file}: ${what}过大 ${(bytes.length / 1048576).toFixed(0)} MB，上限 ${MAX_DOCUMENT_BYTES / 1048576} MB (${en} too large)`);
  }
}

/** Charset named in a <meta> tag or an XML prolog, in the first 4 KiB. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_-]+)/i.exec(head) ?? /<\?xml[^>]+encoding=["']([a-z0-9_-]+)/i.exec(head);
  return m?.[1]?.toLowerCase();
}

/** Length of the bytes that are valid UTF-8: all of them, or all but a sequence cut off at the end; undefined otherwise. */
function validUtf8Prefix(bytes: Uint8Array): number | undefined {
  // The common case checked natively, without building a string that would be thrown away.
  if (isUtf8(bytes)) return bytes.length;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    if (cut > 0 && (bytes[bytes.length - cut] & 0xc0) !== 0x80 && (bytes[bytes.length - cut] & 0xc0) !== 0xc0) return undefined;
    try {
      decoder.decode(bytes.subarray(0, bytes.length - cut));
      return bytes.length - cut;
    } catch {
      // try one byte shorter: only continuation/lead bytes of one cut character may be dropped
    }
  }
  return undefined;
}

/**
 * Binary files people hold besides reports, by their first bytes: a scan saved as a picture, or
 * reports in an archive. Named in the error, with what to do, instead of "binary file".
 */
const KNOWN_BINARY: { magic: (number | null)[]; kind: "image" | "archive"; name: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], kind: "image", name: "PNG" },
  { magic: [0xff, 0xd8, 0xff], kind: "image", name: "JPEG" },
  { magic: [0x47, 0x49, 0x46, 0x38], kind: "image", name: "GIF" },
  { magic: [0x49, 0x49, 0x2a, 0x00], kind: "image", name: "TIFF" },
  { magic: [0x4d, 0x4d, 0x00, 0x2a], kind: "image", name: "TIFF" },
  { magic: [0x42, 0x4d], kind: "image", name: "BMP" },
  { magic: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50], kind: "image", name: "WebP" },
  { magic: [0x52, 0x61, 0x72, 0x21], kind: "archive", name: "RAR" },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], kind: "archive", name: "7z" },
  { magic: [0x1f, 0x8b], kind: "archive", name: "gzip" },
];

function binaryError(bytes: Uint8Array, name: string): InputError {
  const known = KNOWN_BINARY.find((k) => k.magic.every((b, i) => b === null || bytes[i] === b));
  if (known?.kind === "image") {
    return new InputError("BINARY", `${name}: 图片文件（${known.name}），没有文字，可能是扫描件或截图，需先做文字识别(OCR) (an image (${known.name}), no text: a scan or a screenshot; run OCR first)`);
  }
  if (known?.kind === "archive") {
    return new InputError("BINARY", `${name}: 压缩包（${known.name}），请先解压，再读取其中的报告 (an archive (${known.name}): unpack it, then read the reports inside)`);
  }
  return new InputError("BINARY", `${name}: 二进制文件，不是文本或网页 (binary file, not text or HTML)`);
}

/** Share of control characters (other than tab/CR/LF/FF) and NULs: high means binary. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) bad++;
  }
  return bad / Math.max(n, 1) > 0.02;
}

/**
 * Bytes to text: BOM, then a declared charset, then strict UTF-8, then GB18030 (a superset of
 * GBK/GB2312) when the detector agrees or nothing else fits. Never guesses silently: text that is
 * neither valid UTF-8 nor decodable as GB18030 without replacement characters is refused.
 */
export function decodeBytes(bytes: Uint8Array, name = "input"): Decoded {
  if (bytes.length === 0) throw new InputError("EMPTY", `${name}: 文件为空 (empty file)`);
  if (bytes.length > MAX_BYTES) throw new InputError("TOO_LARGE", `${name}: 文件过大 ${(bytes.length / 1048576).toFixed(0)} MB，上限 ${MAX_BYTES / 1048576} MB (file too large)`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: Buffer.from(bytes.subarray(3)).toString("utf8"), encoding: "utf-8" };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const enc = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    return { text: iconv().decode(Buffer.from(bytes.subarray(2)), enc), encoding: enc };
  }
  if (looksBinary(bytes)) throw binaryError(bytes, name);
  // Valid UTF-8 with non-ASCII bytes is almost never GBK text, whatever a stale <meta> says
  // (pages re-saved as UTF-8 keep their gb2312 declaration). A file cut mid-character keeps its text.
  const utf8 = validUtf8Prefix(bytes);
  if (utf8 !== undefined) return { text: Buffer.from(bytes.subarray(0, utf8)).toString("utf8"), encoding: "utf-8" };
  const declared = declaredCharset(bytes);
  const candidates = [declared, detect(bytes), "gb18030", "big5"].filter((e): e is string => !!e && iconv().encodingExists(e) && !/utf-?8|ascii/.test(e));
  for (const enc of candidates) {
    const norm = /^(gb2312|gbk|x-gbk|gb_2312-80|euc-cn|hz-gb-2312|windows-936|cp936)$/.test(enc) ? "gb18030" : enc;
    const text = iconv().decode(Buffer.from(bytes), norm);
    const bad = text.indexOf("\ufffd");
    if (bad === -1) return { text, encoding: norm };
    // Only a character cut off at the very end: keep the rest.
    if (bad >= text.length - 2 && !text.slice(0, bad).includes("\ufffd")) return { text: text.slice(0, bad), encoding: norm };
  }
  throw new InputError("ENCODING", `${name}: 无法识别的文字编码，既不是 UTF-8 也不是 GB18030/GBK (unknown text encoding)`);
}


function detect(bytes: Uint8Array): string | undefined {
  const r = jschardet().detect(Buffer.from(bytes.subarray(0, 65536)));
  return r.encoding ? r.encoding.toLowerCase() : undefined;
}
