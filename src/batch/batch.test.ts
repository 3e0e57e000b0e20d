import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Document as DocxDocument, Packer, Paragraph } from "docx";
import ExcelJS from "exceljs";
import { parseReport } from "../parse/index.js";
import { fieldColumns, ParsePool, parseCsv, runBatch } from "./index.js";

const FIX = new URL("../../fixtures/", import.meta.url).pathname;
const REPORTS = ["pingtan/2023-87885", "pingtan/2024-97791", "pingtan-dept/czj-2019-80560", "pingtan-dept/hzs-2021-80609", "pingtan-dept/czj-2020-80589"].map((d) => join(FIX, "reports", d, "page.txt"));
const work = mkdtempSync(join(tmpdir(), "gongkai-batch-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** A folder tree of real reports in several formats, plus two files that cannot be read. */
async function mixedFolder(name: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(join(dir, "a", "deeper"), { recursive: true });
  mkdirSync(join(dir, "b"), { recursive: true });
  copyFileSync(REPORTS[0], join(dir, "a", "2023.txt"));
  copyFileSync(REPORTS[1], join(dir, "a", "deeper", "2024.txt"));
  copyFileSync(REPORTS[2], join(dir, "b", "czj-2019.txt"));
  const lines = readFileSync(REPORTS[3], "utf8").split("\n");
  writeFileSync(join(dir, "b", "hzs-2021.docx"), await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] })));
  writeFileSync(join(dir, "b", "empty.txt"), "");
  writeFileSync(join(dir, "b", "broken.pdf"), "%PDF-1.4\ngarbage");
  writeFileSync(join(dir, "b", "notes.json"), "{}"); // not a report format: not picked up
  return dir;
}

test("a folder of mixed formats goes to a CSV Excel opens: BOM, one row per file, failures with their error", async () => {
  const dir = await mixedFolder("csv");
  const out = join(work, "csv.csv");
  const s = await runBatch([dir], { out, workers: 2, progress: "none" });
  assert.deepEqual({ total: s.total, parsed: s.parsed, failed: s.failed, interrupted: s.interrupted }, { total: 6, parsed: 4, failed: 2, interrupted: false });
  const bytes = readFileSync(out);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(bytes.toString("utf8").slice(1));
  assert.deepEqual(rows[0].slice(0, 3), ["file", "error", "generation"]);
  assert.equal(rows[0].length, 7 + fieldColumns().length);
  const byFile = new Map(rows.slice(1).map((r) => [r[0], r]));
  assert.equal(byFile.size, 6);
  assert.match(byFile.get(join(dir, "b", "empty.txt"))![1], /^EMPTY: .*文件为空/);
  assert.match(byFile.get(join(dir, "b", "broken.pdf"))![1], /^UNREADABLE: .*PDF/);
  // The values in the wide row are the report's own fields.
  const expected = await parseReport(readFileSync(REPORTS[0]), { filename: "x" });
  const row = byFile.get(join(dir, "a", "2023.txt"))!;
  const col = (id: string) => rows[0].indexOf(id);
  for (const [id, v] of Object.entries(expected.fields)) if (col(id) >= 0) assert.equal(Number(row[col(id)]), v, id);
  assert.equal(row[col("report_year")], "2023");
  const docxRow = byFile.get(join(dir, "b", "hzs-2021.docx"))!;
  assert.equal(docxRow[1], "");
  assert.equal(docxRow[col("generation")], "2021");
});

test("XLSX export: reports sheet with Chinese headers, failed files in their own sheet", async () => {
  const dir = await mixedFolder("xlsx");
  const out = join(work, "out.xlsx");
  await runBatch([dir], { out, workers: 1, headers: "zh", progress: "none" });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const [reports, errors] = wb.worksheets;
  assert.equal(reports.getCell(1, 1).value, "文件");
  assert.ok((reports.getRow(1).values as unknown[]).includes("一、本年新收政府信息公开申请数量 / 总计"));
  assert.equal(reports.rowCount, 1 + 4);
  assert.equal(errors.rowCount, 1 + 2);
  assert.deepEqual(new Set([errors.getCell(2, 2).value, errors.getCell(3, 2).value]), new Set(["EMPTY", "UNREADABLE"]));
  assert.throws(() => statSync(`${out}.partial.jsonl`), "the journal is gone once the workbook is written");
});

