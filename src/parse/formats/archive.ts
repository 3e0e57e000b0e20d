import { InputError } from "../decode.js";
import { lazy } from "../lazy.js";

/** fflate, for the zip-based formats only (each worker and CLI start loads this module). */
export const fflate = lazy<typeof import("fflate")>("fflate");

/**
 * The most a Word or Excel file may unpack to. A report's document.xml is a few MB, its pictures
 * tens; a 1 MB zip bomb unpacks to gigabytes, and mammoth or ExcelJS would inflate it whole before
 * failing (a minute and 4 GB of memory, then the process dies).
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

const tooLarge = (file: string, what: string, mb: string) =>
  new InputError("TOO_LARGE", `${file}: ${what} 文件解压后${mb}，超过上限 ${MAX_UNPACKED_BYTES / 1048576} MB (the ${what} file unpacks to more than the limit: a zip bomb or not a report)`);

/**
 * Refuses a DOCX/XLSX whose parts unpack to more than MAX_UNPACKED_BYTES. The sizes its directory
 * declares refuse an honest bomb at once. A bomb whose directory lies is caught by inflating every
 * part here, a chunk at a time, counting what comes out and stopping at the limit: a few
 * milliseconds for a real report, where mammoth and ExcelJS, which inflate each part whole, would
 * exhaust the heap before noticing. A zip that cannot be read is left to the format's reader,
 * which says what is wrong with it.
 */
export function checkArchive(bytes: Uint8Array, file: string, what: string): void {
  const declared = declaredSize(bytes);
  if (declared === undefined) return;
  if (declared > MAX_UNPACKED_BYTES) throw tooLarge(file, what, ` ${(declared / 1048576).toFixed(0)} MB`);
  if (inflatesPastLimit(bytes)) throw tooLarge(file, what, "");
}

/** The unpacked size the central directory declares, undefined when fflate cannot read it. */
function declaredSize(bytes: Uint8Array): number | undefined {
  let total = 0;
  try {
    fflate().unzipSync(bytes, {
      filter: (entry) => {
        total += entry.originalSize;
        return false;
      },
    });
  } catch {
    return undefined;
  }
  return total;
}

/** Thrown from inside fflate's stream to stop it at the limit. */
const LIMIT = Symbol("limit");

/**
 * Inflates the entries `want` picks, a chunk at a time, counting what comes out: the chunks of
 * each (by entry name; none kept when `keep` is false), or "too large" as soon as the count passes
 * `limit`, whatever the zip's headers claim. Throws when the zip is damaged.
 */
export function inflateUpTo(bytes: Uint8Array, limit: number, want: (name: string) => boolean, keep = true): Map<string, Uint8Array[]> | "too large" {
  const entries = new Map<string, Uint8Array[]>();
  let total = 0;
  const { Unzip, UnzipInflate } = fflate();
  const unzip = new Unzip((entry) => {
    if (!want(entry.name)) return;
    const chunks: Uint8Array[] = [];
    if (keep) entries.set(entry.name, chunks);
    entry.ondata = (err, chunk) => {
      if (err) throw err;
      total += chunk.length;
      if (total > limit) throw LIMIT;
      if (keep) chunks.push(chunk);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(bytes, true);
  } catch (e) {
    if (e === LIMIT) return "too large";
    throw e;
  }
  return entries;
}

function inflatesPastLimit(bytes: Uint8Array): boolean {
  try {
    return inflateUpTo(bytes, MAX_UNPACKED_BYTES, () => true, false) === "too large";
  } catch {
    return false;
  }
}
