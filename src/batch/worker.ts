import { parentPort, workerData } from "node:worker_threads";
import type { Job, JobDone, WorkerData } from "./pool.js";
import { takeFiles } from "./take.js";

// One job per run of the pool; the worker (and the code V8 has compiled in it) stays for the next.
const { current } = workerData as WorkerData;
parentPort!.on("message", async ({ files, ...job }: Job) => {
  const writeError = await takeFiles(files.split("\0"), { ...job, current });
  parentPort!.postMessage({ writeError } satisfies JobDone);
});
