import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { parseFile, type Outcome } from "./parse-file.js";

export interface PoolOptions {
  /** Worker threads; 0 parses in this thread (debugging, tiny runs). Default: every core. */
  workers?: number;
  /** A file taking longer than this is abandoned (its worker replaced) and reported as TIMEOUT. */
  timeoutMs?: number;
  /** Stop handing out files; those in flight finish. */
  signal?: AbortSignal;
  onOutcome(outcome: Outcome): void;
}

// Workers run the compiled dist/ code when this module is compiled, and the TypeScript source
// through tsx when it runs from source (tests, `npm run bench`).
const fromSource = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);

function spawn(): Worker {
  if (!fromSource) return new Worker(WORKER_URL);
  // Node 20 does not run --import preloads in workers, so the worker registers tsx itself.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true });
}

/** Parses `files` on a pool of worker threads; one outcome per file, in completion order. */
export async function parseFiles(files: string[], opts: PoolOptions): Promise<{ interrupted: boolean }> {
  const n = Math.min(opts.workers ?? availableParallelism(), files.length);
  let next = 0;
  if (n <= 0) {
    while (next < files.length && !opts.signal?.aborted) opts.onOutcome(await parseFile(files[next++]));
    return { interrupted: next < files.length };
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let id = 0;
  await new Promise<void>((resolve) => {
    let live = 0;
    const start = () => {
      const worker = spawn();
      live++;
      let current: { id: number; file: string; timer: NodeJS.Timeout } | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        live--;
        void worker.terminate();
        if (live === 0) resolve();
      };
      const feed = () => {
        if (opts.signal?.aborted || next >= files.length) return finish();
        const file = files[next++];
        const task = { id: ++id, file, timer: setTimeout(() => fail("TIMEOUT", `${file}: 解析超时，已跳过 (timed out after ${timeoutMs / 1000}s)`), timeoutMs) };
        current = task;
        worker.postMessage({ id: task.id, file });
      };
      // A worker that dies or hangs takes only its current file with it; a fresh one goes on.
      const fail = (code: string, message: string) => {
        if (!current || finished) return;
        clearTimeout(current.timer);
        opts.onOutcome({ file: current.file, ok: false, error: { code, message } });
        current = undefined;
        if (!opts.signal?.aborted && next < files.length) start();
        finish();
      };
      worker.on("message", (msg: { id: number; outcome: Outcome }) => {
        if (!current || msg.id !== current.id) return;
        clearTimeout(current.timer);
        current = undefined;
        // The worker gets its next file before this thread writes the result out: it never waits
        // on the export.
        feed();
        opts.onOutcome(msg.outcome);
      });
      worker.on("error", (e) => fail("CRASH", `${current?.file}: 解析进程崩溃 (worker crashed: ${e.message})`));
      worker.on("exit", () => { if (current) fail("CRASH", `${current.file}: 解析进程意外退出 (worker exited)`); else finish(); });
      feed();
    };
    for (let i = 0; i < n; i++) start();
  });
  return { interrupted: next < files.length };
}
