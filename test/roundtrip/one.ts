import fc from "fast-check";
import { FORMS, type Form } from "../../src/render/index.js";
import { reportModel, type ModelKind, type Blanks } from "./models.js";
import { roundTripProblems, blanksFor, magnitudeFor } from "./check.js";
// Usage: tsx test/roundtrip/one.ts <kind> <forms,...|all> <n> [seed]: n samples per form, first failure per form printed.
const kind = process.argv[2] as ModelKind;
const forms = (process.argv[3] === "all" ? FORMS : process.argv[3].split(",")) as Form[];
const n = Number(process.argv[4] ?? 5);
const seed = Number(process.argv[5] ?? 42);
for (const form of forms) {
  const models = fc.sample(fc.constantFrom<Blanks>("none", (process.env.BLANKS as Blanks) ?? blanksFor(form)).chain((b) => reportModel(kind, b, magnitudeFor(form))), { numRuns: n, seed });
  const t = Date.now();
  let fails = 0;
  for (const [i, m] of models.entries()) {
    const p = await roundTripProblems(m, form, { sign: i % 2 ? "zengjian" : "minus", traditional: !!process.env.TRAD, undecided: !!process.env.UNDECIDED });
    if (p.length && fails++ === 0) console.log(form, "sample", i, p.slice(0, 6), "\n  fields:", JSON.stringify(m.fields).slice(0, 400));
  }
  console.log(form, `${fails}/${n} failed`, Math.round((Date.now() - t) / n), "ms/run");
}
