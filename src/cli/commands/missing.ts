import type { Command } from "commander";
import { DB_OPTION, withStore } from "../../store/command.js";
import { intOption } from "../flags.js";
import { checkFormat, missing, renderRows, type MissingRow } from "../../store/index.js";

/** `gongkai missing --year Y`: agencies with no report for that year. Exit 1 when some are missing. */
export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("missing")
    .description("某年度没有报告的机关 (agencies with no report for a year)")
    .requiredOption("--year <year>", "报告年度 (report year)")
    .option("--level <level>", "只看某一级：省/市/县/区/部门 (only one level)")
    .option("--under <agency>", "只看某机关的下级 (only the units under an agency)")
    .option("--format <f>", "table、csv、xlsx、json", "table")
    .option("--output <file>", "写入文件 (write to a file)")
    .option(...DB_OPTION)
    .action(async (opts: { year: string; level?: string; under?: string; format?: string; output?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const format = checkFormat(opts.format);
        const rows = await missing(store, { year: intOption(opts.year, "--year")!, level: opts.level, under: opts.under });
        await renderRows<MissingRow>(rows, [
          { key: "agency", header: "机关 agency" },
          { key: "level", header: "级别 level" },
          { key: "parent", header: "上级 parent" },
          { key: "last_year", header: "最近年度 last year", align: "right" },
        ], format, { output: opts.output, sheet: `missing ${opts.year}` });
        return rows.length ? 1 : 0;
      });
    });
}
