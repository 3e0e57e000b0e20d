import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { zipSync } from "fflate";
import { serveReports } from "../../../test/web.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = join(ROOT, "src/cli/main.ts");
const fx = (rel: string) => join(ROOT, "fixtures/reports", rel);

/** The node arguments that run the real CLI (`gongkai ...args`) from source. */
function cliArgs(...args: string[]): string[] {
  const code = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(["node", "gongkai", ...process.argv.slice(1)]);`;
  return ["--import", "tsx", "--input-type=module", "-e", code, ...args];
}

/** Runs the real CLI (`gongkai parse ...`) in a child process. */
function gongkai(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, cliArgs(...args), { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const schema = JSON.parse(readFileSync(join(ROOT, "schema/parse-result.schema.json"), "utf8"));
interface Out {
  file: string;
  format: string;
  report_year: number;
  fields: Record<string, number>;
  issues: { rule: string }[];
}
const validateSchema = new Ajv2020({ allErrors: true, strict: true }).compile<Out>(schema);

test("parse --json prints one object per file that matches the published schema", () => {
  const r = gongkai("parse", "--json", fx("pingtan/2023-87885/page.txt"));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(!Array.isArray(out));
  assert.ok(validateSchema(out), JSON.stringify(validateSchema.errors));
  assert.equal(out.fields["applications.new.total"], 81);
  assert.equal(out.format, "2021");
});

test("parse --json prints an array for several files, each valid against the schema", () => {
  const files = ["pingtan/2024-97791/page.html", "pingtan-dept/czj-2019-80560/page.txt", "pingtan-dept/hzs-2019-80575/page.txt", "pingtan/2013-80754/page.txt"].map(fx);
  const r = gongkai("parse", "--json", ...files);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.length, 4);
  for (const o of out) assert.ok(validateSchema(o), `${o.file}: ${JSON.stringify(validateSchema.errors)}`);
  assert.deepEqual(out.map((o: { report_year: number }) => o.report_year), [2024, 2019, 2019, 2013]);
});

test("parse without --json draws the tables with the values in place", () => {
  const r = gongkai("parse", fx("pingtan/2023-87885/page.txt"));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /机构 \(agency\): 平潭综合实验区管委会办公室/);
  assert.match(r.stdout, /│ 一、本年新收政府信息公开\S* +│ +80 │ +1 │ +0 │ +0 │ +0 │ +0 │ +81 │/);
  assert.match(r.stdout, /│ 诉讼·复议后起诉 +│ +1 │ +0 │ +1 │ +0 │ +2 │/);
  assert.match(r.stdout, /┌─/);
});

test("a bad file gets one line on stderr, the others are still parsed, exit code 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-parse-"));
  const empty = join(dir, "empty.txt");
  const news = join(dir, "news.html");
  writeFileSync(empty, "");
  writeFileSync(news, "<html><body><h1>平潭举办海洋文化节</h1><p>游客共计3万人次。</p><p>a</p><p>b</p><p>c</p></body></html>");
  const missing = join(dir, "missing.txt");
  const good = fx("pingtan-dept/hzs-2021-80609/page.txt");
  const r = gongkai("parse", "--json", empty, good, news, missing);
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout);
  assert.equal(out.length, 1);
  assert.equal(out[0].report_year, 2021);
  assert.match(r.stderr, new RegExp(`${empty.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: 文件为空 \\(empty file\\)`));
  assert.match(r.stderr, /news\.html: 不是政府信息公开工作年度报告/);
  assert.match(r.stderr, /missing\.txt: 文件不存在 \(no such file\)/);
  assert.match(r.stderr, /3 个文件有问题/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});

test("a missing path alone exits 2 with a clear message", () => {
  const r = gongkai("parse", "/nonexistent/report.html");
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), "/nonexistent/report.html: 文件不存在 (no such file)");
  assert.equal(r.stdout, "");
});

test("an incomplete report exits 2 with a one-line error, --json still prints what was read", () => {
  const f = fx("pingtan-dept/czj-2018-80527/page.txt");
  const r = gongkai("parse", "--json", f);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /报告不完整/);
  const out = JSON.parse(r.stdout);
  assert.ok(validateSchema(out), JSON.stringify(validateSchema.errors));
  assert.ok(out.issues.some((i: { rule: string }) => i.rule === "INCOMPLETE"));
});

test("Ctrl-C stops a batch with exit 130 and whole records; --resume finishes it, every file once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-sigint-"));
  const src = ["pingtan/2023-87885/page.txt", "pingtan/2024-97791/page.txt", "pingtan-dept/czj-2019-80560/page.txt"].map(fx);
  mkdirSync(join(dir, "in"));
  const total = 600;
  for (let i = 0; i < total; i++) copyFileSync(src[i % src.length], join(dir, "in", `${String(i).padStart(4, "0")}.txt`));
  const out = join(dir, "out.jsonl");
  const child = spawn(process.execPath, cliArgs("parse", join(dir, "in"), "--out", out, "--workers", "2"), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => { stderr += b.toString(); });
  // Interrupt once the first records are written.
  const poll = setInterval(() => { if (existsSync(out) && readFileSync(out, "utf8").includes("\n")) { clearInterval(poll); child.kill("SIGINT"); } }, 20);
  const exit = await new Promise<number | null>((done) => child.on("close", done));
  clearInterval(poll);
  const lines = readFileSync(out, "utf8").split("\n").filter(Boolean);
  if (exit === 0) assert.equal(lines.length, total, "finished before the signal: every file");
  else {
    assert.equal(exit, 130, stderr);
    assert.match(stderr, /中断|interrupted/);
    assert.ok(lines.length < total, "stopped early");
  }
  for (const l of lines) assert.equal(typeof JSON.parse(l).file, "string");
  const r = gongkai("parse", join(dir, "in"), "--out", out, "--resume", "--workers", "2");
  assert.equal(r.code, 0, r.stderr);
  const files = readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).file as string);
  assert.equal(files.length, total);
  assert.equal(new Set(files).size, total);
});

test("batch flags that are not whole numbers exit 2 naming the flag, before any file is read", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-flags-"));
  try {
    for (const [flag, value, floor] of [["--workers", "-1", "0"], ["--workers", "two", "0"], ["--max-heap", "10", "64"]]) {
      const out = join(dir, "out.jsonl");
      const r = gongkai("parse", fx("pingtan/2023-87885/page.txt"), "--out", out, `${flag}=${value}`);
      assert.equal(r.code, 2, `${flag} ${value}`);
      assert.match(r.stderr, new RegExp(`^${flag} 须为不小于 ${floor} 的整数 .*: ${value}\\n$`));
      assert.equal(existsSync(out), false, "no output made");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the real CLI in a child process without blocking this one (a server here must answer it). */
async function gongkaiAsync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, cliArgs(...args), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on("data", (b: Buffer) => { stderr += b.toString(); });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return { code: code ?? -1, stdout, stderr };
}

test("parse and check take an http(s) address as they take a file; a dead address is one clear line and exit 2", async () => {
  const web = await serveReports();
  try {
    const r = await gongkaiAsync("parse", "--json", web.url("/2024.html"));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(validateSchema(out), JSON.stringify(validateSchema.errors));
    assert.equal(out.file, web.url("/2024.html"));
    assert.deepEqual(out.fields, gongkaiFields(fx("pingtan/2024-97791/page.html")));
    const dead = await gongkaiAsync("parse", web.url("/nowhere"));
    assert.equal(dead.code, 2);
    assert.equal(dead.stderr.trim(), `${web.url("/nowhere")}: 网页不存在 (HTTP 404)`);
    const check = await gongkaiAsync("check", web.url("/gbk.txt"));
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /平潭综合实验区财政金融局 · 2019年度 · 2019格式 · 读取 191 项/);
  } finally {
    await web.close();
  }
});

function gongkaiFields(file: string): Record<string, number> {
  const r = gongkai("parse", "--json", file);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).fields;
}

test("--list names inputs one per line (files, folders, addresses; # comments), or on standard input with -", async () => {
  const web = await serveReports();
  const dir = mkdtempSync(join(tmpdir(), "gongkai-list-"));
  try {
    const list = join(dir, "reports.txt");
    writeFileSync(list, `\uFEFF# 平潭 2024\n${web.url("/2024.html")}\n\n${fx("pingtan-dept/czj-2019-80560/page.txt")}\r\n`);
    const out = join(dir, "out.csv");
    const r = await gongkaiAsync("parse", "--list", list, "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /解析成功 2，失败 0，已跳过 0，共 2/);
    const check = spawnSync(process.execPath, cliArgs("check", "--list", "-"), { cwd: ROOT, encoding: "utf8", input: `${fx("pingtan/2024-97791/page.txt")}\n` });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /共 1 个文件/);
    const none = gongkai("parse");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /请给出报告文件、文件夹或网址，或 --list 清单/);
    const missing = gongkai("parse", "--list", join(dir, "nope.txt"));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--list .*nope\.txt: 清单文件无法读取/);
  } finally {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parse takes a .zip bundle and one of its members, one at a time and as a batch", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-cli-zip-"));
  try {
    const zip = join(dir, "附件.zip");
    writeFileSync(zip, zipSync({ "年报/2023.txt": readFileSync(fx("pingtan/2023-87885/page.txt")), "年报/2024.txt": readFileSync(fx("pingtan/2024-97791/page.txt")) }));
    const one = gongkai("parse", "--json", `${zip}!/年报/2024.txt`);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(JSON.parse(one.stdout).report_year, 2024);
    const all = gongkai("parse", "--json", zip);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(JSON.parse(all.stdout).map((r: Out) => r.report_year), [2023, 2024]);
    const out = join(dir, "out.jsonl");
    const batch = gongkai("parse", zip, `${zip}!/年报/2024.txt`, "--out", out);
    assert.equal(batch.code, 0, batch.stderr);
    assert.deepEqual(readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l).file).sort(), [`${zip}!/年报/2023.txt`, `${zip}!/年报/2024.txt`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
