import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { emptyExtraction, type Extraction } from "../../model/index.js";
import { toDocument, type Document } from "../document.js";
import { solveRuns } from "../solve.js";
import { readTextTables } from "../texttables.js";
import { readPre2019 } from "../pre2019/index.js";
import { mergeProse, readProse } from "./index.js";
import { parseReport } from "../index.js";

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

test("fills what the tables lack from prose, never a cell the tables print but left ambiguous", () => {
  const tables: Extraction = { ...emptyExtraction(), fields: { "requests.received.total": 7 }, blank: ["proactive.total"], ambiguous: ["proactive.channel.website"] };
  tables.provenance["requests.received.total"] = { method: "text", source: "统计表", raw: "7" };
  const prose = emptyExtraction();
  prose.fields = { "proactive.total": 1853, "proactive.channel.website": 1713, "requests.received.total": 7 };
  for (const id of Object.keys(prose.fields)) prose.provenance[id] = { method: "prose", source: "正文", raw: String(prose.fields[id]) };
  const m = mergeProse(tables, prose);
  assert.equal(m.fields["proactive.total"], 1853);
  assert.equal(m.provenance["proactive.total"].method, "prose");
  assert.deepEqual(m.blank, []);
  // The digits of the website row allow several splits; a prose figure that no split settled stays out.
  assert.deepEqual(m.ambiguous, ["proactive.channel.website"]);
  assert.equal(m.fields["proactive.channel.website"], undefined);
  assert.equal(m.provenance["requests.received.total"].method, "text");
  assert.equal(m.issues.length, 0);
});

test("a merge that consumes its tables gives the same result as one that copies them, and leaves copied inputs untouched", () => {
  let filledFromProse = 0;
  for (const rel of ["reports/pingtan/2014-80791/page.txt", "seeds/000_86ed778e0799fc79.txt", "seeds/003_13c842c1c53d37e7.txt"]) {
    const d = doc(rel);
    const prose = readProse(d, "pre2019");
    const tables = readPre2019(d) ?? emptyExtraction();
    const before = structuredClone(tables);
    const copied = mergeProse(tables, prose);
    assert.deepEqual(tables, before, `${rel}: inputs not changed without consume`);
    const consumed = mergeProse(tables, prose, { consume: true });
    assert.deepEqual(consumed, copied, rel);
    assert.equal(consumed.fields, tables.fields, `${rel}: filled in place`);
    if (Object.keys(consumed.fields).length > Object.keys(before.fields).length) filledFromProse++;
  }
  assert.ok(filledFromProse > 0, "at least one of these reports has fields only its prose states");
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
    // 清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件
    "proactive.normative_docs.in_force": 393,
    "proactive.normative_docs.issued": 77,
    // 接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件
    "applications.new.total": 81,
    "applications.new.natural": 80,
    "applications.new.commercial": 1,
    // 办结依申请公开81件，其中：予以公开及部分公开42件，…；不予公开5件，…；无法提供31件，…；不予处理1件，…；其他处理2件
    "applications.result.total.total": 81,
    "applications.result.withheld.subtotal.total": 5,
    "applications.result.unable.subtotal.total": 31,
    "applications.result.not_processed.subtotal.total": 1,
    "applications.result.other.subtotal.total": 2,
    "review.reconsideration.total": 2,
    "review.litigation.total": 7,
    "processing_fee.amount_yuan": 0,
  });
  const m = mergeProse(tables2021(d), prose);
  assert.deepEqual(m.issues.filter((i) => i.rule === "TEXT-TABLE"), [], "derived 不予公开 5, 无法提供 31, 不予处理 1, 其他处理 2 and 行政诉讼 5 + 2 agree");
  assert.equal(m.fields["processing_fee.amount_yuan"], 0);
  for (const id of ["withheld", "unable", "not_processed", "other"]) assert.equal(m.fields[`applications.result.${id}.subtotal.total`], undefined, "a derived field is computed, not filled");
});

