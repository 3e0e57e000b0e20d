import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { engines } from "../../test/pg.js";
import { parseReport } from "../parse/index.js";
import { validate } from "../validate/index.js";
import { openStore } from "./index.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIX = join(ROOT, "fixtures/reports");
const CLI = `import("./src/cli/main.ts").then((m) => m.main(["node", "gongkai", ...JSON.parse(process.argv[1])])).then((c) => { process.exitCode = c; });`;

function gongkai(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "-e", CLI, JSON.stringify(args)], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The real fixture reports, each copied `copies` times with a distinct trailing line (distinct bytes, same report: versions). */
function makeFolder(dir: string, copies: number): string[] {
  const sources = readdirSync(FIX, { recursive: true }).map(String).filter((p) => p.endsWith("page.txt")).sort();
  const files: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (let c = 0; c < copies; c++) {
    for (const [i, s] of sources.entries()) {
      const f = join(dir, `${String(c).padStart(2, "0")}-${String(i).padStart(2, "0")}.txt`);
      writeFileSync(f, Buffer.concat([readFileSync(join(FIX, s)), Buffer.from(c ? `\n副本 ${c}\n` : "")]));
      files.push(f);
    }
  }
  return files;
}

for (const engine of await engines("reliability")) {
  const E = `[${engine.name}]`;
  test.after(() => engine.cleanup());

  test(`${E} an import killed with SIGKILL leaves no half-stored report, and the re-run completes the set`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongkai-kill-"));
    try {
      const url = await engine.fresh();
      const files = makeFolder(join(dir, "in"), 4);
      // Expected per file: the values and findings a complete import stores.
      const expected = new Map<string, { values: number; findings: number }>();
      for (const f of files) {
        const bytes = readFileSync(f);
        const r = await parseReport(bytes, { filename: f });
        const model = { ...r };
        expected.set(sha(bytes), { values: Object.values(r.fields).filter((v) => Number.isFinite(v)).length, findings: r.issues.length + validate(model).length });
      }
      const store = await openStore(url); // migrate first so the count below can poll
      const child = spawn(process.execPath, ["--import", "tsx", "-e", CLI, JSON.stringify(["import", join(dir, "in"), "--db", url])], { cwd: ROOT, stdio: "ignore" });
      let seen = 0;
      for (let i = 0; i < 600 && seen < 3; i++) {
        await new Promise((r) => setTimeout(r, 25));
        seen = Number((await store.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      }
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const atKill = Number((await store.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      assert.ok(atKill >= 3 && atKill < files.length, `killed mid-way: ${atKill} of ${files.length} stored`);

      const check = async () => {
        const reports = await store.db.selectFrom("reports").select(["id", "content_hash", "version"]).execute();
        for (const r of reports) {
          const want = expected.get(r.content_hash);
          assert.ok(want, "every stored report is one of the files");
          const v = Number((await store.db.selectFrom("values").select((eb) => eb.fn.countAll<number>().as("n")).where("report_id", "=", r.id).executeTakeFirstOrThrow()).n);
          const f = Number((await store.db.selectFrom("findings").select((eb) => eb.fn.countAll<number>().as("n")).where("report_id", "=", r.id).where("source", "=", "report").executeTakeFirstOrThrow()).n);
          assert.equal(v, want.values, `report ${r.id}: all its values or none`);
          assert.equal(f, want.findings + (r.version > 1 ? 1 : 0), `report ${r.id}: all its findings`);
          const o = await store.db.selectFrom("originals").select("size").where("content_hash", "=", r.content_hash).executeTakeFirst();
          assert.ok(o && o.size > 0, "original bytes stored with the report");
        }
        return reports;
      };
      await check();

      const rerun = gongkai(["import", join(dir, "in"), "--db", url]);
      assert.equal(rerun.status, 0, rerun.stderr);
      const all = await check();
      assert.equal(all.length, files.length);
      assert.deepEqual(new Set(all.map((r) => r.content_hash)), new Set(expected.keys()));
      // One current report per agency and year, versions 1..k without gaps.
      const groups = await store.db.selectFrom("reports").select(["agency_id", "report_year", "version", "superseded"]).orderBy("agency_id").orderBy("report_year").orderBy("version").execute();
      const by = new Map<string, { version: number; superseded: number }[]>();
      for (const g of groups) by.set(`${g.agency_id}/${g.report_year}`, [...(by.get(`${g.agency_id}/${g.report_year}`) ?? []), g]);
      for (const [k, list] of by) {
        assert.deepEqual(list.map((x) => x.version), list.map((_, i) => i + 1), k);
        assert.equal(list.filter((x) => x.superseded === 0).length, 1, k);
      }
      await store.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test("a corrupt database file gives one clear line, exit 2, and is left exactly as it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-corrupt-"));
  try {
    const db = join(dir, "bad.db");
    const junk = Buffer.concat([Buffer.from("这不是数据库 not a database "), Buffer.alloc(4096, 7)]);
    writeFileSync(db, junk);
    for (const args of [["import", join(FIX, "pingtan/2023-87885/page.txt"), "--db", db], ["compare", "--year", "2023", "--field", "applications.new.total", "--db", db]]) {
      const r = gongkai(args);
      assert.equal(r.status, 2);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /损坏.*bad\.db.*corrupt/);
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
    }
    assert.deepEqual(readFileSync(db), junk);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("a read-only database file refuses writes with one line, still answers questions, and loses nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-ro-"));
  try {
    const db = join(dir, "ro.db");
    assert.equal(gongkai(["import", join(FIX, "pingtan/2023-87885/page.txt"), "--db", db]).status, 0);
    const before = readFileSync(db);
    chmodSync(db, 0o444);
    const r = gongkai(["import", join(FIX, "pingtan/2024-97791/page.txt"), "--db", db]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /只读.*read-only/);
    const q = gongkai(["compare", "--year", "2023", "--field", "applications.new.total", "--db", db, "--format", "json"]);
    assert.equal(q.status, 0, q.stderr);
    assert.equal(JSON.parse(q.stdout).length, 1);
    assert.deepEqual(readFileSync(db), before);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("a database locked by another process gives one line and exit 2; after the lock is released the import completes", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-lock-"));
  try {
    const db = join(dir, "locked.db");
    assert.equal(gongkai(["import", join(FIX, "pingtan/2023-87885/page.txt"), "--db", db]).status, 0);
    const holder = new Database(db);
    holder.exec("begin exclusive");
    try {
      const r = gongkai(["import", join(FIX, "pingtan/2024-97791/page.txt"), "--db", db], { GONGKAI_DB_BUSY_MS: "200" });
      assert.equal(r.status, 2);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /锁定.*locked/);
    } finally {
      holder.exec("rollback");
      holder.close();
    }
    const again = gongkai(["import", join(FIX, "pingtan/2023-87885/page.txt"), join(FIX, "pingtan/2024-97791/page.txt"), "--db", db, "--json"]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(again.stdout.trim().split("\n").map((l) => JSON.parse(l).status), ["duplicate", "stored"]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});


