import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isKnownField } from "../model/index.js";
import { validate } from "../validate/index.js";
import { addDays } from "./dates.js";
import { APPLICANT_TYPES, OUTCOMES, REVIEW_RESULTS, replay, type Application, type ApplicantType, type Outcome, type RequestEvent, type ReviewResult } from "./register.js";
import { computeTables, diffTables, tablesAsReport, type RegisterEntry } from "./tables.js";

const entry = (id: string, type: ApplicantType, receivedOn: string, events: RequestEvent[]): RegisterEntry => {
  const app: Application = { id, agency: "A", applicantType: type, applicant: { name: "王五", idNumber: "110101199001011234", contact: "13800000000" }, channel: "online", subject: "s", receivedOn };
  return { app, state: replay(app, events) };
};

test("every computed cell is a field id of data/fields.json", () => {
  for (const id of Object.keys(computeTables([], 2025))) assert.ok(isKnownField(id), id);
});

test("counts new, carried-in, results and carried-out across a year boundary", () => {
  const reg = [
    entry("1", "natural", "2024-12-20", [{ kind: "answered", date: "2025-01-10", outcome: "disclosed" }]),
    entry("2", "commercial", "2025-03-01", [{ kind: "answered", date: "2025-03-20", outcome: "unable.not_held" }]),
    entry("3", "legal", "2025-12-25", []),
    entry("4", "natural", "2024-06-01", [{ kind: "answered", date: "2024-06-10", outcome: "partial" }]),
    entry("5", "natural", "2025-02-01", [{ kind: "correction_requested", date: "2025-02-05" }, { kind: "correction_lapsed", date: "2025-03-05" }]),
  ];
  const t2025 = computeTables(reg, 2025);
  assert.equal(t2025["applications.new.total"], 3);
  assert.equal(t2025["applications.carried_in.natural"], 1);
  assert.equal(t2025["applications.result.disclosed.natural"], 1);
  assert.equal(t2025["applications.result.unable.not_held.commercial"], 1);
  assert.equal(t2025["applications.result.other.no_correction.natural"], 1);
  assert.equal(t2025["applications.carried_out.legal"], 1);
  assert.equal(t2025["applications.result.total.total"], 3);
  const t2024 = computeTables(reg, 2024);
  assert.equal(t2024["applications.carried_out.total"], 1);
  assert.equal(t2024["applications.carried_out.total"], t2025["applications.carried_in.total"]);
  const findings = validate(tablesAsReport(t2025, 2025, "A"), { previous: tablesAsReport(t2024, 2024, "A") }).filter((f) => f.severity !== "info");
  assert.deepEqual(findings, []);
  // The check is not vacuous: one altered cell breaks the identities.
  const tampered = { ...t2025, "applications.new.natural": t2025["applications.new.natural"] + 1 };
  assert.ok(validate(tablesAsReport(tampered, 2025, "A")).some((f) => f.severity === "error"));
});

test("table 四: reconsideration then lawsuit counts as 复议后起诉; undecided by year end is 尚未审结", () => {
  const reg = [
    entry("1", "natural", "2025-01-06", [
      { kind: "answered", date: "2025-01-20", outcome: "withheld.state_secret" },
      { kind: "reconsideration_filed", date: "2025-02-01" },
      { kind: "reconsideration_decided", date: "2025-04-01", result: "upheld" },
      { kind: "litigation_filed", date: "2025-04-10" },
      { kind: "litigation_decided", date: "2026-01-15", result: "corrected" },
    ]),
    entry("2", "natural", "2025-01-06", [{ kind: "answered", date: "2025-01-20", outcome: "disclosed" }, { kind: "litigation_filed", date: "2025-03-01" }, { kind: "litigation_decided", date: "2025-06-01", result: "other" }]),
  ];
  const t = computeTables(reg, 2025);
  assert.equal(t["review.reconsideration.upheld"], 1);
  assert.equal(t["review.litigation_after.pending"], 1);
  assert.equal(t["review.litigation_direct.other"], 1);
  assert.equal(t["review.litigation_after.total"] + t["review.litigation_direct.total"], 2);
  assert.deepEqual(validate(tablesAsReport(t, 2025, "A")).filter((f) => f.severity !== "info"), []);
});

test("diffTables names each changed cell", () => {
  assert.deepEqual(diffTables({ a: 1, b: 2 }, { a: 1, b: 3 }), [{ field: "b", before: 2, after: 3 }]);
});

// A random register: applications over 2023–2026, each with a random life.
const outcomes = Object.keys(OUTCOMES) as Outcome[];
const types = Object.keys(APPLICANT_TYPES) as ApplicantType[];
const results = Object.keys(REVIEW_RESULTS) as ReviewResult[];
const appArb = fc.record({
  type: fc.constantFrom(...types),
  day: fc.integer({ min: 0, max: 4 * 365 }),
  closeAfter: fc.option(fc.integer({ min: 0, max: 400 })),
  outcome: fc.constantFrom(...outcomes),
  recon: fc.option(fc.record({ after: fc.integer({ min: 1, max: 200 }), decided: fc.option(fc.integer({ min: 1, max: 200 })), result: fc.constantFrom(...results) })),
  lit: fc.option(fc.record({ after: fc.integer({ min: 1, max: 300 }), decided: fc.option(fc.integer({ min: 1, max: 300 })), result: fc.constantFrom(...results) })),
});

test("property: a random register always yields tables 三 and 四 that pass the validator, year after year", () => {
  fc.assert(fc.property(fc.array(appArb, { maxLength: 40 }), (specs) => {
    const reg = specs.map((s, i) => {
      const received = addDays("2023-01-01", s.day);
      const ev: RequestEvent[] = [];
      if (s.closeAfter !== null) {
        const closed = addDays(received, s.closeAfter);
        ev.push({ kind: "answered", date: closed, outcome: s.outcome });
        if (s.recon) {
          ev.push({ kind: "reconsideration_filed", date: addDays(closed, s.recon.after) });
          if (s.recon.decided !== null) ev.push({ kind: "reconsideration_decided", date: addDays(closed, s.recon.after + s.recon.decided), result: s.recon.result });
        }
        if (s.lit) {
          ev.push({ kind: "litigation_filed", date: addDays(closed, s.lit.after) });
          if (s.lit.decided !== null) ev.push({ kind: "litigation_decided", date: addDays(closed, s.lit.after + s.lit.decided), result: s.lit.result });
        }
      }
      return entry(String(i), s.type, received, ev);
    });
    for (const e of reg) if (e.state.errors.length) return false;
    let previous;
    for (let y = 2023; y <= 2026; y++) {
      const report = tablesAsReport(computeTables(reg, y), y, "A");
      const bad = validate(report, previous ? { previous } : {}).filter((f) => f.severity !== "info");
      if (bad.length) throw new Error(`${y}: ${bad.map((f) => f.rule + " " + f.message).join("; ")}`);
      previous = report;
    }
    return true;
  }), { numRuns: 60 });
});
