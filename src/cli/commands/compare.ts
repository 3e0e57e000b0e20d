import type { Command } from "commander";
import { DB_OPTION, withStore } from "../../store/command.js";
import { intOption } from "../flags.js";
import { checkFormat, compare, fieldLabel, renderRows, type CompareRow } from "../../store/index.js";

/** `gongkai compare --year Y --field F [--level 县]`: every agency's value for a year, ranked. */
export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("compare")
    .description("按字段排名：某年度各机关的数值 (rank agencies by one field for a year)")
    .requiredOption("--year <year>", "报告年度 (report year)")
    .requiredOption("--field <id>", "字段 ID，如 applications.new.total (field id)")
    .option("--level <level>", "只看某一级：省/市/县/区/部门 (only one level)")
    .option("--limit <n>", "只列前 N 名 (top N only)")
    .option("--asc", "从小到大 (smallest first)")
    .option("--format <f>", "table、csv、xlsx、json", "table")
    .option("--output <file>", "写入文件 (write to a file)")
    .option(...DB_OPTION)
    .action(async (opts: { year: string; field: string; level?: string; limit?: string; asc?: boolean; format?: string; output?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const format = checkFormat(opts.format);
        const rows = await compare(store, { year: intOption(opts.year, "--year")!, field: opts.field, level: opts.level, limit: intOption(opts.limit, "--limit"), ascending: opts.asc });
        if (format === "table") process.stdout.write(`${opts.year}年 ${fieldLabel(opts.field)} (${opts.field})${opts.level ? ` · ${opts.level}` : ""}\n`);
        await renderRows<CompareRow>(rows, [
          { key: "rank", header: "名次 rank", align: "right" },
          { key: "agency", header: "机关 agency" },
          { key: "level", header: "级别 level" },
          { key: "value", header: "数值 value", align: "right" },
          { key: "generation", header: "格式 format" },
        ], format, { output: opts.output, sheet: `${opts.year} ${opts.field}` });
      }, { readonly: false });
    });
}