test("does not read a combined 予以公开及部分公开 figure as either result (平潭 2023: 予以公开及部分公开42件)", () => {
  const prose = readProse(doc("reports/pingtan/2023-87885/page.txt"), "2021");
  assert.equal(prose.fields["applications.result.disclosed.total"], undefined);
  assert.equal(prose.fields["applications.result.partial.total"], undefined);
  // The same results stated one by one are read.
  const text = read("reports/pingtan/2023-87885/page.txt").replace("予以公开及部分公开42件", "予以公开22件，部分公开20件");
  const split = readProse(doc("reports/pingtan/2023-87885/page.txt", text), "2021");
  assert.equal(split.fields["applications.result.disclosed.total"], 22);
  assert.equal(split.fields["applications.result.partial.total"], 20);
});

test("reads bare result words only in a sentence about applications", () => {
  // 予以公开/无法提供 with no 申请 in their sentence or the one before are not application results.
  const base = read("reports/pingtan/2024-97791/page.txt");
  const text = base.replace("对5个发挥作用不明显、基层无力维护的政务新媒体予以关停注销", "对政务新媒体信息逐条审核，予以公开12件，无法提供3件");
  const ex = readProse(doc("reports/pingtan/2024-97791/page.txt", text), "2021");
  assert.equal(ex.fields["applications.result.disclosed.total"], undefined);
  assert.equal(ex.fields["applications.result.unable.subtotal.total"], undefined);
  // hzs 2023 `收到公民、法人和其他组织政府信息公开申请7件` then a sentence of results: read.
  const hzs = read("corpus/hzs-2023-86659/page.txt").replace("按照《条例》要求，及时规范答复7件", "按照《条例》要求，及时规范答复7件。其中，予以公开4件，无法提供3件");
  const h = readProse(doc("corpus/hzs-2023-86659/page.txt", hzs), "2021");
  assert.equal(h.fields["applications.result.disclosed.total"], 4);
  assert.equal(h.fields["applications.result.unable.subtotal.total"], 3);
});

test("reads the ways reports state the applications received, handled and carried over (corpus)", () => {
  const cases: [string, Record<string, number>][] = [
    // 本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理
    ["corpus/pingtan-2021-80613/page.txt", { "applications.new.total": 70, "applications.result.total.total": 69, "applications.carried_out.total": 1 }],
    // 2025年，全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件；行政复议36起，行政诉讼9起
    ["corpus/pingtan-2025-105587/page.txt", { "applications.new.total": 154, "applications.result.total.total": 148, "applications.carried_out.total": 6, "review.reconsideration.total": 36, "review.litigation.total": 9 }],
    // 2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件，其中公开答复1件，无法提供1件
    ["corpus/czj-2024-96895/page.txt", { "applications.new.total": 2, "applications.result.total.total": 2, "applications.result.unable.subtotal.total": 1 }],
    // 2022年共收到政府信息公开申请1件，…；1件公开申请已办结，办结率100%
    ["reports/pingtan-dept/czj-2022-80614/page.txt", { "applications.new.total": 1, "applications.result.total.total": 1 }],
    // 收到申请公开政府信息的要求1件，完成答复 (2019 format)
    ["reports/pingtan-dept/hzs-2019-80575/page.txt", { "applications.new.total": 1 }],
    // 2020年全区各级行政机关共受理政府信息公开申请21件 (2019 format)
    ["corpus/pingtan-2020-80595/page.txt", { "applications.new.total": 21 }],
    // 因依申请公开引发行政复议1起、行政诉讼1起
    ["corpus/hzs-2023-86659/page.txt", { "applications.new.total": 7, "review.reconsideration.total": 1, "review.litigation.total": 1 }],
  ];
  for (const [file, want] of cases) {
    const text = read(file);
    const gen = /第二十条第[(（]八[)）]项[^\n]{0,40}上一年项目数量/.test(text) ? "2019" : "2021";
    const ex = readProse(doc(file, text), gen);
    for (const [id, v] of Object.entries(want)) assert.equal(ex.fields[id], v, `${file} ${id}`);
  }
});

