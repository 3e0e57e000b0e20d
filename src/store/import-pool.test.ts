import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { collectInputs } from "../batch/walk.js";
import { importFiles, openStore, type ImportOutcome } from "./index.js";

const FIX = new URL("../../fixtures/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gongkai-import-pool-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** Every row of every table of a SQLite store, without the import times, sorted (ids included: they follow the storing order). */
function dump(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const rows = (t: string) => (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !k.endsWith("_at"))));
    return Object.fromEntries(tables.map((t) => [t, rows(t).sort()]));
  } finally {
    db.close();
  }
}

async function importInto(path: string, files: string[], opts: { workers: number; maxHeapMb?: number }): Promise<ImportOutcome[]> {
  const store = await openStore(path);
  try {
    return await importFiles(store, files, opts);
  } finally {
    await store.close();
  }
}

test("importing a folder with workers stores exactly what importing file by file stores", async () => {
  // Real reports, two renderings of one report (a second version), a copy (a duplicate), files that fail.
  const dir = join(work, "in");
  mkdirSync(dir, { recursive: true });
  for (const f of collectInputs([join(FIX, "reports"), join(FIX, "corpus")])) copyFileSync(f, join(dir, f.slice(FIX.length).replaceAll("/", "_")));
  copyFileSync(join(FIX, "reports/pingtan/2023-87885/page.txt"), join(dir, "zz-copy.txt"));
  writeFileSync(join(dir, "empty.txt"), "");
  writeFileSync(join(dir, "broken.pdf"), "%PDF-1.4\ngarbage");
  const files = collectInputs([dir]);
  const one = await importInto(join(work, "one.db"), files, { workers: 0 });
  const two = await importInto(join(work, "two.db"), files, { workers: 2 });
  assert.deepEqual(two, one);
  const statuses = new Set(one.map((o) => o.status));
  assert.deepEqual([...statuses].sort(), ["duplicate", "failed", "stored", "version"], "the folder exercises every outcome");
  assert.deepEqual(dump(join(work, "two.db")), dump(join(work, "one.db")));
  // A second import parses only the files that failed: every other one is already stored.
  let parsed = 0;
  const store = await openStore(join(work, "two.db"));
  try {
    const again = await importFiles(store, files, { workers: 2, onParsed: (done) => { parsed = done; } });
    assert.equal(parsed, one.filter((o) => o.status === "failed").length);
    assert.deepEqual(again.filter((o) => o.status !== "duplicate" && o.status !== "failed"), []);
  } finally {
    await store.close();
  }
});

test("a file too big for a parsing thread's memory fails as OUT_OF_MEMORY; the others are stored", async () => {
  const dir = join(work, "oom");
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(join(FIX, "reports/pingtan/2023-87885/page.txt"), "utf8");
  const filler = text.split("\n").filter((l) => !/\d/.test(l)).join("\n");
  writeFileSync(join(dir, "0-huge.txt"), text + "\n" + filler.repeat(Math.floor(15e6 / Buffer.byteLength(filler))));
  copyFileSync(join(FIX, "reports/pingtan/2024-97791/page.txt"), join(dir, "1.txt"));
  copyFileSync(join(FIX, "reports/pingtan-dept/czj-2019-80560/page.txt"), join(dir, "2.txt"));
  const out = await importInto(join(work, "oom.db"), collectInputs([dir]), { workers: 1, maxHeapMb: 128 });
  assert.deepEqual(out.map((o) => [o.status, o.code]), [["failed", "OUT_OF_MEMORY"], ["stored", undefined], ["stored", undefined]]);
});
