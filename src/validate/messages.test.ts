import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldDefsFor, GENERATIONS, relationsFor } from "../model/index.js";
import data from "./messages.json" with { type: "json" };
import { cellName, subjectName, termName } from "./messages.js";

const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();

test("every template and reason has zh and en with the same named placeholders", () => {
  for (const [key, t] of [...Object.entries(data.templates), ...Object.entries(data.reasons)]) {
    assert.ok(t.zh && t.en, key);
    assert.deepEqual(placeholders(t.zh), placeholders(t.en), key);
  }
});

test("every cell of every generation has a name in both languages (never a raw id)", () => {
  for (const g of GENERATIONS) {
    for (const f of fieldDefsFor(g)) {
      for (const lang of ["zh", "en"] as const) {
        const name = cellName(f.id, g, lang);
        assert.ok(name && name !== f.id && !name.includes("undefined"), `${g} ${f.id} ${lang}: ${name}`);
      }
    }
  }
});

test("every term and subject of every identity is named", () => {
  for (const g of GENERATIONS) {
    for (const r of relationsFor(g)) {
      for (const lang of ["zh", "en"] as const) {
        const subject = subjectName(r.bindings, g, lang);
        // A raw key would show as ASCII in Chinese, or with `_`/`.` in English.
        assert.ok(lang === "zh" ? !/[a-z]/.test(subject) : !/[_.]/.test(subject), `${g} ${r.rule.code} subject ${subject}`);
        for (const t of [...r.left.terms, ...r.right.terms]) {
          const name = termName(t.id, r.bindings, g, lang);
          assert.ok(name && name !== t.id, `${g} ${r.rule.code} ${t.id} ${lang}`);
        }
      }
    }
  }
});

test("a bound term is named by the other dimension only", () => {
  assert.equal(termName("applications.new.natural", { c: "natural" }, "2021", "zh"), "本年新收");
  assert.equal(termName("applications.new.natural", { r: "new" }, "2021", "en"), "natural persons");
  assert.equal(termName("review.reconsideration.other", { g: "reconsideration" }, "2019", "zh"), "其他结果");
  assert.equal(cellName("applications.result.withheld.subtotal.org_subtotal", "2021", "zh"), "不予公开小计/法人或其他组织小计");
});
