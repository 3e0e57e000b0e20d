import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as OpenCC from "opencc-js/cn2t";
import { toDocument, type Document } from "../document.js";
import { mergeProse, readProse } from "../prose/index.js";
import { readPre2019 } from "./index.js";

const ROOT = new URL("../../../fixtures/", import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, ROOT), "utf8");
const doc = (rel: string, text = read(rel)): Document => toDocument(text, rel);
/** What the parser reports for a pre-2019 document: the tables, with the prose filling gaps. */
const parse = (d: Document) => mergeProse(readPre2019(d), readProse(d, "pre2019"));

interface Label { file: string | string[]; format: string; fields: Record<string, number>; blank: string[]; ambiguous?: string[] }
const labels: [string, Label][] = readdirSync(new URL("expected/reports/", ROOT), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".json"))
  .map((f) => [f, JSON.parse(read(`expected/reports/${f}`)) as Label] as [string, Label])
  .filter(([, l]) => l.format === "pre2019");

test("reads every pre-2019 report fixture exactly as hand-labelled (values, blanks, ambiguity)", () => {
  assert.ok(labels.length >= 12, "the pre-2019 labels are present");
  for (const [name, label] of labels) {
    for (const file of [label.file].flat()) {
      const got = parse(doc(file));
      assert.deepEqual(got.fields, label.fields, `${name} (${file})`);
      assert.deepEqual([...got.blank].sort(), [...label.blank].sort(), `${name} blank`);
      assert.deepEqual([...got.ambiguous].sort(), [...(label.ambiguous ?? [])].sort(), `${name} ambiguous`);
    }
  }
});

test("splits run-together 福建 cells by the table's identities (受理依申请公开信息总数条728 = 7 | 28)", () => {
  const ex = readPre2019(doc("reports/pingtan/2013-80754/page.txt"));
  assert.equal(ex.fields["requests.received.total"], 7);
  assert.equal(ex.fields["cumulative.requests.received.total"], 28);
  // `1.当面申请数条0182.传真申请数`: the trailing 2 is the next row's ordinal; 0 | 18.
  assert.equal(ex.fields["requests.received.in_person"], 0);
  assert.equal(ex.fields["cumulative.requests.received.in_person"], 18);
  assert.equal(ex.provenance["requests.received.total"].method, "solved");
});

test("gives the next row's glued ordinal back (网站公开条41815092.政府公报公开条77 = 418 | 1509, then 7 | 7)", () => {
  const ex = readPre2019(doc("reports/pingtan/2011-80716/page.txt"));
  assert.equal(ex.fields["proactive.channel.website"], 418);
  assert.equal(ex.fields["cumulative.proactive.channel.website"], 1509);
  assert.equal(ex.fields["proactive.channel.gazette"], 7);
  assert.equal(ex.fields["cumulative.proactive.channel.gazette"], 7);
});

test("lets a figure stated in the prose decide a split the identities leave open, and says so", () => {
  // 主动公开文件数条212210037: every split satisfies the 福建 identities; the prose says 2122.
  const ex = readPre2019(doc("reports/pingtan/2017-80506/page.txt"));
  assert.equal(ex.fields["proactive.total"], 2122);
  assert.equal(ex.fields["cumulative.proactive.total"], 10037);
  assert.equal(ex.fields["proactive.channel.website"], 2122);
  assert.ok(ex.issues.some((i) => i.rule === "SPLIT-PROSE" && i.message.includes("2122")));
  assert.equal(ex.provenance["proactive.total"].method, "solved");
});

test("declares 2017's 主动公开文件数条212210037 ambiguous when nothing in the report decides it", () => {
  const text = read("reports/pingtan/2017-80506/page.txt").replace("2017年全区主动公开政府信息2122条。", "");
  const ex = readPre2019(doc("reports/pingtan/2017-80506/page.txt", text));
  for (const id of ["proactive.total", "cumulative.proactive.total", "proactive.channel.website", "cumulative.proactive.channel.website"]) {
    assert.ok(ex.ambiguous.includes(id), id);
    assert.equal(ex.fields[id], undefined, id);
  }
  assert.ok(ex.issues.some((i) => i.rule === "SPLIT-AMBIGUOUS"));
  // The rows that the identities do fix are still read.
  assert.equal(ex.fields["requests.received.total"], 0);
});

test("reads the real <table> of the 2016 page (grid, provenance table) the same as its flattened text", () => {
  const html = readPre2019(doc("reports/pingtan/2016-80485/page.html"));
  const text = readPre2019(doc("reports/pingtan/2016-80485/page.txt"));
  assert.equal(html.fields["proactive.total"], 3460);
  assert.equal(html.fields["cumulative.proactive.total"], 85376);
  assert.equal(html.provenance["proactive.total"].method, "table");
  assert.deepEqual(html.fields, text.fields);
  // The grid's ` | ` lines in Document.text are not read a second time.
  assert.equal(html.issues.filter((i) => i.rule === "UNKNOWN-ROW").length, 0);
});

