import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { shippedCalendar } from "./calendar-data.js";
import type { CalendarYearData } from "./calendar.js";
import { addDays, isWeekend } from "./dates.js";
import { addWorkingDays, deadlineOf, workingDaysBetween } from "./deadline.js";
import type { Application, RequestEvent } from "./register.js";

const cal = shippedCalendar();
const app = (receivedOn: string, channel: Application["channel"] = "online"): Application => ({
  id: "T-1", agency: "test", applicantType: "natural", applicant: { name: "张三" }, channel, subject: "某某信息", receivedOn,
});

test("received the day before 国庆 2025: due 2025-11-04, six weekday holidays skipped, 10/11 counted", () => {
  // By hand (国办发明电〔2024〕12号): 9/30 is not counted; 10/1–10/8 off; 10/9=1, 10/10=2,
  // 10/11 (Sat, 调休)=3, 10/13–17=4–8, 10/20–24=9–13, 10/27–31=14–18, 11/3=19, 11/4=20.
  const d = deadlineOf(app("2025-09-30"), [], cal, "2025-10-09");
  assert.equal(d.due, "2025-11-04");
  assert.equal(d.rules, "2019");
  assert.equal(d.provisional, false);
  const text = d.explanation.map((l) => l.zh).join("\n");
  assert.match(text, /国庆节（国办发明电〔2024〕12号）：2025-10-01、2025-10-02、2025-10-03、2025-10-07、2025-10-08/);
  assert.match(text, /中秋（国办发明电〔2024〕12号）：2025-10-06/);
  assert.match(text, /2025-10-11（星期六） 国庆节调休/);
  assert.match(text, /收到当日不计入/);
  // From 10/9 (a working day, itself not counted) to 11/4: 20 − 1 = 19 working days left.
  assert.equal(d.workingDaysLeft, 19);
});

test("across 春节 2026: received 2026-02-10, due 2026-03-16 with 2/14 and 2/28 counted", () => {
  // By hand (国办发明电〔2025〕7号): 2/11–2/13=1–3, 2/14 (Sat, 调休)=4, 2/15–2/23 off,
  // 2/24–2/27=5–8, 2/28 (Sat, 调休)=9, 3/2–3/6=10–14, 3/9–3/13=15–19, 3/16=20.
  const d = deadlineOf(app("2026-02-10", "in_person"), [], cal, "2026-02-10");
  assert.equal(d.due, "2026-03-16");
  assert.equal(d.workingDaysLeft, 20);
  const text = d.explanation.map((l) => l.zh).join("\n");
  assert.match(text, /春节（国办发明电〔2025〕7号）：2026-02-16、2026-02-17、2026-02-18、2026-02-19、2026-02-20、2026-02-23/);
  assert.match(text, /2026-02-14（星期六）.*2026-02-28（星期六）/);
  assert.match(text, /当面提交的，以提交之日为收到申请之日/);
});

test("2008 rules (15 days) before 2019-05-15, 2019 rules (20 days) from that day", () => {
  // 2019-05-14 (Tue): 5/15–17=1–3, 5/20–24=4–8, 5/27–31=9–13, 6/3=14, 6/4=15.
  assert.equal(deadlineOf(app("2019-05-14"), [], cal, "2019-05-14").due, "2019-06-04");
  // 2019-05-15 (Wed): 5/16–17=1–2, 5/20–24=3–7, 5/27–31=8–12, 6/3–6/6=13–16,
  // 6/7 端午 off (国办发明电〔2018〕15号), 6/10–6/13=17–20.
  const d = deadlineOf(app("2019-05-15"), [], cal, "2019-05-15");
  assert.equal(d.due, "2019-06-13");
  assert.match(d.explanation.map((l) => l.zh).join(), /端午/);
});

