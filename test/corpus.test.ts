import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseReport } from "../src/parse/index.js";
import { validate } from "../src/validate/index.js";

/**
 * Real reports nobody tuned the parser on (fixtures/corpus, see its MANIFEST.tsv). Every expected
 * value below was read by hand from the report's text (the digit runs split by reading the row
 * and checking its sums); the comment on each case says how. `errors` lists the identity codes the
 * report itself breaks (kept as published); every other report must validate without an error.
 */

interface Case {
  file: string;
  format: "pre2019" | "2019" | "2021";
  year: number;
  agency: string;
  values: Record<string, number>;
  errors?: string[];
}

const CASES: Case[] = [
  {
    // 一、本年新收 "230 000023" = 23|0|0|0|0|0|23; (七)总计 "23 0 00 0 023"; 表四 fifteen 0s.
    file: "pingtan-2019-80576/page.txt", format: "2019", year: 2019, agency: "平潭综合实验区管委会",
    values: { "applications.new.total": 23, "applications.result.disclosed.total": 7, "applications.result.unable.not_held.total": 7, "applications.result.total.total": 23, "applications.carried_out.total": 0, "review.reconsideration.total": 0, "proactive.rules.made": 0 },
  },
  {
    // "640020470" = 64|0|0|2|0|4|70 (prose: 收到70件申请，办结69件，1件结转); 表四 1|0|2|0|3 12|0|0|0|12 0…
    file: "pingtan-2021-80613/page.txt", format: "2021", year: 2021, agency: "平潭综合实验区管委会",
    values: { "applications.new.natural": 64, "applications.new.nonprofit": 2, "applications.new.other": 4, "applications.new.total": 70, "applications.result.unable.not_held.total": 25, "applications.result.total.total": 69, "applications.carried_out.total": 1, "review.reconsideration.total": 3, "review.litigation_direct.total": 12, "review.litigation_after.total": 0, "proactive.fees.amount": 24252.311082 },
  },
  {
    // "713000074" = 71|3|0|0|0|0|74, 上年结转 1, 总计 "723000075" = 72|3|…|75; 表四 "0 1 1 0 2 1 0 0 0 1 0…".
    file: "pingtan-2022-80629/page.txt", format: "2021", year: 2022, agency: "平潭综合实验区管委会",
    values: { "applications.new.natural": 71, "applications.new.commercial": 3, "applications.new.total": 74, "applications.carried_in.total": 1, "applications.result.total.total": 75, "applications.carried_out.total": 0, "review.reconsideration.total": 2, "review.litigation_direct.total": 1, "proactive.fees.amount": 9116.36 },
  },
  {
    // "15130000154" = 151|3|0|0|0|0|154, 总计 147|1|…|148, 结转 4|2|…|6; 表四 25|3|8|0|36 3|3|0|0|6 3|0|0|0|3
    // (prose: 行政复议36起，行政诉讼9起).
    file: "pingtan-2025-105587/page.txt", format: "2021", year: 2025, agency: "平潭综合实验区管委会办公室",
    values: { "applications.new.total": 154, "applications.new.commercial": 3, "applications.result.total.total": 148, "applications.carried_out.natural": 4, "applications.carried_out.total": 6, "review.reconsideration.upheld": 25, "review.reconsideration.total": 36, "review.litigation_direct.total": 6, "review.litigation_after.total": 3 },
  },
  {
    // "200 000121" = 20|0|0|0|0|1|21 and (七)总计 "20 0 00 0 121" the same, but the result rows add up to
    // 27 (7+6+4+3+3+4): the report's own error, kept. 行政事业性收费 "35-15" = 35 | -15.
    file: "pingtan-2020-80595/page.txt", format: "2019", year: 2020, agency: "平潭综合实验区管委会",
    values: { "applications.new.natural": 20, "applications.new.other": 1, "applications.new.total": 21, "applications.result.disclosed.total": 7, "applications.result.other.subtotal.total": 4, "applications.result.total.natural": 20, "applications.result.total.total": 21, "proactive.fees.prev_items": 35, "proactive.fees.change": -15, "proactive.rules.total_public": 7 },
    errors: ["APP-RESULT-SUM-2019"],
  },
  {
    // 2020 report on the 2019 template; one application, disclosed.
    file: "hzs-2020-80583/page.txt", format: "2019", year: 2020, agency: "平潭综合实验区行政审批局",
    values: { "applications.new.total": 1, "applications.result.disclosed.total": 1, "applications.result.total.total": 1, "applications.carried_out.total": 0, "review.reconsideration.total": 0, "proactive.rules.made": 0 },
  },
  {
    file: "hzs-2022-80621/page.txt", format: "2021", year: 2022, agency: "平潭综合实验区行政审批局",
    values: { "applications.new.total": 4, "applications.result.disclosed.total": 4, "applications.result.total.total": 4, "applications.carried_out.total": 0, "review.reconsideration.total": 0, "proactive.fees.amount": 0 },
  },
  {
    // 部分公开 1 + 行政查询 2 + 不掌握 4 = 7; 表四 1|0|0|0|1 0… 0|0|1|0|1 (诉讼 撤诉 = 其他结果).
    file: "hzs-2023-86659/page.txt", format: "2021", year: 2023, agency: "平潭综合实验区行政审批局",
    values: { "applications.new.total": 7, "applications.result.partial.total": 1, "applications.result.withheld.admin_query.total": 2, "applications.result.total.total": 7, "review.reconsideration.upheld": 1, "review.reconsideration.total": 1, "review.litigation_after.other": 1, "review.litigation_after.total": 1 },
  },
  {
    // 18 + 6 + 4 = 28. 表四 prints 1 0 0 0 0 for 行政复议: 结果维持 1 but 总计 0 — the report's own slip.
    file: "hzs-2024-96946/page.txt", format: "2021", year: 2024, agency: "平潭综合实验区行政审批局",
    values: { "applications.new.total": 28, "applications.result.disclosed.total": 18, "applications.result.partial.total": 6, "applications.result.total.total": 28, "review.reconsideration.upheld": 1, "review.reconsideration.total": 0 },
    errors: ["REV-ROWSUM"],
  },
  {
    file: "czj-2021-80600/page.txt", format: "2021", year: 2021, agency: "平潭综合实验区财政金融局",
    values: { "applications.new.total": 0, "applications.result.total.total": 0, "applications.carried_out.total": 0, "review.reconsideration.total": 0, "proactive.fees.amount": 7816 },
  },
  {
    // 规范性文件 "008" = 0|0|8.
    file: "czj-2023-86688/page.txt", format: "2021", year: 2023, agency: "平潭综合实验区财政金融局",
    values: { "applications.new.total": 0, "applications.result.total.total": 0, "proactive.normative_docs.in_force": 8, "proactive.fees.amount": 5949.09 },
  },
  {
    // "20 0 0 0 02" = 2|0|0|0|0|0|2 (prose: 2件，公开答复1件，无法提供1件); 规范性文件 "021" = 0|2|1.
    file: "czj-2024-96895/page.txt", format: "2021", year: 2024, agency: "平潭综合实验区财政金融局",
    values: { "applications.new.natural": 2, "applications.new.total": 2, "applications.result.disclosed.total": 1, "applications.result.unable.not_held.total": 1, "applications.result.total.total": 2, "proactive.normative_docs.repealed": 2, "proactive.normative_docs.in_force": 1, "proactive.fees.amount": 18651.064104 },
  },
  {
    // 附表 "主动公开文件数条7392238" = 739 | 历年累计 2238 (prose: 739条 … 历年累计2238条).
    file: "hzs-2017-80498/page.txt", format: "pre2019", year: 2017, agency: "平潭综合实验区行政审批局",
    values: { "proactive.total": 739, "cumulative.proactive.total": 2238, "proactive.channel.website": 739, "requests.received.total": 0, "review.reconsideration.total": 0 },
  },
  {
    // Title says 财金局; the report signs 平潭综合实验区财政金融局. Its 附表 stops after 电子邮件申请数 as published.
    file: "czj-2016-80469/page.txt", format: "pre2019", year: 2016, agency: "平潭综合实验区财政金融局",
    values: { "proactive.total": 86, "proactive.channel.website": 86, "requests.received.total": 0 },
    errors: ["INCOMPLETE"],
  },
];

const read = (p: string) => readFileSync(new URL(`../fixtures/corpus/${p}`, import.meta.url));

for (const c of CASES) {
  test(`corpus ${c.file}: ${c.agency} ${c.year} (${c.format}) reads as printed`, async () => {
    const r = await parseReport(read(c.file), { filename: c.file });
    assert.equal(r.format, c.format);
    assert.equal(r.report_year, c.year);
    assert.equal(r.agency, c.agency);
    for (const [id, v] of Object.entries(c.values)) assert.equal(r.fields[id], v, id);
    const errors = [...r.issues, ...validate(r)].filter((f) => f.severity === "error").map((f) => f.rule);
    assert.deepEqual([...new Set(errors)].sort(), [...(c.errors ?? [])].sort());
  });
}