test("reports the rows of an unknown indicator table by label instead of dropping or mis-mapping them", () => {
  const ex = readPre2019(doc("reports/pingtan-dept/czj-2013-80758/page.txt"));
  const unknown = ex.issues.filter((i) => i.rule === "UNKNOWN-ROW");
  for (const label of ["在办", "同意提供", "拒绝提供", "信息不存在", "政府信息咨询数"]) {
    assert.ok(unknown.some((i) => i.severity === "warning" && i.message.includes(`「${label}」`)), label);
  }
  assert.equal(ex.fields["proactive.total"], 32);
  assert.equal(ex.fields["requests.answered.agreed"], undefined, "同意提供 is not 同意公开答复数");
  assert.equal(ex.fields["requests.answered.refused.total"], undefined, "拒绝提供 is not 不同意公开答复数");
});

test("reads the national table one cell per line, skipping the —— heading rows (S4 衡山县)", () => {
  const ex = readPre2019(doc("seeds/004_dc1d97f3652ba9cf.txt"));
  const expected = JSON.parse(read("seeds/expected/004_dc1d97f3652ba9cf.json")) as { fields: Record<string, number> };
  assert.deepEqual(ex.fields, expected.fields);
  assert.equal(ex.issues.length, 0);
  assert.equal(ex.provenance["training.attendees"].raw, "240");
  // `——` in heading rows is structure, not 0: no heading produced a field.
  assert.ok(Object.keys(ex.fields).every((id) => !id.includes("情况")));
});

test("marks a 福建 cell that is missing from a spaced row as blank, not 0 (2013-80759 政府公报公开 条 0)", () => {
  const ex = readPre2019(doc("reports/pingtan/2013-80759/page.txt"));
  assert.equal(ex.fields["proactive.channel.gazette"], 0);
  assert.deepEqual(ex.blank, ["cumulative.proactive.channel.gazette"]);
  assert.equal(ex.fields["cumulative.proactive.channel.gazette"], undefined);
});

test("reads a truncated table up to where it stops (czj-2018)", () => {
  const ex = readPre2019(doc("reports/pingtan-dept/czj-2018-80527/page.txt"));
  assert.equal(ex.fields["requests.received.email"], 0);
  assert.equal(ex.fields["requests.received.online"], undefined);
  assert.equal(ex.issues.filter((i) => i.rule === "UNKNOWN-ROW").length, 0, "the signature after the table is not a row");
});

test("reads traditional-character tables like simplified ones", () => {
  const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" }) as (s: string) => string;
  for (const file of ["seeds/004_dc1d97f3652ba9cf.txt", "reports/pingtan/2013-80754/page.txt"]) {
    const trad = toTraditional(read(file));
    assert.notEqual(trad, read(file));
    assert.deepEqual(parse(doc(file, trad)).fields, parse(doc(file)).fields, file);
  }
});

/** A small 福建 table (row set A) in a text form, rows as given. */
const fujianText = (rows: string[], sep = " | ") =>
  ["附表：政府信息公开情况统计表", ["指标名称", "计量单位", "2015年度", "历年累计"].join(sep), ...rows].join("\n") + "\n";

test("keeps the place of a blank year cell in a 福建 pipe row (政府公报公开 | 条 |  | 1 is 历年累计 1, not this year's 1)", () => {
  const ex = readPre2019(doc("fj-pipes.txt", fujianText([
    "主动公开信息数 | 条 | 3 | 6",
    "其中：1.网站公开 | 条 | 3 | 5",
    "2.政府公报公开 | 条 |  | 1",
    "受理依申请公开信息总数 | 条 | 0 | 2",
  ])));
  assert.equal(ex.fields["proactive.channel.gazette"], undefined);
  assert.ok(ex.blank.includes("proactive.channel.gazette"));
  assert.equal(ex.fields["cumulative.proactive.channel.gazette"], 1);
  assert.equal(ex.fields["requests.received.total"], 0);
  assert.equal(ex.fields["cumulative.requests.received.total"], 2);
});

test("reads a 福建 pipe row that ends in a blank cell (网站公开 | 条 | 3 | ) and the rows after it", () => {
  const ex = readPre2019(doc("fj-pipes.txt", fujianText([
    "主动公开信息数 | 条 | 3 | 6",
    "其中：1.网站公开 | 条 | 3 | ",
    "2.政府公报公开 | 条 |  | ",
    "受理依申请公开信息总数 | 条 | 0 | 2",
  ])));
  assert.equal(ex.fields["proactive.channel.website"], 3);
  assert.ok(ex.blank.includes("cumulative.proactive.channel.website"));
  assert.ok(ex.blank.includes("proactive.channel.gazette") && ex.blank.includes("cumulative.proactive.channel.gazette"));
  assert.equal(ex.fields["cumulative.requests.received.total"], 2);
  assert.equal(ex.issues.filter((i) => i.rule === "UNKNOWN-ROW").length, 0);
});

