import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { appendRecord, encodeRecord, type Target } from "./record.js";
import { errorText, GIVEN_UP, NEXT, PARSED, PENDING, STOP, takeFiles, WRITTEN, type Shared } from "./take.js";

/**
 * Workers take files themselves (an atomic counter) and write their records themselves, so no
 * message crosses threads per file: the pool only looks at the shared words a few times a second,
 * for progress and for files that take too long. A pool outlives its runs: V8 compiles the
 * pipeline once per worker (about a second of CPU, on the cores the workers need), and a service
 * that parses batch after batch pays that once, not per batch.
 */

/** What a worker starts with: where it shows the file in hand (index + 1; 0 between files). */
export interface WorkerData {
  current: Int32Array;
}

/** A run, as sent to each worker taking part in it. */
export interface Job extends Omit<Shared, "current"> {
  /** Every file of the run, NUL-separated (one string is cloned far faster than an array). */
  files: string;
}

/** A worker's answer to a job: done, or the output failed (the worker has stopped the run). */
export interface JobDone {
  writeError?: string;
}

/** The output could not be written (disk full, removed …): the batch stops. */
export class WriteError extends Error {}

export interface PoolOptions {
  /** Worker threads; 0 parses in the calling thread (debugging, tiny runs). Default: every core. */
  workers?: number;
  /**
   * Each worker's JavaScript heap, in MB (V8's default otherwise: about a sixth of the machine's
   * memory). A file that needs more ends its worker, not the process: it is reported as
   * OUT_OF_MEMORY and the batch goes on. The largest report a worker reads (16 MB of text) needs
   * 300–500 MB.
   */
  maxHeapMb?: number;
}

export interface RunOptions {
  /** Where every thread appends its records. */
  target: Target;
  /** Check each report (validate) and add the findings to its issues; default true. */
  check?: boolean;
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
 * Every worker compiles the whole pipeline anew, and on two cores that compiling is taken from the
 * workers. Two flags halve it (BENCHMARKS.md, sessions 3 and 11):
 * - the inlining budget: V8's default (920 bytes of bytecode per optimised function) made TurboFan
 *   spend about 5 s of CPU per worker over 10,000 files; at 200 it halves;
 * - array builtins (map, filter, for-of …) called, not inlined: inlined, each is specialised to
 *   the kinds of arrays seen so far, and 80-odd deoptimisations follow as other kinds arrive
 *   (an empty array, an array a now-optimised function made), each recompiling a large function.
 *   Without inlining, compile CPU falls by another 40 % and a cold two-worker run by 8 %.
 * Both cost the compiled code speed: a warm one-worker pass ran 2–3 % slower in session 11's
 * pairs and 10–12 % slower in session 12's. They stay because a one-shot run on two cores is
 * 15 % slower without them (the two workers compile on cores that are both parsing).
 * V8 flags are per process, so these also apply to the calling thread; set once, before the first
 * worker starts (compilations then in flight keep the flags they began with).
 */
const JIT_FLAGS = ["--max-inlined-bytecode-size-cumulative=200", "--no-turbo-inline-array-builtins"];
let flagsSet = false;

function spawn(workerData: WorkerData, maxHeapMb?: number): Worker {
  if (!flagsSet) {
    for (const f of JIT_FLAGS) setFlagsFromString(f);
    flagsSet = true;
  }
  const resourceLimits = maxHeapMb ? { maxOldGenerationSizeMb: maxHeapMb } : undefined;
  if (!fromSource) return new Worker(WORKER_URL, { workerData, resourceLimits });
  // Node 20 does not run --import preloads in workers, so the worker registers tsx itself.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

/** Workers that die before finishing any file, in a row, before the run is given up (a broken install). */
const MAX_BOOT_FAILURES = 3;

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 1)));

/** A worker of the pool. */
interface Member {
  worker: Worker;
  current: Int32Array;
  /** The value of `current` last seen, and since when. */
  seen: number;
  since: number;
  error?: string;
  /** It ran out of heap (ERR_WORKER_OUT_OF_MEMORY). */
  outOfMemory?: boolean;
  /** Its file given up by the pool: being terminated. */
  givenUp: boolean;
}

/** What the pool's workers report to the run they are in. */
interface RunHandlers {
  done(m: Member, answer: JobDone): void;
  exit(m: Member): void;
}

/**
 * Worker threads that parse runs of files, one run at a time, each record appended to the run's
 * target by the thread that parsed it. Idle workers do not keep the process alive; `close()`
 * ends them.
 */
export class ParsePool {
  readonly size: number;
  readonly #maxHeapMb?: number;
  #started = 0;
  readonly #members = new Set<Member>();
  #run?: RunHandlers;
  #active?: Promise<PoolResult>;
  #stopActive?: () => void;
  #closed = false;

