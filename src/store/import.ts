import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import type { Finding, ParsedReport } from "../model/index.js";
import { parseReport } from "../parse/index.js";
import { validate } from "../validate/index.js";
import { ensureAgencyIn, normaliseAgencyName, type AgencyHints } from "./agencies.js";
import { refreshAcrossYears } from "./across.js";
import { sqliteHandle } from "./engine.js";
import { StoreError, toStoreError } from "./errors.js";
import { replaceFindingsIn } from "./findings.js";
import type { Store } from "./store.js";

type Db = Store["db"];

export interface ReportSource {
  /** File name or path as given (stored as the report's source file). */
  file: string;
  /** The original bytes, kept so a finding can always be shown against what was published. */
  bytes: Uint8Array;
  url?: string | null;
}

export interface ImportOptions extends AgencyHints {
  /** Agency name to use instead of the one read from the report (e.g. when the parser finds none). */
  agency?: string;
  /** Report year to use instead of the one read from the report. */
  year?: number;
  /** Source URL of the report page. */
  url?: string;
  /** Run the validator and store its findings (default true). */
  validate?: boolean;
}

export type ImportStatus = "stored" | "version" | "duplicate" | "failed";

export interface ImportOutcome {
  file: string;
  status: ImportStatus;
  report_id?: number;
  agency?: string;
  year?: number;
  version?: number;
  /** The report this new version supersedes (the flagged pair). */
  supersedes?: number;
  findings?: number;
  code?: string;
  message?: string;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const fieldCache = new WeakMap<Store["db"], Map<string, number>>();

/** Integer keys of field ids, created when new (outside the report's transaction: harmless if the report then fails). */
async function fieldKeys(store: Store, names: string[]): Promise<Map<string, number>> {
  let cache = fieldCache.get(store.db);
  if (!cache) { cache = new Map(); fieldCache.set(store.db, cache); }
  const missing = names.filter((n) => !cache!.has(n));
  if (missing.length) {
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      await store.db.insertInto("field_names").values(chunk.map((name) => ({ name }))).onConflict((oc) => oc.column("name").doNothing()).execute();
      const rows = await store.db.selectFrom("field_names").select(["id", "name"]).where("name", "in", chunk).execute();
      for (const r of rows) cache.set(r.name, r.id);
    }
  }
  return cache;
}

function differingFields(a: Record<string, number>, b: Record<string, number>): string[] {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...ids].filter((id) => a[id] !== b[id]).sort();
}

/**
 * Stores one parsed report in ONE transaction: agency (matched by name or alias, created when new),
 * original bytes, report row, values with provenance, findings, and the across-year findings it
 * affects. The same bytes twice are one report; a different report for the same agency and year
 * becomes a new version, the older one kept (superseded) and the pair flagged (STORE-VERSION).
 */
