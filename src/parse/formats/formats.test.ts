import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document as DocxDocument, Packer, Paragraph } from "docx";
import { strToU8, unzipSync, Zip, ZipDeflate } from "fflate";
import * as CFB from "cfb";
import iconv from "iconv-lite";
import * as OpenCC from "opencc-js/cn2t";
import { collectInputs } from "../../batch/walk.js";
import { parseReport, InputError } from "../index.js";
import type { ParsedReport } from "../../model/index.js";
import { readFormat, sniffFormat } from "./index.js";
import { htmlToContent } from "../html.js";
import { layoutToDocx, layoutToHtml, layoutToXlsx, statutoryLayout } from "./test-helpers/statutory.js";
import { ofdOfPdf, type OfdStyle } from "./test-helpers/ofd.js";
import { docxToHtml } from "./docx.js";

const OFD_STYLES: OfdStyle[] = ["runs", "glyphs", "lines"];

const ROOT = new URL("../../../fixtures/", import.meta.url).pathname;

/** Every real report of the fixtures (seeds and the 平潭 archive), as [name, path]. */
function fixtures(): [string, string][] {
  const out: [string, string][] = readdirSync(join(ROOT, "seeds")).filter((f) => f.endsWith(".txt")).sort().map((f) => [f.replace(".txt", ""), join(ROOT, "seeds", f)]);
  for (const group of ["pingtan", "pingtan-dept"]) {
    for (const d of readdirSync(join(ROOT, "reports", group)).sort()) out.push([`${group}-${d}`, join(ROOT, "reports", group, d, "page.txt")]);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), "gongkai-formats-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** LibreOffice headless, with its own profile so parallel test files do not collide. */
function soffice(target: string, files: string[], outdir: string, infilter?: string): void {
  execFileSync("soffice", [`-env:UserInstallation=file://${join(work, "lo-profile")}`, "--headless", ...(infilter ? [`--infilter=${infilter}`] : []), "--convert-to", target, "--outdir", outdir, ...files], { stdio: "ignore", timeout: 300_000 });
}

async function parsePath(path: string, name: string): Promise<ParsedReport> {
  return parseReport(readFileSync(path), { filename: name });
}

function sameReport(actual: ParsedReport, expected: ParsedReport, what: string): void {
  assert.deepEqual(actual.fields, expected.fields, `${what}: fields`);
  assert.equal(actual.format, expected.format, `${what}: generation`);
  assert.equal(actual.report_year, expected.report_year, `${what}: year`);
  assert.equal(actual.agency, expected.agency, `${what}: agency`);
}

const originals = new Map<string, ParsedReport>();
async function original(name: string, path: string): Promise<ParsedReport> {
  if (!originals.has(name)) originals.set(name, await parsePath(path, name));
  return originals.get(name)!;
}

test("PDFs printed by LibreOffice from every fixture, and the same pages as OFD, parse to the same fields as the text", async () => {
  const dir = join(work, "pdf");
  execFileSync("mkdir", ["-p", dir]);
  const list = fixtures();
  for (const [name, path] of list) copyFileSync(path, join(dir, `${name}.txt`));
  soffice("pdf", list.map(([name]) => join(dir, `${name}.txt`)), dir, "Text (encoded):UTF8,LF,,,");
  for (const [name, path] of list) {
    const pdf = readFileSync(join(dir, `${name}.pdf`));
    assert.equal(sniffFormat(pdf), "pdf");
    sameReport(await parseReport(pdf, { filename: name }), await original(name, path), `${name}.pdf`);
    // The same pages as an OFD, in each producer's style in turn.
    const style = OFD_STYLES[list.findIndex(([n]) => n === name) % OFD_STYLES.length];
    const ofd = await ofdOfPdf(pdf, style);
    assert.equal(sniffFormat(ofd), "ofd");
    sameReport(await parseReport(ofd, { filename: `${name}.ofd` }), await original(name, path), `${name}.ofd (${style})`);
  }
});

test("a Word file with pictures (a letterhead, a seal) parses to the same fields; the pictures are not read", async () => {
  const [name, path] = fixtures().find(([, p]) => readFileSync(p, "utf8").includes("本年新收政府信息公开申请数量"))!;
  const expected = await original(name, path);
  const bytes = await layoutToDocx(statutoryLayout(expected).blocks, { pictures: [300_000, 200_000] });
  const html = await docxToHtml(bytes, `${name}.docx`);
  assert.ok(!html.includes("base64") && html.length < 100_000, `no picture data in mammoth's HTML (${html.length} characters)`);
  assert.deepEqual((await parseReport(bytes, { filename: `${name}.docx` })).fields, (await parseReport(await layoutToDocx(statutoryLayout(expected).blocks), { filename: `${name}.docx` })).fields);
});

test("Word files (one paragraph per line, LibreOffice's own .docx, Word 97 .doc and RTF) parse to the same fields", async () => {
  const dir = join(work, "docx");
  execFileSync("mkdir", ["-p", dir]);
  const list = fixtures();
  for (const [name, path] of list) {
    const lines = readFileSync(path, "utf8").split("\n");
    const doc = new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] });
    const bytes = await Packer.toBuffer(doc);
    assert.equal(sniffFormat(bytes), "docx");
    sameReport(await parseReport(bytes, { filename: name }), await original(name, path), `${name}.docx (docx)`);
    copyFileSync(path, join(dir, `${name}.txt`));
  }
  soffice("docx:MS Word 2007 XML", list.map(([name]) => join(dir, `${name}.txt`)), dir, "Text (encoded):UTF8,LF,,,");
  soffice("doc:MS Word 97", list.map(([name]) => join(dir, `${name}.txt`)), dir, "Text (encoded):UTF8,LF,,,");
  soffice("rtf:Rich Text Format", list.map(([name]) => join(dir, `${name}.txt`)), dir, "Text (encoded):UTF8,LF,,,");
  for (const [name, path] of list) {
    sameReport(await parsePath(join(dir, `${name}.docx`), name), await original(name, path), `${name}.docx (LibreOffice)`);
    const doc = readFileSync(join(dir, `${name}.doc`));
    assert.equal(sniffFormat(doc), "doc");
    sameReport(await parseReport(doc, { filename: `${name}.doc` }), await original(name, path), `${name}.doc (LibreOffice)`);
    const rtf = readFileSync(join(dir, `${name}.rtf`));
    assert.equal(sniffFormat(rtf), "rtf");
    sameReport(await parseReport(rtf, { filename: `${name}.rtf` }), await original(name, path), `${name}.rtf (LibreOffice)`);
  }
});

