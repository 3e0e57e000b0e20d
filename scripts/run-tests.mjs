// Runs every *.test.ts under src/ and test/ with Node's own test runner (tsx for TypeScript).
// Node 20's --test takes no globs, so the file list is gathered here.
import { readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const roots = ["src", "test"].filter((d) => existsSync(d));
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== "node_modules") walk(p); }
    else if (name.endsWith(".test.ts")) files.push(p);
  }
};
roots.forEach(walk);
files.sort();
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((s) => f.includes(s))) : files;
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...chosen], { stdio: "inherit" });
process.exit(r.status ?? 1);
