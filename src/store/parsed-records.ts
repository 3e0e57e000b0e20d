import { closeSync, constants, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFiles, type PoolOptions, type RunOptions } from "../batch/pool.js";
import type { Outcome } from "../batch/parse-file.js";

/** Reports being parsed ahead on worker threads, taken by file as they become ready. */
export interface ParsedRecords {
  /** The file's outcome, once its thread has written it; undefined if it is not one of the files or was never parsed (run stopped). */
  get(file: string): Promise<Outcome | undefined>;
  /** Stops the parsing (files in flight finish) and removes the records' temporary file. */
  close(): Promise<void>;
}

export type ParseAheadOptions = PoolOptions & Pick<RunOptions, "timeoutMs" | "onProgress">;

const FILE_KEY = '{"file":"';

/**
 * The file a record is about, without parsing the whole record (which `get` parses once, when the
 * store takes it): records are written as `{"file": …, "ok": …}` (take.ts, pool.ts), so the file
 * is the first string. Anything else is parsed whole.
 */
function fileOf(buf: Buffer, start: number, end: number): string {
  if (buf.toString("latin1", start, start + FILE_KEY.length) === FILE_KEY) {
    // The string ends at the first quote not escaped by a backslash (neither byte occurs inside a UTF-8 sequence).
    for (let i = start + FILE_KEY.length; i < end; i++) {
      if (buf[i] === 0x5c) i++;
      else if (buf[i] === 0x22) return JSON.parse(buf.toString("utf8", start + FILE_KEY.length - 1, i + 1)) as string;
    }
  }
  return (JSON.parse(buf.toString("utf8", start, end)) as Outcome).file;
}

/** How often a waiting `get` looks for new records. */
const POLL_MS = 2;

/**
 * Starts parsing `files` on worker threads (unchecked: the store runs the checks itself, against
 * the year before) into a temporary JSONL file, and returns at once: the caller stores reports
 * while the threads parse the next ones. Records arrive in the order files finish; `get` waits for
 * the one asked for, so the caller stores in its own order and which of two reports of one year
 * becomes the newer version does not depend on thread timing. Only offsets are kept in memory.
 */
export function parseAhead(files: string[], opts: ParseAheadOptions): ParsedRecords {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-import-"));
  const fd = openSync(join(dir, "parsed.jsonl"), constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o600);
  // Unlinked at once where the system allows it (the open descriptor keeps the data): a killed
  // import leaves no temporary file behind.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let removed = false;
  try {
    removeDir();
    removed = true;
  } catch {
    // Windows keeps open files: removed at close().
  }
  const stop = new AbortController();
  let finished = false;
  let failure: unknown;
  const running = parseFiles(files, { ...opts, target: { fd, format: "jsonl" }, check: false, signal: stop.signal })
    .catch((e: unknown) => { failure = e; })
    .finally(() => { finished = true; });

  const asked = new Set(files);
  const at = new Map<string, [number, number]>();
  // Bytes of the file read so far, up to the last whole record.
  let indexed = 0;
  /** Indexes the records written since the last look (a record is whole once its newline is there). */
  const look = () => {
    const size = fstatSync(fd).size;
    if (size <= indexed) return;
    const buf = Buffer.alloc(size - indexed);
    readSync(fd, buf, 0, buf.length, indexed);
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      at.set(fileOf(buf, start, nl), [indexed + start, nl - start]);
      start = nl + 1;
    }
    indexed += start;
  };
  const read = ([offset, length]: [number, number]): Outcome => {
    const line = Buffer.alloc(length);
    readSync(fd, line, 0, length, offset);
    return JSON.parse(line.toString("utf8")) as Outcome;
  };

  return {
    async get(file) {
      if (!asked.has(file)) return undefined;
      for (;;) {
        // Whether the run had ended is taken before the look, so nothing it wrote is missed.
        const ended = finished;
        look();
        const place = at.get(file);
        if (place) return read(place);
        if (ended) {
          if (failure !== undefined) throw failure;
          return undefined;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async close() {
      stop.abort();
      await running;
      closeSync(fd);
      if (!removed) removeDir();
    },
  };
}
