import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { iconv, InputError, MAX_DOCUMENT_BYTES } from "../parse/decode.js";
import { INPUT_EXTENSIONS } from "../parse/formats/index.js";
import { fflate, inflateUpTo } from "../parse/formats/archive.js";
import { companionOf, pageStem } from "./saved-page.js";

/**
 * Reports handed over as a .zip bundle (an evaluator's download, an office's 附件.zip). Each
 * report inside is an input of its own, named `bundle.zip!/folder/报告.docx` (the separator jar
 * files use: it cannot be mistaken for a folder). Members are read from the zip where they are
 * needed, on the worker threads, one at a time: nothing is unpacked to disk, and a member is
 * inflated only up to the document size limit, whatever its header claims.
 */
export const MEMBER = "!/";

const EXTENSIONS: ReadonlySet<string> = new Set(INPUT_EXTENSIONS);
const DOCUMENT_ENTRY = /^(\[Content_Types\]\.xml|word\/document\.xml|xl\/workbook\.xml|OFD\.xml)$/i;

/** `bundle.zip!/a/b.html` → the archive and the member; undefined for any other path. */
export function splitMember(path: string): { archive: string; member: string } | undefined {
  const at = path.toLowerCase().indexOf(`.zip${MEMBER}`);
  if (at < 0) return undefined;
  return { archive: path.slice(0, at + 4), member: path.slice(at + 4 + MEMBER.length) };
}

export const isZipName = (path: string) => /\.zip$/i.test(path);

/**
 * A member's name as its writer meant it. Zip names carry a flag when they are UTF-8; Chinese
 * Windows tools write GBK without one, and fflate then hands the bytes over as Latin-1.
 */
function memberName(raw: string): string {
  if (/^[\x00-\x7f]*$/.test(raw)) return raw;
  const bytes = Buffer.from(raw, "latin1");
  // A name fflate already decoded as UTF-8 has characters beyond Latin-1: it is what it says.
  if ([...raw].some((c) => c.charCodeAt(0) > 0xff)) return raw;
  return isUtf8(bytes) ? bytes.toString("utf8") : iconv().decode(bytes, "gb18030");
}

/**
 * The report-like members of a zip, sorted, as input paths; undefined when the zip is itself a
 * document (a .docx, .xlsx or .ofd under another name), holds no report-like file, or cannot be
 * read (it is then parsed as the one input it is, and its error says what is wrong).
 */
export function bundleInputs(archive: string): string[] | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(archive);
  } catch {
    return undefined;
  }
  const names: string[] = [];
  try {
    fflate().unzipSync(bytes, { filter: (f) => { names.push(memberName(f.name)); return false; } });
  } catch {
    return undefined;
  }
  // The zip's own entries tell a document (Word, Excel, OFD) from a bundle; its bytes cannot, as
  // a bundle stored without compression holds its Word files' entry names too.
  if (names.some((n) => DOCUMENT_ENTRY.test(n))) return undefined;
  const pages = new Set(names.map(pageStem));
  const keep = names.filter((n) => {
    if (n.endsWith("/")) return false;
    const parts = n.split("/");
    const ext = /\.[^./]*$/.exec(n)?.[0].toLowerCase() ?? "";
    if (!EXTENSIONS.has(ext)) return false;
    // Hidden files, macOS's resource forks, and the companion folders of pages saved "complete".
    return !parts.some((p, i) => {
      if (p.startsWith(".") || p === "__MACOSX") return true;
      const page = i < parts.length - 1 ? companionOf(p) : undefined;
      return page !== undefined && pages.has([...parts.slice(0, i).map((q) => q.toLowerCase()), page].join("/"));
    });
  });
  // A zip with no reports in it (or whose directory is damaged) is one input: its error says why.
  if (!keep.length) return undefined;
  return [...new Set(keep)].sort().map((n) => `${archive}${MEMBER}${n}`);
}

/** Inputs with each .zip bundle among them replaced by its reports (as the folder walk does). */
export function expandBundles(paths: string[]): string[] {
  return paths.flatMap((p) => (isZipName(p) ? bundleInputs(p) ?? [p] : [p]));
}

/** The zip last read on this thread: its members are asked for one after another. */
let cached: { archive: string; mtimeMs: number; bytes: Uint8Array } | undefined;

/** One member's bytes, inflated up to MAX_DOCUMENT_BYTES. */
export function readMember(archive: string, member: string, path = `${archive}${MEMBER}${member}`): Uint8Array {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(archive).mtimeMs;
  } catch {
    throw new InputError("NOT_FOUND", `${path}: 压缩包不存在 (no such archive: ${archive})`);
  }
  if (cached?.archive !== archive || cached.mtimeMs !== mtimeMs) cached = { archive, mtimeMs, bytes: readFileSync(archive) };
  let picked = false;
  let got: ReturnType<typeof inflateUpTo>;
  try {
    // The first entry of that name only (a zip may repeat one).
    got = inflateUpTo(cached.bytes, MAX_DOCUMENT_BYTES, (name) => !picked && memberName(name) === member && (picked = true));
  } catch (e) {
    throw new InputError("UNREADABLE", `${path}: 压缩包已损坏，无法解出此文件 (damaged archive: ${e instanceof Error ? e.message : e})`);
  }
  if (got === "too large") throw new InputError("TOO_LARGE", `${path}: 压缩包里的文件解压后超过 ${MAX_DOCUMENT_BYTES / 1048576} MB (the member unpacks to more than the limit)`);
  const [chunks] = got.values();
  if (!chunks) throw new InputError("NOT_FOUND", `${path}: 压缩包里没有此文件 (no such file in the archive)`);
  return Buffer.concat(chunks);
}