test("a third-party consultation stops the clock from the day after it starts to the day it ends", () => {
  // Received 2025-03-03 (Mon); plain due 3/31. Consultation 3/10 → 3/21: 3/11–3/14 and
  // 3/17–3/21 (9 working days) not counted. Count: 3/4–3/7=1–4, 3/10=5, 3/24–28=6–10,
  // 3/31=11, 4/1–4/3=12–14, 4/4 清明 off, 4/7–4/11=15–19, 4/14=20.
  const events: RequestEvent[] = [
    { kind: "consultation_started", date: "2025-03-10", party: "third_party" },
    { kind: "consultation_ended", date: "2025-03-21" },
  ];
  const d = deadlineOf(app("2025-03-03"), events, cal, "2025-03-24");
  assert.equal(d.due, "2025-04-14");
  assert.match(d.explanation.map((l) => l.zh).join(), /征求第三方意见 2025-03-10 至 2025-03-21，其间 9 个工作日不计入/);
  const open = deadlineOf(app("2025-03-03"), events.slice(0, 1), cal, "2025-03-24");
  assert.equal(open.due, undefined);
  assert.equal(open.usedBeforeStop, 5);
  assert.equal(open.status, "consulting");
});

test("a correction restarts the period from the day it arrives; a late request is warned", () => {
  // Received 2025-09-30; 7th working day after it is 10/16 (10/9, 10/10, 10/11, 10/13–16).
  // Correction arrives 10/20: 10/21–24=1–4, 10/27–31=5–9, 11/3–7=10–14, 11/10–14=15–19, 11/17=20.
  const d = deadlineOf(app("2025-09-30"), [
    { kind: "correction_requested", date: "2025-10-10" },
    { kind: "correction_received", date: "2025-10-20" },
  ], cal, "2025-10-20");
  assert.equal(d.due, "2025-11-17");
  assert.equal(d.warnings.length, 0);
  assert.match(d.explanation.map((l) => l.zh).join(), /最后一日 2025-10-16/);
  const late = deadlineOf(app("2025-09-30"), [{ kind: "correction_requested", date: "2025-10-17" }], cal, "2025-10-17");
  assert.deepEqual(late.warnings.map((w) => w.code), ["CORRECTION-LATE"]);
  assert.equal(late.due, undefined);
  assert.equal(late.status, "awaiting_correction");
});

test("an extension of 20 working days moves 2025-11-04 to 2025-12-02; a second one is refused", () => {
  // 11/5–7=1–3, 11/10–14=4–8, 11/17–21=9–13, 11/24–28=14–18, 12/1=19, 12/2=20.
  const d = deadlineOf(app("2025-09-30"), [{ kind: "extension", date: "2025-10-30", days: 20 }], cal, "2025-10-30");
  assert.equal(d.due, "2025-12-02");
  assert.match(d.explanation.map((l) => l.zh).join(), /原期限 2025-11-04/);
  const twice = deadlineOf(app("2025-09-30"), [{ kind: "extension", date: "2025-10-30", days: 5 }, { kind: "extension", date: "2025-10-31", days: 5 }], cal, "2025-10-31");
  assert.deepEqual(twice.errors.map((e) => e.code), ["EV-EXTENSION-TWICE"]);
  const tooLong = deadlineOf(app("2025-09-30"), [{ kind: "extension", date: "2025-10-30", days: 21 }], cal, "2025-10-30");
  assert.deepEqual(tooLong.errors.map((e) => e.code), ["EV-EXTENSION-DAYS"]);
  const old = deadlineOf(app("2018-03-01"), [{ kind: "extension", date: "2018-03-10", days: 16 }], cal, "2018-03-10");
  assert.deepEqual(old.errors.map((e) => e.code), ["EV-EXTENSION-DAYS"], "2008 rules allow 15 at most");
});

