/**
 * What each input format costs (npm run bench:formats): the same real reports (the 2019/2021
 * fixtures' statutory tables) as a web page, Word 2007+ (.docx, and with two pictures of 500 KB in all,
 * as a letterhead and a seal weigh), Word 97 (.doc) and RTF saved by
 * LibreOffice, a PDF printed from the Word file, the PDF's pages as an OFD (as a producer that
 * sets one TextObject per run writes it) and an Excel sheet (.xlsx, and saved by LibreOffice as
 * Excel 97 .xls), each parsed in-process, in
 * rounds that take the formats in turn (the machine's drift spread over all). Reported per report
 * and as a ratio to the web page, measured in the same run. Needs LibreOffice (`soffice`).
 *
 * Env: FORMAT_ROUNDS (default 10).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseReport } from "../src/parse/index.js";
import { layoutToDocx, layoutToHtml, layoutToXlsx, statutoryLayout } from "../src/parse/formats/test-helpers/statutory.js";
import { ofdOfPdf } from "../src/parse/formats/test-helpers/ofd.js";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const rounds = Number(process.env.FORMAT_ROUNDS ?? 10);
const FORMATS = [".html", ".docx", ".pictures.docx", ".doc", ".rtf", ".pdf", ".ofd", ".xlsx", ".xls"] as const;

function sources(): [string, string][] {
  const out: [string, string][] = readdirSync(join(FIXTURES, "seeds")).filter((f) => f.endsWith(".txt")).map((f) => [f.replace(".txt", ""), join(FIXTURES, "seeds", f)]);
  for (const group of ["pingtan", "pingtan-dept"]) {
    for (const d of readdirSync(join(FIXTURES, "reports", group))) out.push([`${group}-${d}`, join(FIXTURES, "reports", group, d, "page.txt")]);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), "gongkai-bench-formats-"));
try {
  const names: string[] = [];
  for (const [name, path] of sources()) {
    const src = await parseReport(readFileSync(path), { filename: name });
    if (src.format !== "2019" && src.format !== "2021") continue;
    const { blocks } = statutoryLayout(src);
    writeFileSync(join(work, `${name}.html`), layoutToHtml(blocks));
    writeFileSync(join(work, `${name}.docx`), await layoutToDocx(blocks));
    writeFileSync(join(work, `${name}.pictures.docx`), await layoutToDocx(blocks, { pictures: [300_000, 200_000] }));
    writeFileSync(join(work, `${name}.xlsx`), await layoutToXlsx(blocks));
    names.push(name);
  }
  const docx = names.map((n) => join(work, `${n}.docx`));
  try {
    for (const target of ["doc:MS Word 97", "rtf:Rich Text Format", "pdf"]) {
      execFileSync("soffice", [`-env:UserInstallation=file://${join(work, "lo")}`, "--headless", "--convert-to", target, "--outdir", work, ...docx], { stdio: "ignore" });
    }
    execFileSync("soffice", [`-env:UserInstallation=file://${join(work, "lo")}`, "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", work, ...names.map((n) => join(work, `${n}.xlsx`))], { stdio: "ignore" });
  } catch {
    console.error("需要 LibreOffice (soffice) 来生成 .doc、.rtf、.pdf 和 .xls 版本 (LibreOffice is needed to make the .doc, .rtf, .pdf and .xls versions)");
    process.exit(1);
  }
  for (const n of names) writeFileSync(join(work, `${n}.ofd`), await ofdOfPdf(readFileSync(join(work, `${n}.pdf`)), "runs"));
  const bytes = Object.fromEntries(FORMATS.map((ext) => [ext, names.map((n) => readFileSync(join(work, n + ext)))]));
  const ms = Object.fromEntries(FORMATS.map((ext) => [ext, 0]));
  const differ = Object.fromEntries(FORMATS.map((ext) => [ext, 0]));
  const reference = await Promise.all(bytes[".html"].map((b, i) => parseReport(b, { filename: names[i] + ".html" })));
  for (let round = 0; round < rounds + 2; round++) {
    for (const ext of round % 2 ? [...FORMATS].reverse() : FORMATS) {
      const t = performance.now();
      for (let i = 0; i < names.length; i++) {
        const r = await parseReport(bytes[ext][i], { filename: names[i] + ext });
        if (round === 0 && !isDeepStrictEqual(r.fields, reference[i].fields)) differ[ext]++;
      }
      // Two warm-up rounds, then the rounds that count.
      if (round >= 2) ms[ext] += performance.now() - t;
    }
  }
  const n = rounds * names.length;
  const base = ms[".html"] / n;
  const kb = (ext: string) => bytes[ext].reduce((s, b) => s + b.length, 0) / names.length / 1024;
  console.log(`${names.length} reports × ${rounds} rounds (in-process, one thread; Node ${process.version})\n`);
  console.log("| format | size per report | ms per report | × the web page | fields as the web page |");
  console.log("|---|---|---|---|---|");
  for (const ext of FORMATS) {
    const per = ms[ext] / n;
    console.log(`| ${ext} | ${kb(ext).toFixed(0)} KB | ${per.toFixed(2)} | ${(per / base).toFixed(2)} | ${names.length - differ[ext]}/${names.length} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
