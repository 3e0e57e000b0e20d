import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import type { Finding } from "../model/index.js";
import { StoreError } from "./errors.js";
import type { FindingRow, ImportOps } from "./ops.js";
import type { Store } from "./store.js";

export type FindingSource = "report" | "across" | "store";
export type Verdict = "confirmed" | "dismissed";

/**
 * The stable identity of a finding: agency, year, rule and the fields involved, never the message
 * text or the numbers, so a verdict still applies after the report is parsed or imported again.
 * `occurrence` tells apart two findings of one rule over the same fields in one report.
 */
export function fingerprint(agency: string, year: number, rule: string, fields: readonly string[] = [], occurrence = 0): string {
  const key = [agency, String(year), rule, [...fields].sort().join(","), occurrence ? `#${occurrence}` : ""].join("|");
  return createHash("sha256").update(key).digest("hex").slice(0, 20);
}

/** The rows one source's findings of a report are stored as (fingerprints numbered by occurrence). */
export function findingRows(reportId: number, source: FindingSource, agency: string, year: number, findings: readonly Finding[]): FindingRow[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const fields = f.fields ?? [];
    const base = `${f.rule}|${[...fields].sort().join(",")}`;
    const occ = seen.get(base) ?? 0;
    seen.set(base, occ + 1);
    const numbers: Record<string, unknown> = {};
    if (f.expected !== undefined) numbers.expected = f.expected;
    if (f.actual !== undefined) numbers.actual = f.actual;
    if (f.suggestion) numbers.suggestion = f.suggestion;
    for (const [k, v] of Object.entries(f as unknown as Record<string, unknown>)) {
      if (!FINDING_KEYS.has(k) && v !== undefined) numbers[k] = v;
    }
    return {
      report_id: reportId,
      source,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      message_en: f.message_en ?? null,
      fields_json: JSON.stringify(fields),
      numbers_json: JSON.stringify(numbers),
      fingerprint: fingerprint(agency, year, f.rule, fields, occ),
    };
  });
}

const FINDING_KEYS: ReadonlySet<string> = new Set(["rule", "severity", "message", "message_en", "fields", "expected", "actual", "suggestion"]);

/** Replaces one source's findings of a report (`fresh`: the report was just inserted, nothing to delete). */
export async function replaceFindingsIn(ops: ImportOps, reportId: number, source: FindingSource, agency: string, year: number, findings: readonly Finding[], opts: { fresh?: boolean } = {}): Promise<void> {
  if (!opts.fresh) await ops.deleteFindings(reportId, source);
  if (findings.length === 0) return;
  await ops.insertFindings(findingRows(reportId, source, agency, year, findings));
}

export interface StoredFinding {
  id: number;
  fingerprint: string;
  report_id: number;
  agency: string;
  report_year: number;
  version: number;
  source: string;
  rule: string;
  severity: string;
  message: string;
  message_en: string | null;
  fields: string[];
  numbers: Record<string, unknown>;
  verdict: Verdict | null;
  comment: string | null;
  who: string | null;
  at: string | null;
}

export interface FindingFilter {
  agency?: number;
  year?: number;
  rule?: string;
  severity?: string;
  /** open = no verdict yet. */
  status?: "open" | "confirmed" | "dismissed" | "all";
  /** Include findings of superseded report versions. */
  allVersions?: boolean;
  limit?: number;
}

/** Findings with their latest verdict, most severe first. */
export async function listFindings(store: Store, filter: FindingFilter = {}): Promise<StoredFinding[]> {
  let q = store.db.selectFrom("findings")
    .innerJoin("reports", "reports.id", "findings.report_id")
    .innerJoin("agencies", "agencies.id", "reports.agency_id")
    .select([
      "findings.id", "findings.fingerprint", "findings.report_id", "agencies.name as agency", "reports.report_year", "reports.version",
      "findings.source", "findings.rule", "findings.severity", "findings.message", "findings.message_en", "findings.fields_json", "findings.numbers_json",
    ]);
  if (!filter.allVersions) q = q.where("reports.superseded", "=", 0);
  if (filter.agency !== undefined) q = q.where("reports.agency_id", "=", filter.agency);
  if (filter.year !== undefined) q = q.where("reports.report_year", "=", filter.year);
  if (filter.rule) q = q.where("findings.rule", "=", filter.rule);
  if (filter.severity) q = q.where("findings.severity", "=", filter.severity);
  const rows = await q.orderBy("agencies.name").orderBy("reports.report_year").orderBy("findings.id").execute();
  const verdicts = await latestVerdicts(store, rows.map((r) => r.fingerprint));
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  const out: StoredFinding[] = [];
  for (const r of rows) {
    const v = verdicts.get(r.fingerprint);
    const status = v ? v.verdict : "open";
    if (filter.status && filter.status !== "all" && filter.status !== status) continue;
    out.push({
      id: r.id, fingerprint: r.fingerprint, report_id: r.report_id, agency: r.agency, report_year: r.report_year, version: r.version,
      source: r.source, rule: r.rule, severity: r.severity, message: r.message, message_en: r.message_en,
      fields: JSON.parse(r.fields_json), numbers: JSON.parse(r.numbers_json),
      verdict: (v?.verdict as Verdict) ?? null, comment: v?.comment ?? null, who: v?.who ?? null, at: v?.at ?? null,
    });
  }
  out.sort((a, b) => a.agency.localeCompare(b.agency, "zh") || a.report_year - b.report_year || (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3) || a.id - b.id);
  return filter.limit ? out.slice(0, filter.limit) : out;
}

