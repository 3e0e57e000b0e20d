import type { Command } from "commander";
import type { ParsedReport } from "../../model/index.js";
import { InputError } from "../../parse/index.js";
import { drawReport } from "../report-view.js";
import { intOption, inputs } from "../flags.js";
import { runBatch } from "../../batch/index.js";
import { expandBundles } from "../../batch/bundle.js";
import { failureText, parseFile } from "../../batch/parse-file.js";
import { statSync } from "node:fs";

/**
 * `gongkai parse FILE... [--json]`: read each report into the canonical model. `--json` prints
 * one object per file (an array for several), the schema/parse-result.schema.json shape; without
 * it, a readable summary with the statutory tables drawn. A file that cannot be read gets one
 * line on stderr and the run goes on; exit code 2 when any file failed or was incomplete.
 */

interface Failure {
  file: string;
  message: string;
}

async function parseOne(file: string): Promise<ParsedReport | Failure> {
  const o = await parseFile(file);
  if (o.ok) return o.report;
  return { file, message: failureText(o) };
}

export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("parse")
    .description("解析年度报告，输出字段、空白、不确定值与问题 (parse annual reports into the canonical model)")
    .argument("[files...]", "报告文件、文件夹、.zip 压缩包或网址：HTML、MHTML、文本、DOC/WPS、DOCX、RTF、PDF、OFD、XLSX/XLS/ET (report files, folders, .zip bundles or http(s) addresses)")
    .option("--list <file>", "清单文件：每行一个文件、文件夹或网址，- 为标准输入 (a file naming one input per line; - for stdin)")
    .option("--json", "输出 JSON（多个文件时为数组） (print JSON; an array for several files)")
    .option("--out <file>", "批量：结果写入 .jsonl/.csv/.xlsx，文件夹递归，多核并行 (batch: write results to .jsonl/.csv/.xlsx)")
    .option("--headers <lang>", "CSV/XLSX 列名：id 或 zh (column headers: field ids or Chinese labels)", "id")
    .option("--resume", "续跑：跳过输出文件里已有的文件 (skip files already in the output)")
    .option("--force", "覆盖已有的输出文件 (overwrite an existing output file)")
    .option("--workers <n>", "并行线程数，默认全部核心 (worker threads; default all cores)")
    .option("--max-heap <MB>", "批量：每个线程的内存上限，超出的文件记为 OUT_OF_MEMORY (batch: each worker's heap limit in MB)")
    .action(async (args: string[], opts: BatchFlags & { json?: boolean; list?: string }) => {
      const given = inputs(args, opts.list);
      // A batch's walk opens bundles itself; one at a time, a bundle stands for its reports here.
      if (opts.out || given.some((f) => isDir(f))) return batch(given, opts, setCode);
      const files = expandBundles(given);
      const reports: ParsedReport[] = [];
      const failures: Failure[] = [];
      for (const file of files) {
        const r = await parseOne(file);
        if ("fields" in r) {
          reports.push(r);
          if (r.issues.some((i) => i.rule === "INCOMPLETE")) failures.push({ file, message: `${file}: 报告不完整，统计表中断 (incomplete report: the tables stop before their end)` });
          if (!opts.json) process.stdout.write(drawReport(r) + "\n\n");
        } else {
          failures.push(r);
        }
        const failed = failures.find((f) => f.file === file);
        if (failed) process.stderr.write(failed.message + "\n");
      }
      if (opts.json && !(files.length === 1 && reports.length === 0)) process.stdout.write(JSON.stringify(files.length === 1 && reports.length === 1 ? reports[0] : reports, null, 2) + "\n");
      if (failures.length) {
        if (files.length > 1) {
          process.stderr.write(`\n${failures.length} 个文件有问题 (${failures.length} file(s) failed):\n`);
          for (const f of failures) process.stderr.write(`  ${f.file}\n`);
        }
        setCode(2);
      }
    });
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

interface BatchFlags {
  out?: string;
  headers?: string;
  resume?: boolean;
  force?: boolean;
  workers?: string;
  maxHeap?: string;
}

/** Folders or --out: the batch runner (src/batch) writes one export and a progress display. */
async function batch(paths: string[], opts: BatchFlags, setCode: (code: number) => void): Promise<void> {
  if (!opts.out) {
    process.stderr.write("解析文件夹需要 --out 结果文件(.jsonl/.csv/.xlsx) (folders need --out FILE.jsonl|.csv|.xlsx)\n");
    return setCode(2);
  }
  if (opts.headers !== "id" && opts.headers !== "zh") {
    process.stderr.write(`--headers 只能是 id 或 zh (--headers must be id or zh): ${opts.headers}\n`);
    return setCode(2);
  }
  try {
    const workers = intOption(opts.workers, "--workers", 0);
    const maxHeapMb = intOption(opts.maxHeap, "--max-heap", 64);
    const s = await runBatch(paths, { out: opts.out, headers: opts.headers, resume: opts.resume, force: opts.force, workers, maxHeapMb });
    process.stderr.write(`${s.out}: 解析成功 ${s.parsed}，失败 ${s.failed}，已跳过 ${s.skipped}，共 ${s.total} (parsed ${s.parsed}, failed ${s.failed}, skipped ${s.skipped}, total ${s.total})${s.interrupted ? "；已中断，加 --resume 续跑 (interrupted; rerun with --resume)" : ""}\n`);
    setCode(s.interrupted ? 130 : s.failed ? 2 : 0);
  } catch (e) {
    if (e instanceof InputError) { process.stderr.write(e.message + "\n"); return setCode(2); }
    throw e;
  }
}
