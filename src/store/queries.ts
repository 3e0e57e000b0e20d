import { sql } from "kysely";
import { isKnownField, type Finding, type Generation, type ParsedReport } from "../model/index.js";
import { cellName, validate } from "../validate/index.js";
import { resolveAgency, type AgencyRow } from "./agencies.js";
import { StoreError } from "./errors.js";
import type { Store } from "./store.js";

/** A field's name for people: `本年新收 · 总计 (applications.new.total)`. */
export function fieldLabel(id: string, generation: Generation | null = null): string {
  const zh = cellName(id, generation, "zh");
  return zh && zh !== id ? zh : id;
}

/** Code-point order, the same on every engine and locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function fieldKey(store: Store, field: string): Promise<number | undefined> {
  const r = await store.db.selectFrom("field_names").select("id").where("name", "=", field).executeTakeFirst();
  if (!r && !isKnownField(field)) throw new StoreError("BAD_INPUT", `未知字段：${field}（见 data/fields.json） (unknown field id)`);
  return r?.id;
}

export interface CompareRow {
  rank: number;
  agency: string;
  level: string | null;
  value: number;
  generation: string | null;
  report_id: number;
}

/** Ranking of every agency's current report for a year by one field (largest first, ties share a rank). */
export async function compare(store: Store, q: { year: number; field: string; level?: string; limit?: number; ascending?: boolean }): Promise<CompareRow[]> {
  const key = await fieldKey(store, q.field);
  if (key === undefined) return [];
  let query = store.db.selectFrom("values")
    .innerJoin("reports", "reports.id", "values.report_id")
    .innerJoin("agencies", "agencies.id", "reports.agency_id")
    .select(["agencies.name as agency", "agencies.level", "values.value", "reports.generation", "reports.id as report_id"])
    .where("values.field", "=", key).where("reports.report_year", "=", q.year).where("reports.superseded", "=", 0);
  if (q.level) query = query.where("agencies.level", "=", q.level);
  const rows = await query.execute();
  // Sorted here, not in SQL: ties by name in code-point order on both engines (collations differ).
  const sign = q.ascending ? 1 : -1;
  rows.sort((a, b) => sign * (Number(a.value) - Number(b.value)) || byName(a.agency, b.agency));
  if (q.limit && rows.length > q.limit) rows.length = q.limit;
  let rank = 0;
  let last: number | undefined;
  return rows.map((r, i) => {
    const value = Number(r.value);
    if (value !== last) { rank = i + 1; last = value; }
    return { rank, agency: r.agency, level: r.level, value, generation: r.generation, report_id: r.report_id };
  });
}

export interface TrendRow {
  year: number;
  value: number | null;
  change: number | null;
  generation: string | null;
  version: number;
  report_id: number;
}

/** One agency's value of a field over the years of its current reports (null where the report has no such value). */
export async function trend(store: Store, q: { agency: string; field: string }): Promise<{ agency: AgencyRow; rows: TrendRow[] }> {
  const agency = await resolveAgency(store, q.agency);
  const key = (await fieldKey(store, q.field)) ?? -1;
  const rows = await store.db.selectFrom("reports")
    .leftJoin("values", (j) => j.onRef("values.report_id", "=", "reports.id").on("values.field", "=", key))
    .select(["reports.report_year", "values.value", "reports.generation", "reports.version", "reports.id"])
    .where("reports.agency_id", "=", agency.id).where("reports.superseded", "=", 0).orderBy("reports.report_year").execute();
  let prev: number | null = null;
  return {
    agency,
    rows: rows.map((r) => {
      const value = r.value === null || r.value === undefined ? null : Number(r.value);
      const change = value !== null && prev !== null ? value - prev : null;
      prev = value;
      return { year: r.report_year, value, change, generation: r.generation, version: r.version, report_id: r.id };
    }),
  };
}

export interface MissingRow {
  agency: string;
  level: string | null;
  parent: string | null;
  /** The latest year this agency has a report for, if any. */
  last_year: number | null;
}

/** Agencies with no report for a year (optionally of one level, or under one agency). */
export async function missing(store: Store, q: { year: number; level?: string; under?: string }): Promise<MissingRow[]> {
  let query = store.db.selectFrom("agencies as a")
    .leftJoin("agencies as p", "p.id", "a.parent_id")
    .select((eb) => [
      "a.name as agency", "a.level", "p.name as parent",
      eb.selectFrom("reports").select((e2) => e2.fn.max("reports.report_year").as("y")).whereRef("reports.agency_id", "=", "a.id").as("last_year"),
    ])
    .where((eb) => eb.not(eb.exists(eb.selectFrom("reports").select("reports.id").whereRef("reports.agency_id", "=", "a.id").where("reports.report_year", "=", q.year))));
  if (q.level) query = query.where("a.level", "=", q.level);
  if (q.under) {
    const root = await resolveAgency(store, q.under);
    const all = await store.db.selectFrom("agencies").select(["id", "parent_id"]).execute();
    const ids = new Set<number>();
    const walk = (pid: number) => { for (const a of all) if (a.parent_id === pid && !ids.has(a.id)) { ids.add(a.id); walk(a.id); } };
    walk(root.id);
    if (ids.size === 0) return [];
    query = query.where("a.id", "in", [...ids]);
  }
  const rows = (await query.execute()).sort((a, b) => byName(a.agency, b.agency));
  return rows.map((r) => ({ agency: r.agency, level: r.level, parent: r.parent, last_year: r.last_year === null || r.last_year === undefined ? null : Number(r.last_year) }));
}

