import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseReport } from "./index.js";

/**
 * Text-table readings that must not depend on one report's punctuation or layout, checked on real
 * corpus reports and on the same reports printed the other way (dots of ordinals dropped, etc.).
 */

const corpus = (p: string) => readFileSync(new URL(`../../fixtures/corpus/${p}`, import.meta.url), "utf8");

/** Drops the dot of `1.属于国家秘密`-style ordinals, as some copies print them (`1属于国家秘密`). */
const bareOrdinals = (s: string) => s.replace(/(?<=[\u4e00-\u9fff"”）)\d])([1-8])\.(?=[\u4e00-\u9fff])/g, "$1");

for (const file of ["hzs-2022-80621/page.txt", "pingtan-2021-80613/page.txt"]) {
  test(`ordinals glued to the previous row's digits (${file}) read like dotted ones`, async () => {
    const text = corpus(file);
    const bare = bareOrdinals(text);
    assert.match(bare, /不予公开1属于国家秘密0{7}2其他法律/);
    const a = await parseReport(text, { filename: file });
    const b = await parseReport(bare, { filename: file });
    assert.deepEqual(b.fields, a.fields);
    assert.deepEqual(b.ambiguous, a.ambiguous);
  });
}

test("a trailing digit is not cut as an ordinal when the table does not print bare ordinals", async () => {
  // pingtan 2021 prints 2.其他…; its row 1.本机关不掌握 ends in 25 (22+3) — the 5 stays a value.
  const r = await parseReport(corpus("pingtan-2021-80613/page.txt"), { filename: "x.txt" });
  assert.equal(r.fields["applications.result.unable.not_held.total"], 25);
  assert.equal(r.fields["applications.result.unable.not_held.natural"], 22);
});
