import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { emptyExtraction, type Extraction } from "../../model/index.js";
import { toDocument, type Document } from "../document.js";
import { solveRuns } from "../solve.js";
import { readTextTables } from "../texttables.js";
import { readPre2019 } from "../pre2019/index.js";
import { mergeProse, readProse } from "./index.js";

const ROOT = new URL("../../../fixtures/", import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, ROOT), "utf8");
const doc = (rel: string, text = read(rel)): Document => toDocument(text, rel);
const expected = (seed: string) => JSON.parse(read(`seeds/expected/${seed}.json`)) as { fields: Record<string, number> };

test("reads the prose-only pre-2019 seeds exactly as hand-labelled (000 安康, 002 卫滨区, 003 吉林市)", () => {
  for (const seed of ["000_86ed778e0799fc79", "002_f161bfdcdc1967a9", "003_13c842c1c53d37e7"]) {
    const ex = readProse(doc(`seeds/${seed}.txt`), "pre2019");
    assert.deepEqual(ex.fields, expected(seed).fields, seed);
    assert.equal(ex.issues.length, 0, `${seed}: every stated percentage matches its count`);
    for (const id of Object.keys(ex.fields)) assert.equal(ex.provenance[id].method, "prose");
  }
});

test("does not read approximations, changes, sub-units or Chinese numerals", () => {
  const s3 = readProse(doc("seeds/003_13c842c1c53d37e7.txt"), "pre2019");
  assert.equal(s3.fields["org.budget"], 65.9, "比2016年增加34.3万元 is a change");
  assert.equal(s3.fields["requests.received.total"], 501, "以市本级为例，全年收到公开申请265件 is a sub-unit");
  const s2 = readProse(doc("seeds/002_f161bfdcdc1967a9.txt"), "pre2019");
  assert.equal(s2.fields["training.sessions"], undefined, "培训三期");
  assert.equal(s2.fields["training.attendees"], undefined, "200余人");
  const s4 = readProse(doc("seeds/004_dc1d97f3652ba9cf.txt"), "pre2019");
  assert.equal(s4.fields["org.reading_points"], undefined, "查阅点30余处");
  // 县直各单位主动公开政府信息303条 and 各乡镇…122条 are parts; the total is 425.
  assert.equal(readProse(doc("reports/pingtan/2011-80716/page.txt"), "pre2019").fields["proactive.total"], 425);
});

test("flags prose that contradicts the table, Chinese then English (S4 政策解读稿件 23 ≠ 21)", () => {
  const d = doc("seeds/004_dc1d97f3652ba9cf.txt");
  const merged = mergeProse(readPre2019(d), readProse(d, "pre2019"));
  const tt = merged.issues.filter((i) => i.rule === "TEXT-TABLE");
  assert.equal(tt.length, 1);
  assert.equal(tt[0].severity, "warning");
  assert.equal(tt[0].message, "TEXT-TABLE 政策解读稿件发布数: 正文 23 ≠ 附表 21 (prose 23 ≠ table 21)");
  assert.deepEqual(tt[0].fields, ["response.interpretations"]);
  assert.equal(merged.fields["response.interpretations"], 21, "the table wins");
  assert.equal(merged.provenance["response.interpretations"].method, "text");
});

test("flags a stated share that does not match its counts (TEXT-PERCENT)", () => {
  const text = read("seeds/003_13c842c1c53d37e7.txt").replace("占申请总数的比例为81.8%", "占申请总数的比例为80.8%");
  const ex = readProse(doc("seeds/003_13c842c1c53d37e7.txt", text), "pre2019");
  const tp = ex.issues.filter((i) => i.rule === "TEXT-PERCENT");
  assert.equal(tp.length, 1);
  assert.equal(tp[0].severity, "warning");
  assert.deepEqual(tp[0].fields, ["requests.received.in_person", "requests.received.total"]);
  assert.match(tp[0].message, /80\.8% ≠ 410\/501 = 81\.84%/);
  // A rate stated as 即时办结率 is checked too: 491/501 = 98.0%.
  const rate = read("seeds/003_13c842c1c53d37e7.txt").replace("即时办结率为98%", "即时办结率为96%");
  assert.ok(readProse(doc("seeds/003_13c842c1c53d37e7.txt", rate), "pre2019").issues.some((i) => i.rule === "TEXT-PERCENT" && i.message.includes("96%")));
});