test("reads statements that nothing happened as 0 (未收到申请, 未收到/未发生 行政复议、行政诉讼)", () => {
  // czj 2023: 2023年我局未收到政府信息公开申请件
  assert.equal(readProse(doc("corpus/czj-2023-86688/page.txt"), "2021").fields["applications.new.total"], 0);
  // hzs 2022: 未收到因政府信息公开提出的行政复议、行政诉讼的申请
  const h = readProse(doc("corpus/hzs-2022-80621/page.txt"), "2021");
  assert.equal(h.fields["review.reconsideration.total"], 0);
  assert.equal(h.fields["review.litigation.total"], 0);
  // hzs 2025: 未发生因依申请公开引发的行政复议和行政诉讼
  const z = readProse(doc("reports/pingtan-dept/hzs-2025-104906/page.txt"), "2021");
  assert.deepEqual([z.fields["review.reconsideration.total"], z.fields["review.litigation.total"]], [0, 0]);
  // Not a statement of none: a correction that did not happen says nothing of the count.
  const text = read("corpus/hzs-2022-80621/page.txt").replace("未收到因政府信息公开提出的行政复议、行政诉讼的申请", "未发生因政府信息公开申请行政复议被纠错的情况");
  assert.equal(readProse(doc("corpus/hzs-2022-80621/page.txt", text), "2021").fields["review.reconsideration.total"], undefined);
  // A zero statement is for the generation that has the row.
  assert.equal(readProse(doc("corpus/czj-2023-86688/page.txt"), "pre2019").fields["applications.new.total"], undefined);
});

test("reads the applicant breakdown only after the received total (自然人/商业企业/法人或其他组织)", () => {
  // 平潭 2022: 全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件
  const p = readProse(doc("corpus/pingtan-2022-80629/page.txt"), "2021");
  assert.deepEqual([p.fields["applications.new.total"], p.fields["applications.new.natural"], p.fields["applications.new.commercial"]], [75, 72, 3]);
  const text = read("corpus/pingtan-2022-80629/page.txt").replace("涉及自然人72件、商业企业3件", "其中自然人72件、法人或其他组织3件");
  const o = readProse(doc("corpus/pingtan-2022-80629/page.txt", text), "2021");
  assert.deepEqual([o.fields["applications.new.natural"], o.fields["applications.new.org_subtotal"]], [72, 3]);
  // 自然人 in a sentence of its own (not following the received total) is not read.
  const loose = read("corpus/pingtan-2022-80629/page.txt").replace("涉及自然人72件、商业企业3件", "均在法定期限内答复").replace("本年度公开信息77条", "本年度服务自然人72件");
  assert.equal(readProse(doc("corpus/pingtan-2022-80629/page.txt", loose), "2021").fields["applications.new.natural"], undefined);
});

test("收到申请 counting the applications carried in agrees with 本年新收 + 上年结转 (平潭 2022: 75 = 74 + 1)", () => {
  const d = doc("corpus/pingtan-2022-80629/page.txt");
  const m = mergeProse(tables2021(d), readProse(d, "2021"));
  assert.deepEqual(m.issues.filter((i) => i.rule === "TEXT-TABLE"), []);
  assert.equal(m.fields["applications.new.total"], 74, "the table wins");
  // A figure that is neither is still flagged.
  const wrong = doc("corpus/pingtan-2022-80629/page.txt", read("corpus/pingtan-2022-80629/page.txt").replace("收到政府信息公开申请75件", "收到政府信息公开申请77件"));
  const w = mergeProse(tables2021(wrong), readProse(wrong, "2021"));
  assert.deepEqual(w.issues.filter((i) => i.rule === "TEXT-TABLE").map((i) => i.message_en), ["TEXT-TABLE applications.new.total: prose 77 ≠ table 74"]);
});

