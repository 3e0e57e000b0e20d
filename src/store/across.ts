import { GENERATIONS, relationsFor, type Finding, type ParsedReport } from "../model/index.js";
import { validate } from "../validate/index.js";
import { replaceFindingsIn } from "./findings.js";
import { kyselyOps, type ImportOps, type StoredModel } from "./ops.js";
import type { Store } from "./store.js";

type Db = Store["db"];

/** Rule codes whose identities refer to the previous year (`x[y-1]`): carried_in vs carried_out, 上一年项目数量, stocks. */
const CROSS_YEAR_RULES: ReadonlySet<string> = new Set(GENERATIONS.flatMap((g) => relationsFor(g).filter((r) => r.crossYear).map((r) => r.rule.code)));

/** A value this many times the previous year's (or a tenth of it) is flagged. */
export const JUMP_FACTOR = 10;
/** …when the larger of the two is at least this, so 1 → 10 applications is not noise in the list. */
export const JUMP_MIN = 100;

/** The stored model of one report (values, blanks), as validate() takes it. */
export async function loadReport(db: Db, reportId: number): Promise<StoredModel> {
  return kyselyOps(db).loadReport(reportId);
}

/** The current (not superseded) report of an agency for a year. */
export async function currentReportId(db: Db, agencyId: number, year: number): Promise<number | undefined> {
  const r = await db.selectFrom("reports").select("id").where("agency_id", "=", agencyId).where("report_year", "=", year).where("superseded", "=", 0)
    .orderBy("version", "desc").executeTakeFirst();
  return r?.id;
}

/** Values that moved by a factor of JUMP_FACTOR or more from one year to the next. */
export function jumps(current: ParsedReport, previous: ParsedReport): Finding[] {
  const out: Finding[] = [];
  for (const [id, v] of Object.entries(current.fields)) {
    const p = previous.fields[id];
    if (p === undefined || p <= 0 || v <= 0) continue;
    const hi = Math.max(v, p), lo = Math.min(v, p);
    if (hi < JUMP_MIN || hi / lo < JUMP_FACTOR) continue;
    const ratio = v / p;
    const times = ratio >= 1 ? `×${ratio.toFixed(1)}` : `÷${(1 / ratio).toFixed(1)}`;
    out.push({
      rule: "YEAR-JUMP",
      severity: "warning",
      message: `YEAR-JUMP ${id}：${previous.report_year}年 ${p} → ${current.report_year}年 ${v}（${times}）`,
      message_en: `YEAR-JUMP ${id}: ${p} in ${previous.report_year} → ${v} in ${current.report_year} (${times}); check for a misread or misprinted cell`,
      fields: [id],
      expected: p,
      actual: v,
    });
  }
  return out;
}

/** Across-year findings of one report against the same agency's report of the year before. */
export function acrossYearFindings(current: ParsedReport, previous: ParsedReport): Finding[] {
  if (current.report_year === null || previous.report_year !== current.report_year - 1) return [];
  const out = validate(current, { previous }).filter((f) => CROSS_YEAR_RULES.has(f.rule));
  out.push(...jumps(current, previous));
  return out;
}

/**
 * Whether one validation with the previous year splits exactly into the findings of validation
 * alone (rules without `[y-1]` terms) and the across-year ones: true when no rule code has both
 * kinds of relation and no family of alternative forms mixes them (the `[y-1]` relations then
 * change nothing else: suggestions and blank-as-zero checks skip them). Checked on the data, so
 * a rule added later that breaks it brings back the second pass instead of a wrong split.
 */
export const SPLIT_EXACT: boolean = GENERATIONS.every((g) => {
  // Alternative forms are named CODE-A, CODE-B…: comparing stems covers same-code and same-family
  // pairs alike (stricter than the validator's families, never looser).
  const stem = (code: string) => code.replace(/-[A-Z]$/, "");
  const rels = relationsFor(g);
  const cross = new Set(rels.filter((r) => r.crossYear).map((r) => stem(r.rule.code)));
  return !rels.some((r) => !r.crossYear && cross.has(stem(r.rule.code)));
});

/**
 * The report's own findings (as validate(report) gives them, or none when `validate` is false) and
 * its across-year findings against the previous year's report, validating once where that is exact.
 */
export function reportAndAcrossFindings(report: ParsedReport, previous: ParsedReport | undefined, opts: { validate: boolean }): { own: Finding[]; across: Finding[] } {
  const related = previous !== undefined && report.report_year !== null && previous.report_year === report.report_year - 1;
  if (!related) return { own: opts.validate ? validate(report) : [], across: [] };
  if (!opts.validate || !SPLIT_EXACT) return { own: opts.validate ? validate(report) : [], across: acrossYearFindings(report, previous) };
  const own: Finding[] = [];
  const across: Finding[] = [];
  for (const f of validate(report, { previous })) (CROSS_YEAR_RULES.has(f.rule) ? across : own).push(f);
  across.push(...jumps(report, previous));
  return { own, across };
}

/** Recomputes the stored across-year findings of one report against the given report of the year before. Runs inside the caller's transaction. */
export async function refreshAcross(ops: ImportOps, reportId: number, agencyName: string, year: number, previous: ParsedReport): Promise<void> {
  const findings = acrossYearFindings(await ops.loadReport(reportId), previous);
  await replaceFindingsIn(ops, reportId, "across", agencyName, year, findings);
}

/** Recomputes every across-year finding (e.g. after agencies were merged by aliases). Returns the number of findings. */
export async function checkAllAcrossYears(store: Store, agencyId?: number): Promise<number> {
  let q = store.db.selectFrom("reports").innerJoin("agencies", "agencies.id", "reports.agency_id")
    .select(["reports.agency_id", "agencies.name", "reports.report_year"]).where("reports.superseded", "=", 0);
  if (agencyId !== undefined) q = q.where("reports.agency_id", "=", agencyId);
  const rows = await q.execute();
  for (const r of rows) {
    await store.db.transaction().execute(async (trx) => {
      const db = trx as unknown as Db;
      const cur = await currentReportId(db, r.agency_id, r.report_year);
      if (cur === undefined) return;
      const prev = await currentReportId(db, r.agency_id, r.report_year - 1);
      const fs = prev === undefined ? [] : acrossYearFindings(await loadReport(db, cur), await loadReport(db, prev));
      await replaceFindingsIn(kyselyOps(db), cur, "across", r.name, r.report_year, fs);
    });
  }
  let c = store.db.selectFrom("findings").innerJoin("reports", "reports.id", "findings.report_id").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("findings.source", "=", "across").where("reports.superseded", "=", 0);
  if (agencyId !== undefined) c = c.where("reports.agency_id", "=", agencyId);
  return Number((await c.executeTakeFirstOrThrow()).n);
}
