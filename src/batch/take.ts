import { parseFile } from "./parse-file.js";
import { appendRecord, encodeRecord, type Target } from "./record.js";

/**
 * The state of each file, shared by every thread. A file's record is written by exactly one
 * thread: whoever moves it out of PENDING (a worker that parsed it, or the pool giving it up on a
 * timeout or crash) writes it; the other finds the swap failed and writes nothing.
 */
export const PENDING = 0;
export const PARSED = 1;
export const FAILED = 2;
/** Given up by the pool (TIMEOUT, OUT_OF_MEMORY, CRASH): its record is the pool's. */
export const GIVEN_UP = 3;

/** Slots of the shared control word array. */
export const NEXT = 0; // the next file index to take
export const STOP = 1; // 1: take no more files
export const WRITTEN = 2; // records written by the threads that parsed them (progress)

/** The shared words a thread taking files works with (pool.ts makes them). */
export interface Shared {
  target: Target;
  /** Run the checks (validate) on each report. */
  check: boolean;
  control: Int32Array;
  state: Int32Array;
  /** Index + 1 of the file this thread is parsing; 0 between files. */
  current: Int32Array;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Takes files one at a time from the shared counter until none are left or the run stops, and
 * appends each file's record. The pool times the file in `current` and may give it up; then this
 * thread is ending and writes nothing. The record is encoded before the file is claimed, so a
 * claimed file is one system call from written. Returns the output's error, if it failed (the run
 * is then stopped for every thread).
 */
export async function takeFiles(files: string[], s: Shared, afterEach?: () => void): Promise<string | undefined> {
  for (;;) {
    if (Atomics.load(s.control, STOP) === 1) return undefined;
    const i = Atomics.add(s.control, NEXT, 1);
    if (i >= files.length) return undefined;
    Atomics.store(s.current, 0, i + 1);
    const outcome = await parseFile(files[i], s.check);
    const bytes = encodeRecord(s.target, outcome);
    if (Atomics.compareExchange(s.state, i, PENDING, outcome.ok ? PARSED : FAILED) !== PENDING) return undefined;
    try {
      appendRecord(s.target, bytes);
    } catch (e) {
      Atomics.store(s.control, STOP, 1);
      return errorText(e);
    }
    Atomics.add(s.control, WRITTEN, 1);
    Atomics.store(s.current, 0, 0);
    afterEach?.();
  }
}