test("never puts a lone value of a spaced 福建 row in the wrong column: the identities place it (政府公报公开 条 4 under 历年累计)", () => {
  // This year's total is 3, so 4 cannot be this year's 政府公报公开 (FJ-CHANNEL); 历年累计 is 6 ≥ 4.
  const ex = readPre2019(doc("fj-spaces.txt", fujianText([
    "主动公开信息数 条 3 6",
    "其中：1.网站公开 条 3 5",
    "2.政府公报公开 条 4",
  ], " ")));
  assert.equal(ex.fields["proactive.channel.gazette"], undefined);
  assert.equal(ex.fields["cumulative.proactive.channel.gazette"], 4);
});

test("reads every row of a national table whose first rows are printed without a value", () => {
  const text = [
    "附表：政府信息公开情况统计表",
    "统计指标 单位 统计数",
    "一、主动公开情况 —— ——",
    "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条） 条",
    "其中：主动公开规范性文件数 条 1",
    "制发规范性文件总数 件 15",
    "八、机构建设和保障经费情况 —— ——",
    "（一）政府信息公开工作专门机构数 个",
    "（二）设置政府信息公开查阅点数 个 2",
    "（三）从事政府信息公开工作人员数 人 4",
  ].join("\n");
  for (const t of [text, text.replace(/ (?=\S)/g, " | ").replace(/ 条\n/, " 条 | \n")]) {
    const ex = readPre2019(doc("national.txt", t));
    assert.ok(ex.blank.includes("proactive.total"));
    assert.equal(ex.fields["proactive.normative_docs.published"], 1);
    assert.equal(ex.fields["proactive.normative_docs.issued"], 15);
    assert.ok(ex.blank.includes("org.bodies"));
    assert.equal(ex.fields["org.reading_points"], 2);
    assert.equal(ex.fields["org.staff.total"], 4);
    assert.deepEqual(ex.issues.filter((i) => i.rule === "UNKNOWN-ROW"), []);
  }
});

test("matches the labels of a traditional national table in a real grid (7.告知作出更改補充數, （二）被依法糾錯數, 涉及商業秘密)", () => {
  const rows = [["統計指標", "單位", "統計數"], ["其中：涉及國家秘密", "件", "1"], ["涉及商業秘密", "件", "2"], ["7.告知作出更改補充數", "件", "3"], ["8.告知通過其他途徑辦理數", "件", "4"], ["四、行政複議數量", "件", "5"], ["（一）維持具體行政行為數", "件", "1"], ["（二）被依法糾錯數", "件", "2"], ["（三）其他情形數", "件", "2"]];
  const page = `<p>某縣政府信息公開情況統計表</p><table>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</table>`;
  const ex = readPre2019(doc("trad.html", page));
  assert.equal(ex.fields["requests.answered.refused.commercial_secret"], 2);
  assert.equal(ex.fields["requests.answered.correction"], 3);
  assert.equal(ex.fields["requests.answered.other_channel"], 4);
  assert.equal(ex.fields["review.reconsideration.corrected"], 2);
  assert.deepEqual(ex.issues.filter((i) => i.rule === "UNKNOWN-ROW"), []);
});

test("a run-together 福建 total is not split by the national table's sum when a row of its sum is blank (受理…总数条165179, 电子邮件 blank)", () => {
  // The 福建 A sum needs the blank 电子邮件 row; the national PRE-RECEIVED has no e-mail term and
  // would pick 1 | 65179 (1 = 1 + 0 + 0 + 0). Nothing printed decides the split: ambiguous.
  const text = "附表：政府信息公开情况统计表指标名称计量单位2015年度历年累计受理依申请公开信息总数条165179其中：1.当面申请数条162.传真申请数条003.电子邮件申请数条4.网上申请数条095.信函申请数条00对申请的答复总数条00\n";
  const ex = readPre2019(doc("fj-run-together.txt", text));
  assert.equal(ex.fields["requests.received.total"], undefined);
  assert.ok(ex.ambiguous.includes("requests.received.total"));
  assert.ok(ex.blank.includes("requests.received.email"));
  assert.equal(ex.fields["cumulative.requests.received.online"], 9);
});

test("收费减免金额 with decimals in both columns run together (0.120.19) is split by the solver or declared ambiguous, never dropped", () => {
  const text = "附表：政府信息公开情况统计表指标名称计量单位2015年度历年累计行政诉讼数件00政府信息公开收费减免金额元0.120.19\n";
  const ex = readPre2019(doc("fj-run-together.txt", text));
  for (const id of ["fees.fee_and_waiver_yuan", "cumulative.fees.fee_and_waiver_yuan"]) assert.ok(ex.ambiguous.includes(id), id);
  assert.ok(!ex.blank.includes("cumulative.fees.fee_and_waiver_yuan"));
  // When the identities leave one split, it is read: 12.19 is 1 | 2.19 (12.1 | 9 would make 历年累计 < 本年).
  const one = readPre2019(doc("fj-run-together.txt", text.replace("0.120.19", "12.19")));
  assert.equal(one.fields["fees.fee_and_waiver_yuan"], 1);
  assert.equal(one.fields["cumulative.fees.fee_and_waiver_yuan"], 2.19);
});
