import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "gongkai-requests-cli-"));
const db = join(dir, "register.db");

function gongkai(...args: string[]) {
  const code = `import("./src/cli/main.ts").then((m) => m.main(["node", "gongkai", ...JSON.parse(process.argv[1])])).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code, JSON.stringify(args)], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("an office runs applications from the CLI: add, event, due, table, issue, export without personal data", () => {
  const A = "某区政务公开办";
  let r = gongkai("requests", "add", "--db", db, "--agency", A, "--number", "2025-001", "--type", "自然人", "--name", "张三", "--id-number", "110101199001011234",
    "--channel", "网络", "--subject", "某路改造批复", "--received", "2025-09-30");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /期限 2025-11-04/);
  r = gongkai("requests", "due", "--db", db, "--as-of", "2025-11-07", "--overdue");
  assert.match(r.stdout, /超期 3 个工作日/);
  r = gongkai("requests", "event", "--db", db, A, "2025-001", "extension", "2025-10-30", "--days", "25");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /延长期限须为 1 至 20 个工作日/);
  r = gongkai("requests", "event", "--db", db, A, "2025-001", "answered", "2025-11-03", "--outcome", "部分公开");
  assert.equal(r.status, 0, r.stderr);
  r = gongkai("requests", "table", "--db", db, A, "2025", "--json");
  assert.equal(r.status, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.equal(t.fields["applications.result.partial.natural"], 1);
  assert.ok(!r.stdout.includes("张三"));
  r = gongkai("requests", "issue", "--db", db, A, "2025", "--on", "2026-01-20");
  assert.equal(r.status, 0, r.stderr);
  r = gongkai("requests", "add", "--db", db, "--agency", A, "--number", "2025-002", "--type", "自然人", "--name", "李四", "--channel", "当面", "--subject", "x", "--received", "2025-06-01");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /LOCKED-YEAR|已于 2026-01-20 发布/);
  const out = join(dir, "public.csv");
  r = gongkai("requests", "export", "--db", db, out);
  assert.equal(r.status, 0, r.stderr);
  const csv = readFileSync(out, "utf8");
  assert.ok(!csv.includes("张三") && !csv.includes("110101199001011234"));
  assert.match(csv, /部分公开/);
});

test("calendar add re-dates an open application that ran into a missing year", () => {
  const db2 = join(dir, "cal.db");
  let r = gongkai("requests", "add", "--db", db2, "--agency", "X", "--number", "1", "--type", "natural", "--name", "n", "--channel", "online", "--subject", "s", "--received", "2026-12-15");
  assert.match(r.stdout, /期限 2027-01-12（暂定，缺2027年日历）/);
  const year = join(dir, "2027.json");
  // Test data, not an official notice.
  writeFileSync(year, JSON.stringify({ year: 2027, notices: [{ number: "测试用", title: "测试用" }], holidays: [{ date: "2027-01-01", name: "元旦", notice: "测试用" }], workdays: [] }));
  r = gongkai("calendar", "add", "--db", db2, year, "--as-of", "2026-12-16");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /X 1: 2027-01-12（暂定） → 2027-01-13/);
  r = gongkai("calendar", "add", "--db", db2, join(dir, "missing.json"));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing\.json/);
  assert.ok(!r.stderr.includes("    at "), "no stack trace");
});
