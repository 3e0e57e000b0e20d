import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { appendRecord, encodeRecord, type Target } from "./record.js";
import { errorText, GIVEN_UP, NEXT, PARSED, PENDING, STOP, takeFiles, WRITTEN, type Shared } from "./take.js";

/**
 * What a worker starts with. Workers take files themselves (an atomic counter) and write their
 * records themselves, so no message crosses threads per file: the pool only looks at the shared
 * words a few times a second, for progress and for files that take too long.
 */
export interface WorkerData extends Shared {
  /** Every file of the run, NUL-separated (one string is cloned far faster than an array). */
  files: string;
}

/** The one message a worker sends: the output failed (the worker has stopped the run). */
export interface WorkerFailure {
  writeError: string;
}

/** The output could not be written (disk full, removed …): the batch stops. */
export class WriteError extends Error {}

export interface PoolOptions {
  /** Where every thread appends its records. */
  target: Target;
  /** Worker threads; 0 parses in this thread (debugging, tiny runs). Default: every core. */
  workers?: number;
  /** A file taking longer than this is abandoned (its worker replaced) and reported as TIMEOUT. */
  timeoutMs?: number;
  /** Stop taking files; those in flight finish. */
  signal?: AbortSignal;
  /** Files done so far (records written, failures included), a few times a second and at the end. */
  onProgress?(done: number): void;
}

export interface PoolResult {
  parsed: number;
  failed: number;
  interrupted: boolean;
}

// Workers run the compiled dist/ code when this module is compiled, and the TypeScript source
// through tsx when it runs from source (tests, `npm run bench`).
const fromSource = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);

/**
 * Every worker compiles the whole pipeline anew, and V8's default inlining budget (920 bytes of
 * bytecode per optimised function) made TurboFan spend about 5 s of CPU per worker over 10,000
 * files — 600-odd compilations, 120–165 ms each for the largest. At 200 the compile CPU halves and
 * the parse speed is unchanged (BENCHMARKS.md); with one worker per core that CPU is taken from
 * the workers. V8 flags are per process, so this also applies to the calling thread; set once,
 * before the first worker starts (compilations then in flight keep the budget they began with).
 */
const INLINING_BUDGET = "--max-inlined-bytecode-size-cumulative=200";
let budgetSet = false;

function spawn(workerData: WorkerData): Worker {
  if (!budgetSet) {
    setFlagsFromString(INLINING_BUDGET);
    budgetSet = true;
  }
  if (!fromSource) return new Worker(WORKER_URL, { workerData });
  // Node 20 does not run --import preloads in workers, so the worker registers tsx itself.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Workers that die before finishing any file, in a row, before the run is given up (a broken install). */
const MAX_BOOT_FAILURES = 3;

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 1)));

/**
 * Parses `files` on a pool of worker threads, each record appended to `opts.target` by the
 * thread that parsed it. Throws WriteError when the output fails (files in flight finish first),
 * and an Error when worker threads cannot start at all.
 */
export async function parseFiles(files: string[], opts: PoolOptions): Promise<PoolResult> {
  const n = Math.min(opts.workers ?? availableParallelism(), files.length);
  const state = shared(files.length);
  const control = shared(3);
  let writeError: string | undefined;
  let bootError: string | undefined;
  // Records the pool wrote itself: the files it gave up.
  let own = 0;
  const done = () => Atomics.load(control, WRITTEN) + own;
  // Ctrl-C: no thread takes another file; those in flight finish and are written.
  const stop = () => Atomics.store(control, STOP, 1);
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    if (n <= 0) writeError = await takeFiles(files, { target: opts.target, control, state, current: shared(1) }, () => opts.onProgress?.(done()));
    else await pooled();
  } finally {
    opts.signal?.removeEventListener("abort", stop);
  }
  if (writeError !== undefined) throw new WriteError(writeError);
  if (bootError !== undefined) throw new Error(bootError);
  let parsed = 0;
  let failed = 0;
  let pending = 0;
  for (const s of state.subarray(0, files.length)) {
    if (s === PARSED) parsed++;
    else if (s === PENDING) pending++;
    else failed++;
  }
  return { parsed, failed, interrupted: pending > 0 };

  async function pooled(): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const list = files.join("\0");
    interface Live {
      worker: Worker;
      current: Int32Array;
      /** The value of `current` last seen, and since when. */
      seen: number;
      since: number;
      error?: string;
      /** Its file given up by the pool: being terminated. */
      givenUp: boolean;
    }
    const live = new Set<Live>();
    let bootFailures = 0;
    let resolve!: () => void;
    const finished = new Promise<void>((r) => { resolve = r; });
    const remaining = () => Atomics.load(control, NEXT) < files.length && Atomics.load(control, STOP) === 0;
    /** Moves file `i` out of PENDING for the pool and writes `error` as its record; false if its worker got there first. */
    const giveUp = (i: number, code: string, message: string) => {
      if (Atomics.compareExchange(state, i, PENDING, GIVEN_UP) !== PENDING) return false;
      try {
        appendRecord(opts.target, encodeRecord(opts.target, { file: files[i], ok: false, error: { code, message } }));
        own++;
      } catch (e) {
        writeError ??= errorText(e);
        stop();
      }
      return true;
    };
    const start = () => {
      const current = shared(1);
      const w: Live = { worker: spawn({ files: list, target: opts.target, control, state, current }), current, seen: 0, since: Date.now(), givenUp: false };
      live.add(w);
      w.worker.on("message", (m: WorkerFailure) => { writeError ??= m.writeError; });
      w.worker.on("error", (e) => { w.error = e.message; });
      w.worker.on("exit", () => {
        live.delete(w);
        const i = Atomics.load(current, 0) - 1;
        // Died with a file in hand (not given up already): that file is the crash's; the rest go on.
        if (i >= 0 && !w.givenUp) {
          giveUp(i, "CRASH", w.error ? `${files[i]}: 解析进程崩溃 (worker crashed: ${w.error})` : `${files[i]}: 解析进程意外退出 (worker exited)`);
          bootFailures = 0;
        } else if (w.error && !w.givenUp) {
          bootFailures++;
        }
        if (bootFailures >= MAX_BOOT_FAILURES) {
          bootError ??= `解析进程无法启动 (worker threads fail to start: ${w.error})`;
          stop();
        }
        if (remaining() && live.size < n) start();
        if (live.size === 0) resolve();
      });
    };
    for (let i = 0; i < n; i++) start();
    // A look at the shared words: progress, and a file held past its deadline.
    const look = () => {
      const now = Date.now();
      for (const w of live) {
        const v = Atomics.load(w.current, 0);
        if (v !== w.seen) { w.seen = v; w.since = now; continue; }
        if (v === 0 || w.givenUp || now - w.since < timeoutMs) continue;
        if (giveUp(v - 1, "TIMEOUT", `${files[v - 1]}: 解析超时，已跳过 (timed out after ${timeoutMs / 1000}s)`)) {
          w.givenUp = true;
          void w.worker.terminate();
        }
      }
      opts.onProgress?.(done());
    };
    const timer = setInterval(look, Math.max(5, Math.min(100, timeoutMs / 8)));
    try {
      await finished;
    } finally {
      clearInterval(timer);
    }
    opts.onProgress?.(done());
  }
}