test("a due date that runs into a missing year is provisional, names the year, and is re-dated when it is added", () => {
  // Received 2026-12-15 (Tue): 12/16–18=1–3, 12/21–25=4–8, 12/28–31=9–12, then 2027 unknown:
  // on plain weekdays 1/1=13, 1/4–8=14–18, 1/11=19, 1/12=20.
  const d = deadlineOf(app("2026-12-15"), [], cal, "2026-12-15");
  assert.equal(d.due, "2027-01-12");
  assert.equal(d.provisional, true);
  assert.deepEqual(d.missingYears, [2027]);
  assert.match(d.explanation.map((l) => l.zh).join(), /暂定：日历缺少 2027 年/);
  // A test-made 2027 (not an official notice) with New Year's Day off moves it one working day.
  const y2027: CalendarYearData = { year: 2027, notices: [{ number: "测试用", title: "测试用" }], holidays: [{ date: "2027-01-01", name: "元旦", notice: "测试用" }], workdays: [] };
  const after = deadlineOf(app("2026-12-15"), [], cal.withYear(y2027), "2026-12-15");
  assert.equal(after.due, "2027-01-13");
  assert.equal(after.provisional, false);
});

test("an answer after the due date is late, before it on time", () => {
  const late = deadlineOf(app("2025-09-30"), [{ kind: "answered", date: "2025-11-05", outcome: "disclosed" }], cal, "2025-12-01");
  assert.equal(late.onTime, false);
  assert.equal(late.workingDaysLeft, undefined);
  const onTime = deadlineOf(app("2025-09-30"), [{ kind: "answered", date: "2025-11-04", outcome: "disclosed" }], cal, "2025-12-01");
  assert.equal(onTime.onTime, true);
});

test("an open application past its due date is overdue by the working days since", () => {
  // Due 2025-11-04; as of 11/7 (Fri): 11/5, 11/6, 11/7 → overdue by 3.
  const d = deadlineOf(app("2025-09-30"), [], cal, "2025-11-07");
  assert.equal(d.overdue, true);
  assert.equal(d.workingDaysLeft, -3);
});

// ---- properties ----

const dateArb = fc.integer({ min: 0, max: (2026 - 2008) * 365 + 300 }).map((n) => addDays("2008-05-01", n));

test("property: a due date is always a working day", () => {
  fc.assert(fc.property(dateArb, fc.integer({ min: 0, max: 20 }), (received, ext) => {
    const events: RequestEvent[] = ext ? [{ kind: "extension", date: received, days: Math.min(ext, received < "2019-05-15" ? 15 : 20) }] : [];
    const d = deadlineOf(app(received), events, cal, received);
    return d.due !== undefined && cal.isWorkingDay(d.due) && d.due > received;
  }), { numRuns: 300 });
});

test("property: a pause never makes a due date earlier", () => {
  fc.assert(fc.property(dateArb, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 60 }), (received, startOffset, length) => {
    const start = addDays(received, startOffset);
    const end = addDays(start, length);
    const plain = deadlineOf(app(received), [], cal, received);
    const paused = deadlineOf(app(received), [{ kind: "consultation_started", date: start }, { kind: "consultation_ended", date: end }], cal, received);
    return paused.due !== undefined && plain.due !== undefined && paused.due >= plain.due;
  }), { numRuns: 300 });
});

test("property: an extension adds exactly its days, never more than 20 working days", () => {
  fc.assert(fc.property(dateArb.filter((d) => d >= "2019-05-15"), fc.integer({ min: 1, max: 25 }), (received, days) => {
    const plain = deadlineOf(app(received), [], cal, received);
    const ext = deadlineOf(app(received), [{ kind: "extension", date: received, days }], cal, received);
    if (days > 20) return ext.errors.some((e) => e.code === "EV-EXTENSION-DAYS") && ext.due === plain.due;
    const added = workingDaysBetween(cal, plain.due!, ext.due!);
    return added === days && added <= 20;
  }), { numRuns: 200 });
});

test("addWorkingDays never lands on a weekend unless it is a make-up day", () => {
  fc.assert(fc.property(dateArb, fc.integer({ min: 1, max: 40 }), (from, n) => {
    const r = addWorkingDays(cal, from, n);
    return !isWeekend(r.date) || cal.day(r.date).kind === "makeup";
  }), { numRuns: 200 });
});