/**
 * Draws each report's statutory tables as Word tables, as one Excel sheet with merged cells, and
 * prints the Word file to PDF and saves it as Word 97 (.doc) and RTF (LibreOffice's and AbiWord's,
 * two writers with their own ways of placing cells). Each must read back to exactly the fields the same tables give as
 * HTML; `exact` also requires exactly the original report's table fields.
 */
async function tablesRoundTrip(select: (name: string) => boolean, dirName: string, minCases: number, exact: boolean): Promise<void> {
  const dir = join(work, dirName);
  execFileSync("mkdir", ["-p", dir]);
  const cases: { name: string; expected: Record<string, number>; html: ParsedReport; src: ParsedReport }[] = [];
  for (const [name, path] of fixtures().filter(([n]) => select(n))) {
    const src = await original(name, path);
    if (src.format !== "2019" && src.format !== "2021") continue;
    const { blocks, ids } = statutoryLayout(src);
    const keep = new Set(ids);
    const expected = Object.fromEntries(Object.entries(src.fields).filter(([id]) => keep.has(id)));
    const html = await parseReport(layoutToHtml(blocks), { filename: `${name}.html` });
    const agree = Object.keys(expected).filter((id) => html.fields[id] === expected[id]).length;
    assert.ok(agree >= Object.keys(expected).length * 0.95, `${name}: the HTML tables carry the report's values (${agree}/${Object.keys(expected).length})`);
    writeFileSync(join(dir, `${name}.docx`), await layoutToDocx(blocks));
    writeFileSync(join(dir, `${name}.xlsx`), await layoutToXlsx(blocks));
    cases.push({ name, expected, html, src });
  }
  assert.ok(cases.length >= minCases, "2019- and 2021-format fixtures found");
  soffice("pdf", cases.map((c) => join(dir, `${c.name}.docx`)), dir);
  // Each PDF's pages as an OFD, the producers' styles in turn: the same tables in the other fixed-layout format.
  for (const [k, { name }] of cases.entries()) writeFileSync(join(dir, `${name}.ofd`), await ofdOfPdf(readFileSync(join(dir, `${name}.pdf`)), OFD_STYLES[k % OFD_STYLES.length]));
  soffice("doc:MS Word 97", cases.map((c) => join(dir, `${c.name}.docx`)), dir);
  soffice("rtf:Rich Text Format", cases.map((c) => join(dir, `${c.name}.docx`)), dir);
  soffice("xls:MS Excel 97", cases.map((c) => join(dir, `${c.name}.xlsx`)), dir);
  for (const { name } of cases) {
    execFileSync("abiword", [`--to=${join(dir, `${name}.abiword.rtf`)}`, join(dir, `${name}.docx`)], { stdio: "ignore", timeout: 120_000 });
  }
  // The Word file saved as a web page by LibreOffice: real-world HTML (fonts, paragraphs in cells,
  // column groups), read by the HTML fast path exactly as parse5 reads it.
  soffice("html", cases.map((c) => join(dir, `${c.name}.docx`)), dir);
  for (const { name, html } of cases) {
    const page = readFileSync(join(dir, `${name}.html`), "utf8");
    assert.deepEqual(htmlToContent(page, name, "auto"), htmlToContent(page, name, "parse5"), `${name}.html: both HTML engines`);
    assert.deepEqual((await parseReport(Buffer.from(page), { filename: `${name}.html` })).fields, html.fields, `${name}.html (LibreOffice): same fields as the HTML tables`);
  }
  for (const { name, expected, html, src } of cases) {
    const docx = await readFormat(readFileSync(join(dir, `${name}.docx`)), `${name}.docx`);
    for (const ext of [".docx", ".doc", ".rtf", ".abiword.rtf", ".xlsx", ".xls", ".pdf", ".ofd"]) {
      const bytes = readFileSync(join(dir, name + ext));
      const doc = await readFormat(bytes, name + ext);
      assert.ok(doc && doc.tables.length >= 3, `${name}${ext}: tables rebuilt as grids`);
      // A .doc or an RTF stores no column grid (each row its own cell edges) and marks merged
      // cells its own way: the grids rebuilt from LibreOffice's are the ones mammoth reads from
      // the same table as .docx. (AbiWord moves some edges: its grids gain empty columns.)
      if (ext === ".doc" || ext === ".rtf") assert.deepEqual(doc.tables.map((t) => [t.rows, t.origin]), docx!.tables.map((t) => [t.rows, t.origin]), `${name}${ext}: the .docx's grids`);
      const got = await parseReport(bytes, { filename: name + ext });
      assert.deepEqual(got.fields, html.fields, `${name}${ext}: same fields as the HTML tables`);
      if (exact) assert.deepEqual(got.fields, expected, `${name}${ext}: same fields as the original report`);
      assert.equal(got.format, src.format, `${name}${ext}: generation`);
      assert.equal(got.report_year, src.report_year, `${name}${ext}: year`);
    }
  }
}

