import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import { zipSync } from "fflate";
import { Document as DocxDocument, Packer, Paragraph } from "docx";
import { parseReport } from "../parse/index.js";
import { collectInputs } from "./walk.js";
import { parseFile } from "./parse-file.js";
import { readMember } from "./bundle.js";
import { runBatch } from "./index.js";
import { importFiles, openStore } from "../store/index.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gongkai-bundle-"));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * A zip written entry by entry, names as raw bytes with the UTF-8 flag only where asked: what
 * Chinese Windows tools write (GBK names, no flag) cannot be made with fflate, which always flags.
 */
function storedZip(entries: { name: Buffer; utf8?: boolean; data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const crc = crc32(e.data);
    const flag = e.utf8 ? 0x0800 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(flag, 6); local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(e.name.length, 26); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(flag, 8);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(e.data.length, 20); central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(e.name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, e.name, Buffer.from(e.data));
    centrals.push(central, e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const SEED = join(FIXTURES, "seeds", "001_a1987c7275b215ef.txt");
const PINGTAN = join(FIXTURES, "reports", "pingtan-dept", "czj-2020-80589", "page.txt");
const fieldsOf = async (path: string) => (await parseReport(readFileSync(path), { filename: path })).fields;

async function bundle(): Promise<string> {
  const lines = readFileSync(PINGTAN, "utf8").split("\n");
  const docx = await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] }));
  const path = join(work, "附件.zip");
  writeFileSync(path, storedZip([
    // GBK names without the flag, as Chinese Windows' "send to compressed folder" writes them.
    { name: iconv.encode("年报/2020年财政金融局年报.txt", "gbk"), data: readFileSync(PINGTAN) },
    { name: Buffer.from("年报/seed.html"), utf8: true, data: Buffer.from(`<html><body><pre>${readFileSync(SEED, "utf8")}</pre></body></html>`) },
    { name: Buffer.from("年报/财政金融局.docx"), utf8: true, data: docx },
    { name: Buffer.from("说明.txt", "utf8"), data: Buffer.from("请查收附件中的报告。") },
    // Not reports: macOS's forks, hidden files, other extensions, a saved page's frames.
    { name: Buffer.from("__MACOSX/年报/._seed.html"), data: Buffer.from("junk") },
    { name: Buffer.from(".DS_Store"), data: Buffer.from("junk") },
    { name: Buffer.from("封面.png"), data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    { name: Buffer.from("page.html"), data: Buffer.from(`<html><body><pre>${readFileSync(SEED, "utf8")}</pre></body></html>`) },
    { name: Buffer.from("page_files/saved_resource.html"), data: Buffer.from("<html>frame</html>") },
  ]));
  return path;
}

test("a .zip bundle stands for the reports in it: GBK and UTF-8 names, junk and a saved page's frames skipped", async () => {
  const zip = await bundle();
  const inputs = collectInputs([zip]);
  assert.deepEqual(inputs.map((p) => p.slice(zip.length)), [
    "!/page.html",
    "!/年报/2020年财政金融局年报.txt",
    "!/年报/seed.html",
    "!/年报/财政金融局.docx",
    "!/说明.txt",
  ]);
  // Each member reads as the file it was made from.
  const txt = await parseFile(inputs[1]);
  assert.ok(txt.ok);
  assert.deepEqual(txt.report.fields, await fieldsOf(PINGTAN));
  assert.equal(txt.report.file, `${zip}!/年报/2020年财政金融局年报.txt`);
  const word = await parseFile(inputs[3]);
  assert.ok(word.ok);
  assert.deepEqual(word.report.fields, await fieldsOf(PINGTAN));
  const note = await parseFile(inputs[4]);
  assert.ok(!note.ok && note.error.code === "NOT_REPORT" && note.error.message.startsWith(`${zip}!/说明.txt: `), JSON.stringify(note));
  const missing = await parseFile(`${zip}!/年报/没有.txt`);
  assert.ok(!missing.ok && missing.error.code === "NOT_FOUND" && /压缩包里没有此文件/.test(missing.error.message));

  // In a folder beside loose files, through worker threads, then --resume.
  const dir = join(work, "folder");
  mkdirSync(dir);
  writeFileSync(join(dir, "bundle.zip"), readFileSync(zip));
  writeFileSync(join(dir, "loose.txt"), readFileSync(SEED));
  const out = join(work, "out.jsonl");
  const first = await runBatch([dir], { out, workers: 2, progress: "none" });
  assert.deepEqual([first.total, first.parsed, first.failed], [6, 5, 1]);
  const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const seed = lines.find((l) => l.file === join(dir, "bundle.zip!/年报/seed.html"));
  assert.ok(seed?.ok, JSON.stringify(seed));
  assert.deepEqual(seed.report.fields, await fieldsOf(SEED));
  const again = await runBatch([dir], { out, workers: 2, resume: true, progress: "none" });
  assert.deepEqual([again.total, again.skipped, again.parsed], [6, 6, 0]);
});

test("a member that inflates past the document limit, a damaged bundle, and a document zip named .zip", async () => {
  const bomb = join(work, "bomb.zip");
  writeFileSync(bomb, zipSync({ "big.txt": new Uint8Array(129 * 1024 * 1024) }, { level: 1 }));
  assert.throws(() => readMember(bomb, "big.txt"), (e: Error & { code?: string }) => e.code === "TOO_LARGE" && e.message.startsWith(`${bomb}!/big.txt: `));
  assert.deepEqual(collectInputs([bomb]), [`${bomb}!/big.txt`]);

  const cut = join(work, "cut.zip");
  const whole = readFileSync(join(work, "附件.zip"));
  writeFileSync(cut, whole.subarray(0, whole.length - 100));
  // Unreadable as a bundle: it is one input, and its error says what it is.
  assert.deepEqual(collectInputs([cut]), [cut]);
  const got = await parseFile(cut);
  assert.ok(!got.ok && got.error.message.startsWith(`${cut}: `));

  // A Word file under a .zip name is read as the Word file it is.
  const lines = readFileSync(PINGTAN, "utf8").split("\n");
  const wordZip = join(work, "word.zip");
  writeFileSync(wordZip, await Packer.toBuffer(new DocxDocument({ sections: [{ children: lines.map((l) => new Paragraph({ text: l })) }] })));
  assert.deepEqual(collectInputs([wordZip]), [wordZip]);
  const word = await parseFile(wordZip);
  assert.ok(word.ok);
  assert.deepEqual(word.report.fields, await fieldsOf(PINGTAN));
});

test("import takes a bundle's reports into the store, each under its member name", async () => {
  const zip = await bundle();
  const store = await openStore(join(work, "bundle.db"));
  try {
    const outcomes = await importFiles(store, collectInputs([zip]));
    assert.deepEqual(outcomes.map((o) => [o.file.slice(zip.length), o.status]), [
      ["!/page.html", "stored"],
      ["!/年报/2020年财政金融局年报.txt", "stored"],
      ["!/年报/seed.html", "duplicate"],
      ["!/年报/财政金融局.docx", "version"],
      ["!/说明.txt", "failed"],
    ]);
  } finally {
    await store.close();
  }
});
