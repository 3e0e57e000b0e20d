import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { collectInputs } from "../../batch/walk.js";
import { InputError, parseReport } from "../index.js";
import { readFormat, sniffFormat } from "./index.js";

const NS = `xmlns:ofd="http://www.ofdspec.org/2016"`;

/** An OFD package: OFD.xml → Doc_0/Document.xml → the given pages (Content.xml bodies of their layer). */
function ofd(pages: string[], extra: Record<string, string> = {}, templates: Record<string, string> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    "OFD.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`),
  };
  const tpl = Object.keys(templates).map((id) => `<ofd:TemplatePage ID="${id}" BaseLoc="Tpls/${id}.xml"/>`).join("");
  for (const [id, body] of Object.entries(templates)) files[`Doc_0/Tpls/${id}.xml`] = strToU8(`<ofd:Page ${NS}><ofd:Content><ofd:Layer ID="1">${body}</ofd:Layer></ofd:Content></ofd:Page>`);
  files["Doc_0/Document.xml"] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>${tpl}</ofd:CommonData><ofd:Pages>${pages.map((_, k) => `<ofd:Page ID="${k + 10}" BaseLoc="Pages/Page_${k}/Content.xml"/>`).join("")}</ofd:Pages></ofd:Document>`);
  const useTpl = Object.keys(templates).map((id) => `<ofd:Template TemplateID="${id}" ZOrder="Background"/>`).join("");
  pages.forEach((body, k) => { files[`Doc_0/Pages/Page_${k}/Content.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}>${useTpl}<ofd:Content><ofd:Layer ID="2">${body}</ofd:Layer></ofd:Content></ofd:Page>`); });
  for (const [name, body] of Object.entries(extra)) files[name] = strToU8(body);
  return zipSync(files);
}

const text = (boundary: string, size: number, codes: string, attrs = "") => `<ofd:TextObject ID="1" Boundary="${boundary}" Font="1" Size="${size}"${attrs}>${codes}</ofd:TextObject>`;
const line = (boundary: string, d: string, attrs = "") => `<ofd:PathObject ID="2" Boundary="${boundary}"${attrs}><ofd:AbbreviatedData>${d}</ofd:AbbreviatedData></ofd:PathObject>`;

/**
 * A page written by hand, with the geometry worked out on paper: a title, a paragraph whose second
 * line wraps, a space left out of the text (only a jump in DeltaX), and a 3×3 table ruled by path
 * objects whose header cell spans two columns (the rule between them stops at the header).
 */
const PAGE = [
  // Title: 10 characters, 5 mm apart (`g 9 5`), baseline 30 mm from the top.
  text("20 24 170 8", 5, `<ofd:TextCode X="0" Y="6" DeltaX="g 9 5">政府信息公开工作报告</ofd:TextCode>`),
  // A paragraph over two lines: the first reaches the right edge (170 mm of text from x = 20).
  text("20 40 170 5", 4, `<ofd:TextCode X="0" Y="4" DeltaX="g 41 4">${"公开".repeat(21)}</ofd:TextCode>`),
  text("20 46 170 5", 4, `<ofd:TextCode X="0" Y="4">续行结束。</ofd:TextCode>`),
  // "2笔" then 984361元 after a jump of 3 mm more than the glyph: no space character in the text.
  text("20 56 170 5", 4, `<ofd:TextCode X="0" Y="4" DeltaX="2.4 7 g 6 2.4">2笔984361元</ofd:TextCode>`),
  // An entity, and a TextCode without X/Y continuing where the previous one ended.
  text("20 64 170 5", 4, `<ofd:TextCode X="0" Y="4" DeltaX="g 4 4">公开&amp;回应</ofd:TextCode><ofd:TextCode>情况</ofd:TextCode>`),
  // The table: columns at x = 20, 80, 130, 170 mm; rows at y = 80, 90, 100, 110 mm.
  // Horizontal rules, one drawn at half scale through a CTM; the outer box as one closed path.
  line("20 80 150 30", "M 0 0 L 150 0 L 150 30 L 0 30 C"),
  line("20 90 150 1", "M 0 0 L 75 0", ` CTM="2 0 0 2 0 0"`),
  line("20 100 150 1", "M 0 0 L 150 0"),
  // Vertical rules: x = 80 full height; x = 130 only below the header (the header spans it).
  line("80 80 1 30", "M 0 0 L 0 30"),
  `<ofd:PageBlock ID="9">${line("130 90 1 20", "M 0 0 L 0 20")}</ofd:PageBlock>`,
  // Cell texts: one per glyph with its own X; one through a CTM (Size 8 at scale 0.5 = 4 mm).
  text("22 82 50 6", 4, `<ofd:TextCode X="0" Y="4">项</ofd:TextCode><ofd:TextCode X="4" Y="4">目</ofd:TextCode>`),
  text("82 82 80 6", 8, `<ofd:TextCode X="0" Y="8" DeltaX="8">数量</ofd:TextCode>`, ` CTM="0.5 0 0 0.5 0 0"`),
  text("22 92 50 6", 4, `<ofd:TextCode X="0" Y="4" DeltaX="g 3 4">主动公开</ofd:TextCode>`),
  text("82 92 40 6", 4, `<ofd:TextCode X="0" Y="4" DeltaX="2.4">12</ofd:TextCode>`),
  `<ofd:PageBlock ID="8">${text("132 92 30 6", 4, `<ofd:TextCode X="0" Y="4">5</ofd:TextCode>`)}</ofd:PageBlock>`,
  text("22 102 50 6", 4, `<ofd:TextCode X="0" Y="4" DeltaX="g 2 4">依申请</ofd:TextCode>`),
  text("82 102 40 6", 4, `<ofd:TextCode X="0" Y="4">3</ofd:TextCode>`),
  text("132 102 30 6", 4, `<ofd:TextCode X="0" Y="4">0</ofd:TextCode>`),
  // Invisible objects are not read.
  text("20 120 170 5", 4, `<ofd:TextCode X="0" Y="4">隐藏文字</ofd:TextCode>`, ` Visible="false"`),
].join("");

test("an OFD written by hand reads to its lines and its ruled table, spans and all", async () => {
  const bytes = ofd([PAGE], {}, { "T1": line("20 10 170 1", "M 0 0 L 170 0") });
  assert.equal(sniffFormat(bytes), "ofd");
  const doc = await readFormat(bytes, "hand.ofd");
  assert.ok(doc);
  assert.equal(doc.format, "ofd");
  assert.deepEqual(doc.text.split("\n").slice(0, 4), [
    "政府信息公开工作报告",
    `${"公开".repeat(21)}续行结束。`,
    "2笔 984361元",
    "公开&回应情况",
  ]);
  assert.ok(!doc.text.includes("隐藏"), "an invisible object is not read");
  assert.equal(doc.tables.length, 1);
  assert.deepEqual(doc.tables[0].rows, [["项目", "数量", "数量"], ["主动公开", "12", "5"], ["依申请", "3", "0"]]);
  assert.deepEqual(doc.tables[0].origin, [[true, true, false], [true, true, true], [true, true, true]]);
});

test("OFD packages as producers vary them: default namespace, absolute and mis-cased paths, a page size of its own", async () => {
  const plain = (s: string) => s.replace(/ofd:/g, "").replace(/xmlns:ofd=/g, "xmlns=");
  const files: Record<string, Uint8Array> = {
    "OFD.xml": strToU8(plain(`<ofd:OFD ${NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)),
    "Doc_0/Document.xml": strToU8(plain(`<ofd:Document ${NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="pages/page_0/content.xml"/></ofd:Pages></ofd:Document>`)),
    "Doc_0/Pages/Page_0/Content.xml": strToU8(plain(`<ofd:Page ${NS}><ofd:Area><ofd:PhysicalBox>0 0 297 210</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer>${PAGE}</ofd:Layer></ofd:Content></ofd:Page>`)),
  };
  const doc = await readFormat(zipSync(files), "plain.ofd");
  assert.equal(doc?.text.split("\n")[0], "政府信息公开工作报告");
  assert.deepEqual(doc?.tables[0].rows, [["项目", "数量", "数量"], ["主动公开", "12", "5"], ["依申请", "3", "0"]]);
});

