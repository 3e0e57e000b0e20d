import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  expectationFor,
  meetsTargets,
  precision,
  recall,
  scoreFile,
  summarise,
  type Label,
  type ParsedForScore,
} from "../bench/score.js";

const load = (rel: string): Label =>
  JSON.parse(readFileSync(new URL(`../fixtures/expected/reports/${rel}`, import.meta.url), "utf8")) as Label;

const pt2023 = load("pingtan/2023-87885.json");
const pt2024 = load("pingtan/2024-97791.json");
const file2023 = "reports/pingtan/2023-87885/page.txt";

/** A parse result that says exactly what the label says. */
function echo(label: Label, file: string): ParsedForScore {
  const exp = expectationFor(label, file);
  return {
    format: label.format,
    report_year: label.report_year,
    agency: label.agency,
    fields: { ...exp.fields },
    ambiguous: [...exp.ambiguous],
    blank: [...exp.blank],
  };
}

test("a parse that matches the label scores full precision and recall and every detection", () => {
  const s = scoreFile(pt2023, file2023, echo(pt2023, file2023));
  assert.equal(s.counts.tp, Object.keys(pt2023.fields).length);
  assert.equal(s.counts.fp, 0);
  assert.equal(s.counts.fn, 0);
  assert.equal(s.counts.ambiguousAgreed, pt2023.ambiguous!.length);
  assert.deepEqual(s.detection, { format: true, report_year: true, agency: true });
  assert.deepEqual(s.misses, []);
});

test("a wrong split counts once as a false positive and once as a miss, with its provenance", () => {
  const p = echo(pt2023, file2023);
  // The other arithmetically possible split of （一）予以公开 '220000022' (spec §7 item 1).
  p.fields["applications.result.disclosed.natural"] = 2;
  p.provenance = { "applications.result.disclosed.natural": { method: "solved", source: "table 三 row （一）", raw: "220000022" } };
  const s = scoreFile(pt2023, file2023, p);
  assert.equal(s.counts.fp, 1);
  assert.equal(s.counts.fn, 1);
  assert.equal(s.misses.length, 1);
  assert.equal(s.misses[0].kind, "wrong-value");
  assert.equal(s.misses[0].expected, 22);
  assert.equal(s.misses[0].got, 2);
  assert.match(s.misses[0].provenance ?? "", /220000022/);
});

test("money in 万元 is equal within 1e-6 but not beyond", () => {
  const p = echo(pt2023, file2023);
  p.fields["proactive.fees.amount"] = 5949.0886670000001;
  assert.equal(scoreFile(pt2023, file2023, p).counts.fp, 0);
  p.fields["proactive.fees.amount"] = 5949.08867;
  assert.equal(scoreFile(pt2023, file2023, p).counts.fp, 1);
});

test("a value guessed for a labelled-ambiguous field is a false positive; declaring it ambiguous is not", () => {
  const p = echo(pt2023, file2023);
  p.fields["proactive.normative_docs.in_force"] = 470;
  const s = scoreFile(pt2023, file2023, p);
  assert.equal(s.counts.fp, 1);
  assert.equal(s.misses[0].kind, "ambiguous-guessed");
  assert.equal(s.counts.ambiguousAgreed, pt2023.ambiguous!.length - 1);
});

test("declaring a decidable field ambiguous costs recall only", () => {
  const p = echo(pt2023, file2023);
  delete p.fields["review.litigation_direct.total"];
  p.ambiguous = [...(p.ambiguous ?? []), "review.litigation_direct.total"];
  const s = scoreFile(pt2023, file2023, p);
  assert.equal(s.counts.fp, 0);
  assert.equal(s.counts.fn, 1);
  assert.equal(s.misses[0].kind, "declared-ambiguous");
  assert.ok(recall(s.counts) < 1 && precision(s.counts) === 1);
});

test("one label, two renderings: page.txt leaves the 规范性文件 split ambiguous, page.html does not", () => {
  const txt = "reports/pingtan/2024-97791/page.txt";
  const html = "reports/pingtan/2024-97791/page.html";
  const full = echo(pt2024, html);
  assert.equal(full.fields["proactive.normative_docs.in_force"], 440);
  assert.equal(scoreFile(pt2024, html, full).counts.fp, 0);
  // The same full answer on page.txt guesses two fields the text cannot decide.
  const s = scoreFile(pt2024, txt, full);
  assert.equal(s.counts.fp, 2);
  assert.deepEqual(s.misses.map((m) => m.field).sort(), ["proactive.normative_docs.in_force", "proactive.normative_docs.repealed"]);
  assert.equal(scoreFile(pt2024, txt, echo(pt2024, txt)).counts.fp, 0);
});

test("unlabelled values are false positives unless they are derived fields", () => {
  const p = echo(pt2023, file2023);
  p.fields["review.litigation.total"] = 7; // derived: direct 5 + after 2
  p.fields["proactive.total"] = 13561; // a pre-2019 id that is not in this label
  const isDerived = (id: string) => id === "review.litigation.total";
  const s = scoreFile(pt2023, file2023, p, isDerived);
  assert.equal(s.counts.fp, 1);
  assert.equal(s.misses[0].field, "proactive.total");
  assert.equal(s.misses[0].kind, "unlabelled");
});

test("a parse failure misses every labelled field and wrong detection is scored per item", () => {
  const f = scoreFile(pt2023, file2023, null, undefined, "文件为空 (empty file)");
  assert.equal(f.counts.fn, f.counts.labelled);
  assert.equal(f.misses[0].kind, "parse-failed");
  const p = echo(pt2023, file2023);
  p.report_year = 2024;
  p.agency = "平潭综合实验区";
  const s = scoreFile(pt2023, file2023, p);
  assert.deepEqual(s.detection, { format: true, report_year: false, agency: "partial" });
});

test("summaries group by generation and completeness, and the targets apply to complete reports", () => {
  const good = scoreFile(pt2023, file2023, echo(pt2023, file2023));
  const partialLabel: Label = { ...pt2024, complete: "partial" };
  const bad = scoreFile(partialLabel, "reports/pingtan/2024-97791/page.html", null);
  const sum = summarise([good, bad]);
  assert.equal(sum.groups["2021"].all.files, 2);
  assert.equal(sum.groups["2021"].complete.files, 1);
  assert.equal(recall(sum.groups.overall.complete.counts), 1);
  assert.ok(recall(sum.groups.overall.all.counts) < 0.6);
  assert.equal(meetsTargets(sum), true);
  assert.equal(meetsTargets(summarise([good, { ...bad, complete: true }])), false);
});