const TABLED = (name: string) => /-20(19|2\d)-/.test(name) || name.startsWith("001_");

test("statutory tables as Word tables, an Excel sheet with merged cells (.xlsx and .xls), a PDF of the Word file and its OFD read back to the report's own table fields", async () => {
  await tablesRoundTrip(TABLED, "tables", 6, true);
});

/** A PDF of the given objects (object k + 1 is objects[k]; 1 is the catalog), with its cross-reference table. */
function pdfOf(objects: string[]): Buffer {
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, k) => { offsets.push(Buffer.byteLength(body, "latin1")); body += `${k + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

const stream = (content: string) => `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`;

/** A one-page PDF whose only content is an 8×8 grey image: what a scanner produces, minus the size. */
function imageOnlyPdf(): Buffer {
  const pixels = Buffer.alloc(64, 0x80);
  return pdfOf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
    `<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n${pixels.toString("latin1")}\nendstream`,
    stream("q 500 0 0 700 40 70 cm /Im0 Do Q"),
  ]);
}

/**
 * Pages of text (x, y, string) and ruling lines (x1, y1, x2, y2), in Helvetica; `turn` (a `cm`
 * matrix) draws the whole page through a transform, as a virtual printer turns a landscape page
 * onto a portrait sheet.
 */
function drawnPdf(pages: { text: [number, number, string][]; lines: [number, number, number, number][] }[], turn?: string): Buffer {
  const n = pages.length;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${pages.map((_, k) => `${4 + 2 * k} 0 R`).join(" ")}] /Count ${n} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  for (const [k, p] of pages.entries()) {
    const content = [
      ...(turn ? [`q ${turn} cm`] : []),
      ...p.lines.map(([x1, y1, x2, y2]) => `${x1} ${y1} m ${x2} ${y2} l S`),
      ...p.text.map(([x, y, t]) => `BT /F1 9 Tf ${x} ${y} Td (${t}) Tj ET`),
      ...(turn ? ["Q"] : []),
    ].join("\n");
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * k} 0 R >>`, stream(content));
  }
  return pdfOf(objects);
}

