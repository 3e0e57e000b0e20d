import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { validate, withDerived } from "./index.js";
import { corrupt, labelled } from "./test-helpers/fixtures.js";
import type { Finding, ParsedReport } from "../model/index.js";

const rules = (fs: Finding[]) => fs.map((f) => f.rule);
const errors = (fs: Finding[]) => fs.filter((f) => f.severity === "error");

test("every hand-labelled real report validates without an error", () => {
  const files = [
    ...readdirSync(new URL("../../fixtures/seeds/expected/", import.meta.url)).filter((f) => f.endsWith(".json")).map((f) => `seeds/expected/${f}`),
    ...["pingtan", "pingtan-dept"].flatMap((d) => readdirSync(new URL(`../../fixtures/expected/reports/${d}/`, import.meta.url)).map((f) => `expected/reports/${d}/${f}`)),
  ];
  assert.ok(files.length >= 20);
  for (const f of files) assert.deepEqual(errors(validate(labelled(f))), [], f);
});

test("a blank is not 0: seed 001 APP-BALANCE does not fire, but reading blanks as 0 gives a warning", () => {
  const fs = validate(labelled("seeds/expected/001_a1987c7275b215ef.json"));
  assert.ok(!rules(fs).includes("APP-BALANCE"));
  const w = fs.find((f) => f.rule === "BLANK-AS-ZERO" && f.message.includes("APP-BALANCE"));
  assert.ok(w, "blank-as-zero warning expected");
  assert.equal(w.severity, "warning");
  assert.equal(w.message, "BLANK-AS-ZERO APP-BALANCE 总计：空白按 0 计时 本年新收 5 + 上年结转 0 ≠ 办理结果总计 0 + 结转下年度 0（空白：上年结转、办理结果总计、结转下年度）");
  assert.equal(w.actual, 5);
  assert.equal(w.expected, 0);
});

test("seed 001 leaves key totals blank: BLANK-TOTAL warnings name them", () => {
  const fs = validate(labelled("seeds/expected/001_a1987c7275b215ef.json")).filter((f) => f.rule === "BLANK-TOTAL");
  assert.deepEqual(fs.map((f) => f.fields?.[0]).sort(), ["applications.carried_out.total", "applications.result.total.total"]);
  assert.ok(fs.every((f) => f.severity === "warning"));
});

test("seeds 003 and 004: every pre-2019 identity holds", () => {
  for (const f of ["seeds/expected/003_13c842c1c53d37e7.json", "seeds/expected/004_dc1d97f3652ba9cf.json"]) {
    const fs = validate(labelled(f)).filter((x) => x.rule.startsWith("PRE-"));
    assert.deepEqual(fs, [], f);
  }
});

test("APP-BALANCE message names the numbers and the column, Chinese and English", () => {
  const r = corrupt(labelled("expected/reports/pingtan/2023-87885.json"), { "applications.result.total.natural": 79, "applications.result.total.total": 80 });
  const f = validate(r).find((x) => x.rule === "APP-BALANCE" && x.fields?.includes("applications.new.natural"));
  assert.ok(f);
  assert.equal(f.message.split("；")[0], "APP-BALANCE 自然人：本年新收 80 + 上年结转 0 ≠ 办理结果总计 79 + 结转下年度 0");
  assert.equal(f.message_en?.split("; ")[0], "APP-BALANCE natural persons: new 80 + carried in 0 ≠ results total 79 + carried out 0");
  assert.equal(f.actual, 80);
  assert.equal(f.expected, 79);
  assert.deepEqual(f.fields, ["applications.new.natural", "applications.carried_in.natural", "applications.result.total.natural", "applications.carried_out.natural"]);
});

test("table 四 row sums and the derived all-litigation block", () => {
  const base = labelled("expected/reports/pingtan/2023-87885.json");
  assert.deepEqual(rules(validate(base)).filter((r) => r.startsWith("REV")), []);
  const bad = validate(corrupt(base, { "review.litigation_direct.total": 6 }));
  assert.deepEqual(rules(errors(bad)), ["REV-ROWSUM"]);
  // A printed all-litigation subtotal (third-party tables) is checked against its definition.
  const printed = validate(corrupt(base, { "review.litigation.upheld": 4 }));
  const lit = printed.find((f) => f.rule === "REV-LIT-SUM");
  assert.ok(lit);
  assert.equal(lit.actual, 4);
  assert.equal(lit.expected, 5);
});