async function latestVerdicts(store: Store, fps: string[]): Promise<Map<string, { verdict: string; comment: string | null; who: string; at: string }>> {
  const out = new Map<string, { verdict: string; comment: string | null; who: string; at: string }>();
  const uniq = [...new Set(fps)];
  for (let i = 0; i < uniq.length; i += 500) {
    const rows = await store.db.selectFrom("verdicts").select(["fingerprint", "verdict", "comment", "who", "at", "id"])
      .where("fingerprint", "in", uniq.slice(i, i + 500)).orderBy("id").execute();
    for (const r of rows) out.set(r.fingerprint, r); // later rows (higher id) win
  }
  return out;
}

/**
 * Records a verdict on a finding, by fingerprint (or a unique prefix of one, at least 6 characters).
 * History is kept: every verdict is a row; the latest one counts.
 */
export async function setVerdict(store: Store, fp: string, verdict: Verdict, opts: { comment?: string; who?: string } = {}): Promise<{ fingerprint: string; rule: string; agency: string; report_year: number }> {
  const key = fp.trim().toLowerCase();
  if (key.length < 6) throw new StoreError("BAD_INPUT", `指纹太短：${fp}（至少 6 位） (fingerprint too short, give at least 6 characters)`);
  const matches = await store.db.selectFrom("findings")
    .innerJoin("reports", "reports.id", "findings.report_id")
    .innerJoin("agencies", "agencies.id", "reports.agency_id")
    .select(["findings.fingerprint", "findings.rule", "agencies.name as agency", "reports.report_year"])
    .where("findings.fingerprint", "like", `${key}%`).execute();
  const distinct = [...new Map(matches.map((m) => [m.fingerprint, m])).values()];
  if (distinct.length === 0) throw new StoreError("NOT_FOUND", `没有指纹为 ${fp} 的问题 (no finding with that fingerprint)`);
  if (distinct.length > 1) throw new StoreError("BAD_INPUT", `指纹 ${fp} 不唯一，匹配 ${distinct.length} 个问题 (ambiguous fingerprint prefix)`);
  const hit = distinct[0];
  let who = opts.who;
  if (!who) { try { who = process.env.GONGKAI_USER || userInfo().username; } catch { who = "unknown"; } }
  await store.db.insertInto("verdicts").values({ fingerprint: hit.fingerprint, verdict, comment: opts.comment ?? null, who, at: new Date().toISOString() }).execute();
  return hit;
}

export interface FindingDetail {
  finding: StoredFinding;
  source_file: string;
  source_url: string | null;
  content_hash: string;
  /** The original bytes as imported. */
  original: Buffer;
  values: { field: string; value: number | null; provenance: { method: string; source: string; raw: string; offset?: number } | null; context?: string }[];
}

/** One finding (by fingerprint or a unique prefix) with its values' provenance and the original report bytes. */
export async function showFinding(store: Store, fp: string): Promise<FindingDetail> {
  const key = fp.trim().toLowerCase();
  if (key.length < 6) throw new StoreError("BAD_INPUT", `指纹太短：${fp}（至少 6 位） (fingerprint too short, give at least 6 characters)`);
  const all = (await listFindings(store, { allVersions: true })).filter((f) => f.fingerprint.startsWith(key));
  const fps = new Set(all.map((f) => f.fingerprint));
  if (fps.size === 0) throw new StoreError("NOT_FOUND", `没有指纹为 ${fp} 的问题 (no finding with that fingerprint)`);
  if (fps.size > 1) throw new StoreError("BAD_INPUT", `指纹 ${fp} 不唯一，匹配 ${fps.size} 个问题 (ambiguous fingerprint prefix)`);
  // The newest version's finding when several versions carry it.
  const finding = all.sort((a, b) => b.version - a.version)[0];
  const rep = await store.db.selectFrom("reports").innerJoin("originals", "originals.content_hash", "reports.content_hash")
    .select(["reports.source_file", "reports.source_url", "reports.content_hash", "originals.bytes"]).where("reports.id", "=", finding.report_id).executeTakeFirstOrThrow();
  const vals = finding.fields.length === 0 ? [] : await store.db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
    .select(["field_names.name", "values.value", "values.provenance"]).where("values.report_id", "=", finding.report_id).where("field_names.name", "in", finding.fields).execute();
  const byName = new Map(vals.map((v) => [v.name, v]));
  const text = Buffer.from(rep.bytes).toString("utf8");
  return {
    finding,
    source_file: rep.source_file,
    source_url: rep.source_url,
    content_hash: rep.content_hash,
    original: Buffer.from(rep.bytes),
    values: finding.fields.map((field) => {
      const v = byName.get(field);
      const provenance = v?.provenance ? JSON.parse(v.provenance) : null;
      let context: string | undefined;
      // Where the printed text can be found verbatim in the original (UTF-8 text and HTML), show it in place.
      const raw = provenance?.raw as string | undefined;
      if (raw && raw.length >= 2) {
        const at = text.indexOf(raw);
        if (at >= 0) context = text.slice(Math.max(0, at - 30), at + raw.length + 30).replace(/\s+/g, " ");
      }
      return { field, value: v ? Number(v.value) : null, provenance, context };
    }),
  };
}
