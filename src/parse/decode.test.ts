import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { decodeBytes, InputError } from "./decode.js";
import { parseReport } from "./index.js";

const PAGE_2024 = readFileSync("fixtures/reports/pingtan/2024-97791/page.html");
const TEXT_2023 = readFileSync("fixtures/reports/pingtan/2023-87885/page.txt");

test("a UTF-8 page that still declares gb2312 is read as UTF-8", () => {
  const stale = Buffer.from(PAGE_2024.toString("utf8").replace(/charset=["']?utf-8/i, "charset=gb2312"));
  assert.match(stale.toString("latin1").slice(0, 3000), /charset=gb2312/i);
  const d = decodeBytes(stale, "stale.html");
  assert.equal(d.encoding, "utf-8");
  assert.ok(d.text.includes("本年新收政府信息公开申请数量"));
});

test("GBK bytes without any declaration are detected and decoded", () => {
  const gbk = iconv.encode(TEXT_2023.toString("utf8"), "gbk");
  const d = decodeBytes(gbk, "gbk.txt");
  assert.equal(d.encoding, "gb18030");
  assert.ok(d.text.includes("平潭综合实验区2023年度政府信息公开工作年度报告") || d.text.includes("本年新收政府信息公开申请数量"));
});

test("a file cut in the middle of a character keeps the text before the cut", () => {
  const utf8Cut = TEXT_2023.subarray(0, 3001); // 3001 falls inside a 3-byte character
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(utf8Cut));
  assert.ok(decodeBytes(utf8Cut, "cut.txt").text.length > 900);
  const gbkCut = iconv.encode(TEXT_2023.toString("utf8"), "gbk").subarray(0, 2001);
  assert.ok(decodeBytes(gbkCut, "cut-gbk.txt").text.length > 900);
});

test("bytes that are neither UTF-8 nor GB18030 nor Big5 are refused with a reason", () => {
  const mixed = Buffer.concat([Buffer.from("政府信息公开工作年度报告 "), Buffer.from([0x81, 0x20, 0xff, 0xfe, 0x80, 0x7f, 0xff, 0x30])]);
  assert.throws(() => decodeBytes(mixed, "mixed.txt"), (e: unknown) => e instanceof InputError && e.code === "ENCODING" && /mixed\.txt/.test(e.message));
});

test("a report that stops before its statistics tables is incomplete, not clean", async () => {
  const r = await parseReport(TEXT_2023.subarray(0, 3001), { filename: "cut.txt" });
  assert.equal(r.format, "2021");
  assert.equal(r.report_year, 2023);
  assert.ok(r.issues.some((i) => i.rule === "INCOMPLETE" && i.severity === "error"));
  const whole = await parseReport(TEXT_2023, { filename: "page.txt" });
  assert.ok(!whole.issues.some((i) => i.rule === "INCOMPLETE"));
});

test("a page nested far deeper than any real one is refused before the HTML parser sees it", async () => {
  const deep = `<html><body>${"<div>".repeat(100_000)}2023年度政府信息公开工作年度报告${"</div>".repeat(100_000)}</body></html>`;
  await assert.rejects(parseReport(deep, { filename: "deep.html" }), (e: unknown) => e instanceof InputError && e.code === "NOT_REPORT" && /deep\.html: HTML 元素嵌套/.test(e.message));
  // Unclosed paragraphs and line breaks are no depth at all.
  const flat = `<html><body><p>2023年度政府信息公开工作年度报告${"<p>一段<br>".repeat(30_000)}</body></html>`;
  const r = await parseReport(flat, { filename: "flat.html" });
  assert.equal(r.report_year, 2023);
});

test("a digit run longer than its cells could print is declared unreadable, not searched", async () => {
  const text = `2023年度政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量${"1234567890".repeat(30)}\n`;
  const r = await parseReport(text, { filename: "long.txt" });
  assert.equal(r.fields["applications.new.total"], undefined);
  assert.ok(r.ambiguous.includes("applications.new.total"));
});
