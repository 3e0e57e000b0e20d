// The build compiles TypeScript only; data files kept beside the code (src/**/*.json) are copied
// into dist/ at the same relative paths so the compiled modules find them.
import { cpSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";

const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".json")) {
      const to = join("dist", p.slice("src/".length));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(p, to);
    }
  }
};
walk("src");
