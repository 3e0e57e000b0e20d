import { parentPort } from "node:worker_threads";
import { parseFile } from "./parse-file.js";

// One file per message; the pool keeps every worker busy and attributes crashes to the file.
parentPort!.on("message", async (msg: { id: number; file: string }) => {
  parentPort!.postMessage({ id: msg.id, outcome: await parseFile(msg.file) });
});