test("derived subtotals are computed, so a prose-style printed subtotal is checked (APP-SUB-WITHHELD)", () => {
  const base = labelled("expected/reports/pingtan/2023-87885.json");
  assert.deepEqual(validate(corrupt(base, { "applications.result.withheld.subtotal.total": 5 })).filter((f) => f.rule.startsWith("APP-SUB")), []);
  const f = validate(corrupt(base, { "applications.result.withheld.subtotal.total": 6 })).find((x) => x.rule === "APP-SUB-WITHHELD");
  assert.ok(f);
  assert.equal(f.expected, 5);
});

test("negative counts are errors by table; a signed 本年增/减 is not", () => {
  const s1 = labelled("seeds/expected/001_a1987c7275b215ef.json");
  assert.equal(s1.fields["proactive.licensing.change"], -5711);
  assert.ok(!validate(s1).some((f) => f.rule === "PRO-NONNEG"));
  const fs = validate(corrupt(s1, { "proactive.penalty.decisions": -488, "review.reconsideration.other": -1 }));
  const pro = fs.find((f) => f.rule === "PRO-NONNEG");
  assert.equal(pro?.message, "PRO-NONNEG 行政处罚/处理决定数量 为负数 -488");
  assert.ok(fs.some((f) => f.rule === "REV-NONNEG" && f.fields?.[0] === "review.reconsideration.other"));
  const app = validate(corrupt(labelled("expected/reports/pingtan/2023-87885.json"), { "applications.carried_in.other": -1 }));
  assert.ok(app.some((f) => f.rule === "APP-NONNEG"));
  const pre = validate(corrupt(labelled("seeds/expected/004_dc1d97f3652ba9cf.json"), { "org.bodies": -2 }));
  assert.ok(pre.some((f) => f.rule === "PRE-NONNEG" && f.severity === "error"));
});

test("a fractional count is NOT-INTEGER; a 万元 amount may have decimals", () => {
  const base = labelled("expected/reports/pingtan/2023-87885.json");
  assert.equal(base.fields["proactive.fees.amount"], 5949.088667);
  assert.ok(!validate(base).some((f) => f.rule === "NOT-INTEGER"));
  const fs = validate(corrupt(base, { "proactive.licensing.decisions": 2629.5 }));
  const f = fs.find((x) => x.rule === "NOT-INTEGER");
  assert.equal(f?.message, "NOT-INTEGER 行政许可/处理决定数量 应为整数，印为 2629.5");
  assert.equal(f?.message_en, "NOT-INTEGER licensing / decisions should be a whole number, printed 2629.5");
});

test("福建 variants: a variant-A table is not also failed against variant B, and vice versa", () => {
  const a = labelled("expected/reports/pingtan/2013-80754.json");
  assert.ok(a.fields["requests.received.email"] !== undefined, "variant A has an e-mail row");
  assert.deepEqual(validate(a).filter((f) => f.rule.startsWith("FJ-") || f.rule.startsWith("PRE-")), []);
  const badA = validate(corrupt(a, { "requests.received.total": 8 }));
  const fj = badA.filter((f) => f.rule.startsWith("FJ-RECEIVED"));
  assert.deepEqual(fj.map((f) => f.rule), ["FJ-RECEIVED-A"]);
  assert.ok(!badA.some((f) => f.rule === "PRE-RECEIVED"), "the national-table rule does not apply to a 福建 table");

  const b = labelled("expected/reports/pingtan/2014-80791.json");
  assert.ok(b.fields["requests.received.letter_or_fax"] !== undefined, "variant B has a 信函、传真 row");
  const badB = validate(corrupt(b, { "requests.answered.total": 2 }));
  assert.deepEqual(badB.filter((f) => f.rule.startsWith("FJ-ANSWERED")).map((f) => f.rule), ["FJ-ANSWERED-B"]);
});

