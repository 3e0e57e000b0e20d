import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type AddressInfo } from "node:net";
import { Document as DocxDocument, Packer, Paragraph } from "docx";
import { InputError, parseReport } from "../parse/index.js";
import { serveProxy, serveReports, serveSelfSigned, PAGES } from "../../test/web.js";
import { download } from "./source.js";
import { parseFile } from "./parse-file.js";
import { collectInputs, parseCsv, runBatch } from "./index.js";

const web = await serveReports();
const work = mkdtempSync(join(tmpdir(), "gongkai-source-"));
after(async () => {
  await web.close();
  rmSync(work, { recursive: true, force: true });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

const fromFile = async (path: string) => (await parseReport(readFileSync(path), { filename: path })).fields;

test("a report read by its address is the report saved from it: UTF-8 page, GBK text, a redirect, an attachment", async () => {
  const page = await parseFile(web.url("/2024.html"));
  assert.ok(page.ok, JSON.stringify(page));
  assert.deepEqual(page.report.fields, await fromFile(PAGES.utf8));
  assert.equal(page.report.report_year, 2024);
  // The old page's bytes are GBK; decoding them does not depend on the server's header.
  const gbk = await parseFile(web.url("/gbk.txt"));
  assert.ok(gbk.ok, JSON.stringify(gbk));
  assert.deepEqual(gbk.report.fields, await fromFile(PAGES.gbk));
  const moved = await parseFile(web.url("/old-address"));
  assert.ok(moved.ok && moved.report.report_year === 2024);
  // An attachment served as application/octet-stream, named by a number: the bytes say Word.
  const lines = readFileSync(PAGES.gbk, "utf8").split("\n");
  web.files.set("12345", await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] })));
  const docx = await parseFile(web.url("/files/12345"));
  assert.ok(docx.ok, JSON.stringify(docx));
  assert.deepEqual(docx.report.fields, await fromFile(PAGES.gbk));
});

test("what a crawl meets gets a clear error naming the address: 404, 500, no server, too large, no answer", async () => {
  const fails = async (url: string, code: string, message: RegExp, opts = {}) =>
    assert.rejects(download(url, opts), (e: unknown) => e instanceof InputError && e.code === code && e.message.startsWith(`${url}: `) && message.test(e.message));
  await fails(web.url("/nowhere"), "NOT_FOUND", /网页不存在 \(HTTP 404\)/);
  await fails(web.url("/error"), "UNREADABLE", /HTTP 500/);
  await fails(`http://127.0.0.1:${await closedPort()}/report.html`, "UNREADABLE", /无法下载，连接被拒绝 \(connection refused\)/);
  await fails(web.url("/endless"), "TOO_LARGE", /下载内容过大，上限 1 MB/, { maxBytes: 1024 * 1024 });
  await fails(web.url("/declared-huge"), "TOO_LARGE", /下载内容过大/);
  await fails(web.url("/silent"), "UNREADABLE", /下载超时 \(download timed out after 0.5s\)/, { timeoutMs: 500 });
  // In a batch a failed address is a failed file, not a failed batch.
  const failed = await parseFile(web.url("/nowhere"));
  assert.ok(!failed.ok && failed.error.code === "NOT_FOUND");
});

test("a batch takes addresses beside folders and files, on worker threads, with --resume", async () => {
  const out = join(work, "web.csv");
  const sources = [web.url("/2024.html"), web.url("/gbk.txt"), web.url("/nowhere"), PAGES.utf8];
  const s = await runBatch(sources, { out, force: true, workers: 2, progress: "none" });
  assert.deepEqual({ parsed: s.parsed, failed: s.failed, total: s.total }, { parsed: 3, failed: 1, total: 4 });
  const rows = parseCsv(readFileSync(out, "utf8").replace(/^\uFEFF/, ""));
  const byFile = new Map(rows.slice(1).map((r) => [r[0], r]));
  assert.equal(byFile.get(web.url("/2024.html"))?.[rows[0].indexOf("report_year")], "2024");
  assert.match(byFile.get(web.url("/nowhere"))?.[1] ?? "", /^NOT_FOUND: .*HTTP 404/);
  const again = await runBatch(sources, { out, resume: true, workers: 2, progress: "none" });
  assert.equal(again.skipped, 4);
});

test("a page that only links its report is read through the attachment; several candidates are named in the error", async () => {
  const lines = readFileSync(PAGES.gbk, "utf8").split("\n");
  web.files.set("2019年度报告.docx", await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] })));
  const page = web.url("/notice.html");
  const got = await parseFile(page);
  assert.ok(got.ok, JSON.stringify(got));
  // The outcome keeps the address given; the report says where its figures came from.
  assert.equal(got.file, page);
  assert.equal(got.report.file, web.url("/files/2019%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx"));
  assert.deepEqual(got.report.fields, await fromFile(PAGES.gbk));
  const two = await parseFile(web.url("/notice-two.html"));
  assert.ok(!two.ok);
  assert.equal(two.error.code, "NOT_REPORT");
  assert.match(two.error.message, /附件有 2 个，请指定其一 .*2019%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A\.docx .*\.pdf$/);
  // A report page with its figures is the report, whatever it links.
  const direct = await parseFile(web.url("/2024.html"));
  assert.ok(direct.ok && direct.report.file === web.url("/2024.html"));
});

