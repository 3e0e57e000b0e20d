import { test } from "node:test";
import assert from "node:assert/strict";
import { solveRuns, type DigitRun } from "./solve.js";
import { namedSet } from "../model/catalog.js";

const COLS = namedSet("T3_COLS");
/** Table 三 of 平潭综合实验区 2023 (fixtures/reports/pingtan/2023-87885), each row printed as one digit string. */
const PINGTAN_2023: [string, string][] = [
  ["new", "801000081"], ["carried_in", "0000000"], ["result.disclosed", "220000022"], ["result.partial", "191000020"],
  ["result.withheld.state_secret", "0000000"], ["result.withheld.prohibited_by_law", "0000000"], ["result.withheld.three_security", "0000000"],
  ["result.withheld.third_party", "1000001"], ["result.withheld.internal_affairs", "0000000"], ["result.withheld.process_info", "1000001"],
  ["result.withheld.enforcement_files", "1000001"], ["result.withheld.admin_query", "2000002"], ["result.unable.not_held", "310000031"],
  ["result.unable.needs_creation", "0000000"], ["result.unable.unclear_after_correction", "0000000"], ["result.not_processed.petition", "0000000"],
  ["result.not_processed.duplicate", "1000001"], ["result.not_processed.publication", "0000000"], ["result.not_processed.mass_repeated", "0000000"],
  ["result.not_processed.reconfirm", "0000000"], ["result.other.no_correction", "1000001"], ["result.other.unpaid_fee", "0000000"],
  ["result.other.other", "1000001"], ["result.total", "801000081"], ["carried_out", "0000000"],
];

function t3Runs(rows: [string, string][]): DigitRun[] {
  return rows.map(([r, digits]) => ({ tokens: [digits], fields: COLS.map((c) => `applications.${r}.${c}`), source: `表三 ${r}`, raw: digits }));
}

test("splits run-together table 三 rows of a real report by its identities", () => {
  const res = solveRuns(t3Runs(PINGTAN_2023), {}, "2021");
  assert.deepEqual(res.ambiguous, []);
  assert.equal(res.values["applications.new.natural"], 80);
  assert.equal(res.values["applications.new.commercial"], 1);
  assert.equal(res.values["applications.new.total"], 81);
  // 2|20 would satisfy its own row sum; only 22|0 lets every column reach (七)总计.
  assert.equal(res.values["applications.result.disclosed.natural"], 22);
  assert.equal(res.values["applications.result.partial.natural"], 19);
  assert.equal(res.values["applications.result.partial.commercial"], 1);
  assert.equal(res.values["applications.result.unable.not_held.total"], 31);
  assert.equal(res.provenance["applications.result.partial.natural"].method, "solved");
});

test("splits table 四 when 17 digits fill 15 cells and only one split balances", () => {
  // 平潭 2024 (fixtures/reports/pingtan/2024-97791): 2|1|3|1|7|0|0|0|0|0|13|2|4|0|19
  const fields = ["reconsideration", "litigation_direct", "litigation_after"].flatMap((g) => ["upheld", "corrected", "other", "pending", "total"].map((c) => `review.${g}.${c}`));
  const res = solveRuns([{ tokens: ["21317000001324019"], fields, source: "表四", raw: "21317000001324019" }], {}, "2021");
  assert.deepEqual(res.ambiguous, []);
  assert.deepEqual(fields.map((f) => res.values[f]), [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]);
});

test("declares fields ambiguous when two splits satisfy every identity", () => {
  // Table 二 has no identities inside one report: 行政规范性文件2023 is 2|0|23 or 20|2|3 (spec §7 item 3).
  const fields = ["issued", "repealed", "in_force"].map((c) => `proactive.normative_docs.${c}`);
  const res = solveRuns([{ tokens: ["2023"], fields, source: "表二", raw: "2023" }], {}, "2021");
  assert.deepEqual(res.ambiguous.sort(), [...fields].sort());
  assert.equal(res.values["proactive.normative_docs.issued"], undefined);
  assert.ok(res.issues.some((i) => i.rule === "SPLIT-AMBIGUOUS"));
});

test("stray spaces inside a row are not cell boundaries: the row total decides", () => {
  // hzs-2019: 一、本年新收 "10 0 00 0 1" = 1|0|0|0|0|0|1 (five tokens, seven cells).
  const fields = COLS.map((c) => `applications.new.${c}`);
  const res = solveRuns([{ tokens: ["10", "0", "00", "0", "1"], fields, source: "表三 一", raw: "10 0 00 0 1" }], {}, "2019");
  assert.deepEqual(fields.map((f) => res.values[f]), [1, 0, 0, 0, 0, 0, 1]);
});

