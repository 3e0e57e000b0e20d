import { parentPort, workerData } from "node:worker_threads";
import { parseFile } from "./parse-file.js";
import { writeRecord } from "./record.js";
import type { WorkerData, Written } from "./pool.js";

const { target, claim } = workerData as WorkerData;
// The mark of the last record this worker wrote (pool.ts: how a record is claimed).
let last = 0;

// The pool queues a file ahead; files are parsed one at a time, in the order they came, so the
// pool always knows which file a crash or a hang belongs to (DOCX and PDF readers await).
let chain: Promise<void> = Promise.resolve();
parentPort!.on("message", (msg: { id: number; file: string }) => {
  chain = chain.then(async () => {
    const outcome = await parseFile(msg.file);
    const mark = msg.id * 2 + (outcome.ok ? 1 : 0);
    // The pool gave this file up (timed out) and wrote its record itself: this thread is ending.
    if (Atomics.compareExchange(claim, 0, last, mark) !== last) return;
    last = mark;
    const reply: Written = { id: msg.id, ok: outcome.ok };
    try {
      writeRecord(target, outcome);
    } catch (e) {
      reply.writeError = e instanceof Error ? e.message : String(e);
    }
    parentPort!.postMessage(reply);
  });
});
// Loaded: the pool starts timing files from here, not from the thread's start-up.
parentPort!.postMessage({ ready: true });
