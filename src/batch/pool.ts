import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { parseFile, type Outcome } from "./parse-file.js";
import { writeRecord, type Target } from "./record.js";

/** A file whose record is in the output. */
export interface Parsed {
  file: string;
  ok: boolean;
}

/**
 * What a worker is started with. `claim` decides who writes a file's record when the pool gives
 * the file up (timeout) just as the worker finishes it: the worker swaps its last mark for the
 * file's (id × 2 + ok) before writing, the pool swaps the same last mark for −1 before writing
 * the TIMEOUT record; one swap fails, so every file has exactly one record.
 */
export interface WorkerData {
  target: Target;
  claim: Int32Array;
}

/** A worker's answer: the file's record is written (or could not be: the output is broken). */
export interface Written {
  id: number;
  ok: boolean;
  writeError?: string;
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
  /** Stop handing out files; those in flight finish. */
  signal?: AbortSignal;
  onOutcome(parsed: Parsed): void;
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

/** Files handed to a worker ahead of the one it is parsing: it never waits for this thread between files. */
const DEPTH = 2;

/**
 * Parses `files` on a pool of worker threads, each record appended to `opts.target`; one
 * `onOutcome` per file, in completion order. Throws WriteError when the output fails (the files
 * in flight finish first).
 */
export async function parseFiles(files: string[], opts: PoolOptions): Promise<{ interrupted: boolean }> {
  const n = Math.min(opts.workers ?? availableParallelism(), files.length);
  let next = 0;
  // Files a replaced worker had queued but not begun: handed out again first.
  const again: string[] = [];
  let writeError: string | undefined;
  const stopped = () => opts.signal?.aborted || writeError !== undefined;
  const remaining = () => again.length > 0 || next < files.length;
  const take = () => again.shift() ?? files[next++];
  const record = (o: Outcome) => {
    try {
      writeRecord(opts.target, o);
      opts.onOutcome({ file: o.file, ok: o.ok });
    } catch (e) {
      writeError ??= e instanceof Error ? e.message : String(e);
    }
  };
  if (n <= 0) {
    while (next < files.length && !stopped()) record(await parseFile(files[next++]));
  } else {
    await pooled();
  }
  if (writeError !== undefined) throw new WriteError(writeError);
  return { interrupted: remaining() };

  async function pooled(): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    let id = 0;
    await new Promise<void>((resolve) => {
      let live = 0;
      const start = () => {
        const claim = new Int32Array(new SharedArrayBuffer(4));
        const worker = spawn({ target: opts.target, claim });
        // The mark of the last record this worker wrote that the pool has heard of.
        let last = 0;
        live++;
        // In the worker's order: the first is the one being parsed, and only it is timed.
        const queue: { id: number; file: string }[] = [];
        let timer: NodeJS.Timeout | undefined;
        let ready = false;
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          live--;
          void worker.terminate();
          if (live === 0) resolve();
        };
        const time = () => {
          const head = queue[0];
          timer = setTimeout(() => {
            // Finished just now, its record being written: its message is on the way.
            if (Atomics.compareExchange(claim, 0, last, -1) !== last) return;
            fail("TIMEOUT", `${head.file}: 解析超时，已跳过 (timed out after ${timeoutMs / 1000}s)`);
          }, timeoutMs);
        };
        const feed = () => {
          while (queue.length < DEPTH && remaining() && !stopped()) {
            const task = { id: ++id, file: take() };
            queue.push(task);
            worker.postMessage(task);
          }
          if (queue.length === 0) return finish();
          if (!timer && ready) time();
        };
        // A worker that dies or hangs takes only its current file with it; a fresh one goes on.
        const fail = (code: string, message: string) => {
          const head = queue.shift();
          if (!head || finished) return;
          clearTimeout(timer);
          const mark = Atomics.load(claim, 0);
          // Died after writing the record (and before its message left): the file is done.
          if (mark >> 1 === head.id) opts.onOutcome({ file: head.file, ok: (mark & 1) === 1 });
          else record({ file: head.file, ok: false, error: { code, message } });
          again.unshift(...queue.map((t) => t.file));
          queue.length = 0;
          if (!stopped() && remaining()) start();
          finish();
        };
        worker.on("message", (msg: Written | { ready: true }) => {
          if ("ready" in msg) {
            ready = true;
            if (queue.length && !timer) time();
            return;
          }
          if (queue[0]?.id !== msg.id) return;
          const head = queue.shift()!;
          last = msg.id * 2 + (msg.ok ? 1 : 0);
          clearTimeout(timer);
          timer = undefined;
          if (msg.writeError !== undefined) writeError ??= msg.writeError;
          else opts.onOutcome({ file: head.file, ok: msg.ok });
          feed();
        });
        worker.on("error", (e) => fail("CRASH", `${queue[0]?.file}: 解析进程崩溃 (worker crashed: ${e.message})`));
        worker.on("exit", () => { if (queue.length) fail("CRASH", `${queue[0].file}: 解析进程意外退出 (worker exited)`); else finish(); });
        feed();
      };
      for (let i = 0; i < n; i++) start();
    });
  }
}