test("fills what the tables lack from prose, and keeps blank and ambiguous bookkeeping straight", () => {
  const tables: Extraction = { ...emptyExtraction(), fields: { "requests.received.total": 7 }, blank: ["proactive.total"], ambiguous: ["proactive.channel.website"] };
  tables.provenance["requests.received.total"] = { method: "text", source: "统计表", raw: "7" };
  const prose = emptyExtraction();
  prose.fields = { "proactive.total": 1853, "proactive.channel.website": 1713, "requests.received.total": 7 };
  for (const id of Object.keys(prose.fields)) prose.provenance[id] = { method: "prose", source: "正文", raw: String(prose.fields[id]) };
  const m = mergeProse(tables, prose);
  assert.equal(m.fields["proactive.total"], 1853);
  assert.equal(m.provenance["proactive.total"].method, "prose");
  assert.deepEqual(m.blank, []);
  assert.deepEqual(m.ambiguous, []);
  assert.equal(m.provenance["requests.received.total"].method, "text");
  assert.equal(m.issues.length, 0);
});

test("does not let prose 信函申请 fill a 福建 B table that prints 信函、传真 as one row (2014)", () => {
  const d = doc("reports/pingtan/2014-80791/page.txt");
  const prose = readProse(d, "pre2019");
  assert.equal(prose.fields["requests.received.letter"], 1);
  const m = mergeProse(readPre2019(d), prose);
  assert.equal(m.fields["requests.received.letter"], undefined);
  assert.equal(m.fields["requests.received.letter_or_fax"], 1);
});

/** The 2021 tables of a flattened report, through the real table reader and solver. */
function tables2021(d: Document): Extraction {
  const r = readTextTables(d.text, "2021");
  const s = solveRuns(r.runs, r.values, "2021");
  return { ...emptyExtraction(), fields: { ...r.values, ...s.values }, ambiguous: s.ambiguous, blank: r.blank };
}

test("reads 2021-format prose that restates the tables, and finds it consistent (平潭 2023)", () => {
  const d = doc("reports/pingtan/2023-87885/page.txt");
  const prose = readProse(d, "2021");
  assert.deepEqual(prose.fields, {
    "proactive.normative_docs.issued": 77,
    "applications.new.total": 81,
    "applications.result.total.total": 81,
    "applications.result.withheld.subtotal.total": 5,
    "review.reconsideration.total": 2,
    "review.litigation.total": 7,
    "processing_fee.amount_yuan": 0,
  });
  const m = mergeProse(tables2021(d), prose);
  assert.deepEqual(m.issues.filter((i) => i.rule === "TEXT-TABLE"), [], "derived 不予公开 5 and 行政诉讼 5 + 2 agree");
  assert.equal(m.fields["processing_fee.amount_yuan"], 0);
  assert.equal(m.fields["applications.result.withheld.subtotal.total"], undefined, "a derived field is computed, not filled");
});

test("reads 信息处理费 statements in words as 0 and an amount in 元", () => {
  assert.equal(readProse(doc("reports/pingtan-dept/hzs-2025-104906/page.txt"), "2021").fields["processing_fee.amount_yuan"], 0);
  const text = read("reports/pingtan/2024-97791/page.txt").replace("2024年，无收取信息处理费情况。", "2024年，实际收取信息处理费共计400元。");
  assert.equal(readProse(doc("reports/pingtan/2024-97791/page.txt", text), "2021").fields["processing_fee.amount_yuan"], 400);
  assert.equal(readProse(doc("reports/pingtan/2024-97791/page.txt"), "pre2019").fields["processing_fee.amount_yuan"], undefined);
});

test("a prose figure that contradicts a 2021 table is a TEXT-TABLE warning naming both numbers", () => {
  const d = doc("reports/pingtan/2023-87885/page.txt", read("reports/pingtan/2023-87885/page.txt").replace("行政复议案件2件", "行政复议案件3件"));
  const m = mergeProse(tables2021(d), readProse(d, "2021"));
  const tt = m.issues.filter((i) => i.rule === "TEXT-TABLE");
  assert.equal(tt.length, 1);
  assert.equal(tt[0].message, "TEXT-TABLE 行政复议数量: 正文 3 ≠ 附表 2 (prose 3 ≠ table 2)");
  assert.deepEqual([tt[0].actual, tt[0].expected], [3, 2]);
});