export async function importParsed(store: Store, parsed: ParsedReport, source: ReportSource, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const file = source.file;
  const hash = contentHash(source.bytes);
  const dup = await store.db.selectFrom("reports").select(["id", "agency_id", "report_year", "version"]).where("content_hash", "=", hash).executeTakeFirst();
  if (dup) {
    const a = await store.db.selectFrom("agencies").select("name").where("id", "=", dup.agency_id).executeTakeFirst();
    return { file, status: "duplicate", report_id: dup.id, agency: a?.name, year: dup.report_year, version: dup.version };
  }

  const agencyName = opts.agency ?? parsed.agency;
  if (!agencyName || !normaliseAgencyName(agencyName))
    return { file, status: "failed", code: "NO_AGENCY", message: `${file}: 未识别出机关名称，请用 --agency 指定 (no agency found in the report; give --agency)` };
  const year = opts.year ?? parsed.report_year;
  if (!year || !Number.isInteger(year))
    return { file, status: "failed", code: "NO_YEAR", message: `${file}: 未识别出报告年度，请用 --year 指定 (no report year found; give --year)` };

  const model: ParsedReport = { ...parsed, agency: agencyName, report_year: year };
  const findings: Finding[] = [...(parsed.issues ?? [])];
  if (opts.validate !== false) findings.push(...validate(model));

  const entries = Object.entries(parsed.fields).filter(([, v]) => typeof v === "number" && Number.isFinite(v));
  const keys = await fieldKeys(store, entries.map(([id]) => id));
  const now = new Date().toISOString();
  const url = opts.url ?? source.url ?? null;

  try {
    return await store.db.transaction().execute(async (trx) => {
      const db = trx as unknown as Db;
      const agency = await ensureAgencyIn(db, agencyName, { level: opts.level, parent: opts.parent, aliases: opts.aliases });
      await db.insertInto("originals").values({ content_hash: hash, bytes: Buffer.from(source.bytes), size: source.bytes.length })
        .onConflict((oc) => oc.column("content_hash").doNothing()).execute();
      const same = await db.selectFrom("reports").select(["id", "version", "superseded"])
        .where("agency_id", "=", agency.id).where("report_year", "=", year).orderBy("version", "desc").execute();
      const prev = same.find((r) => r.superseded === 0);
      const version = (same[0]?.version ?? 0) + 1;
      const ins = await db.insertInto("reports").values({
        agency_id: agency.id,
        report_year: year,
        generation: parsed.format,
        printed_agency: parsed.agency,
        source_file: file,
        source_url: url,
        content_hash: hash,
        version,
        superseded: 0,
        supersedes_id: prev?.id ?? null,
        blank_json: JSON.stringify(parsed.blank ?? []),
        ambiguous_json: JSON.stringify(parsed.ambiguous ?? []),
        imported_at: now,
      }).returning("id").executeTakeFirstOrThrow();
      const reportId = ins.id;
      if (prev) await db.updateTable("reports").set({ superseded: 1 }).where("id", "=", prev.id).execute();

      const rows = entries.map(([id, value]) => {
        const p = parsed.provenance?.[id];
        return { report_id: reportId, field: keys.get(id)!, value, provenance: p ? JSON.stringify(p) : null };
      });
      const native = sqliteHandle(store.db);
      if (native) {
        const st = native.prepare('insert into "values" ("report_id", "field", "value", "provenance") values (?, ?, ?, ?)');
        for (const r of rows) st.run(r.report_id, r.field, r.value, r.provenance);
      } else if (rows.length) {
        // PostgreSQL: four array parameters instead of four per row (parse and bind of hundreds of
        // parameters cost more than the insert).
        await sql`insert into "values" ("report_id", "field", "value", "provenance")
          select * from unnest(${rows.map((r) => r.report_id)}::int[], ${rows.map((r) => r.field)}::int[], ${rows.map((r) => r.value)}::float8[], ${rows.map((r) => r.provenance)}::text[])`.execute(db);
      }

      const all = [...findings];
      if (prev) {
        const old = await db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
          .select(["field_names.name", "values.value"]).where("values.report_id", "=", prev.id).execute();
        const oldFields = Object.fromEntries(old.map((r) => [r.name, Number(r.value)]));
        const diff = differingFields(oldFields, Object.fromEntries(entries));
        all.push({
          rule: "STORE-VERSION",
          severity: "warning",
          message: `STORE-VERSION ${agency.name} ${year}年有两份不同的报告：第${version}版（${file}）取代第${version - 1}版，${diff.length} 个数值不同${diff.length ? `：${diff.slice(0, 8).join("、")}${diff.length > 8 ? "…" : ""}` : ""}`,
          message_en: `STORE-VERSION ${agency.name} has two different reports for ${year}: version ${version} (${file}) supersedes version ${version - 1}; ${diff.length ? `${diff.length} values differ` : "the same values (probably the same report in another format)"}`,
          fields: diff,
          previous_report: prev.id,
        } as Finding);
      }
      await replaceFindingsIn(db, reportId, "report", agency.name, year, all, { fresh: true });
      await refreshAcrossYears(db, agency.id, agency.name, year, { id: reportId, report: model });
      return {
        file, status: prev ? "version" : "stored", report_id: reportId, agency: agency.name, year, version,
        supersedes: prev?.id, findings: all.length,
      } satisfies ImportOutcome;
    });
  } catch (e) {
    const again = await store.db.selectFrom("reports").select(["id"]).where("content_hash", "=", hash).executeTakeFirst().catch(() => undefined);
    // Another process stored the same bytes between our check and our insert: still one report.
    if (again) return { file, status: "duplicate", report_id: again.id };
    throw toStoreError(e, store.display);
  }
}

export interface ImportFilesOptions extends ImportOptions {
  /** Called after each file (for a progress display). */
  onFile?: (outcome: ImportOutcome) => void;
}

/**
 * Parses and stores each file (bytes read once: the same bytes are hashed, parsed and kept).
 * A file that cannot be parsed is reported and skipped; a database error stops the run (StoreError).
 */
export async function importFiles(store: Store, files: string[], opts: ImportFilesOptions = {}): Promise<ImportOutcome[]> {
  const out: ImportOutcome[] = [];
  for (const file of files) {
    let outcome: ImportOutcome;
    let bytes: Uint8Array | undefined;
    try {
      bytes = readFileSync(file);
    } catch {
      outcome = { file, status: "failed", code: "NOT_FOUND", message: `${file}: 无法读取文件 (cannot read file)` };
    }
    if (bytes) {
      const hash = contentHash(bytes);
      const dup = await store.db.selectFrom("reports").select(["id"]).where("content_hash", "=", hash).executeTakeFirst();
      if (dup) outcome = { file, status: "duplicate", report_id: dup.id };
      else {
        let parsed: ParsedReport | undefined;
        try {
          parsed = await parseReport(bytes, { filename: file });
        } catch (e) {
          const err = e as { code?: string; message?: string };
          outcome = { file, status: "failed", code: err.code ?? "PARSE", message: err.message ?? String(e) };
        }
        if (parsed) outcome = await importParsed(store, parsed, { file, bytes, url: opts.url }, opts);
      }
    }
    out.push(outcome!);
    opts.onFile?.(outcome!);
  }
  return out;
}

export { StoreError };
