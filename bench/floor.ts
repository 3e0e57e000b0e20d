/**
 * The floor of `npm run bench`, in a process of its own that loads parse5 and nothing else: the
 * benchmark's own modules (the fixture renderers behind the page generator) hold a 100 MB heap
 * that made every collection slower and doubled the floor when it was measured beside them.
 * Prints the best of three passes over the files under DIR after a warm-up (the floor), and the
 * warm-up itself: the first pass of a fresh process (the cold floor).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parse5 } from "parse5";

const dir = process.argv[2];
const list = readdirSync(dir).sort().flatMap((s) => readdirSync(join(dir, s)).map((f) => join(dir, s, f)));

/** Read each file, decode it, build the parse5 tree; nothing else. */
function bareParse5(files: string[]): number {
  const t = performance.now();
  let nodes = 0;
  for (const f of files) nodes += parse5(readFileSync(f, "utf8")).childNodes.length;
  if (nodes === 0) throw new Error("parse5 built nothing");
  return (performance.now() - t) / 1000;
}

// The first pass, in a process that has parsed nothing yet, is the cold floor (V8 compiling parse5
// as it goes), to set against a cold pipeline run; it is also the warm-up of the three after it.
const cold = bareParse5(list);
const seconds = Math.min(bareParse5(list), bareParse5(list), bareParse5(list));
process.stdout.write(JSON.stringify({ seconds, cold }) + "\n");
