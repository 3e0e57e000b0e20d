import { failureText, parseFile } from "../../batch/parse-file.js";
import { inputs } from "../flags.js";
import { expandBundles } from "../../batch/bundle.js";
import type { Command } from "commander";
import type { Finding, ParsedReport } from "../../model/index.js";
import { validate } from "../../validate/index.js";
import { formatFindings, type Lang } from "../report-view.js";

/**
 * `gongkai check FILE...`: parse each report, check it against the template identities, print
 * the findings (parser issues and validator findings) grouped by severity. Several years of one
 * agency in one run are paired, so the cross-year rules ([y-1]) run too.
 * Exit code: 2 when a file could not be read, else 1 when any finding is an error, else 0.
 */


interface Checked {
  file: string;
  report: ParsedReport;
  issues: Finding[];
}
interface Failed {
  file: string;
  code: string;
  message: string;
}


async function readOne(file: string): Promise<ParsedReport | Failed> {
  // Checked below, with the year before when it is among the files.
  const o = await parseFile(file, false);
  if (o.ok) return o.report;
  return { file, code: o.error.code, message: failureText(o) };
}

/** The previous year's report of the same agency among those checked together, if any. */
function previousOf(report: ParsedReport, all: ParsedReport[]): ParsedReport | undefined {
  if (!report.agency || report.report_year === null) return undefined;
  return all.find((r) => r !== report && r.agency === report.agency && r.report_year === report.report_year! - 1);
}

function header(c: Checked, lang: Lang): string {
  const r = c.report;
  const n = Object.keys(r.fields).length;
  const zh = `${r.agency ?? "机构不明"} · ${r.report_year ?? "年度不明"}年度 · ${r.format ?? "格式不明"}格式 · 读取 ${n} 项`;
  const en = `${r.agency ?? "agency unknown"} · year ${r.report_year ?? "unknown"} · ${r.format ?? "unknown"} format · ${n} fields read`;
  const text = lang === "zh" ? zh : lang === "en" ? en : `${zh} (${en})`;
  return `${c.file}\n  ${text}`;
}

/** Findings grouped by severity; Chinese line, then English on the next line. */

export async function runCheck(files: string[], opts: { json?: boolean; lang?: string }, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const lang: Lang = opts.lang === "zh" || opts.lang === "en" ? opts.lang : "both";
  const parsed: (ParsedReport | Failed)[] = [];
  for (const file of files) {
    const r = await readOne(file);
    if ("code" in r) err(`gongkai check: ${r.message}\n`);
    parsed.push(r);
  }
  const reports = parsed.filter((r): r is ParsedReport => !("code" in r));
  const failed = parsed.filter((r): r is Failed => "code" in r);
  const checked: Checked[] = [];
  for (let i = 0; i < files.length; i++) {
    const r = parsed[i];
    if ("code" in r) continue;
    const previous = previousOf(r, reports);
    checked.push({ file: files[i], report: r, issues: [...r.issues, ...validate(r, { previous })] });
  }
  // A truncated capture is read as far as it goes, but the file counts as not fully readable (exit 2).
  const incomplete = checked.filter((c) => c.report.issues.some((f) => f.rule === "INCOMPLETE"));
  for (const c of incomplete) err(`gongkai check: ${c.file}: 报告不完整，统计表中断或缺失 (incomplete report)\n`);

  if (opts.json) {
    const rows = parsed.map((r, i) => {
      if ("code" in r) return { file: files[i], error: { code: r.code, message: r.message }, issues: [] };
      const c = checked.find((x) => x.report === r)!;
      return { file: files[i], agency: r.agency, report_year: r.report_year, format: r.format, fields_read: Object.keys(r.fields).length, issues: c.issues };
    });
    out(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const c of checked) out(`${header(c, lang)}\n${formatFindings(c.issues, lang)}\n\n`);
    const errors = checked.reduce((n, c) => n + c.issues.filter((f) => f.severity === "error").length, 0);
    const warnings = checked.reduce((n, c) => n + c.issues.filter((f) => f.severity === "warning").length, 0);
    const zh = `共 ${files.length} 个文件：错误 ${errors}，警告 ${warnings}，无法读取 ${failed.length}`;
    const en = `${files.length} files: ${errors} errors, ${warnings} warnings, ${failed.length} unreadable`;
    out(`${lang === "en" ? en : lang === "zh" ? zh : `${zh} (${en})`}\n`);
    if (failed.length) {
      out(`${lang === "en" ? "unreadable:" : lang === "zh" ? "无法读取：" : "无法读取 (unreadable):"}\n`);
      for (const f of failed) out(`  ${f.message}\n`);
    }
    if (incomplete.length) {
      out(`${lang === "en" ? "incomplete:" : lang === "zh" ? "不完整：" : "不完整 (incomplete):"}\n`);
      for (const c of incomplete) out(`  ${c.file}\n`);
    }
  }
  if (failed.length || incomplete.length) return 2;
  return checked.some((c) => c.issues.some((f) => f.severity === "error")) ? 1 : 0;
}

export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("check")
    .description("校验年度报告的勾稽关系 (check reports against the template identities)")
    .argument("[files...]", "报告文件、.zip 压缩包或网址 (report files, .zip bundles or http(s) addresses: .txt .html .mht .doc .wps .docx .rtf .pdf .ofd .xlsx .xls .et)")
    .option("--list <file>", "清单文件：每行一个文件或网址，- 为标准输入 (a file naming one input per line; - for stdin)")
    .option("--json", "输出 JSON (print JSON: [{file, issues}])")
    .option("--lang <lang>", "消息语言 zh|en，默认两者 (message language, default both)")
    .action(async (args: string[], opts: { json?: boolean; lang?: string; list?: string }) => {
      const files = expandBundles(inputs(args, opts.list));
      if (opts.lang && !["zh", "en"].includes(opts.lang)) {
        process.stderr.write(`gongkai check: --lang 只能是 zh 或 en (--lang must be zh or en): ${opts.lang}\n`);
        setCode(2);
        return;
      }
      setCode(await runCheck(files, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s)));
    });
}