test("--resume skips what the output holds, drops a torn last record and redoes only the rest", async () => {
  const dir = await mixedFolder("resume");
  for (const ext of [".jsonl", ".csv"]) {
    const out = join(work, `resume${ext}`);
    await runBatch([dir], { out, workers: 2, progress: "none" });
    const full = readFileSync(out, "utf8");
    // Simulate a kill: the last two records gone and a third cut in half.
    const cut = full.replace(/\r?\n$/, "").split("\n");
    const keep = cut.slice(0, cut.length - 3).join("\n") + "\n" + cut[cut.length - 3].slice(0, 20);
    writeFileSync(out, keep);
    await assert.rejects(runBatch([dir], { out, progress: "none" }), /--resume/);
    const s = await runBatch([dir], { out, workers: 2, resume: true, progress: "none" });
    assert.equal(s.skipped + s.parsed + s.failed, s.total);
    assert.equal(s.parsed + s.failed, 3, `${ext}: the torn record and the two lost ones are redone`);
    const files = ext === ".jsonl"
      ? readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l).file)
      : parseCsv(readFileSync(out, "utf8").slice(1)).slice(1).filter((r) => r.length > 1).map((r) => r[0]);
    assert.equal(files.length, 6, `${ext}: every file exactly once`);
    assert.equal(new Set(files).size, 6);
    truncateSync(out, 0);
  }
});

/** Three real reports behind one that takes seconds to parse. */
function slowFolder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  // Sorted first, so the one worker holds it with the next file queued behind it. About 15 MB of
  // real report text: seconds to read, far beyond the limits the tests set.
  const text = readFileSync(REPORTS[0], "utf8");
  const filler = text.split("\n").filter((l) => !/\d/.test(l)).join("\n");
  writeFileSync(join(dir, "0-huge.txt"), text + "\n" + filler.repeat(Math.floor(15e6 / Buffer.byteLength(filler))));
  for (const [i, r] of REPORTS.slice(0, 3).entries()) copyFileSync(r, join(dir, `${i + 1}.txt`));
  return dir;
}

const records = (out: string) => readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; ok: boolean; report?: { fields: Record<string, number> }; error?: { code: string } });

test("a file that takes too long is reported as TIMEOUT; the files queued behind it are still parsed, each once", async () => {
  const dir = slowFolder("slow");
  const out = join(work, "slow.jsonl");
  const s = await runBatch([dir], { out, workers: 1, timeoutMs: 600, progress: "none" });
  assert.deepEqual({ total: s.total, parsed: s.parsed, failed: s.failed }, { total: 4, parsed: 3, failed: 1 });
  const written = records(out);
  assert.deepEqual(written.map((r) => r.file).sort(), ["0-huge.txt", "1.txt", "2.txt", "3.txt"].map((f) => join(dir, f)));
  assert.equal(written.find((r) => !r.ok)?.error?.code, "TIMEOUT");
});

test("files given up at their deadline as they finish still get exactly one record each", async () => {
  // Timeouts around a file's own parse time: some files finish first, some are given up, and
  // some finish while the pool is giving them up (the worker writes its own record; the pool
  // writes the TIMEOUT record; only one of them may).
  const dir = join(work, "race");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 10; i++) copyFileSync(REPORTS[i % REPORTS.length], join(dir, `${i}.txt`));
  for (const timeoutMs of [50, 65, 80, 95, 110]) {
    const out = join(work, `race-${timeoutMs}.jsonl`);
    const s = await runBatch([dir], { out, workers: 2, timeoutMs, progress: "none" });
    const written = records(out);
    assert.equal(written.length, 10, `${timeoutMs} ms: one record per file`);
    assert.equal(new Set(written.map((r) => r.file)).size, 10);
    assert.deepEqual({ parsed: s.parsed, failed: s.failed }, { parsed: written.filter((r) => r.ok).length, failed: written.filter((r) => !r.ok).length });
    for (const r of written) if (!r.ok) assert.equal(r.error?.code, "TIMEOUT");
  }
});

