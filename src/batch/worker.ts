import { parentPort } from "node:worker_threads";
import { done, parseFile } from "./parse-file.js";

// The pool queues a file ahead; files are parsed one at a time, in the order they came, so the
// pool always knows which file a crash or a hang belongs to (DOCX and PDF readers await).
let chain: Promise<void> = Promise.resolve();
parentPort!.on("message", (msg: { id: number; file: string }) => {
  chain = chain.then(async () => {
    parentPort!.postMessage({ id: msg.id, done: done(await parseFile(msg.file)) });
  });
});
// Loaded: the pool starts timing files from here, not from the thread's start-up.
parentPort!.postMessage({ ready: true });
