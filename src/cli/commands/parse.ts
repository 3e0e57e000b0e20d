import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { ParsedReport } from "../../model/index.js";
import { InputError, parseReport } from "../../parse/index.js";
import { validate } from "../../validate/index.js";
import { drawReport } from "../report-view.js";

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

const NODE_ERRORS: Record<string, string> = {
  ENOENT: "文件不存在 (no such file)",
  EISDIR: "是目录，不是文件 (is a directory)",
  EACCES: "没有读取权限 (permission denied)",
};

async function parseOne(file: string): Promise<ParsedReport | Failure> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    return { file, message: `${file}: ${NODE_ERRORS[code] ?? `无法读取 (cannot read: ${code || String(e)})`}` };
  }
  try {
    const report = await parseReport(bytes, { filename: file });
    report.issues = [...report.issues, ...validate(report)];
    return report;
  } catch (e) {
    if (e instanceof InputError) return { file, message: e.message.startsWith(file) ? e.message : `${file}: ${e.message}` };
    return { file, message: `${file}: 无法解析 (cannot parse: ${e instanceof Error ? e.message : String(e)})` };
  }
}

export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("parse")
    .description("解析年度报告，输出字段、空白、不确定值与问题 (parse annual reports into the canonical model)")
    .argument("<files...>", "报告文件：HTML、文本、DOCX、PDF、XLSX (report files)")
    .option("--json", "输出 JSON（多个文件时为数组） (print JSON; an array for several files)")
    .action(async (files: string[], opts: { json?: boolean }) => {
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
