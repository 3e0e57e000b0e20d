import type { DayInfo, WorkCalendar } from "./calendar.js";
import { addDays, isWeekend, weekdayZh, yearOf, type IsoDate } from "./dates.js";
import { problem, type Problem } from "./problems.js";
import { CHANNELS, RECEIPT_RULES, periods, replay, type Application, type ApplicationState, type Pause, type RequestEvent, type RuleSet, type Status } from "./register.js";

/**
 * Statutory deadlines in Chinese working days (第三十三条; 2008 条例 第二十四条), with the
 * explanation an office gives an applicant or a reviewer. Pure: calendar and "today" are inputs.
 */

export interface Line {
  zh: string;
  en: string;
}

export interface Deadline {
  applicationId: string;
  status: Status;
  rules: RuleSet;
  baseDays: number;
  extensionDays: number;
  /** Working days are counted from the day after this one. */
  clockStart: IsoDate;
  /** Absent while the clock is stopped (correction pending, consultation or fee open). */
  due?: IsoDate;
  /** Working days used before the clock stopped, when it is stopped. */
  usedBeforeStop?: number;
  /** Counted from `asOf`: 0 = due today, negative = overdue by that many working days. */
  workingDaysLeft?: number;
  overdue: boolean;
  /** The date depends on a year the calendar lacks: an estimate on plain weekdays, to be re-dated. */
  provisional: boolean;
  missingYears: number[];
  closedOn?: IsoDate;
  onTime?: boolean;
  explanation: Line[];
  warnings: Problem[];
  errors: Problem[];
}

interface Count {
  due?: IsoDate;
  used: number;
  stopped: boolean;
  holidays: DayInfo[];
  makeups: DayInfo[];
  pausedWorking: Map<Pause, number>;
  missing: Set<number>;
}

const MAX_SPAN_DAYS = 366 * 30;

function inPause(d: IsoDate, pauses: readonly Pause[]): Pause | undefined {
  return pauses.find((p) => d > p.from && (p.to === undefined || d <= p.to));
}

/**
 * Counts `budget` working days after `start`, skipping days inside pauses. A pause covers the
 * days after its start up to and including its end: the day a consultation letter goes out is
 * still a working day of the office, the day the answer arrives is not counted (like receipt).
 */
function countForward(cal: WorkCalendar, start: IsoDate, budget: number, pauses: readonly Pause[]): Count {
  const c: Count = { used: 0, stopped: false, holidays: [], makeups: [], pausedWorking: new Map(), missing: new Set() };
  if (budget <= 0) return { ...c, due: start };
  for (let i = 1; i <= MAX_SPAN_DAYS; i++) {
    const d = addDays(start, i);
    const info = cal.day(d);
    if (!info.known) c.missing.add(yearOf(d));
    const p = inPause(d, pauses);
    if (p) {
      if (p.to === undefined) { c.stopped = true; return c; }
      if (info.working) c.pausedWorking.set(p, (c.pausedWorking.get(p) ?? 0) + 1);
      continue;
    }
    if (!info.working) {
      if (info.kind === "holiday" && !isWeekend(d)) c.holidays.push(info);
      continue;
    }
    if (info.kind === "makeup") c.makeups.push(info);
    c.used++;
    if (c.used === budget) { c.due = d; return c; }
  }
  throw new RangeError(`deadline beyond ${MAX_SPAN_DAYS} days from ${start}`);
}

/** The n-th working day after `date` (no pauses): e.g. the last day to ask for a correction. */
export function addWorkingDays(cal: WorkCalendar, date: IsoDate, n: number): { date: IsoDate; provisional: boolean; missingYears: number[] } {
  const c = countForward(cal, date, n, []);
  return { date: c.due!, provisional: c.missing.size > 0, missingYears: [...c.missing].sort() };
}

/** Signed working days from `from` to `to`: days in (from, to] when to > from, negative the other way. */
export function workingDaysBetween(cal: WorkCalendar, from: IsoDate, to: IsoDate, pauses: readonly Pause[] = []): number {
  if (from === to) return 0;
  const [a, b, sign] = from < to ? [from, to, 1] : [to, from, -1];
  let n = 0;
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (cal.day(d).working && !inPause(d, pauses)) n++;
  return sign * n;
}