test("splits a 福建 run of year value and 历年累计 with the cumulative identities", () => {
  // 平潭县 2013 (fixtures/reports/pingtan/2013-80754): 受理…总数条728 = 7 | 28, channels 0|18, 0|0, 3|6, 4|4, 0|0.
  const run = (id: string, digits: string): DigitRun => ({ tokens: [digits], fields: [id, `cumulative.${id}`], source: id, raw: digits });
  const res = solveRuns([
    run("requests.received.total", "728"), run("requests.received.in_person", "018"), run("requests.received.fax", "00"),
    run("requests.received.email", "36"), run("requests.received.online", "44"), run("requests.received.letter", "00"),
  ], {}, "pre2019");
  assert.equal(res.values["requests.received.total"], 7);
  assert.equal(res.values["cumulative.requests.received.total"], 28);
  assert.equal(res.values["cumulative.requests.received.in_person"], 18);
});

test("the report's own prose decides a split the identities cannot", () => {
  // hzs-2021 prints 行政规范性文件2023 (2|0|23 or 20|2|3); a prose statement of the issued count decides.
  const fields = ["issued", "repealed", "in_force"].map((c) => `proactive.normative_docs.${c}`);
  const run = { tokens: ["2023"], fields, source: "表二", raw: "2023" };
  const hinted = solveRuns([run], {}, "2021", { "proactive.normative_docs.issued": 2 });
  // 2|0|23 is the only split with 2 issued (20|2|3 needs 20).
  assert.deepEqual(fields.map((f) => hinted.values[f]), [2, 0, 23]);
  const contradicted = solveRuns([run], {}, "2021", { "proactive.normative_docs.issued": 5 });
  assert.deepEqual(contradicted.ambiguous.sort(), [...fields].sort());
});

test("one prose figure no split has does not cancel another that one has (平潭 2023 77132470)", () => {
  // The prose states 制发 77 and 现行有效 393; no split of 77132470 has 393, the splits with 77 are kept.
  const fields = ["issued", "repealed", "in_force"].map((c) => `proactive.normative_docs.${c}`);
  const run = { tokens: ["77132470"], fields, source: "表二", raw: "77132470" };
  const r = solveRuns([run], {}, "2021", { "proactive.normative_docs.issued": 77, "proactive.normative_docs.in_force": 393 });
  assert.equal(r.values["proactive.normative_docs.issued"], 77);
  assert.deepEqual(r.ambiguous.sort(), fields.slice(1).sort());
  // Two figures that each agree with some split but never together: the splits with either are kept.
  const both = solveRuns([{ tokens: ["5416"], fields, source: "表二", raw: "5416" }], {}, "2021", { "proactive.normative_docs.issued": 54, "proactive.normative_docs.in_force": 16 });
  assert.deepEqual(both.ambiguous.sort(), [...fields].sort());
});

test("a dense big-city table run together never yields a wrong value, only values or declared ambiguity", () => {
  // Every result cell up to 3000 (row strings of 20–30 digits): far more splits than a small office's
  // table. Whatever the effort spent, each cell must come back right or ambiguous.
  const PARTS = namedSet("T3_PARTS");
  const ROWS = namedSet("T3_ROWS", "2021");
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const v: Record<string, number> = {};
  const results = ROWS.filter((r) => r.startsWith("result.") && r !== "result.total");
  for (const p of PARTS) {
    let tot = 0;
    for (const r of results) { const x = rnd() < 0.5 ? Math.floor(rnd() * 3000) : 0; v[`${r}.${p}`] = x; tot += x; }
    const co = Math.floor(rnd() * 500), ci = Math.min(Math.floor(rnd() * 400), tot + co);
    Object.assign(v, { [`result.total.${p}`]: tot, [`carried_out.${p}`]: co, [`carried_in.${p}`]: ci, [`new.${p}`]: tot + co - ci });
  }
  for (const r of ROWS) v[`${r}.total`] = PARTS.reduce((s, p) => s + v[`${r}.${p}`], 0);
  const runs = ROWS.map((r) => { const d = COLS.map((c) => String(v[`${r}.${c}`])).join(""); return { tokens: [d], fields: COLS.map((c) => `applications.${r}.${c}`), source: r, raw: d }; });
  const res = solveRuns(runs, {}, "2021");
  const wrong = Object.entries(res.values).filter(([f, x]) => v[f.slice("applications.".length)] !== x);
  assert.deepEqual(wrong, []);
  for (const run of runs) for (const f of run.fields) assert.ok(f in res.values || res.ambiguous.includes(f), f);
  assert.ok(Object.keys(res.values).length > 100, "most cells are still decided");
});
