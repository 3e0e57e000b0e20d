import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import iconv from "iconv-lite";
import { fieldDefs, namedSet } from "../model/index.js";
import { fujianLabelOverrides, renderBytes, renderHtml, renderText, type ReportModel } from "./index.js";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

function model2021(): ReportModel {
  const fields: Record<string, number> = {};
  for (const r of namedSet("T3_ROWS", "2021")) for (const c of namedSet("T3_COLS")) fields[`applications.${r}.${c}`] = 0;
  fields["applications.new.natural"] = 3;
  fields["applications.new.total"] = 3;
  fields["applications.result.disclosed.natural"] = 3;
  fields["applications.result.disclosed.total"] = 3;
  fields["applications.result.total.natural"] = 3;
  fields["applications.result.total.total"] = 3;
  fields["review.reconsideration.upheld"] = 1;
  fields["review.reconsideration.total"] = 1;
  fields["proactive.normative_docs.issued"] = 3;
  fields["proactive.fees.amount"] = 5949.088667;
  return { generation: "2021", year: 2023, agency: "平潭综合实验区管委会", fields };
}

/** Parses strictly: every parse error of the HTML standard is collected. */
function parseErrors(html: string): string[] {
  const errors: string[] = [];
  parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
  return errors;
}

function elements(node: Node, name: string, out: Element[] = []): Element[] {
  if ("tagName" in node && node.tagName === name) out.push(node);
  if ("childNodes" in node) for (const c of node.childNodes) elements(c, name, out);
  return out;
}
const textOf = (n: Node): string => ("value" in n && n.nodeName === "#text" ? n.value : "childNodes" in n ? n.childNodes.map(textOf).join("") : "");
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

test("the HTML of a 2021 report is well-formed by the HTML standard, with the official header note verbatim", () => {
  const html = renderHtml(model2021());
  assert.deepEqual(parseErrors(html), []);
  const doc = parse(html);
  const cells = elements(doc, "th").concat(elements(doc, "td"));
  const note = cells.find((c) => textOf(c) === NOTE);
  assert.ok(note, "header note cell");
  assert.equal(attr(note!, "rowspan"), "3");
  assert.equal(attr(note!, "colspan"), "3");
  assert.deepEqual(elements(doc, "h2").map(textOf), ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]);
});

test("table 三 carries every official row label, group cells with their row spans, and 0 as 0", () => {
  const doc = parse(renderHtml(model2021()));
  const table = elements(doc, "table").find((t) => attr(t, "data-table") === "三")!;
  const texts = elements(table, "td").concat(elements(table, "th")).map(textOf);
  for (const r of namedSet("T3_ROWS", "2021")) assert.ok(texts.includes(fieldDefs(`applications.${r}.natural`)[0].label), r);
  const span = (label: string) => attr(elements(table, "td").find((c) => textOf(c) === label)!, "rowspan");
  assert.equal(span("三、本年度办理结果"), "22");
  assert.equal(span("（三）不予公开"), "8");
  assert.equal(span("（四）无法提供"), "3");
  assert.equal(span("（五）不予处理"), "5");
  assert.equal(span("（六）其他处理"), "3");
  const rows = elements(table, "tr");
  // Header rows 3, then 25 value rows of 7 cells each; row 一 prints 3 | 0 | 0 | 0 | 0 | 0 | 3.
  assert.equal(rows.length, 3 + 25);
  assert.deepEqual(elements(rows[3], "td").slice(1).map(textOf), ["3", "0", "0", "0", "0", "0", "3"]);
});

test("a blank field is an empty cell, never 0", () => {
  const m = model2021();
  delete m.fields["applications.carried_out.legal"];
  const line = renderText(m, "pipes").split("\n").find((l) => l.startsWith("四、结转下年度继续办理"))!;
  assert.equal(line, "四、结转下年度继续办理 | 0 | 0 | 0 | 0 |  | 0 | 0");
});

