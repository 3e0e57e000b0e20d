import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { done, parseFile, type Done } from "./parse-file.js";

export interface PoolOptions {
  /** Worker threads; 0 parses in this thread (debugging, tiny runs). Default: every core. */
  workers?: number;
  /** A file taking longer than this is abandoned (its worker replaced) and reported as TIMEOUT. */
  timeoutMs?: number;
  /** Stop handing out files; those in flight finish. */
  signal?: AbortSignal;
  onOutcome(outcome: Done): void;
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

function spawn(): Worker {
  if (!budgetSet) {
    setFlagsFromString(INLINING_BUDGET);
    budgetSet = true;
  }
  if (!fromSource) return new Worker(WORKER_URL);
  // Node 20 does not run --import preloads in workers, so the worker registers tsx itself.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true });
}

/** Files handed to a worker ahead of the one it is parsing: it never waits for this thread between files. */
const DEPTH = 2;

/** Parses `files` on a pool of worker threads; one outcome per file, in completion order. */
export async function parseFiles(files: string[], opts: PoolOptions): Promise<{ interrupted: boolean }> {
  const n = Math.min(opts.workers ?? availableParallelism(), files.length);
  let next = 0;
  // Files a replaced worker had queued but not begun: handed out again first.
  const again: string[] = [];
  const remaining = () => again.length > 0 || next < files.length;
  const take = () => again.shift() ?? files[next++];
  if (n <= 0) {
    while (next < files.length && !opts.signal?.aborted) opts.onOutcome(done(await parseFile(files[next++])));
    return { interrupted: next < files.length };
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let id = 0;
  await new Promise<void>((resolve) => {
    let live = 0;
    const start = () => {
      const worker = spawn();
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
        timer = setTimeout(() => fail("TIMEOUT", `${head.file}: 解析超时，已跳过 (timed out after ${timeoutMs / 1000}s)`), timeoutMs);
      };
      const feed = () => {
        while (queue.length < DEPTH && remaining() && !opts.signal?.aborted) {
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
        opts.onOutcome(done({ file: head.file, ok: false, error: { code, message } }));
        again.unshift(...queue.map((t) => t.file));
        queue.length = 0;
        if (!opts.signal?.aborted && remaining()) start();
        finish();
      };
      worker.on("message", (msg: { id: number; done: Done } | { ready: true }) => {
        if ("ready" in msg) {
          ready = true;
          if (queue.length && !timer) time();
          return;
        }
        if (queue[0]?.id !== msg.id) return;
        queue.shift();
        clearTimeout(timer);
        timer = undefined;
        feed();
        opts.onOutcome(msg.done);
      });
      worker.on("error", (e) => fail("CRASH", `${queue[0]?.file}: 解析进程崩溃 (worker crashed: ${e.message})`));
      worker.on("exit", () => { if (queue.length) fail("CRASH", `${queue[0].file}: 解析进程意外退出 (worker exited)`); else finish(); });
      feed();
    };
    for (let i = 0; i < n; i++) start();
  });
  return { interrupted: remaining() };
}