test("a page that shows its report in a frame, or a document in a PDF viewer, is read through it", async () => {
  const lines = readFileSync(PAGES.gbk, "utf8").split("\n");
  web.files.set("2019年度报告.docx", await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] })));
  const framed = await parseFile(web.url("/framed.html"));
  assert.ok(framed.ok, JSON.stringify(framed));
  assert.equal(framed.file, web.url("/framed.html"));
  assert.equal(framed.report.file, web.url("/2024.html"));
  assert.deepEqual(framed.report.fields, await fromFile(PAGES.utf8));
  const viewer = await parseFile(web.url("/viewer.html"));
  assert.ok(viewer.ok, JSON.stringify(viewer));
  assert.equal(viewer.report.file, web.url("/files/2019%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx"));
  assert.deepEqual(viewer.report.fields, await fromFile(PAGES.gbk));
});

test("a page saved complete whose report is in a frame is read through the frame saved beside it, never through files elsewhere", async () => {
  const dir = join(work, "saved");
  mkdirSync(join(dir, "site", "报告_files"), { recursive: true });
  mkdirSync(join(dir, "secret"), { recursive: true });
  const title = "<h1>平潭综合实验区管委会办公室2024年政府信息公开工作年度报告</h1>";
  writeFileSync(join(dir, "site", "报告.html"), `<html><head><meta charset="utf-8"></head><body>${title}<iframe src="报告_files/saved_resource.html"></iframe><iframe src="http://127.0.0.1:1/never"></iframe></body></html>`);
  writeFileSync(join(dir, "site", "报告_files", "saved_resource.html"), readFileSync(PAGES.utf8));
  writeFileSync(join(dir, "secret", "report.html"), readFileSync(PAGES.utf8));
  writeFileSync(join(dir, "site", "outside.html"), `<html><head><meta charset="utf-8"></head><body>${title}<iframe src="../secret/report.html"></iframe><iframe src="file:///${join(dir, "secret", "report.html")}"></iframe></body></html>`);
  assert.deepEqual(collectInputs([join(dir, "site")]).map((f) => f.slice(dir.length + 1)), ["site/outside.html", "site/报告.html"]);
  const got = await parseFile(join(dir, "site", "报告.html"));
  assert.ok(got.ok, JSON.stringify(got));
  assert.equal(got.report.file, join(dir, "site", "报告_files", "saved_resource.html"));
  assert.deepEqual(got.report.fields, await fromFile(PAGES.utf8));
  // A frame outside the page's folder is not read: the page is what it is, a title without figures.
  const outside = await parseFile(join(dir, "site", "outside.html"));
  assert.ok(outside.ok && Object.keys(outside.report.fields).length === 0 && outside.report.file === join(dir, "site", "outside.html"), JSON.stringify(outside).slice(0, 300));
});

test("behind a proxy: HTTP_PROXY is used, NO_PROXY is honoured", async () => {
  const gateway = await serveProxy();
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  try {
    process.env.HTTP_PROXY = gateway.url;
    process.env.NO_PROXY = "";
    const via = await parseFile(web.url("/2024.html"));
    assert.ok(via.ok, JSON.stringify(via));
    // undici reaches an http address through the proxy by a tunnel to the site.
    assert.deepEqual(gateway.forwarded, [`CONNECT ${new URL(web.url("/")).host}`]);
    process.env.NO_PROXY = "127.0.0.1";
    const direct = await parseFile(web.url("/gbk.txt"));
    assert.ok(direct.ok, JSON.stringify(direct));
    assert.equal(gateway.forwarded.length, 1, "NO_PROXY: not through the proxy");
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await gateway.close();
  }
});

test("an https site whose certificate cannot be trusted is refused, saying why", async () => {
  const site = await serveSelfSigned();
  try {
    await assert.rejects(download(site.url), (e: unknown) => e instanceof InputError && e.code === "UNREADABLE" && e.message === `${site.url}: 无法下载，网站证书为自签名 (the site's TLS certificate is self-signed)`);
  } finally {
    await site.close();
  }
});

test("the document links a 「详见附件」 page may hold: PDF, OFD, Word, WPS, Excel, saved pages; by file name or by link text", async () => {
  const { pageLinks } = await import("./attachments.js");
  const page = Buffer.from(`<p>详见附件：<a href="/files/a.ofd">一</a> <a href="/download?id=7">某局2020年政府信息公开工作年度报告.OFD</a> <a href="b.wps">二</a> <a href="c.html">网页</a> <a href="mailto:x@y.cn">邮件</a></p>`);
  assert.deepEqual(pageLinks(page, "http://example.gov.cn/xxgk/notice.html").documents.map((a) => [a.url, a.named]), [
    ["http://example.gov.cn/files/a.ofd", false],
    ["http://example.gov.cn/download?id=7", true],
    ["http://example.gov.cn/xxgk/b.wps", false],
  ]);
});