export interface RollupDifference {
  field: string;
  label: string;
  /** Sum over the units that report the field. */
  units_sum: number | null;
  /** How many units report it. */
  units: number;
  published: number | null;
  /** published − units_sum. */
  difference: number | null;
}

export interface Rollup {
  agency: AgencyRow;
  year: number;
  generation: Generation | null;
  units: { agency: string; report_id: number | null; generation: string | null }[];
  /** The summed model, as validate() sees it. */
  sum: ParsedReport;
  /** Findings of the validator on the summed model. */
  findings: Finding[];
  published_report_id: number | null;
  /** Every field where the sum and the agency's own published report differ (or only one has it). */
  differences: RollupDifference[];
}

/**
 * Sums the agency's units' current reports for a year into its totals per field, validates the
 * sum and compares it with the agency's own published report where there is one. Units are the
 * agency's direct children (optionally only those of the given levels).
 */
export async function rollup(store: Store, q: { agency: string; year: number; units?: string[] }): Promise<Rollup> {
  const agency = await resolveAgency(store, q.agency);
  // A city's own report may cover its departments only, or its districts too: `units` picks the levels.
  const children = await store.db.selectFrom("agencies").select(["id", "name", "level"]).where("parent_id", "=", agency.id).execute()
    .then((r) => r.filter((c) => !q.units?.length || q.units.includes(c.level ?? "")).sort((a, b) => byName(a.name, b.name)));
  if (children.length === 0) throw new StoreError("NOT_FOUND", `${agency.name} 没有下级单位（可用 import --parent 或机关名录 CSV 设定） (no units under this agency; set parents with --parent or an agencies CSV)`);
  const reports = await store.db.selectFrom("reports").select(["id", "agency_id", "generation"])
    .where("report_year", "=", q.year).where("superseded", "=", 0)
    .where("agency_id", "in", [agency.id, ...children.map((c) => c.id)]).execute();
  const byAgency = new Map(reports.map((r) => [r.agency_id, r]));
  const units = children.map((c) => ({ agency: c.name, report_id: byAgency.get(c.id)?.id ?? null, generation: byAgency.get(c.id)?.generation ?? null }));
  const unitIds = units.map((u) => u.report_id).filter((x): x is number => x !== null);
  const own = byAgency.get(agency.id);

  const sums = unitIds.length === 0 ? [] : await store.db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
    .select((eb) => ["field_names.name", eb.fn.sum<number>("values.value").as("total"), eb.fn.countAll<number>().as("n")])
    .where("values.report_id", "in", unitIds).groupBy("field_names.name").execute();
  const published = own ? await store.db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
    .select(["field_names.name", "values.value"]).where("values.report_id", "=", own.id).execute() : [];

  const gens = units.map((u) => u.generation).filter((g): g is string => !!g);
  const counts = new Map<string, number>();
  for (const g of gens) counts.set(g, (counts.get(g) ?? 0) + 1);
  const generation = ((own?.generation ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]) ?? null) as Generation | null;

  const sumFields: Record<string, number> = {};
  const unitCount: Record<string, number> = {};
  // Sums of decimals (万元) are rounded at 6 places, the precision the validator compares at.
  for (const s of sums) { sumFields[s.name] = Math.round(Number(s.total) * 1e6) / 1e6; unitCount[s.name] = Number(s.n); }
  const sum: ParsedReport = { file: `rollup:${agency.name}:${q.year}`, format: generation, report_year: q.year, agency: agency.name, fields: sumFields, blank: [], ambiguous: [], provenance: {}, issues: [] };
  const findings = unitIds.length ? validate(sum) : [];

  const pub: Record<string, number> = Object.fromEntries(published.map((p) => [p.name, Number(p.value)]));
  const differences: RollupDifference[] = [];
  if (own) {
    for (const field of [...new Set([...Object.keys(sumFields), ...Object.keys(pub)])].sort()) {
      const a = sumFields[field] ?? null, b = pub[field] ?? null;
      if (a !== null && b !== null && Math.abs(a - b) < 1e-6) continue;
      differences.push({ field, label: fieldLabel(field, generation), units_sum: a, units: unitCount[field] ?? 0, published: b, difference: a !== null && b !== null ? Math.round((b - a) * 1e6) / 1e6 : null });
    }
  }
  return { agency, year: q.year, generation, units, sum, findings, published_report_id: own?.id ?? null, differences };
}

/** Counts for a status line. */
export async function counts(store: Store): Promise<{ agencies: number; reports: number; values: number; findings: number }> {
  const one = async (t: "agencies" | "reports" | "values" | "findings") => Number((await store.db.selectFrom(t).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
  return { agencies: await one("agencies"), reports: await one("reports"), values: await one("values"), findings: await one("findings") };
}
