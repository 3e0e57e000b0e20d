import type { Command } from "commander";
import { DB_OPTION, withStore } from "../../store/command.js";
import { checkFormat, fieldLabel, renderRows, trend, type TrendRow } from "../../store/index.js";

/** `gongkai trend --agency A --field F`: one agency's value over the years. */
export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("trend")
    .description("某机关某字段的历年数值 (one agency's value of a field over the years)")
    .requiredOption("--agency <name>", "机关名称或别名 (agency name or alias)")
    .requiredOption("--field <id>", "字段 ID (field id)")
    .option("--format <f>", "table、csv、xlsx、json", "table")
    .option("--output <file>", "写入文件 (write to a file)")
    .option(...DB_OPTION)
    .action(async (opts: { agency: string; field: string; format?: string; output?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const format = checkFormat(opts.format);
        const { agency, rows } = await trend(store, { agency: opts.agency, field: opts.field });
        if (format === "table") process.stdout.write(`${agency.name} · ${fieldLabel(opts.field)} (${opts.field})\n`);
        await renderRows<TrendRow>(rows, [
          { key: "year", header: "年度 year" },
          { key: "value", header: "数值 value", align: "right" },
          { key: "change", header: "增减 change", align: "right" },
          { key: "generation", header: "格式 format" },
          { key: "version", header: "版本 version", align: "right" },
        ], format, { output: opts.output, sheet: agency.name });
      });
    });
}