test("reads 表二 规范性文件 statements: 制定/制发, 废止, 现行有效 (corpus 行政审批局 2023/2024, 平潭 2022)", () => {
  // 全面梳理了我局现行有效的规范性文件16件 … 2023年，我局制定规范性文件5件
  const a = readProse(doc("corpus/hzs-2023-86659/page.txt"), "2021");
  assert.deepEqual([a.fields["proactive.normative_docs.issued"], a.fields["proactive.normative_docs.in_force"]], [5, 16]);
  // 2024年，我局废止规范性文件6件，制定规范性文件15件
  const b = readProse(doc("corpus/hzs-2024-96946/page.txt"), "2021");
  assert.deepEqual([b.fields["proactive.normative_docs.issued"], b.fields["proactive.normative_docs.repealed"]], [15, 6]);
  // 集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件
  const c = readProse(doc("corpus/pingtan-2022-80629/page.txt"), "2021");
  assert.deepEqual([c.fields["proactive.normative_docs.issued"], c.fields["proactive.normative_docs.in_force"]], [88, 698]);
  // In a 2019-format report the same words state 本年新制作数量.
  const text = read("corpus/hzs-2020-80583/page.txt").replace("今年我局公开356条政务信息", "2020年，我局制定规范性文件2件，公开356条政务信息");
  assert.equal(readProse(doc("corpus/hzs-2020-80583/page.txt", text), "2019").fields["proactive.normative_docs.made"], 2);
});

test("guards the 规范性文件 statements: other years, changes, cumulative counts, sub-units, 截至", () => {
  const f = "corpus/hzs-2023-86659/page.txt";
  const base = read(f);
  const with_ = (from: string, to: string) => readProse(doc(f, base.replace(from, to)), "2021").fields;
  const issued = "proactive.normative_docs.issued";
  assert.equal(with_("2023年，我局制定规范性文件5件", "2022年，我局制定规范性文件4件")[issued], undefined, "another year");
  assert.equal(with_("2023年，我局制定规范性文件5件", "2023年，我局制定规范性文件比上年增加2件")[issued], undefined, "a change");
  assert.equal(with_("2023年，我局制定规范性文件5件", "2023年，我局累计制定规范性文件52件")[issued], undefined, "cumulative");
  assert.equal(with_("2023年，我局制定规范性文件5件", "2023年，各乡镇制定规范性文件3件")[issued], undefined, "a sub-unit");
  assert.equal(with_("2023年，我局制定规范性文件5件", "2023年，区市场监管局制定规范性文件3件")[issued], undefined, "a department as the subject");
  assert.equal(with_("2023年，我局制定规范性文件5件", "2023年，区行政审批局制定规范性文件5件")[issued], 5, "the report's own agency as the subject");
  const inForce = "proactive.normative_docs.in_force";
  assert.equal(with_("全面梳理了我局现行有效的规范性文件16件", "截至2023年底，我局现行有效的规范性文件16件")[inForce], 16, "截至 is how 现行有效 is dated");
  assert.equal(with_("全面梳理了我局现行有效的规范性文件16件", "截至2022年底，我局现行有效的规范性文件14件")[inForce], undefined, "another year's stock");
});

test("reads 表二 decisions and fees as the statute names them, not a department's", () => {
  // No fixture states these in prose; the sentences are put into a real report (平潭 2023, whose table has 2629, 1330, 54, 5949.088667).
  const f = "reports/pingtan/2023-87885/page.txt";
  const text = read(f).replace("全年开展季度通报3次、月通报7次", "全年作出行政许可决定2629件，作出行政处罚决定1330件，作出行政强制决定54件，收取行政事业性收费5949.09万元");
  const ex = readProse(doc(f, text), "2021");
  assert.equal(ex.fields["proactive.licensing.decisions"], 2629);
  assert.equal(ex.fields["proactive.penalty.decisions"], 1330);
  assert.equal(ex.fields["proactive.coercion.decisions"], 54);
  assert.equal(ex.fields["proactive.fees.amount"], 5949.09);
  const dept = read(f).replace("全年开展季度通报3次、月通报7次", "区市场监督管理局作出行政处罚决定120件");
  assert.equal(readProse(doc(f, dept), "2021").fields["proactive.penalty.decisions"], undefined, "a department's decisions");
  const yuan = read(f).replace("全年开展季度通报3次、月通报7次", "收取行政事业性收费5949088元");
  assert.equal(readProse(doc(f, yuan), "2021").fields["proactive.fees.amount"], undefined, "元 is not the table's 万元");
});

