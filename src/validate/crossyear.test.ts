import { test } from "node:test";
import assert from "node:assert/strict";
import { validate } from "./index.js";
import { corrupt, labelled } from "./test-helpers/fixtures.js";

test("czj-2019 → czj-2020 breaks PRO19-PREV-CONTINUITY for 行政许可 (3 → 0), a warning (spec §6.1)", () => {
  const y2019 = labelled("expected/reports/pingtan-dept/czj-2019-80560.json");
  const y2020 = labelled("expected/reports/pingtan-dept/czj-2020-80589.json");
  assert.deepEqual(validate(y2020).filter((f) => f.rule === "PRO19-PREV-CONTINUITY"), [], "no cross-year rule without the previous report");
  const fs = validate(y2020, { previous: y2019 }).filter((f) => f.rule === "PRO19-PREV-CONTINUITY");
  const lic = fs.find((f) => f.fields?.includes("proactive.licensing.prev_items"));
  assert.ok(lic);
  assert.equal(lic.severity, "warning");
  assert.equal(lic.actual, 0);
  assert.equal(lic.expected, 3);
  assert.equal(lic.message, "PRO19-PREV-CONTINUITY 行政许可：上一年项目数量 0 ≠ 上年报告上一年项目数量 3 + 上年报告本年增/减 0");
  assert.ok(!fs.some((f) => f.fields?.includes("proactive.coercion.prev_items")), "行政强制 0 + 0 = 0 holds");
});

test("the 平潭 福建 cumulative chain: 76424 + 2543 = 78967 holds (2013-80759 → 2014-80791)", () => {
  const y2013 = labelled("expected/reports/pingtan/2013-80759.json");
  const y2014 = labelled("expected/reports/pingtan/2014-80791.json");
  const fs = validate(y2014, { previous: y2013 }).filter((f) => f.rule === "FJ-CUMULATIVE-CONTINUITY");
  assert.ok(!fs.some((f) => f.fields?.includes("cumulative.proactive.total")), JSON.stringify(fs.map((f) => f.message)));
  // One more document in the cumulative cell and the chain breaks, as a warning naming both years.
  const bad = validate(corrupt(y2014, { "cumulative.proactive.total": 78968 }), { previous: y2013 }).find((f) => f.rule === "FJ-CUMULATIVE-CONTINUITY");
  assert.equal(bad?.severity, "warning");
  assert.equal(bad?.message, "FJ-CUMULATIVE-CONTINUITY 主动公开政府信息数：历年累计 78968 ≠ 上年报告历年累计 76424 + 本年度 2543");
});

test("the agency merger of 2013 shows as a continuity warning (4359 + 72804 ≠ 76424)", () => {
  const fs = validate(labelled("expected/reports/pingtan/2013-80759.json"), { previous: labelled("expected/reports/pingtan/2012-80734.json") });
  const f = fs.find((x) => x.rule === "FJ-CUMULATIVE-CONTINUITY" && x.fields?.[0] === "cumulative.proactive.total");
  assert.equal(f?.actual, 76424);
  assert.equal(f?.expected, 77163);
});

test("PRO21-INFORCE-CONTINUITY: 470 + 62 − 33 ≠ 440 (平潭 2023 → 2024)", () => {
  // 470 is the 2023 现行有效 from the source page.html; the text run alone is ambiguous.
  const y2023 = corrupt(labelled("expected/reports/pingtan/2023-87885.json"), { "proactive.normative_docs.in_force": 470 });
  const f = validate(labelled("expected/reports/pingtan/2024-97791.json"), { previous: y2023 }).find((x) => x.rule === "PRO21-INFORCE-CONTINUITY");
  assert.equal(f?.actual, 440);
  assert.equal(f?.expected, 499);
  assert.match(f!.message_en!, /normative documents: in force 440 ≠ in force in the previous report 470 \+ issued 62 − repealed 33/);
});

test("APP-CARRY-CONTINUITY crosses the 2020 → 2021 generation change", () => {
  const y2020 = labelled("expected/reports/pingtan-dept/czj-2020-80589.json");
  const y2021 = corrupt(labelled("expected/reports/pingtan-dept/czj-2022-80614.json"), {});
  y2021.report_year = 2021;
  const carried = y2020.fields["applications.carried_out.total"];
  assert.equal(typeof carried, "number");
  const ok = validate(corrupt(y2021, { "applications.carried_in.total": carried }), { previous: y2020 });
  assert.ok(!ok.some((f) => f.rule === "APP-CARRY-CONTINUITY"));
  const bad = validate(corrupt(y2021, { "applications.carried_in.total": carried + 2 }), { previous: y2020 });
  assert.ok(bad.some((f) => f.rule === "APP-CARRY-CONTINUITY" && f.severity === "warning"));
});

test("a previous report that is not the year before is not compared", () => {
  const fs = validate(labelled("expected/reports/pingtan/2014-80791.json"), { previous: labelled("expected/reports/pingtan/2012-80734.json") });
  assert.ok(fs.some((f) => f.rule === "PREVIOUS-YEAR" && f.severity === "info"));
  assert.ok(!fs.some((f) => f.rule === "FJ-CUMULATIVE-CONTINUITY"));
});
