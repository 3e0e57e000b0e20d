import fc from "fast-check";
import { render, type Form } from "../../src/render/index.js";
import { reportModel, type Blanks, type ModelKind } from "./models.js";
import { blanksFor, magnitudeFor, roundTripProblems } from "./check.js";

/**
 * Prints one sample of one.ts in full: the rendered statistics tables (FULL=1: the whole text),
 * the problems of its round trip and the model. Usage:
 *   tsx test/roundtrip/show.ts <kind> <form> <n> [seed] [index]
 * without index: the first failing sample of the n. BLANKS, TRAD=1 and UNDECIDED=1 as in one.ts.
 */
const [kind, form, n, seed, idx] = process.argv.slice(2) as [ModelKind, Form, string, string?, string?];
const traditional = !!process.env.TRAD;
const undecided = !!process.env.UNDECIDED;
const models = fc.sample(fc.constantFrom<Blanks>("none", (process.env.BLANKS as Blanks) ?? blanksFor(form)).chain((b) => reportModel(kind, b, magnitudeFor(form))), { numRuns: Number(n), seed: Number(seed ?? 42) });
const sign = (i: number) => (i % 2 ? "zengjian" : "minus") as "zengjian" | "minus";
let at = idx === undefined ? -1 : Number(idx);
if (at < 0) {
  for (const [i, m] of models.entries()) if ((await roundTripProblems(m, form, { sign: sign(i), traditional, undecided })).length) { at = i; break; }
}
if (at < 0) console.log("none failed");
else {
  const model = models[at];
  const text = render(model, form, { sign: sign(at), traditional });
  const from = Math.max(0, text.search(/附表|第二十条|第二十條/));
  if (!process.env.QUIET) console.log(process.env.FULL ? text : text.slice(from, from + 6000));
  console.log("sample", at, (await roundTripProblems(model, form, { sign: sign(at), traditional, undecided })).join("\n  "));
  console.log(JSON.stringify(model));
}
