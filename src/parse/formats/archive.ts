import { unzipSync } from "fflate";
import { InputError } from "../decode.js";

/**
 * The most a Word or Excel file may unpack to. A report's document.xml is a few MB, its pictures
 * tens; a 1 MB zip bomb unpacks to gigabytes, and mammoth or ExcelJS would inflate it whole before
 * failing (a minute and 4 GB of memory, then the process dies).
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/**
 * Refuses a DOCX/XLSX whose parts unpack to more than MAX_UNPACKED_BYTES, by the sizes its own
 * directory declares (nothing is inflated here). A zip that cannot be read is left to the format's
 * reader, which says what is wrong with it. Sizes that lie are caught later: a batch worker that
 * runs out of memory is ended and its file reported as OUT_OF_MEMORY.
 */
export function checkArchive(bytes: Uint8Array, file: string, what: string): void {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (entry) => {
        total += entry.originalSize;
        return false;
      },
    });
  } catch {
    return;
  }
  if (total > MAX_UNPACKED_BYTES) {
    throw new InputError("TOO_LARGE", `${file}: ${what} 文件解压后 ${(total / 1048576).toFixed(0)} MB，超过上限 ${MAX_UNPACKED_BYTES / 1048576} MB (the ${what} file unpacks to more than the limit: a zip bomb or not a report)`);
  }
}
