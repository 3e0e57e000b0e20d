import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkCalendar, checkCalendarYear } from "./calendar.js";
import { readCalendarDir, shippedCalendar } from "./calendar-data.js";
import { isWeekend } from "./dates.js";
import { RequestsError } from "./problems.js";

test("ships every year from 2008 to 2026, each naming its State Council notice", () => {
  const cal = shippedCalendar();
  for (let y = 2008; y <= 2026; y++) {
    assert.ok(cal.covers(y), `year ${y}`);
    const data = cal.year(y)!;
    assert.ok(data.notices.length >= 1);
    for (const d of [...data.holidays, ...data.workdays]) assert.ok(data.notices.some((n) => n.number === d.notice), `${d.date} tied to a listed notice`);
  }
  assert.equal(cal.covers(2027), false);
});

test("every shipped make-up working day is a weekend day and never also a holiday", () => {
  const cal = shippedCalendar();
  let n = 0;
  for (const y of cal.years()) for (const w of cal.year(y)!.workdays) {
    assert.ok(isWeekend(w.date), w.date);
    assert.equal(cal.day(w.date).working, true);
    n++;
  }
  assert.ok(n > 90, `make-up days found: ${n}`);
});

test("2025 国庆+中秋 matches 国办发明电〔2024〕12号: 10/1–10/8 off, 9/28 and 10/11 worked", () => {
  const cal = shippedCalendar();
  assert.equal(cal.year(2025)!.notices[0].number, "国办发明电〔2024〕12号");
  for (let d = 1; d <= 8; d++) assert.equal(cal.day(`2025-10-0${d}`).working, false, `10-0${d}`);
  assert.equal(cal.day("2025-10-06").name, "中秋");
  assert.deepEqual([cal.day("2025-09-28").kind, cal.day("2025-10-11").kind], ["makeup", "makeup"]);
  assert.equal(cal.day("2025-10-09").working, true);
  assert.equal(cal.day("2025-10-12").working, false);
});

test("2026 春节 matches 国办发明电〔2025〕7号: 2/15–2/23 off, 2/14 and 2/28 worked", () => {
  const cal = shippedCalendar();
  assert.equal(cal.year(2026)!.notices[0].number, "国办发明电〔2025〕7号");
  for (let d = 15; d <= 23; d++) assert.equal(cal.day(`2026-02-${d}`).kind, "holiday", `02-${d}`);
  assert.equal(cal.day("2026-02-14").kind, "makeup");
  assert.equal(cal.day("2026-02-28").kind, "makeup");
  assert.equal(cal.day("2026-02-24").working, true);
  // 国庆 2026: 10/1–10/7 off, 9/20 (Sun) and 10/10 (Sat) worked (same notice).
  assert.equal(cal.day("2026-09-20").kind, "makeup");
  assert.equal(cal.day("2026-10-08").working, true);
});

test("2020 春节 as extended by 国办发明电〔2020〕1号: 1/31–2/2 off, 2/1 no longer a working Saturday", () => {
  const cal = shippedCalendar();
  assert.equal(cal.day("2020-01-31").notice, "国办发明电〔2020〕1号");
  assert.equal(cal.day("2020-02-01").working, false);
  assert.equal(cal.day("2020-02-03").working, true);
});

test("late-December 元旦 days belong to the next year's notice (2018-12-29 worked under 国办发明电〔2018〕15号)", () => {
  const cal = shippedCalendar();
  assert.deepEqual([cal.day("2018-12-29").kind, cal.day("2018-12-29").notice], ["makeup", "国办发明电〔2018〕15号"]);
  assert.equal(cal.day("2018-12-31").kind, "holiday");
});

test("a year the calendar lacks is reported unknown, not taken for plain weekdays", () => {
  const d = shippedCalendar().day("2027-01-01");
  assert.equal(d.known, false);
  assert.equal(d.kind, "workday"); // the weekday guess, flagged by known=false
});

test("rejects a make-up day on a weekday, a day both off and on, a date outside the year", () => {
  const r = checkCalendarYear({
    year: 2027, notices: [{ number: "测试通知", title: "t" }],
    holidays: [{ date: "2027-02-06", name: "春节", notice: "测试通知" }, { date: "2026-12-31", name: "元旦", notice: "测试通知" }],
    workdays: [{ date: "2027-02-03", name: "春节", notice: "测试通知" }, { date: "2027-02-06", name: "春节", notice: "测试通知" }],
  });
  assert.equal(r.ok, false);
  const codes = r.ok ? [] : r.errors.map((e) => e.code).sort();
  assert.deepEqual(codes, ["CAL-BOTH", "CAL-DATE-YEAR", "CAL-MAKEUP-WEEKDAY"]);
});

test("a year without a notice is refused", () => {
  const r = checkCalendarYear({ year: 2027, notices: [], holidays: [], workdays: [] });
  assert.equal(r.ok, false);
  assert.equal(r.ok ? "" : r.errors[0].code, "CAL-NOTICE-MISSING");
});

test("correcting one day changes only that day and needs the year to exist", () => {
  const cal = shippedCalendar();
  const fixed = cal.withDay("2025-10-10", "holiday", "测试", "国办发明电〔2024〕12号");
  assert.ok(fixed.ok);
  if (fixed.ok) {
    assert.equal(fixed.value.day("2025-10-10").working, false);
    assert.equal(cal.day("2025-10-10").working, true, "original untouched");
  }
  const none = cal.withDay("2027-01-01", "holiday", "元旦", "x");
  assert.equal(none.ok, false);
});

test("reading a folder with a broken year file names the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "gk-cal-"));
  writeFileSync(join(dir, "2027.json"), "{not json");
  assert.throws(() => readCalendarDir(dir), (e: unknown) => e instanceof RequestsError && e.message.includes("2027.json"));
  const dir2 = mkdtempSync(join(tmpdir(), "gk-cal-"));
  writeFileSync(join(dir2, "2027.json"), JSON.stringify({ year: 2028, notices: [{ number: "n" }], holidays: [], workdays: [] }));
  assert.throws(() => readCalendarDir(dir2), /2028/);
  const ok = WorkCalendar.of(readCalendarDir(mkdtempSync(join(tmpdir(), "gk-cal-"))));
  assert.deepEqual(ok.years(), []);
});
