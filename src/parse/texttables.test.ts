import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseReport, toDocument } from "./index.js";

/**
 * Text-table readings that must not depend on one report's punctuation or layout, checked on real
 * corpus reports and on the same reports printed the other way (dots of ordinals dropped, etc.).
 */

const corpus = (p: string) => readFileSync(new URL(`../../fixtures/corpus/${p}`, import.meta.url), "utf8");

/** Drops the dot of `1.属于国家秘密`-style ordinals, as some copies print them (`1属于国家秘密`). */
const bareOrdinals = (s: string) => s.replace(/(?<=[\u4e00-\u9fff"”）)\d])([1-8])\.(?=[\u4e00-\u9fff])/g, "$1");

for (const file of ["hzs-2022-80621/page.txt", "pingtan-2021-80613/page.txt"]) {
  test(`ordinals glued to the previous row's digits (${file}) read like dotted ones`, async () => {
    const text = corpus(file);
    const bare = bareOrdinals(text);
    assert.match(bare, /不予公开1属于国家秘密0{7}2其他法律/);
    const a = await parseReport(text, { filename: file });
    const b = await parseReport(bare, { filename: file });
    assert.deepEqual(b.fields, a.fields);
    assert.deepEqual(b.ambiguous, a.ambiguous);
  });
}

test("a trailing digit is not cut as an ordinal when the table does not print bare ordinals", async () => {
  // pingtan 2021 prints 2.其他…; its row 1.本机关不掌握 ends in 25 (22+3) — the 5 stays a value.
  const r = await parseReport(corpus("pingtan-2021-80613/page.txt"), { filename: "x.txt" });
  assert.equal(r.fields["applications.result.unable.not_held.total"], 25);
  assert.equal(r.fields["applications.result.unable.not_held.natural"], 22);
});

test("rows whose blank cells lost their positions are placed by the column identities, never guessed", async () => {
  // The real 2024 grid as pipe text, with the 0 cells of the result rows of table 三 left empty and
  // dropped (as copies that print nothing for zero do): `(一)予以公开 | 71 | 71`. Rows 一 and
  // (七)总计 keep all their cells, so the column sums fix where each value sits.
  const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
  const full = await parseReport(html, { filename: "page.html" });
  const text = toDocument(html, "page.html")
    .text.split("\n")
    .map((l) => (/^(?:三、本 年度|\([一二三四五六]\)|[1-8]\.)/.test(l) && !l.includes("总计") ? l.replace(/ \| 0(?= \||$)/g, "") : l))
    .join("\n");
  assert.match(text, /\(一\)予以公开 \| 71 \| 71\n/);
  assert.match(text, /1\.本机关不掌握相关政府信息 \| 75 \| 75\n/);
  const r = await parseReport(text, { filename: "lost.txt" });
  for (const [id, v] of Object.entries(full.fields)) {
    if (!id.startsWith("applications.")) continue;
    if (v !== 0) assert.equal(r.fields[id], v, id);
    else assert.ok(r.fields[id] === 0 || r.blank.includes(id), id);
  }
  assert.equal(r.fields["applications.result.unable.not_held.natural"], 75);
  assert.ok(r.blank.includes("applications.result.unable.not_held.commercial"));
  assert.equal(r.fields["applications.result.other.other.commercial"], 1);
  assert.equal(r.ambiguous.filter((id) => id.startsWith("applications.")).length, 0);
});

test("when the identities cannot tell where the values sit, the cells stay undecided", async () => {
  // Every row of table 三 without its 0 cells: any consistent shift of the legal-person columns fits.
  const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
  const text = toDocument(html, "page.html")
    .text.split("\n")
    .map((l) => (/^(?:一、本年新收|二、上年结转|三、本 年度|四、结转|\([一二三四五六七]\)|[1-8]\.)/.test(l) ? l.replace(/ \| 0(?= \||$)/g, "") : l))
    .join("\n");
  const r = await parseReport(text, { filename: "lost.txt" });
  assert.equal(r.fields["applications.new.total"], 218);
  assert.equal(r.fields["applications.new.natural"], undefined);
  assert.ok(r.ambiguous.includes("applications.new.natural"));
  assert.ok(r.issues.some((i) => i.rule === "CELLS-LOST"));
});

/**
 * The real 2024 table 三 as pipe text with a one-line header in another column order, optionally
 * with a printed 小计 of the legal-person columns: `order` lists the printed columns by template index
 * (0 自然人 … 5 其他, 6 总计; 7 = 小计).
 */
function reorderedT3(order: number[], header: string): string {
  const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
  const lines = toDocument(html, "page.html").text.split("\n");
  const out: string[] = [];
  let inT3 = false;
  for (const l of lines) {
    if (l.startsWith("(本列数据的勾稽关系")) {
      inT3 = true;
      out.push(`(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | ${header}`);
      continue;
    }
    if (inT3 && /^(?:自然人|商业)/.test(l)) continue; // the template's header rows, replaced by the one line
    const cells = l.split(" | ");
    if (inT3 && cells.length >= 8 && cells.slice(-7).every((c) => /^\d+$/.test(c))) {
      const vals = cells.slice(-7).map(Number);
      const sub = vals.slice(1, 6).reduce((a, b) => a + b, 0);
      out.push([...cells.slice(0, -7), ...order.map((i) => String(i === 7 ? sub : vals[i]))].join(" | "));
      if (l.startsWith("四、结转")) inT3 = false;
      continue;
    }
    out.push(l);
  }
  return out.join("\n");
}

test("a one-line header of table 三 in another column order is followed", async () => {
  const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
  const full = await parseReport(html, { filename: "page.html" });
  const text = reorderedT3([6, 0, 1, 2, 3, 4, 5], "总计 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他");
  assert.match(text, /一、本年新收政府信息公开申请数量 \| 218 \| 217 \| 1 \| 0/);
  const r = await parseReport(text, { filename: "reordered.txt" });
  for (const [id, v] of Object.entries(full.fields)) if (id.startsWith("applications.")) assert.equal(r.fields[id], v, id);
});

test("a printed 小计 column in a one-line header is read past, not into 总计", async () => {
  const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
  const full = await parseReport(html, { filename: "page.html" });
  const text = reorderedT3([0, 1, 2, 3, 4, 5, 7, 6], "自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计 | 总计");
  assert.match(text, /一、本年新收政府信息公开申请数量 \| 217 \| 1 \| 0 \| 0 \| 0 \| 0 \| 1 \| 218/);
  const r = await parseReport(text, { filename: "subtotal.txt" });
  for (const [id, v] of Object.entries(full.fields)) if (id.startsWith("applications.")) assert.equal(r.fields[id], v, id);
  assert.equal(Object.keys(r.fields).some((id) => id.includes("org_subtotal")), false);
});

/** A 2021 report whose tables are the given pipe lines (only what the reader needs around them). */
const report2021 = (lines: string[]) => ["某某市生态环境局2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", ...lines, "五、存在的主要问题及改进情况", "无。"].join("\n") + "\n";
const T2 = ["第二十条第（一）项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数"];
const T3_HEAD = [
  "三、收到和处理政府信息公开申请情况",
  "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
  "自然人 | 法人或其他组织 | 总计",
  "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他",
];

test("a pipe row ending in a blank cell keeps its positions (规章 | 0 | 0 | : 现行有效 blank)", async () => {
  const r = await parseReport(report2021([...T2, "规章 | 0 | 0 | ", "行政规范性文件 | 1 | 0 | 3"]), { filename: "x.txt" });
  assert.equal(r.fields["proactive.rules.issued"], 0);
  assert.equal(r.fields["proactive.rules.repealed"], 0);
  assert.ok(r.blank.includes("proactive.rules.in_force"));
  assert.deepEqual(r.ambiguous, []);
  assert.equal(r.fields["proactive.normative_docs.in_force"], 3);
  // A line opened with a pipe is closed by its last one: `| 规章 | 0 | 0 | 1 |` has three cells.
  const md = await parseReport(report2021([...T2, "| 规章 | 0 | 0 | 1 |", "| 行政规范性文件 | 1 | 0 | 3 |"]), { filename: "x.txt" });
  assert.equal(md.fields["proactive.rules.in_force"], 1);
  assert.deepEqual(md.blank, []);
});

test("blank cells before a row's first printed value keep their places (2.没有现成信息… |  |  | 0 |  | 0 | 0 | 1)", async () => {
  const r = await parseReport(report2021([
    ...T3_HEAD,
    "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 1",
    "（四）无法提供 | 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    "2.没有现成信息需要另行制作 |  |  | 0 |  | 0 | 0 | 1",
    "3.补正后申请内容仍不明确 | 0 |  | 0 | 0 | 0 | 0 | 0",
  ]), { filename: "x.txt" });
  const id = (c: string) => `applications.result.unable.needs_creation.${c}`;
  for (const c of ["natural", "commercial", "nonprofit"]) assert.ok(r.blank.includes(id(c)), c);
  assert.equal(r.fields[id("research")], 0);
  assert.equal(r.fields[id("other")], 0);
  assert.equal(r.fields[id("total")], 1);
  assert.ok(r.blank.includes("applications.result.unable.unclear_after_correction.commercial"));
  assert.deepEqual(r.ambiguous, []);
});

test("table 四's data row keeps a blank first and last cell ( | 3 | … | )", async () => {
  const cells = ["", "3", "3", "2", "8", "0", "14", "", "17", "31", "0", "6", "1832", "0", ""];
  const r = await parseReport(report2021([
    ...T2, "规章 | 0 | 0 | 0",
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议 | 行政诉讼",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计",
    cells.join(" | "),
  ]), { filename: "x.txt" });
  assert.ok(r.blank.includes("review.reconsideration.upheld"));
  assert.equal(r.fields["review.reconsideration.corrected"], 3);
  assert.ok(r.blank.includes("review.litigation_direct.other"));
  assert.equal(r.fields["review.litigation_direct.pending"], 17);
  assert.equal(r.fields["review.litigation_after.pending"], 0);
  assert.ok(r.blank.includes("review.litigation_after.total"));
});

test("a lost row of zeros does not put its last 0 in the total when nothing fits (二、上年结转… | 0 | 0)", async () => {
  const { placeLost } = await import("./lost.js");
  const cols = ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"];
  const fields = cols.map((c) => `applications.carried_in.${c}`);
  // 本年新收 0 + 上年结转 ? = 办理结果 5 + 结转 0 in the 总计 column: no placement of 0, 0 balances it.
  const known = { "applications.new.total": 0, "applications.result.total.total": 5, "applications.carried_out.total": 0 };
  const r = placeLost([{ fields, values: [0, 0], raw: ["0", "0"], source: "表三 二、上年结转" }], known, "2021");
  assert.equal(r.values["applications.carried_in.total"], undefined);
  assert.ok(r.ambiguous.includes("applications.carried_in.total"));
  // A non-zero last value equal to the sum of the others is still read as the total.
  const s = placeLost([{ fields, values: [2, 3, 5], raw: ["2", "3", "5"], source: "表三 二、上年结转" }], { ...known, "applications.result.total.total": 9 }, "2021");
  assert.equal(s.values["applications.carried_in.total"], 5);
});

const SPACED_T2 = (row: string) => `某某局2021年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 3 5
${row}
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 8
`;

test("a spaced row with fewer numbers than cells is not split when it may as well have dropped its blank cells", async () => {
  // Round-trip sample (2021, spaces, blank cells): 18 | blank | 0 was read 1 | 8 | 0.
  const r = await parseReport(SPACED_T2("行政规范性文件 18 0"), { filename: "x.txt" });
  for (const id of ["proactive.normative_docs.issued", "proactive.normative_docs.repealed", "proactive.normative_docs.in_force"]) {
    assert.equal(r.fields[id], undefined, id);
    assert.ok(r.ambiguous.includes(id), id);
  }
  assert.ok(r.issues.some((i) => i.rule === "SPLIT-AMBIGUOUS" && i.fields?.includes("proactive.normative_docs.issued")));
  assert.equal(r.fields["proactive.rules.repealed"], 3);
});

test("a token no cell prints (leading zero) keeps the run-together reading", async () => {
  const r = await parseReport(SPACED_T2("行政规范性文件 010 5"), { filename: "x.txt" });
  assert.equal(r.fields["proactive.normative_docs.issued"], 0);
  assert.equal(r.fields["proactive.normative_docs.repealed"], 10);
  assert.equal(r.fields["proactive.normative_docs.in_force"], 5);
});
