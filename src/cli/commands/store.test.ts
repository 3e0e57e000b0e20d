import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { engines } from "../../../test/pg.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const FIX = join(ROOT, "fixtures/reports");
const CLI = `import("./src/cli/main.ts").then((m) => m.main(["node", "gongkai", ...JSON.parse(process.argv[1])])).then((c) => { process.exitCode = c; });`;
const gongkai = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "-e", CLI, JSON.stringify(args)], { cwd: ROOT, encoding: "utf8" });
const gongkaiBytes = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "-e", CLI, JSON.stringify(args)], { cwd: ROOT });

for (const engine of await engines("cli_store")) {
  test.after(() => engine.cleanup());

  test(`[${engine.name}] import, compare, trend, missing, rollup and findings from the command line`, async () => {
    const db = await engine.fresh();
    const dir = mkdtempSync(join(tmpdir(), "gongkai-cli-"));
    try {
      const csv = join(dir, "agencies.csv");
      writeFileSync(csv, "name,level,parent,aliases\n平潭综合实验区管委会,区,,平潭综合实验区管委会办公室\n");
      const url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/2024.htm";
      const imp = gongkai(["import", join(FIX, "pingtan/2023-87885/page.txt"), join(FIX, "pingtan-dept"), "--agencies", csv, "--db", db]);
      assert.equal(imp.status, 0, imp.stderr);
      assert.match(imp.stderr, /新存 11.*stored 11/);
      const one = gongkai(["import", join(FIX, "pingtan/2024-97791/page.txt"), "--url", url, "--db", db, "--json"]);
      assert.equal(one.status, 0, one.stderr);
      const o = JSON.parse(one.stdout);
      assert.equal(o.status, "stored");
      assert.equal(o.agency, "平潭综合实验区管委会");

      const cmp = gongkai(["compare", "--year", "2022", "--field", "applications.new.total", "--format", "json", "--db", db]);
      assert.equal(cmp.status, 0, cmp.stderr);
      assert.deepEqual(JSON.parse(cmp.stdout).map((r: { agency: string }) => r.agency), ["平潭综合实验区财政金融局"]);

      const csvOut = gongkaiBytes(["trend", "--agency", "平潭综合实验区管委会办公室", "--field", "applications.new.total", "--format", "csv", "--db", db]);
      assert.equal(csvOut.status, 0, String(csvOut.stderr));
      assert.deepEqual([...csvOut.stdout.subarray(0, 3)], [0xef, 0xbb, 0xbf], "CSV starts with a UTF-8 BOM for Excel");
      const lines = csvOut.stdout.toString("utf8").slice(1).trim().split("\r\n");
      assert.equal(lines[0], "年度 year,数值 value,增减 change,格式 format,版本 version");
      assert.deepEqual(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(",")), ["2023,81", "2024,218"]);

      const xlsx = join(dir, "missing.xlsx");
      const miss = gongkai(["missing", "--year", "2024", "--format", "xlsx", "--output", xlsx, "--db", db]);
      assert.equal(miss.status, 1, "some agencies have no 2024 report");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(xlsx);
      const names = wb.worksheets[0].getColumn(1).values.slice(2);
      assert.deepEqual(names, ["平潭县财政局", "平潭综合实验区行政审批局", "平潭综合实验区财政金融局"].sort());

      const roll = gongkai(["rollup", "--agency", "平潭综合实验区管委会", "--year", "2022", "--db", db]);
      assert.equal(roll.status, 0, roll.stderr);
      assert.match(roll.stdout, /1\/2 个下级单位有报告/);
      assert.match(roll.stdout, /本级没有公布的报告/);
      // The sum is drawn as table 三: 财政金融局 2022 is the one unit with a report (本年新收 总计 1).
      assert.match(roll.stdout, /│ 一、本年新收政府信息公开申请数量 │[ \d│]*│ +1 │\n/);

      const list = gongkai(["findings", "list", "--agency", "平潭综合实验区财政金融局", "--year", "2020", "--rule", "PRO19-PREV-CONTINUITY", "--format", "json", "--db", db]);
      assert.equal(list.status, 0, list.stderr);
      const fs = JSON.parse(list.stdout);
      assert.ok(fs.length >= 1);
      const fp = fs[0].fingerprint as string;
      const dis = gongkai(["findings", "dismiss", fp.slice(0, 10), "--comment", "口径调整", "--by", "tester", "--db", db]);
      assert.equal(dis.status, 0, dis.stderr);
      const open = JSON.parse(gongkai(["findings", "list", "--status", "open", "--format", "json", "--db", db]).stdout);
      assert.ok(!open.some((f: { fingerprint: string }) => f.fingerprint === fp));
      const show = gongkai(["findings", "show", fp, "--db", db]);
      assert.equal(show.status, 0, show.stderr);
      assert.match(show.stdout, /dismissed/);
      assert.match(show.stdout, /口径调整/);

      // The original bytes and URL are kept with the report.
      const f2024 = JSON.parse(gongkai(["findings", "list", "--year", "2024", "--format", "json", "--db", db]).stdout);
      if (f2024.length) {
        const s = gongkai(["findings", "show", f2024[0].fingerprint, "--db", db]);
        assert.ok(s.stdout.includes(url), s.stdout);
        const orig = gongkaiBytes(["findings", "show", f2024[0].fingerprint, "--original", "--db", db]);
        assert.deepEqual(orig.stdout, readFileSync(join(FIX, "pingtan/2024-97791/page.txt")));
      }

      const bad = gongkai(["compare", "--year", "2022", "--field", "no.such", "--db", db]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^gongkai: 未知字段/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test("import takes saved files: an address is refused with a message saying to save it or parse it, nothing stored", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-import-url-"));
  try {
    const db = join(dir, "r.sqlite");
    const r = gongkai(["import", "--db", db, join(FIX, "pingtan/2024-97791/page.txt"), "https://www.example.gov.cn/2024.html"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gongkai import: 只导入本地文件.*: https:\/\/www\.example\.gov\.cn\/2024\.html$/m);
    // The refusal comes before anything is read: the local file beside the address is not stored either.
    if (existsSync(db)) {
      const sqlite = new Database(db, { readonly: true });
      assert.equal((sqlite.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n, 0);
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
