/**
 * Import bench (`npm run bench:import`): where parsing on worker threads starts to pay in
 * `gongkai import`. For each batch size, N distinct reports are written as HTML pages, and the
 * CLI imports the folder into a fresh SQLite file one file at a time (`--workers 0`) and with
 * each worker count asked for (default: the CLI's own, one core fewer than the machine has, and
 * one per core), in alternating order (ABBA), each run a new process as a user starts it. Every
 * run must store all N.
 *
 * Two corpora: the published fixture pages (long prose, 17 KB), each under an agency name of its
 * own, and the 2021 template as the renderer writes it (tables and little prose, 7 KB).
 *
 *   npm run bench:import -- [--sizes 100,500,1000,2000,4000] [--rounds 2] [--corpus published,template] [--workers 1,2]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fieldDef } from "../src/model/index.js";
import { parseReport } from "../src/parse/index.js";
import { renderHtml } from "../src/render/index.js";
import { htmlPages } from "./pages.js";
import { loadBases, rng, synth } from "./synthetic.js";

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = arg("--sizes", "100,500,1000,2000,4000").split(",").map(Number);
const corpora = arg("--corpus", "published,template").split(",") as Corpus[];
const rounds = Number(arg("--rounds", "2"));
const cores = availableParallelism();
/** Worker counts compared with one file at a time: by default the CLI's (one core fewer than the machine has) and one per core. */
const pools = arg("--workers", [...new Set([Math.max(1, cores - 1), cores])].join(",")).split(",").map(Number);
const BIN = new URL("../bin/gongkai.js", import.meta.url).pathname;
const YEARS = [2023, 2024];

const PLACES = [..."安宁平江山河东西南北明清阳泉兴和"];
const DEPARTMENTS = ["财政局", "教育局", "民政局", "司法局", "商务局", "审计局", "卫生健康委员会", "自然资源局", "生态环境局", "交通运输局", "住房和城乡建设局", "市场监督管理局"];

/** N agency names as a city and its departments print them (安宁市人民政府, 安宁市财政局 …). */
function agencyNames(n: number): string[] {
  const out: string[] = [];
  // Two places' names give 256 cities (3,328 agencies); a third, 4,096.
  for (let c = 0; out.length < n; c++) {
    const k = PLACES.length;
    const city = `${c >= k * k ? PLACES[Math.floor(c / (k * k)) % k] : ""}${PLACES[Math.floor(c / k) % k]}${PLACES[c % k]}市`;
    for (const unit of ["人民政府", ...DEPARTMENTS]) if (out.length < n) out.push(city + unit);
  }
  return out;
}

type Corpus = "template" | "published";

/** N rendered reports of the 2021 template in DIR; the first few are read back to check the corpus is what it claims. */
async function templateCorpus(dir: string, n: number): Promise<void> {
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

/**
 * N published reports (the fixture pages of `npm run bench`), each under an agency name of its
 * own, put in its <title> and a heading as a saved page carries them. Only pages that read back
 * with that name, their year and their figures are used.
 */
async function publishedCorpus(dir: string, n: number): Promise<void> {
  const named = (html: string, name: string, year: number) => {
    const t = `${name}${year}年政府信息公开工作年度报告`;
    return html.replace(/<title>[^<]*<\/title>/, `<title>${t}</title>`).replace(/<body([^>]*)>/, `<body$1><h1>${t}</h1>`);
  };
  const usable: { html: string; year: number }[] = [];
  for (const html of await htmlPages()) {
    const r = await parseReport(Buffer.from(html), { filename: "page.html" });
    if (!r.report_year) continue;
    const back = await parseReport(Buffer.from(named(html, "安宁市财政局", r.report_year)), { filename: "page.html" });
    if (back.agency === "安宁市财政局" && back.report_year === r.report_year && JSON.stringify(back.fields) === JSON.stringify(r.fields)) usable.push({ html, year: r.report_year });
  }
  if (usable.length < 10) throw new Error(`only ${usable.length} fixture pages take another agency's name`);
  const names = agencyNames(n);
  for (let i = 0; i < n; i++) {
    const { html, year } = usable[i % usable.length];
    writeFileSync(join(dir, `${String(i).padStart(5, "0")}.html`), named(html, names[i], year));
  }
}

async function writeCorpus(corpus: Corpus, dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await (corpus === "template" ? templateCorpus : publishedCorpus)(dir, n);
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const root = mkdtempSync(join(tmpdir(), "gongkai-bench-import-"));
try {
  const load0 = loadavg()[0];
  const rows: string[] = [];
  for (const corpus of corpora) {
    for (const n of sizes) {
      const dir = join(root, `${corpus}-${n}`, "reports");
      await writeCorpus(corpus, dir, n);
      const kb = readdirSync(dir).reduce((t, f) => t + statSync(join(dir, f)).size, 0) / n / 1024;
      const configs = [0, ...pools];
      const secs = configs.map(() => [] as number[]);
      for (let r = 0; r < rounds; r++) {
        // Forward, then backward (ABBA …): a steady drift of the machine favours no configuration.
        const order = r % 2 ? [...configs.keys()].reverse() : [...configs.keys()];
        for (const c of order) secs[c].push(importRun(dir, n, configs[c]));
      }
      const runs = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
      const base = median(secs[0]);
      rows.push(`| ${corpus} | ${n} | ${kb.toFixed(1)} | ${base.toFixed(2)} (${runs(secs[0])}) | ${secs.slice(1).map((xs) => `${median(xs).toFixed(2)} (${runs(xs)}), ×${(base / median(xs)).toFixed(2)}`).join(" | ")} |`);
      process.stderr.write(`${rows.at(-1)}\n`);
      rmSync(join(root, `${corpus}-${n}`), { recursive: true, force: true });
    }
  }
  console.log(`gongkai import of distinct reports, a new process and a fresh SQLite file per run; ${cores} cores; Node ${process.version}; load average ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.\n`);
  console.log(`| corpus | files | KB per file | --workers 0 (s, median; runs) | ${pools.map((w) => `--workers ${w} (s; runs), speedup`).join(" | ")} |`);
  console.log(`|---|---|---|---|${pools.map(() => "---|").join("")}`);
  for (const r of rows) console.log(r);
} finally {
  rmSync(root, { recursive: true, force: true });
}
