import { isIsoDate, isWeekend, yearOf, type IsoDate } from "./dates.js";
import { fail, ok, problem, type Problem, type Result } from "./problems.js";

/**
 * China's working-day calendar: weekends and statutory holidays are off, make-up working days
 * (调休) on weekends are on. Built from data, one year per State Council notice; a year the
 * data lacks is *unknown*, never guessed silently (callers mark what depends on it provisional).
 */

export interface CalendarNotice {
  /** e.g. 国办发明电〔2024〕12号 */
  number: string;
  title: string;
  issued?: IsoDate;
  url?: string;
}

export interface CalendarDayEntry {
  date: IsoDate;
  /** The festival as the notice names it: 春节, 国庆节 … */
  name: string;
  /** Number of the notice that fixes this day. */
  notice: string;
}

/** One file of data/calendar/: the days of one calendar year. */
export interface CalendarYearData {
  year: number;
  notices: CalendarNotice[];
  /** Days off, weekend days included (a holiday span is listed whole). */
  holidays: CalendarDayEntry[];
  /** Weekend days that are working days (调休上班). */
  workdays: CalendarDayEntry[];
  source?: string;
}

export type DayKind = "workday" | "weekend" | "holiday" | "makeup";

export interface DayInfo {
  date: IsoDate;
  kind: DayKind;
  working: boolean;
  /** False when the calendar lacks the year: `kind` is then only the weekday guess. */
  known: boolean;
  name?: string;
  notice?: string;
}

export class WorkCalendar {
  private readonly byYear: ReadonlyMap<number, CalendarYearData>;
  private readonly days: ReadonlyMap<IsoDate, { kind: "holiday" | "makeup"; name: string; notice: string }>;

  private constructor(years: Iterable<CalendarYearData>) {
    const byYear = new Map<number, CalendarYearData>();
    for (const y of years) byYear.set(y.year, y);
    const days = new Map<IsoDate, { kind: "holiday" | "makeup"; name: string; notice: string }>();
    for (const y of byYear.values()) {
      for (const h of y.holidays) days.set(h.date, { kind: "holiday", name: h.name, notice: h.notice });
      for (const w of y.workdays) days.set(w.date, { kind: "makeup", name: w.name, notice: w.notice });
    }
    this.byYear = byYear;
    this.days = days;
  }

  static of(years: Iterable<CalendarYearData>): WorkCalendar {
    return new WorkCalendar(years);
  }

  /** The years the calendar knows, ascending. */
  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  covers(year: number): boolean {
    return this.byYear.has(year);
  }

  year(year: number): CalendarYearData | undefined {
    return this.byYear.get(year);
  }

  day(date: IsoDate): DayInfo {
    const known = this.covers(yearOf(date));
    const special = known ? this.days.get(date) : undefined;
    if (special?.kind === "holiday") return { date, kind: "holiday", working: false, known, name: special.name, notice: special.notice };
    if (special?.kind === "makeup") return { date, kind: "makeup", working: true, known, name: special.name, notice: special.notice };
    const weekend = isWeekend(date);
    return { date, kind: weekend ? "weekend" : "workday", working: !weekend, known };
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.day(date).working;
  }

  /** A new calendar with this year replaced (or added). */
  withYear(data: CalendarYearData): WorkCalendar {
    return new WorkCalendar([...[...this.byYear.values()].filter((y) => y.year !== data.year), data]);
  }

  /**
   * A new calendar with one day corrected: `normal` removes any holiday/make-up entry.
   * Only for a year the calendar has; adding a year is `withYear`.
   */
  withDay(date: IsoDate, kind: "holiday" | "makeup" | "normal", name: string, notice: string): Result<WorkCalendar> {
    const y = this.byYear.get(yearOf(date));
    if (!y) return fail([problem("CAL-YEAR-MISSING", `日历中没有${yearOf(date)}年，请先添加该年`, `the calendar has no year ${yearOf(date)}; add the year first`, date)]);
    const holidays = y.holidays.filter((d) => d.date !== date);
    const workdays = y.workdays.filter((d) => d.date !== date);
    if (kind === "holiday") holidays.push({ date, name, notice });
    if (kind === "makeup") workdays.push({ date, name, notice });
    const notices = y.notices.some((n) => n.number === notice) || kind === "normal" ? y.notices : [...y.notices, { number: notice, title: notice }];
    const next: CalendarYearData = { ...y, notices, holidays: sortDays(holidays), workdays: sortDays(workdays) };
    const checked = checkCalendarYear(next);
    return checked.ok ? ok(this.withYear(checked.value)) : fail(checked.errors);
  }
}

