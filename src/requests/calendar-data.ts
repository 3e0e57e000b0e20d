import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { WorkCalendar, checkCalendarYear, type CalendarYearData } from "./calendar.js";
import { RequestsError, problem, type Problem } from "./problems.js";

/** data/calendar/ of this package (the same path from src/ and from dist/). */
export const SHIPPED_CALENDAR_DIR = fileURLToPath(new URL("../../data/calendar/", import.meta.url));

/** Reads every `<year>.json` of a folder, checking each; a bad file is an error naming it. */
export function readCalendarDir(dir: string = SHIPPED_CALENDAR_DIR): CalendarYearData[] {
  const errors: Problem[] = [];
  const years: CalendarYearData[] = [];
  for (const name of readdirSync(dir).filter((n) => /^\d{4}\.json$/.test(n)).sort()) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      errors.push(problem("CAL-JSON", `无法读取日历文件：${(e as Error).message}`, `cannot read calendar file`, file));
      continue;
    }
    const r = checkCalendarYear(raw, file);
    if (!r.ok) errors.push(...r.errors);
    else if (`${r.value.year}.json` !== name) errors.push(problem("CAL-FILE-YEAR", `文件名与年份 ${r.value.year} 不符`, `file name does not match year ${r.value.year}`, file));
    else years.push(r.value);
  }
  if (errors.length) throw new RequestsError(errors);
  return years;
}

let shipped: WorkCalendar | undefined;
/** The calendar shipped with gongkai (2008 onward), read once. */
export function shippedCalendar(): WorkCalendar {
  shipped ??= WorkCalendar.of(readCalendarDir());
  return shipped;
}
