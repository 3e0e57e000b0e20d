import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

// The package's entry points as a user imports them (self-reference through package.json
// "exports", so the compiled dist/ that `npm ci` builds), with what the README shows of each.
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; exports: Record<string, unknown> };
const shown: Record<string, string[]> = {
  ".": ["parseReport", "validate"],
  "./store": ["openStore"],
  "./requests": ["openRegister", "computeDeadline"],
  "./batch": ["runBatch", "ParsePool"],
};

test("every entry point of package.json loads and exports what the README shows", async () => {
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
  assert.deepEqual(subpaths.sort(), Object.keys(shown).sort());
  for (const sub of subpaths) {
    const mod = (await import(pkg.name + sub.slice(1))) as Record<string, unknown>;
    for (const name of shown[sub]) assert.equal(typeof mod[name], "function", `${pkg.name}${sub.slice(1)}: ${name}`);
  }
});
