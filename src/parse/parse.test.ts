import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { InputError, parseDocument, parseReport, toDocument } from "./index.js";
import type { ParsedReport } from "../model/index.js";

const R = new URL("../../fixtures/reports/", import.meta.url);
const S = new URL("../../fixtures/seeds/", import.meta.url);
const bytes = (rel: string, base = R) => readFileSync(new URL(rel, base));
const parse = (rel: string, base = R) => parseReport(bytes(rel, base), { filename: rel });

const T3_COLS = ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"];
const T4 = ["reconsideration", "litigation_direct", "litigation_after"].flatMap((g) => ["upheld", "corrected", "other", "pending", "total"].map((c) => `review.${g}.${c}`));

function row(r: ParsedReport, rowId: string): (number | undefined)[] {
  return T3_COLS.map((c) => r.fields[`applications.${rowId}.${c}`]);
}
function review(r: ParsedReport): (number | undefined)[] {
  return T4.map((id) => r.fields[id]);
}

test("reads an HTML report's statutory tables as true grids (平潭 2024 page.html)", async () => {
  const r = await parse("pingtan/2024-97791/page.html");
  assert.equal(r.format, "2021");
  assert.equal(r.report_year, 2024);
  assert.equal(r.agency, "平潭综合实验区管委会办公室");
  assert.deepEqual(row(r, "new"), [217, 1, 0, 0, 0, 0, 218]);
  assert.deepEqual(row(r, "result.withheld.internal_affairs"), [32, 0, 0, 0, 0, 0, 32]);
  assert.deepEqual(row(r, "result.other.other"), [1, 1, 0, 0, 0, 0, 2]);
  assert.deepEqual(review(r), [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]);
  // In the grid the cells are separate, so table 二 needs no solving.
  assert.equal(r.fields["proactive.normative_docs.issued"], 62);
  assert.equal(r.fields["proactive.normative_docs.repealed"], 33);
  assert.equal(r.fields["proactive.normative_docs.in_force"], 440);
  assert.equal(r.fields["proactive.fees.amount"], 18651.06);
  assert.equal(r.provenance["applications.new.total"].method, "table");
  assert.deepEqual(r.issues.filter((i) => i.severity === "error"), []);
});

test("splits run-together digits by the identities (平潭 2024 page.txt, 17 digits for 15 cells)", async () => {
  const r = await parse("pingtan/2024-97791/page.txt");
  assert.deepEqual(row(r, "new"), [217, 1, 0, 0, 0, 0, 218]);
  assert.deepEqual(row(r, "result.total"), [217, 1, 0, 0, 0, 0, 218]);
  assert.deepEqual(review(r), [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]);
  assert.equal(r.provenance["review.litigation_after.upheld"].method, "solved");
  assert.equal(r.provenance["review.litigation_after.upheld"].raw, "21317000001324019");
  // 6233440 under three columns has several splits and nothing in the tables decides: declared, not guessed.
  assert.ok(r.ambiguous.includes("proactive.normative_docs.in_force"));
  assert.equal(r.fields["proactive.normative_docs.in_force"], undefined);
});

test("reads the 平潭 2023 report (every table run together; ordinals glued to digits)", async () => {
  const r = await parse("pingtan/2023-87885/page.txt");
  assert.equal(r.format, "2021");
  assert.equal(r.report_year, 2023);
  assert.deepEqual(row(r, "new"), [80, 1, 0, 0, 0, 0, 81]);
  assert.deepEqual(row(r, "result.disclosed"), [22, 0, 0, 0, 0, 0, 22]);
  assert.deepEqual(row(r, "result.partial"), [19, 1, 0, 0, 0, 0, 20]);
  // `1.本机关不掌握相关政府信息3100000312.没有现成…`: the trailing 2 is the next row's ordinal.
  assert.deepEqual(row(r, "result.unable.not_held"), [31, 0, 0, 0, 0, 0, 31]);
  assert.deepEqual(review(r), [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]);
  assert.equal(r.fields["proactive.fees.amount"], 5949.088667);
  assert.equal(r.fields["proactive.licensing.decisions"], 2629);
  assert.equal(r.fields["proactive.coercion.decisions"], 54);
});

