import { GENERATIONS, relationsFor, type Finding, type Generation, type ParsedReport } from "../model/index.js";
import { validate } from "../validate/index.js";
import { replaceFindingsIn } from "./findings.js";
import type { Store } from "./store.js";

type Db = Store["db"];

/** Rule codes whose identities refer to the previous year (`x[y-1]`): carried_in vs carried_out, 上一年项目数量, stocks. */
const CROSS_YEAR_RULES: ReadonlySet<string> = new Set(GENERATIONS.flatMap((g) => relationsFor(g).filter((r) => r.crossYear).map((r) => r.rule.code)));

/** A value this many times the previous year's (or a tenth of it) is flagged. */
export const JUMP_FACTOR = 10;
/** …when the larger of the two is at least this, so 1 → 10 applications is not noise in the list. */
export const JUMP_MIN = 100;

/** The stored model of one report (values, blanks), as validate() takes it. */
export async function loadReport(db: Db, reportId: number): Promise<ParsedReport & { agency_id: number }> {
  const r = await db.selectFrom("reports").innerJoin("agencies", "agencies.id", "reports.agency_id")
    .select(["reports.id", "reports.agency_id", "agencies.name", "reports.report_year", "reports.generation", "reports.source_file", "reports.blank_json", "reports.ambiguous_json"])
    .where("reports.id", "=", reportId).executeTakeFirstOrThrow();
  const vals = await db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
    .select(["field_names.name", "values.value"]).where("values.report_id", "=", reportId).execute();
  const fields: Record<string, number> = {};
  for (const v of vals) fields[v.name] = Number(v.value);
  return {
    agency_id: r.agency_id,
    file: r.source_file,
    format: (r.generation as Generation | null) ?? null,
    report_year: r.report_year,
    agency: r.name,
    fields,
    blank: JSON.parse(r.blank_json),
    ambiguous: JSON.parse(r.ambiguous_json),
    provenance: {},
    issues: [],
  };
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
 * Recomputes the stored across-year findings of an agency's current report for `year` (against
 * year − 1) and of its report for year + 1 (against `year`). Runs inside the caller's transaction.
 */
export async function refreshAcrossYears(db: Db, agencyId: number, agencyName: string, year: number, known?: { id: number; report: ParsedReport }): Promise<void> {
  const load = (id: number) => (known && known.id === id ? known.report : loadReport(db, id));
  const ids = new Map<number, number | undefined>(known ? [[year, known.id]] : []);
  // The neighbouring years' current reports in one query (one round trip on PostgreSQL).
  const wanted = [year - 1, year, year + 1].filter((y) => !ids.has(y));
  const rows = await db.selectFrom("reports").select(["id", "report_year", "version"])
    .where("agency_id", "=", agencyId).where("report_year", "in", wanted).where("superseded", "=", 0).execute();
  for (const y of wanted) ids.set(y, rows.filter((r) => r.report_year === y).sort((a, b) => b.version - a.version)[0]?.id);
  const idOf = async (y: number) => ids.get(y);
  for (const y of [year, year + 1]) {
    const cur = await idOf(y);
    if (cur === undefined) continue;
    const prev = await idOf(y - 1);
    const findings = prev === undefined ? [] : acrossYearFindings(await load(cur), await load(prev));
    // Nothing stored and nothing to store: skip the delete (the common case of a first import).
    if (findings.length === 0 && y === year && known?.id === cur) continue;
    await replaceFindingsIn(db, cur, "across", agencyName, y, findings, { fresh: y === year && known?.id === cur });
  }
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
      await replaceFindingsIn(db, cur, "across", r.name, r.report_year, fs);
    });
  }
  let c = store.db.selectFrom("findings").innerJoin("reports", "reports.id", "findings.report_id").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("findings.source", "=", "across").where("reports.superseded", "=", 0);
  if (agencyId !== undefined) c = c.where("reports.agency_id", "=", agencyId);
  return Number((await c.executeTakeFirstOrThrow()).n);
}
