/**
 * Where a report's parse time goes (npm run bench:stages): the benchmark pages parsed in-process,
 * stage by stage, each stage's mean per page next to parse5 alone on the same HTML. A tool for the
 * parser's speed work; `npm run bench` gives the figures that count.
 *
 * Env: STAGE_ROUNDS (default 20).
 */
import { parse as parse5 } from "parse5";
import { decodeBytes } from "../src/parse/decode.js";
import { toDocument, type Document } from "../src/parse/document.js";
import { parseDocument } from "../src/parse/index.js";
import { validate } from "../src/validate/index.js";
import type { ParsedReport } from "../src/model/index.js";
import { htmlPages } from "./pages.js";

const rounds = Number(process.env.STAGE_ROUNDS ?? 20);
const pages = (await htmlPages()).map((p) => Buffer.from(p));
const time: Record<string, number> = { parse5: 0, decode: 0, toDocument: 0, parseDocument: 0, validate: 0, json: 0 };
const clock = <T>(stage: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  time[stage] += performance.now() - t;
  return r;
};
for (let round = 0; round < rounds + 2; round++) {
  if (round === 2) for (const k of Object.keys(time)) time[k] = 0; // two warm-up rounds
  for (const bytes of pages) {
    clock("parse5", () => parse5(bytes.toString("utf8")));
    const text = clock("decode", () => decodeBytes(bytes, "page.html").text);
    const doc: Document = clock("toDocument", () => toDocument(text, "page.html"));
    const report: ParsedReport = clock("parseDocument", () => parseDocument(doc));
    const issues = clock("validate", () => validate(report));
    clock("json", () => JSON.stringify({ ...report, issues: [...report.issues, ...issues] }));
  }
}
const n = rounds * pages.length;
const floor = time.parse5 / n;
let total = 0;
console.log(`${pages.length} pages × ${rounds} rounds, ms per page (× parse5 alone):`);
for (const [stage, ms] of Object.entries(time)) {
  if (stage !== "parse5") total += ms / n;
  console.log(`  ${stage.padEnd(14)} ${(ms / n).toFixed(2).padStart(7)}  ×${(ms / n / floor).toFixed(2)}`);
}
console.log(`  ${"pipeline".padEnd(14)} ${total.toFixed(2).padStart(7)}  ×${(total / floor).toFixed(2)}`);
