import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { formatProblem, isIsoDate, todayInChina, type Redating } from "../../requests/index.js";
import { withRegister } from "../with-register.js";

/**
 * `gongkai calendar …`: the working-day calendar used for statutory deadlines. Shipped years
 * (data/calendar/) can be extended or corrected by an administrator; the change is stored in
 * the database and every open application is re-dated, each move printed.
 */

const log = (s: string) => process.stdout.write(s + "\n");
const err = (s: string) => process.stderr.write(s + "\n");


function printRedating(changes: Redating[]): void {
  if (!changes.length) { log("没有办理中的申请受影响 (no open application changes its due date)"); return; }
  log(`重新计算期限 ${changes.length} 件 (re-dated ${changes.length} open applications):`);
  for (const c of changes) {
    const b = `${c.before ?? "—"}${c.provisionalBefore ? "（暂定）" : ""}`;
    const a = `${c.after ?? "—"}${c.provisionalAfter ? "（暂定）" : ""}`;
    log(`  ${c.agency} ${c.id}: ${b} → ${a}`);
  }
}

export function register(program: Command, setCode: (code: number) => void): void {
  const cmd = program.command("calendar").description("工作日日历：法定节假日与调休 (working-day calendar: holidays and make-up days)");

  cmd.command("years")
    .description("日历包含的年份及其国务院通知 (years covered and their notices)")
    .option("--db <url>", "数据库")
    .action(async (o) => withRegister("calendar", o.db, setCode, async (reg) => {
      const cal = await reg.calendar();
      for (const y of cal.years()) log(`${y}  ${cal.year(y)!.notices.map((n) => n.number).join("；")}`);
    }));

  cmd.command("show <year>")
    .description("某年的放假与调休上班日 (a year's days off and make-up working days)")
    .option("--db <url>", "数据库")
    .action(async (yearArg: string, o) => withRegister("calendar", o.db, setCode, async (reg) => {
      const cal = await reg.calendar();
      const y = cal.year(Number(yearArg));
      if (!y) { err(`gongkai calendar: 日历中没有 ${yearArg} 年 (the calendar has no year ${yearArg}); 用 gongkai calendar add FILE 添加`); setCode(1); return; }
      for (const n of y.notices) log(`${n.number}  ${n.title}${n.issued ? `  ${n.issued}` : ""}${n.url ? `  ${n.url}` : ""}`);
      log("放假 (days off):");
      for (const d of y.holidays) log(`  ${d.date}  ${d.name}`);
      log("调休上班 (make-up working days):");
      for (const d of y.workdays) log(`  ${d.date}  ${d.name}`);
    }));

  cmd.command("day <date>")
    .description("某日是否为工作日及依据 (is a day a working day, and why)")
    .option("--db <url>", "数据库")
    .action(async (date: string, o) => withRegister("calendar", o.db, setCode, async (reg) => {
      if (!isIsoDate(date)) { err(`gongkai calendar: 日期无效 ${date} (invalid date)`); setCode(2); return; }
      const d = (await reg.calendar()).day(date);
      const kind = { workday: "工作日", weekend: "周末休息", holiday: "法定节假日", makeup: "调休上班日" }[d.kind];
      log(`${date} ${kind}${d.name ? ` ${d.name}` : ""}${d.notice ? `（${d.notice}）` : ""}${d.known ? "" : "  暂定：日历缺少该年 (provisional: year not in the calendar)"}`);
    }));

  cmd.command("add <file>")
    .description("添加或替换一年（JSON，格式同 data/calendar/YYYY.json），并重新计算办理中申请的期限 (add a year)")
    .option("--as-of <date>", "计算日期")
    .option("--db <url>", "数据库")
    .action(async (file: string, o) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, "utf8"));
      } catch (e) {
        err(`gongkai calendar: ${file}: 无法读取日历文件 (cannot read calendar file: ${(e as Error).message})`);
        setCode(2);
        return;
      }
      await withRegister("calendar", o.db, setCode, async (reg) => {
        const r = await reg.addCalendarYear(raw, o.asOf ?? todayInChina());
        if (!r.ok) { for (const p of r.errors) err(`gongkai calendar: ${file}: ${formatProblem(p)}`); setCode(1); return; }
        log(`已添加日历年份 (calendar year stored) from ${file}`);
        printRedating(r.value);
      });
    });

  cmd.command("set <date> <kind>")
    .description("更正某一天：holiday（放假）| workday（调休上班）| normal（按周几）(correct one day)")
    .requiredOption("--notice <number>", "依据的国务院通知文号 (the notice that fixes it)")
    .option("--name <festival>", "节日名称", "")
    .option("--as-of <date>", "计算日期")
    .option("--db <url>", "数据库")
    .action(async (date: string, kindArg: string, o) => {
      const kind = ({ holiday: "holiday", 放假: "holiday", workday: "makeup", makeup: "makeup", 上班: "makeup", normal: "normal" } as const)[kindArg as "holiday"];
      if (!kind || !isIsoDate(date)) { err(`gongkai calendar: 用法 set YYYY-MM-DD holiday|workday|normal (usage)`); setCode(2); return; }
      await withRegister("calendar", o.db, setCode, async (reg) => {
        const r = await reg.setCalendarDay(date, kind, o.name, o.notice, o.asOf ?? todayInChina());
        if (!r.ok) { for (const p of r.errors) err(`gongkai calendar: ${formatProblem(p)}`); setCode(1); return; }
        log(`已更正 (corrected) ${date}`);
        printRedating(r.value);
      });
    });
}