test("an OFD without text (a scan), a damaged, empty or hostile one gets a clear error naming the file", async () => {
  const refused = async (bytes: Uint8Array, file: string, code: string, message: RegExp) =>
    assert.rejects(parseReport(bytes, { filename: file }), (e: unknown) => e instanceof InputError && e.code === code && message.test(e.message));
  const image = `<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="7"/>`;
  await refused(ofd([image, image]), "scan.ofd", "SCANNED_OFD", /^scan\.ofd: OFD 没有文字层.*\(OFD has no text layer, probably a scan; run OCR first\)$/);
  const noDoc = zipSync({ "OFD.xml": strToU8(`<ofd:OFD ${NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`) });
  await refused(noDoc, "nodoc.ofd", "UNREADABLE", /^nodoc\.ofd: OFD 文件已损坏或无法读取 \(damaged or unreadable OFD: 缺少文档根 DocRoot Doc_0\/Document\.xml \(no document root Doc_0\/Document\.xml\)\)$/);
  await refused(ofd([]), "nopages.ofd", "UNREADABLE", /^nopages\.ofd: .*文档没有页面/);
  await refused(zipSync({ "OFD.xml": strToU8("\u0000\u0001 binary, not XML") }), "enc.ofd", "UNREADABLE", /^enc\.ofd: .*OFD\.xml 不是 XML/);
  const whole = ofd([PAGE]);
  await refused(whole.subarray(0, whole.length - 40), "cut.ofd", "UNREADABLE", /^cut\.ofd: OFD 文件已损坏/);

  // Hostile XML: a `g` run of a billion, page blocks nested 100 deep, text nested 200,000 deep.
  const bomb = await readFormat(ofd([PAGE + text("20 130 170 5", 4, `<ofd:TextCode X="0" Y="4" DeltaX="g 1000000000 4">末行</ofd:TextCode>`)]), "g.ofd");
  assert.ok(bomb?.text.includes("末行"));
  await refused(ofd([PAGE + "<ofd:PageBlock>".repeat(100) + "</ofd:PageBlock>".repeat(100)]), "deep.ofd", "UNREADABLE", /^deep\.ofd: .*nested deeper than 64/);
  await refused(ofd([PAGE + text("20 130 170 5", 4, `<ofd:TextCode X="0" Y="4">${"<x>".repeat(200_000)}字${"</x>".repeat(200_000)}</ofd:TextCode>`)]), "nest.ofd", "UNREADABLE", /^nest\.ofd: .*XML nested too deep/);

  // Bytes changed at random (zip headers, compressed XML): a document, or an InputError naming
  // the file; never anything else.
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const good = ofd([PAGE]);
  for (let k = 0; k < 150; k++) {
    const bad = Uint8Array.from(good);
    for (let n = 0; n < 1 + k % 8; n++) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
    try {
      await parseReport(bad, { filename: `m${k}.ofd` });
    } catch (e) {
      assert.ok(e instanceof InputError, `m${k}.ofd: ${e}`);
      assert.ok(e.message.startsWith(`m${k}.ofd: `), e.message);
    }
  }
});

test("folders pick up .ofd files", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-ofd-"));
  try {
    writeFileSync(join(dir, "报告.ofd"), ofd([PAGE]));
    writeFileSync(join(dir, "notes.xml"), "<x/>");
    assert.deepEqual(collectInputs([dir]).map((f) => f.slice(dir.length + 1)), ["报告.ofd"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
