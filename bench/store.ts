/**
 * Store bench: bulk import of synthetic but valid reports into SQLite and PostgreSQL, with time
 * and peak RSS, then p50/p95 of compare, trend and rollup on that data; plus real parse + import
 * of the fixture reports. Each engine runs in its own child process so peak RSS is its own.
 *
 *   npm run bench:store -- [--reports 100000] [--engines sqlite,postgres] [--pg postgres://…] [--keep DIR]
 *
 * Synthetic reports are non-negative integer combinations a·R1 + b·R2 of two real 2021-format
 * reports (hand-labelled fixtures): every identity of the template is linear, so each combination
 * still satisfies the identities the originals satisfy. Agencies: 1 province, 14 cities, 10 units
 * per city (区/县), the rest departments spread under them; report years 2021–2025.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedReport } from "../src/model/index.js";
import { compare, importFiles, importParsed, openStore, rollup, trend } from "../src/store/index.js";
import { YEARS, loadBases, plan, rng, synth } from "./synthetic.js";

const ROOT = new URL("../", import.meta.url).pathname;
const args = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

/** Bytes this process has written to storage (Linux /proc; 0 elsewhere). */
function writtenBytes(): number {
  try { return Number(/write_bytes: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0); } catch { return 0; }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timeQueries(label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<{ label: string; n: number; p50: number; p95: number }> {
  await fn(0); // warm caches once
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i + 1);
    ms.push(performance.now() - t);
  }
  return { label, n, p50: pct(ms, 50), p95: pct(ms, 95) };
}

async function child(engine: string, url: string, reports: number): Promise<void> {
  const store = await openStore(url);
  const bases = loadBases();
  const p = plan(reports);
  // Agencies first (a roster, as an agencies CSV would give), then the reports.
  for (const a of p.agencies) await (await import("../src/store/index.js")).ensureAgency(store, a.name, { level: a.level, parent: a.parent });
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const io0 = writtenBytes();
  let done = 0;
  // Making the synthetic models is input, not import: its time is taken out of both clocks.
  let synthWall = 0, synthCpu = 0;
  // PostgreSQL answers over the network: several connections import in parallel lanes, one lane
  // per agency (agency index mod lanes), so no two transactions touch the same agency's years.
  const lanes = engine === "postgres" ? 4 : 1;
  for (const year of YEARS) {
    const todo = p.agencies.slice(0, Math.max(0, Math.min(p.agencies.length, reports - done)));
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < todo.length; i += lanes) {
        const a = todo[i];
        // Made per report from its own seed: the same models whatever the lanes' interleaving,
        // and none held beyond its import (peak RSS is the import's).
        const sw = performance.now(), sc = process.cpuUsage();
        const fields = synth(bases, rng(year * 100003 + i));
        const scu = process.cpuUsage(sc);
        synthWall += performance.now() - sw;
        synthCpu += scu.user + scu.system;
        const model: ParsedReport = { file: `synthetic/${year}/${a.name}`, format: "2021", report_year: year, agency: a.name, fields, blank: [], ambiguous: [], provenance: {}, issues: [] };
        await importParsed(store, model, { file: model.file, bytes: Buffer.from(`${model.file}#${year}`) });
        done++;
        if (done % 10000 === 0) process.stderr.write(`${engine}: ${done}/${reports} (${(done / ((performance.now() - t0) / 1000)).toFixed(0)}/s)\n`);
      }
    }));
    if (done >= reports) break;
  }
  const secs = (performance.now() - t0 - synthWall) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system - synthCpu) / 1e6;
  const load1 = loadavg()[0];
  const writtenPerReport = (writtenBytes() - io0) / Math.max(done, 1);
  const rssImport = process.resourceUsage().maxRSS / 1024;

  const fields = ["applications.new.total", "applications.result.disclosed.total", "applications.carried_out.total", "review.reconsideration.total", "proactive.normative_docs.in_force"];
  const qr = rng(7);
  const pick = <T,>(xs: T[]) => xs[Math.floor(qr() * xs.length)];
  const names = p.agencies.map((a) => a.name);
  const q = [
    await timeQueries("compare (all agencies, one year, one field)", 40, () => compare(store, { year: pick(YEARS), field: pick(fields) })),
    await timeQueries("compare --level 区", 40, () => compare(store, { year: pick(YEARS), field: pick(fields), level: "区" })),
    await timeQueries("trend (one agency, one field)", 100, () => trend(store, { agency: pick(names), field: pick(fields) })),
    await timeQueries("rollup (a 市 with its 10 区)", 20, () => rollup(store, { agency: pick(p.agencies.filter((a) => a.level === "市")).name, year: pick(YEARS) })),
  ];
  // Departments exist only when there are more reports per year than governments.
  const districts = p.agencies.filter((a) => a.level === "区" && p.agencies.some((d) => d.parent === a.name));
  if (districts.length) q.push(await timeQueries("rollup (a 区 with its departments)", 20, () => rollup(store, { agency: pick(districts).name, year: pick(YEARS) })));


  // Real parse + import of the fixture reports (each a distinct file; a fresh database).
  const files = (readdirSync(join(ROOT, "fixtures/reports"), { recursive: true }) as string[]).filter((f) => /page\.(txt|html)$/.test(f)).map((f) => join(ROOT, "fixtures/reports", f));
  let real = { files: files.length, secs: 0 };
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "gongkai-bench-real-"));
    const s2 = await openStore(join(dir, "real.db"));
    const t = performance.now();
    await importFiles(s2, files);
    real = { files: files.length, secs: (performance.now() - t) / 1000 };
    await s2.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const size = engine === "sqlite" ? 0 : Number((await (await import("kysely")).sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(store.db)).rows[0].n);
  await store.close();
  process.stdout.write(JSON.stringify({ engine, lanes, reports: done, secs, rate: done / secs, cpuSecs, cpuRate: done / cpuSecs, writtenPerReport, load: [load0, load1], rssImport, rssPeak: process.resourceUsage().maxRSS / 1024, size: size || statSync(url).size, queries: q, real }) + "\n");
}