test("a PDF page printed turned a quarter either way (a landscape table on a portrait sheet) reads as the upright page", async () => {
  // A title, a wrapped-free paragraph line and a 3×4 ruled table whose header spans two columns.
  const xs = [50, 200, 300, 400, 500];
  const ys = [700, 680, 660, 640];
  const page = {
    text: [[50, 760, "Annual report 2024"], [50, 740, "Figures below"], [55, 686, "Item"], [205, 686, "Count"], [405, 686, "Total"], [55, 666, "Made"], [205, 666, "12"], [305, 666, "5"], [405, 666, "17"], [55, 646, "Open"], [205, 646, "3"], [305, 646, "0"], [405, 646, "3"]] as [number, number, string][],
    lines: [
      ...ys.map((y) => [xs[0], y, xs[4], y] as [number, number, number, number]),
      ...xs.map((x) => (x === 300 ? [x, 640, x, 680] : [x, 640, x, 700]) as [number, number, number, number]),
    ],
  };
  const upright = await readFormat(drawnPdf([page]), "upright.pdf");
  assert.deepEqual(upright?.tables[0].rows, [["Item", "Count", "Count", "Total"], ["Made", "12", "5", "17"], ["Open", "3", "0", "3"]]);
  for (const [what, turn] of [["a quarter left", "0 1 -1 0 842 0"], ["a quarter right", "0 -1 1 0 -400 842"], ["upside down", "-1 0 0 -1 595 842"]]) {
    const doc = await readFormat(drawnPdf([page], turn), `${what}.pdf`);
    assert.equal(doc?.text, upright?.text, what);
    assert.deepEqual(doc?.tables.map((t) => [t.rows, t.origin]), upright?.tables.map((t) => [t.rows, t.origin]), what);
  }
});

test("a PDF table whose header row a page break cuts in two reads as one header, sub-headings kept apart", async () => {
  // Five columns at x = 50, 100, 150, 200, 250 (right edge 300). Page 1 ends inside the header:
  // "Uph|eld" and "Corr|ected" wrap over the break, "Total" does not, and "Direct" (spanning two
  // columns) has its own sub-headings "Up" and "Down" below it on page 2.
  const v = (x: number, top: number, bottom: number): [number, number, number, number] => [x, top, x, bottom];
  const h = (y: number): [number, number, number, number] => [50, y, 300, y];
  const pdf = drawnPdf([
    {
      text: [[50, 700, "Annual report of the disclosure office, tables"], [55, 186, "Review"], [205, 186, "Court"], [55, 166, "Uph"], [105, 166, "Corr"], [155, 166, "Total"], [205, 166, "Direct"]],
      lines: [h(200), h(180), h(160), v(50, 200, 160), v(200, 200, 160), v(300, 200, 160), v(100, 180, 160), v(150, 180, 160)],
    },
    {
      text: [[55, 786, "eld"], [105, 786, "ected"], [205, 786, "Up"], [255, 786, "Down"], [55, 766, "4"], [105, 766, "1"], [155, 766, "5"], [205, 766, "2"], [255, 766, "3"]],
      lines: [h(800), h(780), h(760), ...[50, 100, 150, 200, 250, 300].map((x) => v(x, 800, 760))],
    },
  ]);
  const doc = await readFormat(pdf, "split.pdf");
  assert.equal(doc?.tables.length, 1);
  assert.deepEqual(doc!.tables[0].rows, [
    ["Review", "Review", "Review", "Court", "Court"],
    ["Uph eld", "Corr ected", "Total", "Direct", "Direct"],
    ["4", "1", "5", "2", "3"],
  ].flatMap((r, i) => (i === 2 ? [["Uph eld", "Corr ected", "Total", "Up", "Down"], r] : [r])));
  assert.deepEqual(doc!.tables[0].origin[2], [false, false, false, true, true]);
});