test("2019 table 二 prints its five captions and signed 本年增/减 as 增/减 when asked", () => {
  const fields = { "proactive.licensing.prev_items": 5, "proactive.licensing.change": -2, "proactive.penalty.change": 3, "proactive.procurement.amount": 6089.19 };
  const m: ReportModel = { generation: "2019", year: 2019, agency: "新乐市人民政府", fields };
  const text = renderText(m, "pipes", { sign: "zengjian" });
  for (const item of ["一", "五", "六", "八", "九"]) assert.ok(text.includes(`第二十条第（${item}）项`), item);
  assert.ok(text.includes("行政许可 | 5 | 减2 | "));
  assert.ok(text.includes("行政处罚 |  | 增3 | "));
  assert.ok(text.includes("政府集中采购 |  | 6089.19"));
  assert.ok(renderText(m, "pipes").includes("行政许可 | 5 | -2 | "));
  assert.deepEqual(parseErrors(renderHtml(m)), []);
});

test("the pre-2019 national table has 统计指标 | 单位 | 统计数 and heading rows marked ——", () => {
  const m: ReportModel = { generation: "pre2019", year: 2017, agency: "衡山县人民政府", fields: { "proactive.channel.website": 7298, "fees.amount": 0 } };
  const lines = renderText(m, "pipes").split("\n");
  assert.ok(lines.includes("统计指标 | 单位 | 统计数"));
  assert.ok(lines.includes("一、主动公开情况 | —— | ——"));
  assert.ok(lines.includes("2.政府网站公开政府信息数 | 条 | 7298"));
  assert.ok(lines.includes("七、依申请公开信息收取的费用 | 万元 | 0"));
  assert.deepEqual(parseErrors(renderHtml(m)), []);
});

test("the 福建 table has the year and 历年累计 columns, and row set B when a B-only row is present", () => {
  const m: ReportModel = { generation: "pre2019", year: 2014, agency: "平潭综合实验区管委会", fields: { "requests.received.total": 1, "cumulative.requests.received.total": 1, "requests.answered.other_types": 0, "cumulative.requests.answered.other_types": 0 } };
  const lines = renderText(m, "pipes").split("\n");
  assert.ok(lines.includes("指标名称 | 计量单位 | 2014年度 | 历年累计"));
  assert.ok(lines.includes("受理依申请公开信息总数 | 条 | 1 | 1"));
  assert.ok(lines.includes("3、信函、传真申请数 | 条 |  | "));
  assert.ok(!lines.some((l) => l.startsWith("3.电子邮件申请数")));
});

test("the 福建 row-set A labels the layout uses are spellings fields.json knows", () => {
  for (const { id, label } of fujianLabelOverrides()) {
    const d = fieldDefs(id).find((x) => x.table === "pre2019.fujian")!;
    assert.ok(d.label === label || d.variants.includes(label), `${id}: ${label}`);
  }
});

test("Word HTML carries MsoNormalTable, <o:p>, list-number comments and one character per paragraph in table 四's headers", () => {
  const html = renderText(model2021(), "word-html");
  assert.match(html, /class=MsoNormalTable/);
  assert.match(html, /<o:p><\/o:p>/);
  assert.match(html, /<!--\[if !supportLists\]-->/);
  assert.match(html, /<p[^>]*><span[^>]*>结<\/span><span[^>]*><o:p><\/o:p><\/span><\/p>\s*<p[^>]*><span[^>]*>果<\/span>/);
});

test("traditional characters and GBK bytes", () => {
  const text = renderText(model2021(), "pipes", { traditional: true });
  assert.ok(text.includes("三、收到和處理政府信息公開申請情況"));
  const bytes = renderBytes(model2021(), "html", { encoding: "gbk" });
  const back = iconv.decode(Buffer.from(bytes), "gbk");
  assert.ok(back.includes('<meta charset="gbk">'));
  assert.ok(back.includes(NOTE));
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes));
});