  /** Workers started so far, replacements included (a warm pool starts none for its next run). */
  get started(): number {
    return this.#started;
  }

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(0, opts.workers ?? availableParallelism());
    this.#maxHeapMb = opts.maxHeapMb;
  }

  /**
   * Parses `files`. Throws WriteError when the output fails (files in flight finish first), and
   * an Error when worker threads cannot start at all.
   */
  run(files: string[], opts: RunOptions): Promise<PoolResult> {
    if (this.#closed) return Promise.reject(new Error("解析线程池已关闭 (the parse pool is closed)"));
    if (this.#active) return Promise.reject(new Error("解析线程池正忙，一次只能跑一批 (the parse pool runs one batch at a time)"));
    const active = this.#runFiles(files, opts).finally(() => {
      this.#active = undefined;
      this.#stopActive = undefined;
    });
    this.#active = active;
    return active;
  }

  /** Ends the workers; a run in progress is stopped first (files in flight finish and are written). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#active) {
      this.#stopActive?.();
      await this.#active.catch(() => undefined);
    }
    await Promise.all([...this.#members].map((m) => m.worker.terminate()));
    this.#members.clear();
  }

  #spawn(): Member {
    const current = shared(1);
    const m: Member = { worker: spawn({ current }, this.#maxHeapMb), current, seen: 0, since: Date.now(), givenUp: false };
    this.#started++;
    this.#members.add(m);
    m.worker.on("message", (answer: JobDone) => this.#run?.done(m, answer));
    m.worker.on("error", (e: Error & { code?: string }) => {
      m.error = e.message;
      m.outOfMemory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
    });
    m.worker.on("exit", () => {
      this.#members.delete(m);
      this.#run?.exit(m);
    });
    return m;
  }

  async #runFiles(files: string[], opts: RunOptions): Promise<PoolResult> {
    const state = shared(files.length);
    const control = shared(3);
    const check = opts.check ?? true;
    let writeError: string | undefined;
    let bootError: string | undefined;
    // Records the pool wrote itself: the files it gave up.
    let own = 0;
    const done = () => Atomics.load(control, WRITTEN) + own;
    // Ctrl-C: no thread takes another file; those in flight finish and are written.
    const stop = () => Atomics.store(control, STOP, 1);
    this.#stopActive = stop;
    if (opts.signal?.aborted) stop();
    opts.signal?.addEventListener("abort", stop, { once: true });
    try {
      const n = Math.min(this.size, files.length);
      if (n <= 0) writeError = await takeFiles(files, { target: opts.target, check, control, state, current: shared(1) }, () => opts.onProgress?.(done()));
      else await pooled(this, n);
    } finally {
      opts.signal?.removeEventListener("abort", stop);
      this.#run = undefined;
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

    async function pooled(pool: ParsePool, n: number): Promise<void> {
      const timeoutMs = opts.timeoutMs ?? 120_000;
      const job: Job = { files: files.join("\0"), target: opts.target, check, control, state };
      const busy = new Set<Member>();
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
      const assign = (m: Member) => {
        busy.add(m);
        m.seen = 0;
        m.since = Date.now();
        m.worker.ref();
        m.worker.postMessage(job);
      };
      pool.#run = {
        done(m, answer) {
          // A worker whose file was given up answers too (its swap failed): it is being ended, and
          // its exit brings a replacement if files remain.
          if (m.givenUp) return;
          if (answer.writeError !== undefined) writeError ??= answer.writeError;
          m.worker.unref();
          busy.delete(m);
          if (busy.size === 0) resolve();
        },
        exit(m) {
          if (!busy.delete(m)) return;
          const i = Atomics.load(m.current, 0) - 1;
          // Died with a file in hand (not given up already): that file is the crash's; the rest go on.
          if (i >= 0 && !m.givenUp) {
            if (m.outOfMemory) giveUp(i, "OUT_OF_MEMORY", `${files[i]}: 解析所需内存超过上限，已跳过 (ran out of memory: ${m.error})`);
            else giveUp(i, "CRASH", m.error ? `${files[i]}: 解析进程崩溃 (worker crashed: ${m.error})` : `${files[i]}: 解析进程意外退出 (worker exited)`);
            bootFailures = 0;
          } else if (m.error && !m.givenUp) {
            bootFailures++;
          }
          if (bootFailures >= MAX_BOOT_FAILURES) {
            bootError ??= `解析进程无法启动 (worker threads fail to start: ${m.error})`;
            stop();
          }
          if (remaining() && busy.size < n) assign(pool.#spawn());
          if (busy.size === 0) resolve();
        },
      };
      for (const m of [...pool.#members].slice(0, n)) assign(m);
      while (busy.size < n) assign(pool.#spawn());
      // A look at the shared words: progress, and a file held past its deadline.
      const look = () => {
        const now = Date.now();
        for (const m of busy) {
          const v = Atomics.load(m.current, 0);
          if (v !== m.seen) { m.seen = v; m.since = now; continue; }
          if (v === 0 || m.givenUp || now - m.since < timeoutMs) continue;
          if (giveUp(v - 1, "TIMEOUT", `${files[v - 1]}: 解析超时，已跳过 (timed out after ${timeoutMs / 1000}s)`)) {
            m.givenUp = true;
            void m.worker.terminate();
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
}

/** Parses `files` on a pool of its own, closed at the end (see ParsePool.run). */
export async function parseFiles(files: string[], opts: PoolOptions & RunOptions): Promise<PoolResult> {
  const pool = new ParsePool(opts);
  try {
    return await pool.run(files, opts);
  } finally {
    await pool.close();
  }
}
