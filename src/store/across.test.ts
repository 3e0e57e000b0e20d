import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ParsedReport } from "../model/index.js";
import { validate } from "../validate/index.js";
import { acrossYearFindings, reportAndAcrossFindings, SPLIT_EXACT } from "./across.js";

const DIR = new URL("../../fixtures/expected/reports/", import.meta.url).pathname;

function labelled(): ParsedReport[] {
  const out: ParsedReport[] = [];
  for (const sub of readdirSync(DIR)) for (const f of readdirSync(join(DIR, sub)).filter((x) => x.endsWith(".json")).sort()) {
    const d = JSON.parse(readFileSync(join(DIR, sub, f), "utf8"));
    out.push({ file: `${sub}/${f}`, format: d.format, report_year: d.report_year, agency: d.agency, fields: { ...d.fields }, blank: d.blank ?? [], ambiguous: d.ambiguous ?? [], provenance: {}, issues: [] });
  }
  return out;
}

test("one validation against the previous year splits exactly into the report's own findings and the across-year ones", () => {
  // The split path must be the one taken, or this test would only compare the fallback with itself.
  assert.equal(SPLIT_EXACT, true);
  const reports = labelled();
  let pairs = 0, across = 0, own = 0;
  for (const cur of reports) for (const prev of reports) {
    if (cur === prev || cur.format !== prev.format || !cur.format) continue;
    const current = { ...cur, report_year: prev.report_year! + 1 };
    // As labelled, and with cells changed so that both kinds of finding occur: a carried-in total
    // that breaks continuity and the row identities, and a misprinted cell with a suggestion.
    const variants: ParsedReport[] = [current];
    const keys = Object.keys(current.fields);
    const carried = keys.find((k) => /carried_in\.total$|prev_items$/.test(k));
    if (carried) variants.push({ ...current, fields: { ...current.fields, [carried]: current.fields[carried]! + 7 } });
    const cell = keys.find((k) => /\.natural$/.test(k)) ?? keys[0];
    variants.push({ ...current, fields: { ...current.fields, [cell]: current.fields[cell]! * 10 + 3 } });
    for (const v of variants) {
      const split = reportAndAcrossFindings(v, prev, { validate: true });
      assert.deepEqual(split.own, validate(v), `${v.file} own findings against ${prev.file}`);
      assert.deepEqual(split.across, acrossYearFindings(v, prev), `${v.file} across-year findings against ${prev.file}`);
      pairs++; across += split.across.length; own += split.own.length;
    }
  }
  assert.ok(pairs > 50 && across > 20 && own > 20, `pairs ${pairs}, across ${across}, own ${own}`);
});

test("without validation only the across-year findings are computed; without a previous year none are", () => {
  const [a, b] = labelled().filter((r) => r.format === "2021");
  const cur = { ...b, report_year: a.report_year! + 1, fields: { ...b.fields, "applications.carried_in.total": 12345 } };
  const split = reportAndAcrossFindings(cur, a, { validate: false });
  assert.deepEqual(split.own, []);
  assert.ok(split.across.some((f) => f.rule === "APP-CARRY-CONTINUITY"));
  assert.deepEqual(reportAndAcrossFindings(cur, undefined, { validate: true }), { own: validate(cur), across: [] });
  // A report two years earlier is not "the year before".
  assert.deepEqual(reportAndAcrossFindings(cur, { ...a, report_year: a.report_year! - 1 }, { validate: true }).across, []);
});
