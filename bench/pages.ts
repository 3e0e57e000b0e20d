/** The benchmark corpus: every fixture as an HTML page, as a user saves it from a government website. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseReport } from "../src/parse/index.js";
import { statutoryLayout } from "../src/parse/formats/test-helpers/statutory.js";

const ROOT = fileURLToPath(new URL("../fixtures/", import.meta.url));

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One HTML page per fixture: the published text as paragraphs plus, for 2019/2021 reports, their tables as real HTML tables. */
export async function htmlPages(): Promise<string[]> {
  const pages: string[] = [];
  const texts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".txt") && !e.name.startsWith("README")) texts.push(p);
      else if (e.name.endsWith(".html")) pages.push(readFileSync(p, "utf8"));
    }
  };
  walk(ROOT);
  for (const path of texts.sort()) {
    const text = readFileSync(path, "utf8");
    const report = await parseReport(Buffer.from(text), { filename: path });
    let tables = "";
    if (report.format === "2019" || report.format === "2021") {
      for (const b of statutoryLayout(report).blocks) {
        if ("rows" in b) tables += `<table border="1">${b.rows.map((r) => `<tr>${r.map((c) => `<td rowspan="${c.rowspan ?? 1}" colspan="${c.colspan ?? 1}">${escape(c.text)}</td>`).join("")}</tr>`).join("")}</table>\n`;
      }
    }
    const body = text.split("\n").map((l) => `<p>${escape(l)}</p>`).join("\n");
    pages.push(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(text.split("\n")[0].slice(0, 60))}</title></head><body><div class="article">${body}\n${tables}</div></body></html>`);
  }
  return pages;
}