test("reads 上年结转 although its words name the year before, and not a figure that includes others", () => {
  const f = "corpus/pingtan-2022-80629/page.txt";
  const base = read(f);
  const carried = readProse(doc(f, base.replace("涉及自然人72件、商业企业3件", "上年度结转申请1件")), "2021");
  assert.equal(carried.fields["applications.carried_in.total"], 1);
  const change = readProse(doc(f, base.replace("涉及自然人72件、商业企业3件", "上年结转申请比上年增加1件")), "2021");
  assert.equal(change.fields["applications.carried_in.total"], undefined);
  // 收到…申请75件(含上年结转1件): 75 is not 本年新收.
  const incl = readProse(doc(f, base.replace("收到政府信息公开申请75件", "收到政府信息公开申请75件（含上年结转1件）")), "2021");
  assert.equal(incl.fields["applications.new.total"], undefined);
});

test("prose decides run-together 表二 digits the identities cannot (corpus 行政审批局 2023/2024, 平潭 2022)", async () => {
  const cases: [string, number[]][] = [
    ["hzs-2023-86659", [5, 4, 16]], // 5416: 制定5件, 现行有效16件
    ["hzs-2024-96946", [15, 6, 21]], // 15621: 制定15件, 废止6件
    ["pingtan-2022-80629", [88, 55, 698]], // 8855698: 制发88件, 现行有效698件
  ];
  for (const [name, want] of cases) {
    const r = await parseReport(read(`corpus/${name}/page.txt`), { filename: name });
    assert.deepEqual(["issued", "repealed", "in_force"].map((c) => r.fields[`proactive.normative_docs.${c}`]), want, name);
    assert.equal(r.provenance["proactive.normative_docs.repealed"].method, "solved");
    assert.ok(r.issues.some((i) => i.rule === "SPLIT-PROSE"), name);
    assert.ok(!r.issues.some((i) => i.rule === "SPLIT-AMBIGUOUS"), name);
  }
});

test("a prose figure no split of the printed digits gives is not filled in (平潭 2023 现行有效393件 vs 77132470)", async () => {
  const r = await parseReport(read("reports/pingtan/2023-87885/page.txt"), { filename: "2023-87885" });
  assert.equal(r.fields["proactive.normative_docs.issued"], 77);
  assert.equal(r.fields["proactive.normative_docs.in_force"], undefined);
  assert.ok(r.ambiguous.includes("proactive.normative_docs.in_force"));
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
test("reads a report whose tables are written as sentences (spec §7 item 14; 行政审批局 2023 with its tables replaced)", async () => {
  const f = "corpus/hzs-2023-86659/page.txt";
  const text = read(f);
  const from = text.indexOf("二、主动公开政府信息情况第二十条");
  const to = text.indexOf("五、存在的主要问题");
  const prose = "二、主动公开政府信息情况 2023年，我局制定规范性文件5件，现行有效规范性文件16件。"
    + "三、收到和处理政府信息公开申请情况 2023年，我局收到政府信息公开申请7件。其中，自然人5件、法人或其他组织2件；办结7件，其中部分公开1件，不予公开2件，无法提供4件。"
    + "四、政府信息公开行政复议、行政诉讼情况 行政复议1起、行政诉讼1起。";
  const r = await parseReport(text.slice(0, from) + prose + text.slice(to), { filename: f });
  assert.equal(r.format, "2021");
  assert.deepEqual(r.fields, {
    "applications.new.natural": 5,
    "applications.new.org_subtotal": 2,
    "applications.new.total": 7,
    "applications.result.partial.total": 1,
    "applications.result.total.total": 7,
    "applications.result.unable.subtotal.total": 4,
    "applications.result.withheld.subtotal.total": 2,
    "proactive.normative_docs.in_force": 16,
    "proactive.normative_docs.issued": 5,
    "processing_fee.amount_yuan": 0,
    "review.litigation.total": 1,
    "review.reconsideration.total": 1,
  });
  for (const id of Object.keys(r.fields)) assert.equal(r.provenance[id].method, "prose", id);
});
