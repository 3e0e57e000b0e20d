import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CZJ2019 = "fixtures/reports/pingtan-dept/czj-2019-80560/page.txt";
const CZJ2020 = "fixtures/reports/pingtan-dept/czj-2020-80589/page.txt";
const SEED1 = "fixtures/seeds/001_a1987c7275b215ef.txt";

/** Runs `gongkai ARGS` from the sources, as the built bin/gongkai.js would. */
function gongkai(...args: string[]) {
  const code = `import("./src/cli/main.ts").then((m) => m.main(["node", "gongkai", ...JSON.parse(process.argv[1])])).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code, JSON.stringify(args)], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("check exits 0 on a real report whose identities hold, warnings allowed", () => {
  const r = gongkai("check", CZJ2020, SEED1);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /czj-2020-80589\/page\.txt\n  平潭综合实验区财政金融局 · 2020年度 · 2019格式 · 读取 \d+ 项/);
  // Chinese message, then the English one on the next line.
  assert.match(r.stdout, /BLANK-AS-ZERO APP-BALANCE 总计：空白按 0 计时 本年新收 5 .*\n\s+BLANK-AS-ZERO APP-BALANCE total: reading blanks as 0, new 5 /);
});

test("check exits 1 on a corrupted copy of a real report and names the broken identity", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-check-"));
  const text = readFileSync(CZJ2020, "utf8");
  const row = "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0";
  assert.ok(text.includes(row));
  const bad = join(dir, "czj-2020-corrupted.txt");
  writeFileSync(bad, text.replace(row, "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3"));
  const r = gongkai("check", bad);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /错误 \(errors\) \d+/);
  assert.match(r.stdout, /APP-BALANCE 自然人：本年新收 3 \+ 上年结转 0 ≠ 办理结果总计 0 \+ 结转下年度 0/);
});

test("check exits 2 when a file cannot be read, names it on stderr without a stack, and goes on", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-check-"));
  const empty = join(dir, "empty.txt");
  writeFileSync(empty, "");
  const r = gongkai("check", join(dir, "missing.txt"), empty, CZJ2020);
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0], /missing\.txt: 文件不存在 \(no such file\)/);
  assert.match(lines[1], /empty\.txt: 文件为空 \(empty file\)/);
  assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
  assert.match(r.stdout, /czj-2020-80589/, "the readable file is still checked");
  assert.match(r.stdout, /无法读取 \(unreadable\):\n  .*missing\.txt/);
});

test("--json prints one entry per file with its issues", () => {
  const r = gongkai("check", "--json", SEED1, "no-such-file.txt");
  assert.equal(r.status, 2);
  const rows = JSON.parse(r.stdout) as { file: string; issues: { rule: string; severity: string }[]; error?: { code: string } }[];
  assert.deepEqual(rows.map((x) => x.file), [SEED1, "no-such-file.txt"]);
  assert.ok(rows[0].issues.some((i) => i.rule === "BLANK-AS-ZERO" && i.severity === "warning"));
  assert.equal(rows[1].error?.code, "NOT_FOUND");
});

test("reports of consecutive years of one agency checked together run the cross-year rules", () => {
  const r = gongkai("check", "--lang", "en", CZJ2019, CZJ2020);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /PRO19-PREV-CONTINUITY licensing: previous year's items 0 ≠ previous year's items in the previous report 3/);
  assert.ok(!/[\u4e00-\u9fff]/.test(r.stdout.split("\n").filter((l) => l.includes("PRO19")).join("")), "--lang en prints English only");
});

test("an unknown --lang is refused with exit 2", () => {
  const r = gongkai("check", "--lang", "fr", CZJ2020);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--lang/);
});