function dayLabel(d: DayInfo): string {
  return `${d.date}（${weekdayZh(d.date)}）`;
}

function groupByFestival(days: DayInfo[]): string[] {
  const groups = new Map<string, string[]>();
  for (const d of days) {
    const key = `${d.name ?? ""}（${d.notice ?? ""}）`;
    groups.set(key, [...(groups.get(key) ?? []), d.date]);
  }
  return [...groups].map(([k, dates]) => `${k}：${dates.join("、")}`);
}

/** Due date, days left and explanation of one application, as of `asOf`. */
export function computeDeadline(app: Application, state: ApplicationState, cal: WorkCalendar, asOf: IsoDate): Deadline {
  const { base } = periods(state.rules);
  const ext = state.extension?.days ?? 0;
  const lines: Line[] = [];
  const warnings = [...state.warnings];
  const law = state.rules === "2019"
    ? { zh: "《政府信息公开条例》（2019年修订）第三十三条：20个工作日，经批准可延长不超过20个工作日", en: "Regulation (2019 revision) art. 33: 20 working days, one extension of at most 20" }
    : { zh: "《政府信息公开条例》（2008年）第二十四条：15个工作日，经批准可延长不超过15个工作日（2019年5月15日前收到的申请）", en: "Regulation (2008) art. 24: 15 working days, one extension of at most 15 (received before 2019-05-15)" };

  lines.push({
    zh: `收到申请：${app.receivedOn}（${weekdayZh(app.receivedOn)}，${CHANNELS[app.channel]}）。${RECEIPT_RULES[app.channel].zh}；收到当日不计入期限。`,
    en: `Received ${app.receivedOn} (${app.channel}): ${RECEIPT_RULES[app.channel].en}; the day of receipt is not counted.`,
  });
  lines.push({ zh: `适用规则：${law.zh}。`, en: `Rule: ${law.en}.` });

  const missing = new Set<number>();
  if (state.correction) {
    const limit = addWorkingDays(cal, app.receivedOn, 7);
    limit.missingYears.forEach((y) => missing.add(y));
    const late = state.correction.requestedOn > limit.date;
    if (late) warnings.push(problem("CORRECTION-LATE", `补正要求（${state.correction.requestedOn}）晚于收到申请后7个工作日（${limit.date}），第三十条`, `correction requested on ${state.correction.requestedOn}, after 7 working days from receipt (${limit.date}), art. 30`));
    const c = state.correction;
    lines.push({
      zh: `补正：${c.requestedOn} 一次性告知补正${late ? `（晚于第7个工作日 ${limit.date}）` : `（在收到后7个工作日内，最后一日 ${limit.date}）`}；${c.receivedOn ? `${c.receivedOn} 收到补正，答复期限自该日重新计算（第三十条）` : c.lapsedOn ? `${c.lapsedOn} 逾期未补正，不再处理` : "等待补正，期限暂停计算"}。`,
      en: `Correction requested ${c.requestedOn}${late ? ` (late: 7th working day was ${limit.date})` : ` (within 7 working days, last day ${limit.date})`}; ${c.receivedOn ? `received ${c.receivedOn}, the period restarts from that day (art. 30)` : c.lapsedOn ? `not supplied, lapsed ${c.lapsedOn}` : "awaiting the correction, the clock is stopped"}.`,
    });
  }

  const out: Deadline = {
    applicationId: app.id, status: state.status, rules: state.rules, baseDays: base, extensionDays: ext, clockStart: state.clockStart,
    overdue: false, provisional: false, missingYears: [], explanation: lines, warnings, errors: [...state.errors],
  };
  if (state.closedOn) out.closedOn = state.closedOn;

  if (state.status === "awaiting_correction" || (state.correction && !state.correction.receivedOn && state.outcome === "other.no_correction")) {
    out.missingYears = [...missing].sort();
    out.provisional = missing.size > 0;
    return out;
  }

  const full = countForward(cal, state.clockStart, base + ext, state.pauses);
  const plain = ext ? countForward(cal, state.clockStart, base, state.pauses) : full;
  full.missing.forEach((y) => missing.add(y));
  if (ext && plain.due && state.extension && state.extension.approvedOn > plain.due) {
    warnings.push(problem("EXTENSION-LATE", `延期于 ${state.extension.approvedOn} 批准，晚于原答复期限 ${plain.due}`, `extension approved on ${state.extension.approvedOn}, after the original due date ${plain.due}`));
  }

  for (const [p, n] of full.pausedWorking) {
    const who = p.reason === "fee" ? { zh: "收费通知至缴费", en: "fee notice to payment" } : p.party === "agency" ? { zh: "征求其他机关意见", en: "consulting another agency" } : { zh: "征求第三方意见", en: "consulting a third party" };
    const basis = p.reason === "fee" ? "国办函〔2020〕109号" : "第三十二条";
    lines.push({ zh: `暂停：${who.zh} ${p.from} 至 ${p.to}，其间 ${n} 个工作日不计入（${basis}）。`, en: `Paused: ${who.en} ${p.from} to ${p.to}, ${n} working days not counted (${basis}).` });
  }
  if (full.stopped) {
    const open = state.pauses.find((p) => !p.to)!;
    const who = open.reason === "fee" ? "收费通知已发出，等待缴费" : "正在征求意见";
    lines.push({ zh: `暂停中：${open.from} 起${who}，已用 ${full.used} 个工作日，尚余 ${base + ext - full.used} 个工作日。`, en: `Clock stopped since ${open.from} (${open.reason}); ${full.used} working days used, ${base + ext - full.used} remain.` });
    out.usedBeforeStop = full.used;
  }
  if (full.holidays.length) {
    lines.push({ zh: `不计入的法定节假日（工作日）：${groupByFestival(full.holidays).join("；")}。`, en: `Statutory holidays on weekdays not counted: ${full.holidays.map((d) => d.date).join(", ")}.` });
  }
  if (full.makeups.length) {
    lines.push({ zh: `计入的调休上班日：${full.makeups.map((d) => `${dayLabel(d)} ${d.name}调休，${d.notice}`).join("；")}。`, en: `Make-up working days counted: ${full.makeups.map((d) => d.date).join(", ")}.` });
  }
  if (state.extension) {
    lines.push({ zh: `延长答复期限：${state.extension.approvedOn} 经批准延长 ${ext} 个工作日${plain.due ? `（原期限 ${plain.due}）` : ""}，已告知申请人。`, en: `Extended on ${state.extension.approvedOn} by ${ext} working days${plain.due ? ` (original due date ${plain.due})` : ""}.` });
  }
  if (full.due) {
    out.due = full.due;
    lines.push({ zh: `答复期限：${full.due}（${weekdayZh(full.due)}），收到后第 ${base + ext} 个计算日。`, en: `Due: ${full.due}, the ${base + ext}th counted working day.` });
  }
  out.missingYears = [...missing].sort();
  out.provisional = missing.size > 0;
  if (out.provisional) {
    lines.push({
      zh: `暂定：日历缺少 ${out.missingYears.join("、")} 年的放假安排（国务院通知尚未录入），以上日期暂按周一至周五估算；补录该年后将重新计算。`,
      en: `Provisional: the calendar lacks ${out.missingYears.join(", ")}; the date is estimated on plain weekdays and will be re-dated when the year is added.`,
    });
  }

  if (state.status === "closed" && state.closedOn) {
    if (out.due) {
      out.onTime = state.closedOn <= out.due;
      lines.push({ zh: `${state.closedOn} 办结，${out.onTime ? "在期限内" : "超过期限"}。`, en: `Closed ${state.closedOn}, ${out.onTime ? "on time" : "late"}.` });
    }
  } else if (out.due) {
    out.workingDaysLeft = workingDaysBetween(cal, asOf, out.due, state.pauses);
    out.overdue = asOf > out.due;
    lines.push(out.overdue
      ? { zh: `截至 ${asOf} 已超期 ${-out.workingDaysLeft} 个工作日。`, en: `As of ${asOf}, overdue by ${-out.workingDaysLeft} working days.` }
      : { zh: `截至 ${asOf} 剩余 ${out.workingDaysLeft} 个工作日。`, en: `As of ${asOf}, ${out.workingDaysLeft} working days left.` });
  }
  return out;
}

/** Replay then compute: the one call most callers need. */
export function deadlineOf(app: Application, events: readonly RequestEvent[], cal: WorkCalendar, asOf: IsoDate): Deadline {
  return computeDeadline(app, replay(app, events), cal, asOf);
}
