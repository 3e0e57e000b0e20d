import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { CodeUnitSet } from "./codeunits.js";
import { LiteralSet } from "./literals.js";

/** Every (literal, position) where the literal occurs, by brute force. */
function occurrences(text: string, literals: string[]): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; at++) literals.forEach((lit, k) => { if (text.startsWith(lit, at)) out.push(`${k}@${at}`); });
  return out;
}

function scanned(text: string, literals: string[]): string[] {
  const out: string[] = [];
  new LiteralSet(literals).scan(text, (k, at) => out.push(`${k}@${at}`));
  return out;
}

// A small alphabet of report characters, so literals and texts collide often (shared first and
// second characters, overlapping and repeated literals, one-character literals), with the
// characters a regular expression reads as syntax and one outside the BMP.
const CHAR = fc.constantFrom(..."申请政府信息公开件年本收1０ ,。\n().|*?[]\\/$^{}+𠀀");
const word = (min: number, max: number) => fc.array(CHAR, { minLength: min, maxLength: max }).map((cs) => cs.join(""));

test("LiteralSet.scan reports exactly the occurrences a brute-force search finds, in text order", () => {
  fc.assert(
    fc.property(fc.array(word(1, 4), { minLength: 1, maxLength: 12 }), word(0, 80), (literals, text) => {
      assert.deepEqual(scanned(text, literals), occurrences(text, literals));
    }),
    { numRuns: 500 },
  );
});

test("LiteralSet on the prose reader's own literals and a real report", () => {
  const text = readFileSync(new URL("../../fixtures/seeds/003_13c842c1c53d37e7.txt", import.meta.url), "utf8");
  const literals = ["主动公开", "政府信息公开申请", "申请", "收到", "件", "行政复议", "未收到"];
  const hits = scanned(text, literals);
  assert.ok(hits.length > 10, "the report mentions these words");
  assert.deepEqual(hits, occurrences(text, literals));
});

test("LiteralSet refuses an empty literal (it would match everywhere)", () => {
  assert.throws(() => new LiteralSet(["申请", ""]), /empty literal/);
});

test("CodeUnitSet holds exactly the code units added", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 50 }), fc.integer({ min: 0, max: 0xffff }), (units, probe) => {
      const set = new CodeUnitSet(units);
      assert.equal(set.has(probe), units.includes(probe));
      for (const u of units) assert.ok(set.has(u));
    }),
    { numRuns: 300 },
  );
});
