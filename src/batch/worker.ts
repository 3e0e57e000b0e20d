import { parentPort, workerData } from "node:worker_threads";
import type { WorkerData, WorkerFailure } from "./pool.js";
import { takeFiles } from "./take.js";

const { files, ...shared } = workerData as WorkerData;
const writeError = await takeFiles(files.split("\0"), shared);
if (writeError !== undefined) parentPort!.postMessage({ writeError } satisfies WorkerFailure);
