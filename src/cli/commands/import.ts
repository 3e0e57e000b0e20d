import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { collectInputs, createProgress } from "../../batch/index.js";
import { isUrl } from "../../batch/source.js";
import { DB_OPTION, withStore } from "../../store/command.js";
import { inputs, intOption } from "../flags.js";
import { importFiles, loadAgenciesCsv, type ImportOutcome } from "../../store/index.js";

/**
 * `gongkai import PATH...`: parse each report and store it, one transaction per report. The same
 * bytes twice are one report; another report for the same agency and year becomes a new version.
 * Exit 0 when every file is stored (or already was), 2 when any file could not be imported or the
 * database cannot be used.
 */
export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("import")
    .description("解析并存入数据库：每份报告一个事务，重复导入不重复存储 (parse and store reports; idempotent, one transaction per report)")
    .argument("[paths...]", "报告文件、文件夹或 .zip 压缩包 (report files, folders or .zip bundles)")
    .option("--list <file>", "清单文件：每行一个文件或文件夹，- 为标准输入 (a file naming one input per line; - for stdin)")
    .option(...DB_OPTION)
    .option("--agency <name>", "机关名称（覆盖报告中识别的名称） (agency name, overriding the one read from the report)")
    .option("--level <level>", "机关级别：省/市/县/区/部门 (agency level)")
    .option("--parent <name>", "上级机关名称 (parent agency)")
    .option("--year <year>", "报告年度（覆盖识别的年度） (report year, overriding the one read)")
    .option("--url <url>", "原文网址 (source URL of the report)")
    .option("--agencies <csv>", "机关名录 CSV：name,level,parent,aliases (agencies CSV)")
    .option("--json", "每个文件一行 JSON 结果 (one JSON line per file)")
    .option("--workers <n>", "解析线程数；默认 500 个文件起用核心数减一，0 为逐个解析 (parsing threads; default one fewer than the cores from 500 files, 0 = one at a time)")
    .option("--max-heap <MB>", "每个解析线程的内存上限 (each parsing thread's heap limit in MB)")
    .action(async (paths: string[], opts: { db?: string; agency?: string; level?: string; parent?: string; year?: string; url?: string; agencies?: string; json?: boolean; workers?: string; maxHeap?: string; list?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        if (opts.agencies) {
          const n = await loadAgenciesCsv(store, opts.agencies);
          process.stderr.write(`机关名录：${n} 行 (agencies CSV: ${n} rows applied)\n`);
        }
        if (paths.length === 0 && opts.list === undefined) {
          if (opts.agencies) return 0;
          process.stderr.write("gongkai import: 请给出报告文件或文件夹 (give report files or folders)\n");
          return 2;
        }
        const given = inputs(paths, opts.list);
        const addresses = given.filter(isUrl);
        if (addresses.length) {
          // The store keeps each report's own bytes and where they came from: a page is saved first.
          process.stderr.write(`gongkai import: 只导入本地文件，网址请先保存，或用 gongkai parse 直接解析 (import takes saved files; save the page first, or read it with gongkai parse): ${addresses[0]}\n`);
          return 2;
        }
        const files = collectInputs(given);
        const year = intOption(opts.year, "--year");
        const workers = intOption(opts.workers, "--workers", 0) ?? (files.length >= PARALLEL_FROM ? Math.max(1, availableParallelism() - 1) : 0);
        const maxHeapMb = intOption(opts.maxHeap, "--max-heap", 64);
        // Files not stored yet are parsed on worker threads ahead of the storing: the one count
        // shown is of files stored, which waits for their parse.
        const progress = createProgress({ total: files.length, label: "导入 import", mode: opts.json || files.length < 2 ? "none" : "auto" });
        const tally: Record<ImportOutcome["status"], number> = { stored: 0, version: 0, duplicate: 0, failed: 0 };
        const failed: ImportOutcome[] = [];
        try {
          await importFiles(store, files, {
            agency: opts.agency, level: opts.level, parent: opts.parent, year, url: opts.url, workers, maxHeapMb,
            onFile: (o) => {
              tally[o.status]++;
              if (o.status === "failed") failed.push(o);
              if (opts.json) process.stdout.write(JSON.stringify(o) + "\n");
              progress.tick();
            },
          });
        } finally {
          progress.stop();
        }
        for (const f of failed) process.stderr.write(`${f.message}\n`);
        process.stderr.write(`新存 ${tally.stored}，新版本 ${tally.version}，已有 ${tally.duplicate}，失败 ${tally.failed} (stored ${tally.stored}, new versions ${tally.version}, already stored ${tally.duplicate}, failed ${tally.failed}) → ${store.display}\n`);
        return tally.failed ? 2 : 0;
      });
    });
}

/**
 * From how many files an import parses on worker threads unless --workers says otherwise, and then
 * on one core fewer than the machine has: this thread, storing one transaction per report, is what
 * an import waits for, and a worker on every core takes CPU from it. `npm run bench:import` on 2
 * cores, distinct published reports, one file at a time against one worker: 100 files 1.35 s against
 * 1.39 s, 500 2.80 s against 2.72 s, 1,000 3.95 s against 3.59 s, 4,000 13.5 s against 9.4 s (two
 * workers: 4.40 and 11.0 s). BENCHMARKS.md, "Import".
 */
const PARALLEL_FROM = 500;
