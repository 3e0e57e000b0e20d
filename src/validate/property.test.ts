import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { namedSet, type ParsedReport } from "../model/index.js";
import { validate } from "./index.js";

const COLS = namedSet("T3_PARTS");
const RESULT_ROWS = namedSet("T3_ROWS", "2021").filter((r) => r.startsWith("result.") && r !== "result.total");
const GROUPS = namedSet("T4_GROUPS");
const OUTCOMES = ["upheld", "corrected", "other", "pending"];

const count = fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 40 }));

/** A consistent 2021 table 三 and 四: results, carry-over and review cells drawn; totals and 本年新收 follow. */
const consistentTables = fc
  .record({
    results: fc.array(fc.array(count, { minLength: COLS.length, maxLength: COLS.length }), { minLength: RESULT_ROWS.length, maxLength: RESULT_ROWS.length }),
    carriedOut: fc.array(count, { minLength: COLS.length, maxLength: COLS.length }),
    carriedInShare: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: COLS.length, maxLength: COLS.length }),
    review: fc.array(fc.array(count, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ results, carriedOut, carriedInShare, review }) => {
    const f: Record<string, number> = {};
    const setRow = (row: string, parts: number[]) => {
      parts.forEach((v, i) => (f[`applications.${row}.${COLS[i]}`] = v));
      f[`applications.${row}.total`] = parts.reduce((a, b) => a + b, 0);
    };
    RESULT_ROWS.forEach((r, i) => setRow(r, results[i]));
    const resultTotal = COLS.map((_, c) => results.reduce((a, row) => a + row[c], 0));
    setRow("result.total", resultTotal);
    setRow("carried_out", carriedOut);
    const carriedIn = COLS.map((_, c) => Math.floor(carriedInShare[c] * (resultTotal[c] + carriedOut[c])));
    setRow("carried_in", carriedIn);
    setRow("new", COLS.map((_, c) => resultTotal[c] + carriedOut[c] - carriedIn[c]));
    GROUPS.forEach((g, i) => {
      OUTCOMES.forEach((o, j) => (f[`review.${g}.${o}`] = review[i][j]));
      f[`review.${g}.total`] = review[i].reduce((a, b) => a + b, 0);
    });
    return f;
  });

function report(fields: Record<string, number>): ParsedReport {
  return { file: "generated", format: "2021", report_year: 2023, agency: "测试机关", fields, blank: [], ambiguous: [], provenance: {}, issues: [] };
}

test("any consistent 2021 table 三/四 validates clean", () => {
  fc.assert(fc.property(consistentTables, (fields) => {
    assert.deepEqual(validate(report(fields)), []);
  }), { numRuns: 60 });
});

test("any single-cell change is detected, and a named probable error is that cell with its true value", () => {
  const changed = consistentTables.chain((fields) => {
    const ids = Object.keys(fields);
    return fc.record({ fields: fc.constant(fields), id: fc.constantFrom(...ids), delta: fc.integer({ min: -30, max: 30 }).filter((d) => d !== 0) })
      .filter(({ fields, id, delta }) => fields[id] + delta >= 0);
  });
  fc.assert(fc.property(changed, ({ fields, id, delta }) => {
    const fs = validate(report({ ...fields, [id]: fields[id] + delta }));
    const errs = fs.filter((f) => f.severity === "error");
    assert.ok(errs.length > 0, `change of ${id} by ${delta} not detected`);
    for (const f of errs) {
      if (f.suggestion) assert.deepEqual([f.suggestion.field, f.suggestion.value, f.suggestion.printed], [id, fields[id], fields[id] + delta]);
    }
    // Every cell of table 三 sits in two identities no other single cell shares: the error is always located.
    if (id.startsWith("applications.")) assert.ok(errs.every((f) => f.suggestion?.field === id), `${id}: ${errs.map((f) => f.message).join(" | ")}`);
  }), { numRuns: 80 });
});
