import type { Command } from "commander";
import { DB_OPTION, withStore } from "../../store/command.js";
import { intOption } from "../flags.js";
import { checkAllAcrossYears, checkFormat, listFindings, renderRows, resolveAgency, setVerdict, showFinding, type StoredFinding, type Verdict } from "../../store/index.js";

/**
 * `gongkai findings list|show|confirm|dismiss|recheck`: the stored validation findings, and an
 * evaluator's verdicts on them. Verdicts are keyed by the finding's fingerprint, so they survive
 * re-parsing and re-import.
 */
export function register(program: Command, setCode: (code: number) => void): void {
  const cmd = program.command("findings").description("已存问题：列出、查看、确认、驳回 (stored findings: list, show, confirm, dismiss)");

  cmd.command("list")
    .description("列出问题 (list findings)")
    .option("--agency <name>", "机关 (agency)")
    .option("--year <year>", "年度 (report year)")
    .option("--rule <code>", "规则代码 (rule code)")
    .option("--severity <s>", "error、warning、info")
    .option("--status <s>", "open（未处理）、confirmed、dismissed、all", "all")
    .option("--all-versions", "包括被取代的旧版本 (include superseded versions)")
    .option("--format <f>", "table、csv、xlsx、json", "table")
    .option("--output <file>", "写入文件 (write to a file)")
    .option(...DB_OPTION)
    .action(async (opts: { agency?: string; year?: string; rule?: string; severity?: string; status?: string; allVersions?: boolean; format?: string; output?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const format = checkFormat(opts.format);
        const agency = opts.agency ? (await resolveAgency(store, opts.agency)).id : undefined;
        const status = (opts.status ?? "all") as "open" | "confirmed" | "dismissed" | "all";
        if (!["open", "confirmed", "dismissed", "all"].includes(status)) { process.stderr.write(`gongkai: --status 应为 open/confirmed/dismissed/all (bad --status: ${opts.status})\n`); return 2; }
        const rows = await listFindings(store, { agency, year: intOption(opts.year, "--year"), rule: opts.rule, severity: opts.severity, status, allVersions: opts.allVersions });
        const view = rows.map((r) => ({ ...r, fields_text: r.fields.join(" "), status: r.verdict ?? "open" }));
        await renderRows(view, [
          { key: "fingerprint", header: "指纹 fingerprint" },
          { key: "agency", header: "机关 agency" },
          { key: "report_year", header: "年度 year" },
          { key: "severity", header: "级别 severity" },
          { key: "rule", header: "规则 rule" },
          { key: "status", header: "处理 status" },
          { key: "message", header: "问题 message" },
          ...(format === "table" ? [] : [
            { key: "message_en" as const, header: "message (en)" },
            { key: "fields_text" as const, header: "字段 fields" },
            { key: "comment" as const, header: "意见 comment" },
            { key: "who" as const, header: "处理人 who" },
            { key: "at" as const, header: "时间 at" },
          ]),
        ], format, { output: opts.output, sheet: "findings" });
        return 0;
      });
    });

  cmd.command("show")
    .description("查看一个问题及其数值的来源和原文 (one finding with the provenance of its values and the original)")
    .argument("<fingerprint>", "指纹或其前缀（至少 6 位） (fingerprint or a prefix of 6+ characters)")
    .option("--original", "输出原始文件字节 (write the original bytes to stdout)")
    .option(...DB_OPTION)
    .action(async (fp: string, opts: { original?: boolean; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const s = await showFinding(store, fp);
        if (opts.original) { process.stdout.write(s.original); return 0; }
        const f = s.finding;
        process.stdout.write(`${f.fingerprint}  ${f.agency} ${f.report_year}年 第${f.version}版  [${f.severity}] ${f.rule}  ${f.verdict ?? "open"}\n${f.message}\n${f.message_en ?? ""}\n`);
        if (f.comment) process.stdout.write(`意见 comment: ${f.comment} (${f.who}, ${f.at})\n`);
        process.stdout.write(`来源 source: ${s.source_file}${s.source_url ? `  ${s.source_url}` : ""}  sha256 ${s.content_hash}\n`);
        for (const v of s.values) process.stdout.write(`  ${v.field} = ${v.value ?? "（无 none）"}${v.provenance ? `  ← ${v.provenance.method} ${v.provenance.source}: ${JSON.stringify(v.provenance.raw)}` : ""}${v.context ? `\n      …${v.context}…` : ""}\n`);
        return 0;
      });
    });

  for (const [name, verdict, zh] of [["confirm", "confirmed", "确认"], ["dismiss", "dismissed", "驳回"]] as const) {
    cmd.command(name)
      .description(`${zh}一个问题 (${name} a finding)`)
      .argument("<fingerprint>", "指纹或其前缀（至少 6 位） (fingerprint or a prefix of 6+ characters)")
      .option("--comment <text>", "意见 (comment)")
      .option("--by <who>", "处理人，默认当前用户 (who; default the current user)")
      .option(...DB_OPTION)
      .action(async (fp: string, opts: { comment?: string; by?: string; db?: string }) => {
        await withStore(opts.db, setCode, async (store) => {
          const hit = await setVerdict(store, fp, verdict as Verdict, { comment: opts.comment, who: opts.by });
          process.stdout.write(`${hit.fingerprint} ${hit.agency} ${hit.report_year} ${hit.rule}: ${verdict}\n`);
          return 0;
        });
      });
  }

  cmd.command("recheck")
    .description("重新计算跨年度检查 (recompute the across-year checks)")
    .option("--agency <name>", "只查一个机关 (one agency only)")
    .option(...DB_OPTION)
    .action(async (opts: { agency?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const id = opts.agency ? (await resolveAgency(store, opts.agency)).id : undefined;
        const n = await checkAllAcrossYears(store, id);
        process.stdout.write(`跨年度问题 ${n} 个 (across-year findings: ${n})\n`);
        return 0;
      });
    });
}

export type { StoredFinding };