async function parent(): Promise<void> {
  const reports = Number(arg("--reports", "100000"));
  const engines = (arg("--engines", "sqlite,postgres") ?? "").split(",").filter(Boolean);
  const results: any[] = [];
  const keep = arg("--keep");
  const dir = keep ?? mkdtempSync(join(tmpdir(), "gongkai-bench-store-"));
  let pgDrop: (() => Promise<void>) | undefined;
  for (const engine of engines) {
    let url: string;
    if (engine === "sqlite") url = join(dir, `bench-${reports}.db`);
    else {
      const explicit = arg("--pg");
      if (explicit) url = explicit;
      else {
        const { testPostgres } = await import("../test/pg.js");
        const pg = await testPostgres("bench");
        if (!pg) { process.stderr.write("PostgreSQL unavailable: skipped\n"); continue; }
        url = pg.url;
        pgDrop = pg.drop;
      }
    }
    process.stderr.write(`${engine}: importing ${reports} reports…\n`);
    const r = spawnSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--child", engine, url, String(reports)], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) { process.stderr.write(`${engine}: bench failed (exit ${r.status})\n`); continue; }
    results.push(JSON.parse(r.stdout.trim().split("\n").pop()!));
  }
  if (pgDrop) await pgDrop();
  if (!keep) rmSync(dir, { recursive: true, force: true });

  const mb = (x: number) => `${x.toFixed(0)} MB`;
  const lines = [
    `Store bench (${new Date().toISOString().slice(0, 10)}, ${reports} synthetic 2021-format reports, validation on, one transaction per report)`,
    "",
    "| engine | reports | import time (wall) | reports/s (wall) | CPU time of the importing process | reports per CPU-second | written per report | peak RSS (import) | database size | load average (start–end) |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.engine}${r.lanes > 1 ? ` (${r.lanes} connections)` : ""} | ${r.reports} | ${r.secs.toFixed(1)} s | ${r.rate.toFixed(0)} | ${r.cpuSecs.toFixed(1)} s | ${r.cpuRate.toFixed(0)} | ${(r.writtenPerReport / 1024).toFixed(0)} kB | ${mb(r.rssImport)} | ${mb(r.size / 1048576)} | ${r.load.map((l: number) => l.toFixed(1)).join("–")} |`),
    "",
    "| query | engine | runs | p50 | p95 |",
    "|---|---|---|---|---|",
    ...results.flatMap((r) => r.queries.map((q: any) => `| ${q.label} | ${r.engine} | ${q.n} | ${q.p50.toFixed(1)} ms | ${q.p95.toFixed(1)} ms |`)),
    "",
    ...results.filter((r) => r.real.secs).map((r) => `Real parse + validate + import (SQLite) of the ${r.real.files} fixture files: ${r.real.secs.toFixed(2)} s (${(r.real.files / r.real.secs).toFixed(1)} files/s).`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

if (args[0] === "--child") await child(args[1], args[2], Number(args[3]));
else await parent();


