import fc from "fast-check";
import { render } from "../../src/render/index.js";
import { parseReport } from "../../src/parse/index.js";
import { validate } from "../../src/validate/index.js";
import { reportModel } from "./models.js";
import { blanksFor, magnitudeFor, roundTripProblems } from "./check.js";
const [kind, form, n, seed, idx] = process.argv.slice(2);
const models = fc.sample(fc.constantFrom("none", (process.env.BLANKS as any) ?? blanksFor(form as any)).chain((b: any) => reportModel(kind as any, b, magnitudeFor(form as any))), { numRuns: Number(n), seed: Number(seed ?? 42) });
let model: any;
if (idx !== undefined) model = models[Number(idx)];
else { for (const [i, m] of models.entries()) { const p = await roundTripProblems(m, form as any, { sign: i % 2 ? "zengjian" : "minus" }); if (p.length) { model = m; console.log("sample", i); break; } } }
if (!model) { console.log("none failed"); process.exit(0); }
const opts = { traditional: !!process.env.TRAD };
const text = render(model, form as any, opts);
const t = text.indexOf("附表") >= 0 ? text.slice(text.indexOf("附表")) : text;
if (!process.env.QUIET) console.log(process.env.FULL ? text : t.slice(0, 6000));
const p = await parseReport(text, { filename: "x." + form });
for (const [k, v] of Object.entries(model.fields)) if (p.fields[k] !== v) console.log("DIFF", k, "model", v, "parsed", p.fields[k], p.ambiguous.includes(k) ? "[amb]" : "");
for (const k of Object.keys(p.fields)) if (!(k in model.fields)) console.log("EXTRA", k, p.fields[k]);
console.log("issues", p.issues.map((i: any) => i.rule + ": " + i.message).join("\n"));
console.log("validate", validate(p).filter((f: any) => f.severity === "error").map((f: any) => f.rule + " " + f.message));
console.log(JSON.stringify(model));
