import iconv from "iconv-lite";
import jschardet from "jschardet";

/** A decoding failure, as a value: the CLI turns it into a one-line message and exit code 2. */
export class InputError extends Error {
  constructor(
    readonly code: "EMPTY" | "BINARY" | "ENCODING" | "TOO_LARGE" | "NOT_REPORT" | "NOT_FOUND" | "UNREADABLE" | "SCANNED_PDF" | "UNSUPPORTED",
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

/** Charset named in a <meta> tag or an XML prolog, in the first 4 KiB. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_-]+)/i.exec(head) ?? /<\?xml[^>]+encoding=["']([a-z0-9_-]+)/i.exec(head);
  return m?.[1]?.toLowerCase();
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
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
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), enc), encoding: enc };
  }
  if (looksBinary(bytes)) throw new InputError("BINARY", `${name}: 二进制文件，不是文本或网页 (binary file, not text or HTML)`);
  const declared = declaredCharset(bytes);
  if (isValidUtf8(bytes) && (!declared || /utf-?8/.test(declared) || isAscii(bytes))) return { text: Buffer.from(bytes).toString("utf8"), encoding: "utf-8" };
  const candidates = [declared, detect(bytes), "gb18030", "big5"].filter((e): e is string => !!e && iconv.encodingExists(e));
  if (isValidUtf8(bytes)) candidates.push("utf-8");
  for (const enc of candidates) {
    const norm = /^(gb2312|gbk|x-gbk|gb_2312-80|euc-cn|hz-gb-2312)$/.test(enc) ? "gb18030" : enc;
    const text = iconv.decode(Buffer.from(bytes), norm);
    if (!text.includes("\ufffd")) return { text, encoding: norm };
  }
  throw new InputError("ENCODING", `${name}: 无法识别的文字编码，既不是 UTF-8 也不是 GB18030/GBK (unknown text encoding)`);
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b > 127) return false;
  return true;
}

function detect(bytes: Uint8Array): string | undefined {
  const r = jschardet.detect(Buffer.from(bytes.subarray(0, 65536)));
  return r.encoding ? r.encoding.toLowerCase() : undefined;
}