function sortDays(xs: CalendarDayEntry[]): CalendarDayEntry[] {
  return [...xs].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Checks one year's data, as read from a file or typed by an administrator: every date real and
 * in the year, a make-up working day always a weekend, no day both off and on, every day tied
 * to a notice the year lists.
 */
export function checkCalendarYear(raw: unknown, where = "calendar"): Result<CalendarYearData> {
  const errors: Problem[] = [];
  const bad = (code: string, zh: string, en: string) => errors.push(problem(code, zh, en, where));
  if (typeof raw !== "object" || raw === null) return fail([problem("CAL-NOT-OBJECT", "日历数据不是对象", "calendar data is not an object", where)]);
  const r = raw as Record<string, unknown>;
  const year = r.year;
  if (typeof year !== "number" || !Number.isInteger(year) || year < 1999 || year > 2200) {
    return fail([problem("CAL-YEAR", "缺少或无效的年份 (year)", "missing or invalid year", where)]);
  }
  const notices: CalendarNotice[] = [];
  if (!Array.isArray(r.notices) || r.notices.length === 0) bad("CAL-NOTICE-MISSING", `${year}年未注明国务院通知文号`, `year ${year} names no State Council notice`);
  else for (const n of r.notices as unknown[]) {
    const o = n as Record<string, unknown>;
    if (typeof o?.number !== "string" || !o.number.trim()) bad("CAL-NOTICE", "通知缺少文号", "a notice has no number");
    else notices.push({ number: o.number, title: typeof o.title === "string" ? o.title : o.number, ...(typeof o.issued === "string" ? { issued: o.issued } : {}), ...(typeof o.url === "string" ? { url: o.url } : {}) });
  }
  const numbers = new Set(notices.map((n) => n.number));
  const readDays = (key: "holidays" | "workdays"): CalendarDayEntry[] => {
    const list = r[key];
    if (!Array.isArray(list)) { bad("CAL-LIST", `缺少 ${key} 列表`, `missing list ${key}`); return []; }
    const out: CalendarDayEntry[] = [];
    for (const d of list as unknown[]) {
      const o = d as Record<string, unknown>;
      const date = o?.date;
      if (!isIsoDate(date)) { bad("CAL-DATE", `无效日期 ${String(date)}`, `invalid date ${String(date)}`); continue; }
      if (yearOf(date) !== year) bad("CAL-DATE-YEAR", `${date} 不在${year}年`, `${date} is not in ${year}`);
      if (typeof o.notice !== "string" || !numbers.has(o.notice)) bad("CAL-DAY-NOTICE", `${date} 未对应本年所列通知`, `${date} is not tied to a notice listed for the year`);
      if (key === "workdays" && !isWeekend(date)) bad("CAL-MAKEUP-WEEKDAY", `调休上班日 ${date} 不是周末`, `make-up working day ${date} is not a weekend day`);
      out.push({ date, name: typeof o.name === "string" ? o.name : "", notice: String(o.notice ?? "") });
    }
    return out;
  };
  const holidays = readDays("holidays");
  const workdays = readDays("workdays");
  const off = new Set(holidays.map((h) => h.date));
  for (const w of workdays) if (off.has(w.date)) bad("CAL-BOTH", `${w.date} 既是假日又是上班日`, `${w.date} is both a holiday and a working day`);
  if (errors.length) return fail(errors);
  return ok({ year, notices, holidays: sortDays(holidays), workdays: sortDays(workdays), ...(typeof r.source === "string" ? { source: r.source } : {}) });
}