test("福建 历年累计 twins: the cumulative column is checked like the year column", () => {
  const a = labelled("expected/reports/pingtan/2013-80754.json");
  const fs = validate(corrupt(a, { "cumulative.requests.received.total": 27 }));
  const f = fs.find((x) => x.rule === "FJ-RECEIVED-A");
  assert.ok(f);
  assert.ok(f.fields?.every((id) => id.startsWith("cumulative.")));
  assert.match(f.message, /^FJ-RECEIVED-A 历年累计：收到申请数 27 ≠ /);
  const cum = validate(corrupt(a, { "cumulative.requests.received.total": 6 })).find((x) => x.rule === "FJ-CUMULATIVE");
  assert.equal(cum?.message.split("；")[0], "FJ-CUMULATIVE 收到申请数：历年累计 6 < 本年度 7");
});

test("PRE-CHANNEL (warning): total between the largest channel and the channel sum", () => {
  const s4 = labelled("seeds/expected/004_dc1d97f3652ba9cf.json");
  assert.equal(s4.fields["proactive.total"], 7298);
  const fs = validate(corrupt(s4, { "proactive.total": 9000 }));
  const f = fs.find((x) => x.rule === "PRE-CHANNEL");
  assert.equal(f?.severity, "warning");
  assert.equal(f?.actual, 9000);
});

test("withDerived fills the 2021 subtotals from the printed rows (平潭 2023: 不予公开 1 + 1 + 1 + 2 = 5)", () => {
  const v = withDerived(labelled("expected/reports/pingtan/2023-87885.json"));
  assert.equal(v["applications.result.withheld.subtotal.total"], 5);
  assert.equal(v["review.litigation.total"], 7);
  assert.equal(v["applications.new.org_subtotal"], 1);
});

test("FJ-RECEIVED-B: 信函、传真 and 信函 are alternatives, never added together", () => {
  // The 2014 report's table has 3、信函、传真申请数 1; its prose says 信函申请1条 as well.
  const b = corrupt(labelled("expected/reports/pingtan/2014-80791.json"), { "requests.received.letter": 1 });
  assert.equal(b.fields["requests.received.letter_or_fax"], 1);
  assert.deepEqual(validate(b).filter((f) => f.rule.startsWith("FJ-RECEIVED")), []);
  const bad = validate(corrupt(b, { "requests.received.total": 3 })).find((f) => f.rule === "FJ-RECEIVED-B");
  assert.equal(bad?.message, "FJ-RECEIVED-B：收到申请数 3 ≠ 当面申请数 0 + 网络申请数 0 + 信函、传真申请数 1；可能的错误：收到申请数 印为 3，应为 1（笔误：一位数字不同）");
});

/** A copy of a report with some cells printed blank. */
const blanked = (report: ParsedReport, ids: string[]): ParsedReport => ({
  ...report,
  fields: Object.fromEntries(Object.entries(report.fields).filter(([id]) => !ids.includes(id))),
  blank: [...report.blank, ...ids],
});

test("FJ-RECEIVED-B is not checked without a 信函、传真 row printed blank (an optional term is optional only when its row is absent)", () => {
  const b = blanked(labelled("expected/reports/pingtan/2014-80791.json"), ["requests.received.letter_or_fax", "cumulative.requests.received.letter_or_fax"]);
  assert.deepEqual(errors(validate(b)), []);
  // The same report with the row not printed at all is still checked without it.
  const absent = { ...b, blank: [] };
  assert.deepEqual(errors(validate(absent)).map((f) => f.rule), ["FJ-RECEIVED-B", "FJ-RECEIVED-B"]);
});

test("a 福建 A table whose 传真 and 电子邮件 rows are printed blank is not checked against row set B", () => {
  const a = blanked(labelled("expected/reports/pingtan/2013-80754.json"), ["requests.received.fax", "requests.received.email", "cumulative.requests.received.fax", "cumulative.requests.received.email"]);
  assert.deepEqual(errors(validate(a)), []);
  // Without its 6.其它形式 row the blank rows alone still name the variant.
  const noOther = blanked(a, ["requests.received.other", "cumulative.requests.received.other"]);
  assert.deepEqual(errors(validate(noOther)), []);
});
