import { parentPort, workerData } from "node:worker_threads";
import { parseFile } from "./parse-file.js";
import { appendRecord, encodeRecord } from "./record.js";
import { FAILED, NEXT, PARSED, PENDING, STOP, WRITTEN, type WorkerData, type WorkerFailure } from "./pool.js";

const { files: list, target, control, state, current } = workerData as WorkerData;
const files = list.split("\0");

// Files are taken one at a time from the shared counter until none are left (pool.ts). The pool
// times the file in `current` and may give it up; then this thread is ending and writes nothing.
for (;;) {
  if (Atomics.load(control, STOP) === 1) break;
  const i = Atomics.add(control, NEXT, 1);
  if (i >= files.length) break;
  Atomics.store(current, 0, i + 1);
  const outcome = await parseFile(files[i]);
  const bytes = encodeRecord(target, outcome);
  if (Atomics.compareExchange(state, i, PENDING, outcome.ok ? PARSED : FAILED) !== PENDING) break;
  try {
    appendRecord(target, bytes);
  } catch (e) {
    Atomics.store(control, STOP, 1);
    parentPort!.postMessage({ writeError: e instanceof Error ? e.message : String(e) } satisfies WorkerFailure);
    break;
  }
  Atomics.add(control, WRITTEN, 1);
  Atomics.store(current, 0, 0);
}