test("a PDF without a text layer (a scan) is refused with SCANNED_PDF and a message saying so", async () => {
  await assert.rejects(parseReport(imageOnlyPdf(), { filename: "scan.pdf" }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.code, "SCANNED_PDF");
    assert.match(e.message, /^scan\.pdf: .*扫描件.*\(PDF has no text layer/);
    return true;
  });
});

test("damaged and legacy Office files get clear errors, other bytes are left to the text path", async () => {
  await assert.rejects(readFormat(Buffer.from("%PDF-1.4\nnot really a pdf"), "bad.pdf"), (e: unknown) => e instanceof InputError && e.code === "UNREADABLE" && e.message.startsWith("bad.pdf: PDF"));
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
  await assert.rejects(readFormat(ole, "old.doc"), (e: unknown) => e instanceof InputError && e.code === "UNREADABLE" && e.message.startsWith("old.doc: 旧版 Office 文件已损坏"));
  const zip = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.from("word/document.xml but truncated")]);
  await assert.rejects(readFormat(zip, "cut.docx"), (e: unknown) => e instanceof InputError && e.code === "UNREADABLE" && e.message.startsWith("cut.docx: Word"));
  assert.equal(await readFormat(Buffer.from("<html><body>年度报告</body></html>"), "a.html"), null);
});

const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" }) as (s: string) => string;

/** Replaces a stream of a compound file (.doc, .xls) by what `edit` makes of it (or of it in place). */
function editStream(file: Buffer, name: string, edit: (w: Buffer) => Buffer | void): Buffer {
  const container = CFB.read(file, { type: "buffer" });
  const entry = CFB.find(container, name)!;
  const w = Buffer.from(entry.content as Uint8Array);
  const out = edit(w) ?? w;
  entry.content = out;
  entry.size = out.length;
  return Buffer.from(CFB.write(container, { type: "buffer" }) as Uint8Array);
}

/** Edits the WordDocument stream of a .doc in place (what `edit` returns is ignored). */
const editWordStream = (doc: Buffer, edit: (w: Buffer) => unknown) => editStream(doc, "WordDocument", (w) => { edit(w); });

