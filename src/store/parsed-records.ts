import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFiles, type PoolOptions, type RunOptions } from "../batch/pool.js";
import type { Outcome } from "../batch/parse-file.js";

/** Reports parsed ahead on worker threads, looked up by file in any order. */
export interface ParsedRecords {
  get(file: string): Outcome | undefined;
  /** Removes the records' temporary file. */
  close(): void;
}

export type ParseAheadOptions = PoolOptions & Pick<RunOptions, "timeoutMs" | "signal" | "onProgress">;

const CHUNK = 1 << 20;

/**
 * Parses `files` on a pool of worker threads (unchecked: the store runs the checks itself, against
 * the year before) into a temporary JSONL file, and indexes its records by file. Records arrive in
 * the order files finish; the store takes them in its own order, so which of two reports of one
 * year becomes the newer version does not depend on thread timing. Only offsets are kept in memory.
 */
export async function parseAhead(files: string[], opts: ParseAheadOptions): Promise<ParsedRecords> {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-import-"));
  const path = join(dir, "parsed.jsonl");
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o600);
  const close = () => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  };
  const at = new Map<string, [number, number]>();
  try {
    await parseFiles(files, { ...opts, target: { fd, format: "jsonl" }, check: false });
    // One pass over the records: each line's offset and length, by its file.
    let offset = 0;
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(CHUNK);
    for (let n; (n = readSync(fd, chunk, 0, CHUNK, offset + carry.length)) > 0; ) {
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
        const { file } = JSON.parse(buf.toString("utf8", start, nl)) as Outcome;
        at.set(file, [offset + start, nl - start]);
        start = nl + 1;
      }
      offset += start;
      carry = Buffer.from(buf.subarray(start));
    }
  } catch (e) {
    close();
    throw e;
  }
  return {
    get(file) {
      const place = at.get(file);
      if (!place) return undefined;
      const line = Buffer.alloc(place[1]);
      readSync(fd, line, 0, place[1], place[0]);
      return JSON.parse(line.toString("utf8")) as Outcome;
    },
    close,
  };
}
