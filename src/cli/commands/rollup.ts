import type { Command } from "commander";
import { DB_OPTION, withStore } from "../../store/command.js";
import { intOption } from "../flags.js";
import { checkFormat, renderRows, rollup, type RollupDifference } from "../../store/index.js";
import { drawApplicationTables } from "../report-view.js";

/**
 * `gongkai rollup --agency 某市 --year 2024`: the units' reports summed into the agency's totals,
 * the sum validated, and every difference from the agency's own published report listed.
 * Exit 1 when the sum breaks an identity or differs from the published report.
 */
export function register(program: Command, setCode: (code: number) => void): void {
  program
    .command("rollup")
    .description("汇总下级单位报告，校验合计，并与本级公布的报告逐项比较 (sum the units' reports, validate, compare with the published report)")
    .requiredOption("--agency <name>", "上级机关名称或别名 (parent agency)")
    .requiredOption("--year <year>", "报告年度 (report year)")
    .option("--units <levels>", "只汇总这些级别的下级，逗号分隔，如 部门 或 区,县 (only units of these levels)")
    .option("--format <f>", "table、csv、xlsx、json", "table")
    .option("--output <file>", "写入文件 (write to a file)")
    .option(...DB_OPTION)
    .action(async (opts: { agency: string; year: string; units?: string; format?: string; output?: string; db?: string }) => {
      await withStore(opts.db, setCode, async (store) => {
        const format = checkFormat(opts.format);
        const r = await rollup(store, { agency: opts.agency, year: intOption(opts.year, "--year")!, units: opts.units?.split(/[,，]/).map((u) => u.trim()).filter(Boolean) });
        if (format === "json") {
          const body = { agency: r.agency.name, year: r.year, generation: r.generation, units: r.units, published_report_id: r.published_report_id, sum: r.sum.fields, findings: r.findings, differences: r.differences };
          const text = JSON.stringify(body, null, 2) + "\n";
          if (opts.output) (await import("node:fs")).writeFileSync(opts.output, text); else process.stdout.write(text);
        } else {
          if (format === "table") {
            const have = r.units.filter((u) => u.report_id !== null);
            process.stdout.write(`${r.agency.name} ${r.year}年汇总：${have.length}/${r.units.length} 个下级单位有报告 (${have.length} of ${r.units.length} units have a report)\n`);
            const none = r.units.filter((u) => u.report_id === null).map((u) => u.agency);
            if (none.length) process.stdout.write(`  无报告 no report: ${none.join("、")}\n`);
            if (r.generation === "2019" || r.generation === "2021") {
              // The summed tables themselves, drawn as the statutory tables.
              process.stdout.write(`${drawApplicationTables({ file: "", format: r.generation, report_year: r.year, agency: r.agency.name, fields: r.sum.fields, blank: [], ambiguous: [], provenance: {}, issues: [] })}\n`);
            }
            if (r.findings.length) {
              process.stdout.write(`合计的校验问题 (findings on the sum): ${r.findings.length}\n`);
              for (const f of r.findings) process.stdout.write(`  [${f.severity}] ${f.message}\n`);
            }
            if (r.published_report_id === null) process.stdout.write(`本级没有公布的报告，无法比较 (no published report of ${r.agency.name} for ${r.year})\n`);
            else process.stdout.write(`与本级公布报告的差异 (differences from the published report): ${r.differences.length}\n`);
          }
          if (r.published_report_id !== null || format !== "table") {
            await renderRows<RollupDifference>(r.differences, [
              { key: "field", header: "字段 field" },
              { key: "label", header: "名称 label" },
              { key: "units_sum", header: "下级合计 units sum", align: "right" },
              { key: "units", header: "单位数 units", align: "right" },
              { key: "published", header: "公布数 published", align: "right" },
              { key: "difference", header: "差额 difference", align: "right" },
            ], format, { output: opts.output, sheet: `${r.agency.name} ${r.year}` });
          }
        }
        return r.findings.some((f) => f.severity === "error") || r.differences.length ? 1 : 0;
      });
    });
}
