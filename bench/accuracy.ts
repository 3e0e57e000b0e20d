// Parser accuracy against the hand labels: `npm run bench:accuracy [-- --json] [-- --strict]`.
// Labels: fixtures/seeds/expected/*.json (file relative to fixtures/seeds/) and
// fixtures/expected/reports/**/*.json (file relative to fixtures/). Scoring rules: bench/score.ts.
// Each labelled file is read as bytes and parsed exactly as `gongkai parse` would.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { allFieldDefs } from "../src/model/index.js";
import { parseReport } from "../src/parse/index.js";
import {
  TARGETS,
  labelFiles,
  meetsTargets,
  precision,
  recall,
  scoreFile,
  summarise,
  type FileScore,
  type Group,
  type Label,
  type ParsedForScore,
} from "./score.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = join(ROOT, "fixtures");

interface LabelRef {
  labelPath: string;
  label: Label;
  base: string;
}

function walkJson(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkJson(p, out);
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

function loadLabels(): LabelRef[] {
  const refs: LabelRef[] = [];
  const sources: Array<[string, string]> = [
    [join(FIXTURES, "seeds", "expected"), join(FIXTURES, "seeds")],
    [join(FIXTURES, "expected", "reports"), FIXTURES],
  ];
  for (const [dir, base] of sources) {
    for (const labelPath of walkJson(dir)) {
      const label = JSON.parse(readFileSync(labelPath, "utf8")) as Label;
      if (!label || typeof label !== "object" || !label.fields || !label.file) continue; // not a label file
      refs.push({ labelPath, label, base });
    }
  }
  return refs;
}

type ParseFn = (bytes: Uint8Array, file: string) => Promise<unknown>;

/** The parser's public entry point (errors as thrown InputError with a code). */
const parser: ParseFn = (bytes, file) => parseReport(bytes, { filename: file });

/** Accept a ParsedReport, or an errors-as-values wrapper around one. */
function unwrap(result: unknown): { parsed: ParsedForScore | null; error?: string } {
  const r = result as Record<string, unknown> | null;
  if (!r || typeof r !== "object") return { parsed: null, error: "解析器没有返回结果 (parser returned nothing)" };
  if (r.ok === false) {
    const err = r.error as { code?: string; message?: string } | string | undefined;
    return { parsed: null, error: typeof err === "string" ? err : `${err?.code ?? ""} ${err?.message ?? ""}`.trim() };
  }
  for (const key of ["report", "value"]) {
    const inner = r[key] as Record<string, unknown> | undefined;
    if (inner && typeof inner === "object" && "fields" in inner) return { parsed: inner as unknown as ParsedForScore };
  }
  if ("fields" in r) return { parsed: r as unknown as ParsedForScore };
  return { parsed: null, error: "结果不含 fields (result has no fields)" };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function groupLine(name: string, g: Group): string {
  const c = g.counts;
  return [
    name.padEnd(22),
    String(g.files).padStart(5),
    String(c.labelled).padStart(8),
    String(c.tp).padStart(6),
    String(c.fp).padStart(5),
    String(c.fn).padStart(5),
    pct(precision(c)).padStart(9),
    pct(recall(c)).padStart(9),
    `${c.ambiguousAgreed}/${c.ambiguousLabelled}`.padStart(8),
    `${g.format}/${g.files}`.padStart(7),
    `${g.report_year}/${g.files}`.padStart(7),
    `${g.agency}+${g.agencyPartial}/${g.files}`.padStart(9),
  ].join(" ");
}

const fmt = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "number" ? String(v) : String(v));

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const asJson = args.has("--json");
  const strict = args.has("--strict");
  const labels = loadLabels();
  const derived = new Set(allFieldDefs().filter((f) => f.kind === "derived").map((f) => f.id));
  const isDerived = (id: string): boolean => derived.has(id);

  const scores: FileScore[] = [];
  for (const ref of labels) {
    for (const file of labelFiles(ref.label)) {
      const abs = existsSync(join(ref.base, file)) ? join(ref.base, file) : join(FIXTURES, file);
      if (!existsSync(abs)) {
        scores.push(scoreFile(ref.label, file, null, isDerived, `文件不存在 (file not found): ${relative(ROOT, abs)}`));
        continue;
      }
      let parsed: ParsedForScore | null = null;
      let error: string | undefined;
      try {
        ({ parsed, error } = unwrap(await parser(readFileSync(abs), relative(FIXTURES, abs))));
      } catch (e) {
        const err = e as { code?: string; message?: string };
        error = `${err.code ? `${err.code}: ` : ""}${(err.message ?? String(e)).split("\n")[0]}`;
      }
      scores.push(scoreFile(ref.label, file, parsed, isDerived, error));
    }
  }
  const summary = summarise(scores);
  const ok = meetsTargets(summary);

  if (asJson) {
    process.stdout.write(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          targets: TARGETS,
          meets_targets: ok,
          summary: Object.fromEntries(
            Object.entries(summary.groups).map(([k, v]) => [
              k,
              Object.fromEntries(
                Object.entries(v).map(([kind, g]) => [kind, { ...g, precision: precision(g.counts), recall: recall(g.counts) }]),
              ),
            ]),
          ),
          files: scores,
        },
        null,
        1,
      ) + "\n",
    );
  } else {
    const out: string[] = [];
    out.push(`解析准确率 (parser accuracy) — ${labels.length} label files, ${scores.length} renderings, ${new Date().toISOString().slice(0, 10)}`);
    out.push("");
    out.push(
      ["group".padEnd(22), "files".padStart(5), "labelled".padStart(8), "tp".padStart(6), "fp".padStart(5), "fn".padStart(5), "precision".padStart(9), "recall".padStart(9), "amb.ok".padStart(8), "format".padStart(7), "year".padStart(7), "agency".padStart(9)].join(" "),
    );
    for (const key of ["pre2019", "2019", "2021", "overall"]) {
      const g = summary.groups[key];
      out.push(groupLine(`${key} complete`, g.complete));
      out.push(groupLine(`${key} all`, g.all));
    }
    out.push("");
    out.push(`targets on complete reports: precision ≥ ${pct(TARGETS.precision)}, recall ≥ ${pct(TARGETS.recall)} -> ${ok ? "met" : "NOT met"}`);
    out.push("(amb.ok = labelled-ambiguous fields the parser left without a value; agency = exact+contains/files)");
    out.push("");
    const misses = scores.flatMap((s) => s.misses);
    const detect = scores.filter((s) => !s.detection.format || !s.detection.report_year || s.detection.agency !== true);
    out.push(`detection misses: ${detect.length}`);
    for (const s of detect) {
      const d = s.detection;
      out.push(`  ${s.file}: format ${d.format ? "ok" : "WRONG"}, year ${d.report_year ? "ok" : "WRONG"}, agency ${d.agency === true ? "ok" : d.agency === "partial" ? "partial" : "WRONG"}`);
    }
    out.push("");
    out.push(`field misses: ${misses.length}`);
    for (const m of misses) {
      out.push(`  ${m.file}  ${m.field}  [${m.kind}]  expected ${fmt(m.expected)}  got ${fmt(m.got)}${m.provenance ? `  <- ${m.provenance}` : ""}`);
    }
    process.stdout.write(out.join("\n") + "\n");
  }
  return strict && !ok ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`基准运行失败 (benchmark failed): ${(e as Error).message}\n`);
    process.exit(2);
  },
);
