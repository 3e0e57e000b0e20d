import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { normaliseText } from "../normalise.js";
import { requiredLiteral } from "./literal.js";

const PHRASES = JSON.parse(readFileSync(new URL("./phrases.json", import.meta.url), "utf8")) as {
  concepts: { patterns: string[] }[];
  zero_statements: { patterns: string[] }[];
  rates: { pattern: string }[];
};
const SOURCES = [
  ...PHRASES.concepts.flatMap((c) => c.patterns),
  ...PHRASES.zero_statements.flatMap((z) => z.patterns),
  ...PHRASES.rates.map((r) => r.pattern),
].map((p) => p.replace("{n}", "(?<n>\\d+(?:\\.\\d+)?)").replace("{p}", "(?<p>\\d+(?:\\.\\d+)?)"));

test("the required literal of a pattern: outside groups and classes, not quantified away", () => {
  assert.equal(requiredLiteral("主动公开(?:了)?政府信息(?:共计|共)?{n}条".replace("{n}", "(\\d+)")), "主动公开");
  assert.equal(requiredLiteral("收到(?:各类)?申请{n}件"), "收到");
  assert.equal(requiredLiteral("政府信息公开申请?数"), "政府信息公开申");
  assert.equal(requiredLiteral("ab+c"), "ab");
  assert.equal(requiredLiteral("[主动公开]+政府"), "政府");
  assert.equal(requiredLiteral("a\\d{2}bcd"), "bcd");
  assert.equal(requiredLiteral("甲|乙丙"), "", "a top-level alternative: nothing is required");
  assert.equal(requiredLiteral("(?:甲|乙)丙丁"), "丙丁");
  assert.equal(requiredLiteral("收到x{0,2}y"), "收到");
});

test("every line of the real fixtures that a phrase pattern matches holds its required literal", () => {
  const root = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".txt") && !e.name.startsWith("README")) lines.push(...normaliseText(readFileSync(join(d, e.name), "utf8")).replace(/\s+/g, (w) => (w.includes("\n") ? "\n" : "")).split("\n"));
    }
  };
  walk(root);
  let matched = 0;
  for (const src of SOURCES) {
    const re = new RegExp(src);
    const lit = requiredLiteral(src);
    for (const line of lines) {
      if (!re.test(line)) continue;
      matched++;
      assert.ok(line.includes(lit), `${src} matched ${line} without ${lit}`);
    }
  }
  assert.ok(matched > 200, `the fixtures exercise the patterns (${matched} matches)`);
});

test("a random string a pattern matches always holds its required literal", () => {
  // Strings built from the pattern's own characters, digits and punctuation: dense in near-misses.
  const alphabet = [...new Set(SOURCES.join("").replace(/[\\()[\]?*+{}|.^$:<>=!]/g, ""))].concat(["1", "2", "0", ",", "。"]);
  const res = SOURCES.map((s) => ({ re: new RegExp(s), lit: requiredLiteral(s) }));
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), fc.nat(res.length - 1), fc.nat(SOURCES.length - 1), (chars, i, j) => {
      // Half the time, around a real match: a literal match of another pattern's plain text.
      const s = chars.join("") + SOURCES[j].replace(/\(\?<\w>[^)]*\)\)/, "12").replace(/[\\()[\]?*+{}|.^$:<>=!]/g, "");
      const { re, lit } = res[i];
      return !re.test(s) || s.includes(lit);
    }),
    { numRuns: 3000 },
  );
});
