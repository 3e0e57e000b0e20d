import { test } from "node:test";
import assert from "node:assert/strict";
import { validate } from "./index.js";
import { corrupt, labelled } from "./test-helpers/fixtures.js";
import type { Finding } from "../model/index.js";

const T2023 = "expected/reports/pingtan/2023-87885.json";
const errors = (fs: Finding[]) => fs.filter((f) => f.severity === "error");

/** The one suggestion shared by every failing identity, or fails the test. */
function theSuggestion(fs: Finding[]) {
  const errs = errors(fs);
  assert.ok(errs.length > 0, "the change must be detected");
  const s = errs.map((f) => f.suggestion);
  assert.ok(s.every((x) => x && x.field === s[0]!.field && x.value === s[0]!.value), JSON.stringify(errs.map((f) => f.message)));
  return s[0]!;
}

test("a typo (one digit differs) in table 三 is located: the cell and its original value", () => {
  const base = labelled(T2023);
  assert.equal(base.fields["applications.result.unable.not_held.natural"], 31);
  const fs = validate(corrupt(base, { "applications.result.unable.not_held.natural": 37 }));
  const s = theSuggestion(fs);
  assert.deepEqual(s, { field: "applications.result.unable.not_held.natural", value: 31, printed: 37, reason: "typo" });
  assert.ok(errors(fs).every((f) => f.message.endsWith("可能的错误：无法提供·不掌握/自然人 印为 37，应为 31（笔误：一位数字不同）")));
  assert.ok(errors(fs).every((f) => f.message_en!.endsWith("probable error: unable: not held / natural persons printed 37, likely 31 (typo: one digit differs)")));
});

test("swapped digits are located and called a transposition", () => {
  const base = labelled(T2023);
  assert.equal(base.fields["applications.result.partial.natural"], 19);
  const s = theSuggestion(validate(corrupt(base, { "applications.result.partial.natural": 91 })));
  assert.deepEqual(s, { field: "applications.result.partial.natural", value: 19, printed: 91, reason: "transposition" });
});

test("a value from the neighbouring column is located and called a wrong column", () => {
  const base = labelled(T2023);
  assert.equal(base.fields["applications.new.natural"], 80);
  assert.equal(base.fields["applications.new.commercial"], 1);
  const fs = validate(corrupt(base, { "applications.new.natural": 1 }));
  const s = theSuggestion(fs);
  assert.deepEqual(s, { field: "applications.new.natural", value: 80, printed: 1, reason: "wrong_column" });
  assert.match(errors(fs)[0].message, /错列：与相邻单元格本年新收\/商业企业的数值 1 有关/);
});

test("a dropped and an extra digit are located (missing_digit, extra_digit)", () => {
  const base = labelled(T2023);
  const miss = theSuggestion(validate(corrupt(base, { "applications.result.disclosed.total": 2 })));
  assert.deepEqual(miss, { field: "applications.result.disclosed.total", value: 22, printed: 2, reason: "missing_digit" });
  const b24 = labelled("expected/reports/pingtan/2024-97791.json");
  const extra = theSuggestion(validate(corrupt(b24, { "applications.new.natural": 2177 })));
  assert.deepEqual(extra, { field: "applications.new.natural", value: 217, printed: 2177, reason: "extra_digit" });
});

test("a misprinted grand total (three identities fail) is still one cell", () => {
  const base = labelled(T2023);
  const fs = validate(corrupt(base, { "applications.result.total.total": 18 }));
  assert.deepEqual(errors(fs).map((f) => f.rule).sort(), ["APP-BALANCE", "APP-RESULT-SUM-2021", "APP-ROWSUM"]);
  assert.deepEqual(theSuggestion(fs), { field: "applications.result.total.total", value: 81, printed: 18, reason: "transposition" });
});

test("when several cells could each explain the error, none is picked and the message says so", () => {
  const base = labelled(T2023);
  const fs = validate(corrupt(base, { "review.reconsideration.total": 3 }));
  const [f] = errors(fs);
  assert.equal(f.rule, "REV-ROWSUM");
  assert.equal(f.suggestion, undefined);
  assert.match(f.message, /无法唯一确定出错单元格，以下任一改动均可：行政复议\/总计 3→2；行政复议\/结果维持 1→2/);
  assert.match(f.message_en!, /probable error not unique, any one of: reconsideration \/ total 3→2; /);
});

test("two misprints in different tables are judged separately", () => {
  const base = labelled(T2023);
  const fs = validate(corrupt(base, { "applications.result.partial.natural": 91, "review.litigation_direct.total": 7 }));
  const t3 = errors(fs).filter((f) => f.rule.startsWith("APP"));
  assert.ok(t3.length >= 2 && t3.every((f) => f.suggestion?.field === "applications.result.partial.natural"));
  // Table 四 has one identity per block: any of its five cells could restore it.
  const t4 = errors(fs).filter((f) => f.rule.startsWith("REV"));
  assert.equal(t4.length, 1);
  assert.equal(t4[0].suggestion, undefined);
  assert.match(t4[0].message, /无法唯一确定/);
});

test("pre-2019 national table: a failing heuristic (warning) decides between candidates", () => {
  const s4 = labelled("seeds/expected/004_dc1d97f3652ba9cf.json");
  const fs = validate(corrupt(s4, { "requests.answered.total": 7 }));
  const f = fs.find((x) => x.rule === "PRE-ANSWERED");
  assert.deepEqual(f?.suggestion, { field: "requests.answered.total", value: 1, printed: 7, reason: "typo" });
  assert.ok(fs.some((x) => x.rule === "PRE-ANSWERED-EQ-COMPLETED" && x.severity === "warning"));
});

test("a 福建 run-together misread (72 | 8 for 7 | 28) is located by the cumulative and channel sums", () => {
  // F pingtan/2013-80754: 受理依申请公开信息总数条728 = 7 | 28; read as 72 | 8 both columns break.
  const a = labelled("expected/reports/pingtan/2013-80754.json");
  assert.equal(a.fields["requests.received.total"], 7);
  assert.equal(a.fields["cumulative.requests.received.total"], 28);
  const fs = validate(corrupt(a, { "requests.received.total": 72 }));
  assert.deepEqual(fs.find((f) => f.rule === "FJ-RECEIVED-A")?.suggestion, { field: "requests.received.total", value: 7, printed: 72, reason: "extra_digit" });
});