test("reads a 2019-format report with units and run-together cells (财政金融局 2019)", async () => {
  const r = await parse("pingtan-dept/czj-2019-80560/page.txt");
  assert.equal(r.format, "2019");
  assert.equal(r.report_year, 2019);
  assert.equal(r.agency, "平潭综合实验区财政金融局");
  // 行政许可300: no cell starts with 0, so 3|0|0 is the only split.
  assert.deepEqual(["prev_items", "change", "decisions"].map((c) => r.fields[`proactive.licensing.${c}`]), [3, 0, 0]);
  // 规范性文件1077 (1|0|77 or 10|7|7) and 政府集中采购2832995元 (2|832995 or 28|32995 …) stay undecided.
  for (const id of ["proactive.normative_docs.made", "proactive.procurement.items", "proactive.procurement.amount"]) assert.ok(r.ambiguous.includes(id), id);
  assert.deepEqual(row(r, "result.total"), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(row(r, "result.other.subtotal"), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(review(r), Array(15).fill(0));
});

test("reads space-separated cells and converts 元 to 万元 (财政金融局 2020)", async () => {
  const r = await parse("pingtan-dept/czj-2020-80589/page.txt");
  assert.equal(r.format, "2019");
  assert.equal(r.report_year, 2020);
  assert.deepEqual(["made", "published", "total_public"].map((c) => r.fields[`proactive.normative_docs.${c}`]), [6, 4, 11]);
  assert.equal(r.fields["proactive.licensing.change"], 1);
  assert.equal(r.fields["proactive.procurement.items"], 2);
  assert.equal(r.fields["proactive.procurement.amount"], 98.4361);
  assert.equal(r.provenance["proactive.procurement.amount"].raw, "984361元");
  assert.deepEqual(row(r, "new"), [0, 0, 0, 0, 0, 0, 0]);
});

test("reads rows whose spaces are not cell boundaries (行政审批局 2019)", async () => {
  const r = await parse("pingtan-dept/hzs-2019-80575/page.txt");
  assert.equal(r.format, "2019");
  // `10 0 00 0 1`: five tokens for seven cells.
  assert.deepEqual(row(r, "new"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(row(r, "result.disclosed"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(row(r, "result.partial"), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(row(r, "result.total"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(["prev_items", "change", "decisions"].map((c) => r.fields[`proactive.licensing.${c}`]), [0, 0, 126]);
  // `0 00 0 0 00 0 00 00 0 0 0`: eleven tokens for fifteen cells.
  assert.deepEqual(review(r), Array(15).fill(0));
});

test("reads mixed separators and a table 二 inside prose (财政金融局 2022)", async () => {
  const r = await parse("pingtan-dept/czj-2022-80614/page.txt");
  assert.equal(r.format, "2021");
  assert.equal(r.report_year, 2022);
  assert.deepEqual(row(r, "new"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(row(r, "result.partial"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(row(r, "result.total"), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(["issued", "repealed", "in_force"].map((c) => r.fields[`proactive.normative_docs.${c}`]), [8, 0, 8]);
  assert.deepEqual(["issued", "repealed", "in_force"].map((c) => r.fields[`proactive.rules.${c}`]), [0, 0, 0]);
  assert.equal(r.fields["proactive.fees.amount"], 9116.36);
  assert.deepEqual(review(r), Array(15).fill(0));
});

test("declares a year-like run ambiguous rather than guess (行政审批局 2021 `行政规范性文件2023`)", async () => {
  const r = await parse("pingtan-dept/hzs-2021-80609/page.txt");
  assert.equal(r.report_year, 2021);
  for (const c of ["issued", "repealed", "in_force"]) assert.ok(r.ambiguous.includes(`proactive.normative_docs.${c}`));
  assert.equal(r.fields["proactive.fees.amount"], 16220.85);
  assert.deepEqual(row(r, "new"), [6, 0, 0, 0, 0, 0, 6]);
  assert.deepEqual(row(r, "result.disclosed"), [5, 0, 0, 0, 0, 0, 5]);
  assert.deepEqual(row(r, "result.withheld.admin_query"), [1, 0, 0, 0, 0, 0, 1]);
});

test("reads a table 二 without its 规章 row (行政审批局 2025)", async () => {
  const r = await parse("pingtan-dept/hzs-2025-104906/page.txt");
  assert.equal(r.report_year, 2025);
  assert.equal(r.agency, "平潭综合实验区行政审批局");
  assert.equal(r.fields["proactive.rules.issued"], undefined);
  assert.ok(!r.ambiguous.includes("proactive.rules.issued"));
  assert.deepEqual(row(r, "result.withheld.admin_query"), [3, 0, 0, 0, 0, 0, 3]);
  assert.deepEqual(row(r, "result.unable.not_held"), [3, 0, 0, 0, 0, 0, 3]);
  assert.deepEqual(row(r, "result.total"), [6, 0, 0, 0, 0, 0, 6]);
  assert.equal(r.fields["proactive.fees.amount"], 0);
  // `行政规范性文件3024` is 3|0|24 or 30|2|4; the prose `新制发规范性文件3件` picks the split with 3 (a hint to the solver).
  assert.deepEqual(["issued", "repealed", "in_force"].map((c) => r.fields[`proactive.normative_docs.${c}`]), [3, 0, 24]);
  for (const c of ["issued", "in_force"]) {
    assert.equal(r.provenance[`proactive.normative_docs.${c}`].method, "solved");
    assert.match(r.provenance[`proactive.normative_docs.${c}`].source, /按正文数字拆分/);
  }
  assert.ok(!r.issues.some((i) => i.rule === "SPLIT-AMBIGUOUS"));
  assert.ok(r.issues.some((i) => i.rule === "SPLIT-PROSE" && i.message.includes("proactive.normative_docs.issued=3")));
});

test("reads traditional-character pipe rows with lost blank positions (seed 001 新乐市 2019)", async () => {
  const r = await parse("001_a1987c7275b215ef.txt", S);
  assert.equal(r.format, "2019");
  assert.equal(r.report_year, 2019);
  assert.equal(r.agency, "新乐市人民政府");
  assert.equal(r.fields["proactive.licensing.change"], -5711);
  assert.equal(r.fields["proactive.penalty.change"], 1);
  assert.equal(r.fields["proactive.normative_docs.total_public"], 752);
  assert.equal(r.fields["proactive.procurement.amount"], 6089.19);
  // `一、本年新收… | 5 | 5 |`: the total is certain, the applicant column is not.
  assert.equal(r.fields["applications.new.total"], 5);
  assert.ok(r.ambiguous.includes("applications.new.natural"));
  // Empty rows are blank, never 0.
  assert.ok(r.blank.includes("applications.carried_in.total"));
  assert.ok(r.blank.includes("applications.result.total.total"));
  assert.equal(r.fields["applications.result.total.total"], undefined);
  assert.equal(r.fields["review.reconsideration.other"], 1);
  assert.equal(r.fields["review.reconsideration.total"], 1);
});

test("reads one cell per line (the 2024 tables rewritten a cell a line, blank lines between)", async () => {
  const html = toDocument(bytes("pingtan/2024-97791/page.html").toString("utf8"), "page.html");
  const lines: string[] = ["平潭综合实验区2024年度政府信息公开工作年度报告", "二、主动公开政府信息情况"];
  for (const t of html.tables) for (let i = 0; i < t.rows.length; i++) for (let j = 0; j < t.rows[i].length; j++) if (t.origin[i][j]) lines.push(t.rows[i][j], "");
  const r = await parseReport(lines.join("\n"), { filename: "one-cell-per-line.txt" });
  assert.equal(r.format, "2021");
  assert.deepEqual(row(r, "new"), [217, 1, 0, 0, 0, 0, 218]);
  assert.deepEqual(row(r, "result.unable.not_held"), [75, 0, 0, 0, 0, 0, 75]);
  assert.deepEqual(review(r), [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]);
  assert.equal(r.fields["proactive.normative_docs.in_force"], 440);
});

test("decodes GBK bytes like UTF-8 text", async () => {
  const text = bytes("pingtan/2023-87885/page.txt").toString("utf8");
  const gbk = iconv.encode(text, "gbk");
  assert.ok(!gbk.equals(Buffer.from(text, "utf8")));
  const a = await parseReport(gbk, { filename: "gbk.txt" });
  const b = await parseReport(text, { filename: "gbk.txt" });
  assert.deepEqual(a.fields, b.fields);
  assert.equal(a.agency, "平潭综合实验区管委会办公室");
  assert.deepEqual(review(a), [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]);
});

test("detects year, agency and generation from content for every fixture in the manifest", async () => {
  const rows = readFileSync(new URL("MANIFEST.tsv", R), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
  assert.ok(rows.length >= 20);
  for (const [path, , agency, year, format] of rows) {
    const r = await parse(path);
    assert.deepEqual([r.agency, r.report_year, r.format], [agency, Number(year), format], path);
  }
});

test("detects seeds without titles in a 标题 line (page chrome, split titles, prose only)", async () => {
  const cases: [string, string | null, number, string][] = [
    ["000_86ed778e0799fc79.txt", "安康市人民政府", 2017, "pre2019"],
    // Never titled with its name: it calls itself 我区 and names 卫滨区 again and again (the label's
    // 新乡市卫滨区人民政府 adds the city, which the text never puts before the district).
    ["002_f161bfdcdc1967a9.txt", "卫滨区人民政府", 2017, "pre2019"],
    ["003_13c842c1c53d37e7.txt", "吉林市人民政府", 2017, "pre2019"],
    ["004_dc1d97f3652ba9cf.txt", "衡山县人民政府", 2017, "pre2019"],
  ];
  for (const [f, agency, year, format] of cases) {
    const r = await parse(f, S);
    assert.equal(r.report_year, year, f);
    assert.equal(r.format, format, f);
    if (agency) assert.equal(r.agency, agency, f);
  }
});

async function rejects(input: Uint8Array | string, code: string): Promise<void> {
  await assert.rejects(parseReport(input, { filename: "bad" }), (e: unknown) => e instanceof InputError && e.code === code && e.message.startsWith("bad"));
}

test("refuses empty, binary and oversized input with a coded error", async () => {
  await rejects(new Uint8Array(0), "EMPTY");
  await rejects(" \n\t ", "EMPTY");
  await rejects(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 0]), "BINARY");
  await rejects(Buffer.alloc(50 * 1024 * 1024, 0x61), "TOO_LARGE");
});

test("a scan saved as a picture, or reports in an archive, is named as such with what to do", async () => {
  const named = async (bytes: number[], message: RegExp) =>
    assert.rejects(parseReport(Uint8Array.from([...bytes, ...Array.from({ length: 64 }, (_, i) => i)]), { filename: "x" }), (e: unknown) => e instanceof InputError && e.code === "BINARY" && message.test(e.message));
  await named([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], /^x: 图片文件（PNG），.*需先做文字识别\(OCR\) \(an image \(PNG\), no text: a scan or a screenshot; run OCR first\)$/);
  await named([0xff, 0xd8, 0xff, 0xe0], /^x: 图片文件（JPEG）/);
  await named([0x49, 0x49, 0x2a, 0x00], /^x: 图片文件（TIFF）/);
  await named([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50], /^x: 图片文件（WebP）/);
  await named([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], /^x: 压缩包（RAR），请先解压.*\(an archive \(RAR\): unpack it, then read the reports inside\)$/);
  await named([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], /^x: 压缩包（7z）/);
  // Text that merely begins like one ("BM…", "GIF8…") is still text.
  await assert.rejects(parseReport("BM 这是一段普通文字，说的是天气很好。", { filename: "x" }), (e: unknown) => e instanceof InputError && e.code === "NOT_REPORT");
  await named([0x00, 0x01, 0x02], /^x: 二进制文件，不是文本或网页/);
});

test("refuses a web page that is not an annual report", async () => {
  const page = `<!doctype html><html><head><title>平潭新闻网</title></head><body><div class="nav">首页 | 新闻 | 政务</div>
    <h1>平潭举办海洋文化节</h1><p>本报讯 2024年5月1日，海洋文化节在平潭开幕，游客共计3万人次。</p><table><tr><td>日期</td><td>活动</td></tr><tr><td>5月1日</td><td>开幕式</td></tr></table>
    <script>document.write("x")</script></body></html>`;
  await rejects(page, "NOT_REPORT");
  await rejects("这是一段普通文字，说的是天气很好，我们去公园散步。", "NOT_REPORT");
});

test("marks a capture that stops mid-table as INCOMPLETE and keeps what was read", async () => {
  const r = await parse("pingtan-dept/czj-2018-80527/page.txt");
  assert.ok(r.issues.some((i) => i.rule === "INCOMPLETE" && i.severity === "error"));
  // A 2021 report cut inside table 三.
  const text = bytes("pingtan/2023-87885/page.txt").toString("utf8");
  const cut = text.slice(0, text.indexOf("（四）无法提供"));
  const r2 = await parseReport(cut, { filename: "cut.txt" });
  assert.ok(r2.issues.some((i) => i.rule === "INCOMPLETE" && i.severity === "error"));
  assert.deepEqual(row(r2, "new"), [80, 1, 0, 0, 0, 0, 81]);
  // The complete report is not flagged.
  const whole = await parseReport(text, { filename: "whole.txt" });
  assert.ok(!whole.issues.some((i) => i.rule === "INCOMPLETE"));
});

test("hostile HTML is only parsed: no script runs, deep nesting and huge spans stay bounded", () => {
  const deep = "<div>".repeat(20000) + "政府信息公开工作年度报告" + "</div>".repeat(20000);
  const spans = `<table><tr><td rowspan="999999999" colspan="999999999">x</td></tr><tr><td>y</td></tr></table>`;
  const script = `<script>globalThis.__pwned = true</script><img src=x onerror="globalThis.__pwned=true">`;
  const doc = toDocument(`<html><body>${deep}${spans}${script}</body></html>`, "hostile.html");
  assert.equal(doc.format, "html");
  assert.ok(doc.text.includes("政府信息公开工作年度报告"));
  assert.equal((globalThis as { __pwned?: boolean }).__pwned, undefined);
  assert.ok(doc.tables.length <= 1);
  if (doc.tables[0]) assert.ok(doc.tables[0].rows[0].length <= 101 && doc.tables[0].rows.length === 2);
  const r = parseDocument(doc);
  assert.deepEqual(r.fields, {});
});

test("expands rowspan/colspan into a true grid and joins one-character Word paragraphs", () => {
  const html = `<html><body><p>x</p><p>y</p><p>z</p><p>w</p><p>v</p><table>
    <tr><td rowspan="2">行政复议</td><td colspan="2">行政诉讼</td></tr>
    <tr><td><p>结</p><p>果</p><p>维</p><p>持</p><o:p></o:p></td><td>總計<!--[if !supportMisalignedColumns]--><!--[endif]--></td></tr></table></body></html>`;
  const doc = toDocument(html, "grid.html");
  assert.deepEqual(doc.tables[0].rows, [["行政复议", "行政诉讼", "行政诉讼"], ["行政复议", "结果维持", "总计"]]);
  assert.deepEqual(doc.tables[0].origin, [[true, true, false], [false, true, true]]);
  assert.ok(doc.text.includes("行政复议 | 行政诉讼\n"));
});