test("an output that cannot be written stops the batch with a clear error, whichever thread writes", async () => {
  const dir = await mixedFolder("full");
  // /dev/full: every write fails with ENOSPC, as on a full disk.
  for (const [ext, workers] of [[".jsonl", 2], [".jsonl", 0], [".csv", 2]] as const) {
    const out = join(work, `full-${workers}${ext}`);
    symlinkSync("/dev/full", out);
    await assert.rejects(runBatch([dir], { out, workers, force: true, progress: "none" }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "UNWRITABLE");
      assert.match(e.message, /输出文件/);
      assert.match(e.message, /ENOSPC/);
      return true;
    });
  }
});

test("a pool parses batch after batch on the same workers, replacing only the one it gives up", async () => {
  const dir = await mixedFolder("pool");
  const fresh = join(work, "pool-fresh.jsonl");
  await runBatch([dir], { out: fresh, workers: 2, progress: "none" });
  const expected = new Map(records(fresh).map((r) => [r.file, r]));
  const pool = new ParsePool({ workers: 2 });
  try {
    for (const round of [1, 2, 3]) {
      const out = join(work, `pool-${round}.jsonl`);
      const s = await runBatch([dir], { out, pool, progress: "none" });
      assert.deepEqual({ parsed: s.parsed, failed: s.failed }, { parsed: 4, failed: 2 });
      const got = records(out);
      assert.equal(got.length, 6, `round ${round}: one record per file`);
      for (const r of got) assert.deepEqual(r, expected.get(r.file), `round ${round}: ${r.file} as parsed by a fresh pool`);
    }
    assert.equal(pool.started, 2, "the second and third batches start no worker");
    // A file given up at its deadline costs its worker (the other one took the files left); the
    // next batch starts one worker to bring the pool back to two, the one after starts none.
    const slow = await runBatch([slowFolder("pool-slow")], { out: join(work, "pool-slow.jsonl"), pool, timeoutMs: 600, progress: "none" });
    assert.deepEqual({ parsed: slow.parsed, failed: slow.failed }, { parsed: 3, failed: 1 });
    assert.equal(pool.started, 2);
    for (const round of [4, 5]) {
      const s = await runBatch([dir], { out: join(work, `pool-${round}.jsonl`), pool, progress: "none" });
      assert.deepEqual({ parsed: s.parsed, failed: s.failed }, { parsed: 4, failed: 2 });
      assert.equal(pool.started, 3, `round ${round}`);
    }
    await assert.rejects(Promise.all([pool.run([REPORTS[0]], { target: { fd: 1, format: "jsonl" } }), pool.run([REPORTS[1]], { target: { fd: 1, format: "jsonl" } })]), /一次只能跑一批/);
  } finally {
    await pool.close();
  }
  await assert.rejects(runBatch([dir], { out: join(work, "pool-6.jsonl"), pool, progress: "none" }), /已关闭/);
});

test("an idle pool left open does not keep the process from exiting", () => {
  const dir = join(work, "idle");
  mkdirSync(dir, { recursive: true });
  copyFileSync(REPORTS[0], join(dir, "r.txt"));
  const script = `import { runBatch, ParsePool } from ${JSON.stringify(new URL("./index.ts", import.meta.url).href)};
const pool = new ParsePool({ workers: 2 });
const s = await runBatch([${JSON.stringify(dir)}], { out: ${JSON.stringify(join(work, "idle.jsonl"))}, pool, progress: "none" });
console.log(JSON.stringify(s));`;
  // Were the workers still holding the event loop, the child would never exit: the timeout fails the test.
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).parsed, 1);
});