test("legacy Office files: a .doc, WPS, .xls or .et file is read, a password or Word 95 named, damage never crashes", async () => {
  const dir = join(work, "legacy");
  execFileSync("mkdir", ["-p", dir]);
  const [name, path] = fixtures().find(([n]) => TABLED(n) && n.startsWith("pingtan"))!;
  const { blocks } = statutoryLayout(await original(name, path));
  writeFileSync(join(dir, "r.docx"), await layoutToDocx(blocks));
  writeFileSync(join(dir, "r.xlsx"), await layoutToXlsx(blocks));
  soffice("doc:MS Word 97", [join(dir, "r.docx")], dir);
  soffice("xls:MS Excel 97", [join(dir, "r.xlsx")], dir);
  const doc = readFileSync(join(dir, "r.doc"));
  const fields = (await parseReport(readFileSync(join(dir, "r.docx")), { filename: "r.docx" })).fields;
  // WPS 文字's .wps is the same binary format: the name does not decide, the bytes do.
  assert.deepEqual((await parseReport(doc, { filename: "r.wps" })).fields, fields);
  // Many ".doc" downloads are a web page or RTF inside (content management systems export them so):
  // the bytes decide.
  assert.deepEqual((await parseReport(Buffer.from(layoutToHtml(blocks)), { filename: "page.doc" })).fields, fields);
  writeFileSync(join(dir, "r.wps"), doc);
  // Excel 97–2003, and WPS 表格's .et (the same format), read as the .xlsx they were saved from.
  const xls = readFileSync(join(dir, "r.xls"));
  assert.equal(sniffFormat(xls), "doc");
  const sheetFields = (await parseReport(readFileSync(join(dir, "r.xlsx")), { filename: "r.xlsx" })).fields;
  assert.deepEqual((await parseReport(xls, { filename: "r.xls" })).fields, sheetFields);
  assert.deepEqual((await parseReport(xls, { filename: "r.et" })).fields, sheetFields);
  writeFileSync(join(dir, "r.et"), xls);
  assert.deepEqual(collectInputs([dir]).map((f) => f.slice(dir.length + 1)), ["r.doc", "r.docx", "r.et", "r.wps", "r.xls", "r.xlsx"]);

  const refused = async (bytes: Buffer, file: string, code: string, message: RegExp) =>
    assert.rejects(parseReport(bytes, { filename: file }), (e: unknown) => e instanceof InputError && e.code === code && message.test(e.message));
  await refused(editStream(xls, "Workbook", (w) => {
    // A FILEPASS record (RC4) right after the workbook's BOF: how Excel marks an encrypted file.
    const filepass = Buffer.alloc(58);
    filepass.writeUInt16LE(0x2f, 0); filepass.writeUInt16LE(54, 2); filepass.writeUInt16LE(1, 4); filepass.writeUInt16LE(1, 6); filepass.writeUInt16LE(1, 8);
    const bof = 4 + w.readUInt16LE(2);
    return Buffer.concat([w.subarray(0, bof), filepass, w.subarray(bof)]);
  }), "locked.xls", "UNSUPPORTED", /^locked\.xls: Excel 文件有密码保护/);
  await refused(editStream(xls, "Workbook", (w) => w.subarray(0, 300)), "cut.xls", "UNREADABLE", /^cut\.xls: Excel 文件已损坏/);
  await refused(editWordStream(doc, (w) => w.writeUInt16LE(w.readUInt16LE(0x0a) | 0x0100, 0x0a)), "locked.doc", "UNSUPPORTED", /^locked\.doc: Word 文件有密码保护/);
  await refused(editWordStream(doc, (w) => w.writeUInt16LE(0x65 - 1, 2)), "w95.doc", "UNSUPPORTED", /^w95\.doc: Word 6\.0\/95/);
  await refused(editWordStream(doc, (w) => w.fill(0xff, 0x9a, 0x200)), "cut.doc", "UNREADABLE", /^cut\.doc: Word 文件已损坏/);
  await refused(doc.subarray(0, 1536), "short.doc", "UNREADABLE", /^short\.doc: /);

  // Bytes changed at random: a report, or an InputError naming the problem; never anything else.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const outcomes = new Set<string>();
  for (let i = 0; i < 150; i++) {
    const b = Buffer.from(doc);
    for (let k = 1 + Math.floor(random() * 8); k > 0; k--) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
    try {
      await parseReport(b, { filename: "mutated.doc" });
      outcomes.add("read");
    } catch (e) {
      assert.ok(e instanceof InputError, `mutation ${i}: ${e}`);
      assert.match(e.message, /^mutated\.doc: /);
      outcomes.add(e.code);
    }
  }
  assert.ok(outcomes.has("read") && outcomes.has("UNREADABLE"), [...outcomes].join());
  // The same for the spreadsheet: SheetJS's own failures become InputErrors naming the file.
  for (let i = 0; i < 100; i++) {
    const b = Buffer.from(xls);
    for (let k = 1 + Math.floor(random() * 8); k > 0; k--) b[512 + Math.floor(random() * (b.length - 512))] = Math.floor(random() * 256);
    try {
      await parseReport(b, { filename: "mutated.xls" });
    } catch (e) {
      assert.ok(e instanceof InputError, `xls mutation ${i}: ${e}`);
      assert.match(e.message, /^mutated\.xls: /);
    }
  }
});

