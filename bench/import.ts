/**
 * Import bench (`npm run bench:import`): where parsing on worker threads starts to pay in
 * `gongkai import`. For each batch size, N distinct reports (N/2 agencies, two years each, so the
 * across-year checks run) are written as HTML pages by the renderer, and the CLI imports the folder
 * into a fresh SQLite file, once one file at a time (`--workers 0`) and once with a worker per core,
 * alternating (ABBA), each run a new process as a user starts it. Every run must store all N.
 *
 *   npm run bench:import -- [--sizes 50,200,500,1000,3000] [--rounds 2]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fieldDef } from "../src/model/index.js";
import { parseReport } from "../src/parse/index.js";
import { renderHtml } from "../src/render/index.js";
import { loadBases, rng, synth } from "./synthetic.js";

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = arg("--sizes", "50,200,500,1000,3000").split(",").map(Number);
const rounds = Number(arg("--rounds", "2"));
const cores = availableParallelism();
const BIN = new URL("../bin/gongkai.js", import.meta.url).pathname;
const YEARS = [2023, 2024];

const PLACES = [..."安宁平江山河东西南北明清阳泉兴和"];
const DEPARTMENTS = ["财政局", "教育局", "民政局", "司法局", "商务局", "审计局", "卫生健康委员会", "自然资源局", "生态环境局", "交通运输局", "住房和城乡建设局", "市场监督管理局"];

/** N agency names as a city and its departments print them (安宁市人民政府, 安宁市财政局 …). */
function agencyNames(n: number): string[] {
  const out: string[] = [];
  for (let c = 0; out.length < n; c++) {
    const city = `${PLACES[Math.floor(c / PLACES.length) % PLACES.length]}${PLACES[c % PLACES.length]}市`;
    for (const unit of ["人民政府", ...DEPARTMENTS]) if (out.length < n) out.push(city + unit);
  }
  return out;
}

/** N rendered reports in DIR; the first few are read back to check the corpus is what it claims. */
async function writeCorpus(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const bases = loadBases();
  const agencies = agencyNames(Math.ceil(n / YEARS.length));
  let made = 0;
  for (const year of YEARS) {
    for (const [i, name] of agencies.entries()) {
      if (made === n) return;
      const report = { generation: "2021" as const, year, agency: name, fields: synth(bases, rng(year * 100003 + i)) };
      const path = join(dir, `${year}-${String(i).padStart(5, "0")}.html`);
      const html = renderHtml(report);
      writeFileSync(path, html);
      if (made < 3) {
        const back = await parseReport(Buffer.from(html), { filename: path });
        // The renderer writes the tables; prose figures (the fee of section 六) are not in the page.
        const wrong = Object.entries(report.fields).filter(([k, v]) => fieldDef(k, "2021")?.kind !== "prose" && back.fields[k] !== v);
        if (back.agency !== name || back.report_year !== year || wrong.length) throw new Error(`${path} reads back as ${back.agency} ${back.report_year}, ${wrong.length} fields differ`);
      }
      made++;
    }
  }
}

/** One `gongkai import` process on a fresh database; seconds from spawn to exit. */
function importRun(dir: string, n: number, workers: number): number {
  const db = join(dir, "..", `run-${workers}.db`);
  rmSync(db, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, "import", dir, "--db", db, "--workers", String(workers)], { encoding: "utf8" });
  const secs = (performance.now() - t) / 1000;
  const stored = Number(/新存 (\d+)/.exec(r.stderr)?.[1]);
  if (r.status !== 0 || stored !== n) throw new Error(`import --workers ${workers} of ${n} files: exit ${r.status}, stored ${stored}\n${r.stderr.slice(-2000)}`);
  rmSync(db, { force: true });
  return secs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = mkdtempSync(join(tmpdir(), "gongkai-bench-import-"));
try {
  const load0 = loadavg()[0];
  const rows: string[] = [];
  for (const n of sizes) {
    const dir = join(root, String(n), "reports");
    await writeCorpus(dir, n);
    const one: number[] = [], all: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [cores, 0] : [0, cores];
      for (const w of order) (w ? all : one).push(importRun(dir, n, w));
    }
    const a = median(one), b = median(all);
    rows.push(`| ${n} | ${a.toFixed(2)} (${one.map((x) => x.toFixed(2)).join(", ")}) | ${b.toFixed(2)} (${all.map((x) => x.toFixed(2)).join(", ")}) | ${(a / b).toFixed(2)} |`);
    process.stderr.write(`${n} files: one at a time ${a.toFixed(2)} s, ${cores} workers ${b.toFixed(2)} s\n`);
    rmSync(join(root, String(n)), { recursive: true, force: true });
  }
  console.log(`gongkai import of distinct rendered reports (2021 template), a new process and a fresh SQLite file per run; ${cores} cores; Node ${process.version}; load average ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.\n`);
  console.log(`| files | --workers 0 (s, median; runs) | --workers ${cores} (s, median; runs) | speedup |`);
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(r);
} finally {
  rmSync(root, { recursive: true, force: true });
}
