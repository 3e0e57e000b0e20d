import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { collectInputs } from "../../batch/walk.js";
import { parseReport, InputError } from "../index.js";
import { sniffFormat } from "./index.js";

const ROOT = new URL("../../../fixtures/reports/pingtan/", import.meta.url).pathname;
/** The fixtures' real pages as saved from the government website. */
const PAGES = ["2016-80485", "2024-97791"].map((d) => join(ROOT, d, "page.html"));

/** Quoted-printable (RFC 2045 §6.7) as Chrome writes it: lines of at most 76 characters, soft breaks `=`. */
function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let line = "";
  const put = (piece: string) => {
    if (line.length + piece.length > 75) {
      lines.push(line + "=");
      line = "";
    }
    line += piece;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      lines.push(line);
      line = "";
    } else if (b === 0x0d) continue;
    else if ((b >= 33 && b <= 126 && b !== 61) || (b === 32 && bytes[i + 1] !== 0x0a && bytes[i + 1] !== 0x0d)) put(String.fromCharCode(b));
    else put(`=${b.toString(16).toUpperCase().padStart(2, "0")}`);
  }
  lines.push(line);
  return lines.join("\r\n");
}

const base64Lines = (bytes: Buffer) => bytes.toString("base64").replace(/.{76}/g, "$&\r\n");

/** A tiny PNG, the kind of part a saved page carries beside its HTML. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/**
 * A multipart/related message as browsers write it: `headers` (with the boundary's parameter
 * last), an optional preamble, the page's part, then a picture's part.
 */
function message(headers: string[], boundary: string, preamble: string, pagePart: string[], site: string): string[] {
  return [
    ...headers,
    "MIME-Version: 1.0",
    "Content-Type: multipart/related;",
    '\ttype="text/html";',
    `\tboundary="${boundary}"`,
    "",
    preamble,
    "",
    `--${boundary}`,
    ...pagePart,
    "",
    `--${boundary}`,
    "Content-Type: image/png",
    "Content-Transfer-Encoding: base64",
    `Content-Location: ${site}/images/logo.png`,
    "",
    base64Lines(PNG),
    "",
    `--${boundary}--`,
    "",
  ];
}

/** The page as Chrome/Edge save it (「网页，单个文件」): UTF-8, quoted-printable, pictures after it. */
function blinkMhtml(html: string): Buffer {
  const site = "https://www.pingtan.gov.cn";
  const lines = message(
    ["From: <Saved by Blink>", `Snapshot-Content-Location: ${site}/jhtml/ct/ct_4553_1.html`, "Subject: =?utf-8?Q?=E5=B9=B4=E5=BA=A6=E6=8A=A5=E5=91=8A?=", "Date: Sat, 5 Dec 2026 09:12:40 +0800"],
    "----MultipartBoundary--3Qd8Hn1xWmVb6nZ0k6iP9cUaS2rR4tT5uY7wE0oI1p----",
    "",
    ["Content-Type: text/html", "Content-ID: <frame-6D0A4C9E2F1B3E5A7C9D1F3B5D7F9A1C@mhtml.blink>", "Content-Transfer-Encoding: quoted-printable", `Content-Location: ${site}/jhtml/ct/ct_4553_1.html`, "", quotedPrintable(Buffer.from(html, "utf8"))],
    site,
  );
  return Buffer.from(lines.join("\r\n"), "latin1");
}

/** The page as Internet Explorer saved it (.mht) from a GB2312 site: GBK bytes in base64, headers in the system's code page. */
function ieMhtml(html: string): Buffer {
  const site = "http://www.pingtan.gov.cn";
  const gbk = html.replace(/charset=["']?utf-8["']?/i, 'charset="gb2312"');
  const lines = message(
    ["From: <由 Windows Internet Explorer 8 保存>", `Subject: =?gb2312?B?${iconv.encode("平潭综合实验区政府信息公开工作年度报告", "gbk").toString("base64")}?=`, "Date: Mon, 12 Jan 2017 10:20:30 +0800", "X-MimeOLE: Produced By Microsoft MimeOLE V6.1.7601.17609"],
    "----=_NextPart_000_0000_01DB4E6A.5C3B2D10",
    "This is a multi-part message in MIME format.",
    ["Content-Type: text/html;", '\tcharset="gb2312"', "Content-Transfer-Encoding: base64", `Content-Location: ${site}/zwgk/ndbg/`, "", base64Lines(iconv.encode(gbk, "gbk"))],
    site,
  );
  return iconv.encode(lines.join("\r\n"), "gbk");
}

test("a web page saved as one file (Chrome's quoted-printable UTF-8, IE's base64 GB2312) parses to the same report as the page", async () => {
  for (const page of PAGES) {
    const html = readFileSync(page, "utf8");
    // The GB2312 form needs a page GBK can hold: these are.
    assert.equal(iconv.decode(iconv.encode(html, "gbk"), "gbk"), html, `${page} in GBK`);
    const expected = await parseReport(Buffer.from(html), { filename: page });
    assert.ok(Object.keys(expected.fields).length > 30, `${page}: a report with its tables`);
    for (const [form, bytes] of [["chrome", blinkMhtml(html)], ["ie", ieMhtml(html)]] as const) {
      assert.equal(sniffFormat(bytes), "mhtml", `${page} ${form}`);
      const got = await parseReport(bytes, { filename: `${page}.${form}.mht` });
      assert.deepEqual(got.fields, expected.fields, `${page} ${form}: fields`);
      assert.deepEqual(got.provenance, expected.provenance, `${page} ${form}: provenance`);
      assert.deepEqual([got.format, got.report_year, got.agency], [expected.format, expected.report_year, expected.agency], `${page} ${form}`);
    }
  }
});

test("folders pick up .mht and .mhtml; an archive without a page, or a damaged one, is refused with a reason", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-mhtml-"));
  try {
    const html = readFileSync(PAGES[1], "utf8");
    writeFileSync(join(dir, "a.mht"), ieMhtml(html));
    writeFileSync(join(dir, "b.mhtml"), blinkMhtml(html));
    writeFileSync(join(dir, "c.png"), PNG);
    assert.deepEqual(collectInputs([dir]).map((f) => f.slice(dir.length + 1)), ["a.mht", "b.mhtml"]);

    const picturesOnly = Buffer.from(blinkMhtml(html).toString("latin1").replace(/Content-Type: text\/html/, "Content-Type: image/gif"), "latin1");
    assert.equal(sniffFormat(picturesOnly), "mhtml");
    await assert.rejects(parseReport(picturesOnly, { filename: "p.mht" }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.code, "UNREADABLE");
      assert.match(e.message, /^p\.mht: 网页存档\(MHTML\)中没有网页/);
      return true;
    });
    // Plain HTML and text are not taken for an archive.
    assert.equal(sniffFormat(Buffer.from(html)), null);
    assert.equal(sniffFormat(Buffer.from("Subject: 2023年政府信息公开工作年度报告\n一、总体情况\n")), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