test("RTF as Chinese Windows writes it: GBK bytes in a 134 font, Big5 in a 136 font, or \\uN with two-byte fallbacks, reads as LibreOffice's \\uN", async () => {
  const dir = join(work, "rtf-gbk");
  execFileSync("mkdir", ["-p", dir]);
  const [name, path] = fixtures().find(([n]) => TABLED(n) && n.startsWith("pingtan-dept"))!;
  writeFileSync(join(dir, "r.docx"), await layoutToDocx(statutoryLayout(await original(name, path)).blocks));
  soffice("rtf:Rich Text Format", [join(dir, "r.docx")], dir);
  const source = readFileSync(join(dir, "r.rtf"), "latin1");
  const expected = (await parseReport(Buffer.from(source, "latin1"), { filename: "r.rtf" })).fields;
  assert.ok(Object.keys(expected).length > 150);
  const gbk = (code: number) => [...iconv.encode(String.fromCharCode(code < 0 ? code + 65536 : code), "gbk")].map((b) => `\\'${b.toString(16)}`).join("");
  // Every font a GB2312 font (\fcharset134), every CJK character its GBK bytes.
  const bytes = source.replace(/\\fcharset0\b/g, "\\fcharset134").replace(/\\u(-?\d+)\\'3f/g, (_, n) => gbk(Number(n)));
  assert.ok(!/\\u(-?\d+)\\'3f/.test(bytes) && /\\'[a-f]/.test(bytes), "the escapes were rewritten");
  assert.deepEqual((await parseReport(Buffer.from(bytes, "latin1"), { filename: "gbk.rtf" })).fields, expected);
  // A Taiwan or Hong Kong office's Word: traditional characters, Big5 bytes in \fcharset136 fonts.
  const big5 = source.replace(/\\fcharset0\b/g, "\\fcharset136").replace(/\\u(-?\d+)\\'3f/g, (escape, n) => {
    const t = toTraditional(String.fromCharCode(Number(n) < 0 ? Number(n) + 65536 : Number(n)));
    const b = iconv.encode(t, "big5");
    return iconv.decode(b, "big5") === t ? [...b].map((x) => `\\'${x.toString(16)}`).join("") : escape;
  });
  assert.match(big5, /\\'a5\\'ad/, "平 in Big5");
  assert.deepEqual((await parseReport(Buffer.from(big5, "latin1"), { filename: "big5.rtf" })).fields, expected);
  // Unicode escapes whose fallback is those two bytes (\uc2): the fallback is skipped, not read.
  const uc2 = source.replace(/\\u(-?\d+)\\'3f/g, (_, n) => `{\\uc2\\u${n}${gbk(Number(n))}}`);
  assert.deepEqual((await parseReport(Buffer.from(uc2, "latin1"), { filename: "uc2.rtf" })).fields, expected);
});

test("hostile RTF (deep groups, unbalanced braces, a lying \\bin, broken escapes, changed bytes) gets a report or a clear error", async () => {
  const cases: [string, string][] = [
    ["deep", `{\\rtf1 ${"{".repeat(200_000)}x`],
    ["unbalanced", "{\\rtf1 }}}}}} 2023年政府信息公开工作年度报告\\par"],
    ["bin", "{\\rtf1 \\bin99999999 abc}"],
    ["hex", "{\\rtf1 \\'zz \\'4"],
    ["unicode", "{\\rtf1 \\u-99999999 \\uc99999 abc\\par}"],
  ];
  for (const [name, rtf] of cases) {
    await assert.rejects(parseReport(Buffer.from(rtf, "latin1"), { filename: `${name}.rtf` }), (e: unknown) =>
      e instanceof InputError && ["EMPTY", "NOT_REPORT"].includes(e.code) && e.message.startsWith(`${name}.rtf: `));
  }
  // Control words named like JavaScript's own properties are unknown words, not symbols.
  assert.equal((await readFormat(Buffer.from("{\\rtf1 \\constructor\\toString\\valueOf abc\\par}"), "p.rtf"))?.text, "abc");
  const dir = join(work, "rtf-hostile");
  execFileSync("mkdir", ["-p", dir]);
  const [name, path] = fixtures().find(([n]) => TABLED(n) && n.startsWith("pingtan"))!;
  writeFileSync(join(dir, "r.docx"), await layoutToDocx(statutoryLayout(await original(name, path)).blocks));
  soffice("rtf:Rich Text Format", [join(dir, "r.docx")], dir);
  const good = readFileSync(join(dir, "r.rtf"));
  assert.deepEqual((await parseReport(good, { filename: "r.doc" })).fields, (await parseReport(good, { filename: "r.rtf" })).fields, "an RTF named .doc");
  // A byte-order mark or blank lines before `{\rtf` (some exporters write them) change nothing.
  assert.deepEqual((await parseReport(Buffer.concat([Buffer.from("\uFEFF\r\n"), good]), { filename: "bom.rtf" })).fields, (await parseReport(good, { filename: "r.rtf" })).fields);
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 150; i++) {
    const b = Buffer.from(good);
    for (let k = 1 + Math.floor(random() * 8); k > 0; k--) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
    try {
      await parseReport(b, { filename: "mutated.rtf" });
    } catch (e) {
      assert.ok(e instanceof InputError, `mutation ${i}: ${e}`);
      assert.match(e.message, /^mutated\.rtf: /);
    }
  }
});

