import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv, runBatch } from "../src/batch/index.js";

/**
 * The exports are for Excel, WPS and LibreOffice: LibreOffice itself (headless, as .ci/run installs
 * it) must open the XLSX and the CSV and see the same reports, Chinese headers and numbers.
 */
const soffice = ["soffice", "libreoffice"].find((c) => spawnSync(c, ["--version"], { encoding: "utf8" }).status === 0);
const FIX = new URL("../fixtures/reports/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gongkai-lo-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** LibreOffice's own reading of a spreadsheet, as UTF-8 CSV rows. */
function readWithLibreOffice(file: string): string[][] {
  const out = join(work, `lo-${Date.now()}`);
  mkdirSync(out);
  // Headless LibreOffice asks no questions, so the CSV import is told what its dialog would detect:
  // comma-separated UTF-8 (the BOM is what Excel and WPS go by).
  const infilter = file.endsWith(".csv") ? ["--infilter=CSV:44,34,76,1"] : [];
  const r = spawnSync(soffice!, ["--headless", `-env:UserInstallation=file://${join(work, "profile")}`, ...infilter, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out, file], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const [csv] = readdirSync(out);
  return parseCsv(readFileSync(join(out, csv), "utf8").replace(/^\ufeff/, ""));
}

test("LibreOffice opens the XLSX and the CSV exports and reads the same reports and numbers", { skip: !soffice && "LibreOffice is not installed" }, async () => {
  const dir = join(work, "in");
  mkdirSync(dir);
  copyFileSync(join(FIX, "pingtan/2023-87885/page.txt"), join(dir, "pingtan-2023.txt"));
  copyFileSync(join(FIX, "pingtan-dept/hzs-2021-80609/page.txt"), join(dir, "hzs-2021.txt"));
  for (const ext of ["xlsx", "csv"]) {
    const out = join(work, `reports.${ext}`);
    await runBatch([dir], { out, workers: 1, headers: "zh", progress: "none" });
    const rows = readWithLibreOffice(out);
    const header = rows[0];
    const col = header.indexOf("一、本年新收政府信息公开申请数量 / 总计");
    assert.ok(col > 0, `${ext}: Chinese header present as LibreOffice reads it`);
    const byFile = new Map(rows.slice(1).map((r) => [r[0].split("/").pop(), r]));
    assert.equal(byFile.get("pingtan-2023.txt")?.[col], "81", ext);
    assert.equal(byFile.get("hzs-2021.txt")?.[col], "6", ext);
  }
});