test("a file that needs more memory than a worker may use is reported as OUT_OF_MEMORY; the batch and the pool go on", async () => {
  // 128 MB of heap: every real report fits; the 15 MB one needs 300–500 MB.
  const pool = new ParsePool({ workers: 1, maxHeapMb: 128 });
  try {
    const dir = slowFolder("oom");
    const out = join(work, "oom.jsonl");
    const s = await runBatch([dir], { out, pool, progress: "none" });
    assert.deepEqual({ parsed: s.parsed, failed: s.failed, interrupted: s.interrupted }, { parsed: 3, failed: 1, interrupted: false });
    const failed = records(out).filter((r) => !r.ok);
    assert.deepEqual(failed.map((r) => [r.file, r.error?.code]), [[join(dir, "0-huge.txt"), "OUT_OF_MEMORY"]]);
    assert.equal(pool.started, 2, "the files behind it went to a new worker");
    const again = await runBatch([await mixedFolder("oom-after")], { out: join(work, "oom-after.jsonl"), pool, progress: "none" });
    assert.deepEqual({ parsed: again.parsed, failed: again.failed }, { parsed: 4, failed: 2 });
  } finally {
    await pool.close();
  }
});

test("closing a pool mid-batch stops it cleanly: whole records, no crash, and --resume finishes the rest", async () => {
  const dir = join(work, "close");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 60; i++) copyFileSync(REPORTS[i % REPORTS.length], join(dir, `${String(i).padStart(2, "0")}.txt`));
  const out = join(work, "close.jsonl");
  const pool = new ParsePool({ workers: 2 });
  const running = runBatch([dir], { out, pool, progress: "none" });
  // Close as soon as the first records are written.
  while (!existsSync(out) || statSync(out).size === 0) await new Promise((r) => setTimeout(r, 5));
  await pool.close();
  const s = await running;
  assert.equal(s.interrupted, true);
  const first = records(out);
  assert.equal(first.length, s.parsed + s.failed);
  assert.ok(first.length < 60, `${first.length} records`);
  assert.deepEqual(first.filter((r) => !r.ok), [], "no file given up as a crash");
  const rest = await runBatch([dir], { out, workers: 2, resume: true, progress: "none" });
  assert.equal(rest.skipped, first.length);
  const all = records(out);
  assert.equal(all.length, 60);
  assert.equal(new Set(all.map((r) => r.file)).size, 60);
});

test("a page saved complete is one report: its companion folder's frames are skipped, other folders are not", async () => {
  const dir = join(work, "saved");
  const page = readFileSync(join(FIX, "reports", "pingtan", "2024-97791", "page.html"));
  // Chrome: 报告.html + 报告_files/saved_resource.html (an iframe); Word's web page: x.htm + x.files/header.htm.
  mkdirSync(join(dir, "2024年报告_files"), { recursive: true });
  writeFileSync(join(dir, "2024年报告.html"), page);
  writeFileSync(join(dir, "2024年报告_files", "saved_resource.html"), "<html><body>分享到微信</body></html>");
  mkdirSync(join(dir, "word.files"));
  writeFileSync(join(dir, "word.htm"), page);
  writeFileSync(join(dir, "word.files", "header.htm"), "<html><body>页眉</body></html>");
  // A folder merely named like one, with no page beside it, holds reports like any other.
  mkdirSync(join(dir, "archive_files"));
  copyFileSync(REPORTS[0], join(dir, "archive_files", "2023.txt"));
  const out = join(work, "saved.csv");
  const s = await runBatch([dir], { out, force: true, workers: 0, progress: "none" });
  assert.deepEqual({ parsed: s.parsed, failed: s.failed }, { parsed: 3, failed: 0 });
  const files = parseCsv(readFileSync(out, "utf8").replace(/^\uFEFF/, "")).slice(1).map((r) => r[0].slice(dir.length + 1)).sort();
  assert.deepEqual(files, ["2024年报告.html", "archive_files/2023.txt", "word.htm"]);
});