/** A real zip bomb: `part` holds about 300 MB of repeated markup, compressed to well under 1 MB. */
function zipBomb(parts: Record<string, string>, big: string): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (const [name, text] of Object.entries(parts)) {
    const f = new ZipDeflate(name);
    zip.add(f);
    f.push(strToU8(text), true);
  }
  const f = new ZipDeflate(big, { level: 1 });
  zip.add(f);
  const piece = strToU8("<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>".repeat(20_000));
  for (let n = 0; n < 300 * 1048576; n += piece.length) f.push(piece);
  f.push(new Uint8Array(0), true);
  zip.end();
  return Buffer.concat(chunks);
}

/** The bomb with its directory lying: every unpacked size it states (local headers, data descriptors, central directory) set to 1,000 bytes. */
function lying(zip: Buffer): Buffer {
  const b = Buffer.from(zip);
  for (let i = 0; i + 28 <= b.length; i++) {
    const sig = b.readUInt32LE(i);
    if (sig === 0x04034b50 && b.readUInt32LE(i + 22) > 0) b.writeUInt32LE(1000, i + 22);
    else if (sig === 0x08074b50) b.writeUInt32LE(1000, i + 12);
    else if (sig === 0x02014b50) b.writeUInt32LE(1000, i + 24);
  }
  return b;
}

test("a Word or Excel zip bomb is refused by its declared size, or when it lies, by what it inflates to", async () => {
  const types = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
  for (const [name, big] of [["bomb.docx", "word/document.xml"], ["bomb.xlsx", "xl/worksheets/sheet1.xml"]] as const) {
    const parts: Record<string, string> = { "[Content_Types].xml": types };
    if (name.endsWith(".xlsx")) parts["xl/workbook.xml"] = "<workbook/>";
    const bytes = zipBomb(parts, big);
    assert.ok(bytes.length < 2 * 1048576, `${name}: ${bytes.length} bytes on disk`);
    await assert.rejects(parseReport(bytes, { filename: name }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.code, "TOO_LARGE");
      assert.match(e.message, new RegExp(`^${name.replace(".", "\\.")}: (Word|Excel) 文件解压后 3\\d\\d MB，超过上限 256 MB`));
      return true;
    });
    // In one process (`gongkai parse FILE`) mammoth or ExcelJS inflating this would end the process.
    const liar = lying(bytes);
    assert.ok(!unzipSync(liar, { filter: (f) => { assert.equal(f.originalSize, 1000, f.name); return false; } }).length);
    await assert.rejects(parseReport(liar, { filename: name }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.code, "TOO_LARGE");
      assert.match(e.message, new RegExp(`^${name.replace(".", "\\.")}: (Word|Excel) 文件解压后，超过上限 256 MB`));
      return true;
    });
  }
});

test("statutory tables read the same when Word's automatic list numbers are lost (一、 （一） 1. gone, as mammoth and the .doc text stream lose them)", async () => {
  const NUMBER = /^(\s*)(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．](?!\d))/;
  const strip = (t: string) => t.replace(NUMBER, "$1");
  let checked = 0;
  for (const [name, path] of fixtures().filter(([n]) => TABLED(n))) {
    const src = await original(name, path);
    if (src.format !== "2019" && src.format !== "2021") continue;
    const { blocks } = statutoryLayout(src);
    const bare = blocks.map((b) => ("line" in b ? { line: strip(b.line) } : { rows: b.rows.map((r) => r.map((c) => ({ ...c, text: strip(c.text) }))) }));
    assert.ok(JSON.stringify(bare) !== JSON.stringify(blocks), `${name}: numbers were there to lose`);
    const numbered = await parseReport(Buffer.from(layoutToHtml(blocks)), { filename: `${name}.html` });
    assert.deepEqual((await parseReport(Buffer.from(layoutToHtml(bare)), { filename: `${name}.html` })).fields, numbered.fields, `${name}: without list numbers`);
    checked++;
  }
  assert.ok(checked >= 6);
});
