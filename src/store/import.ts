import { createHash } from "node:crypto";
import { readLocal } from "../batch/source.js";
import { InputError } from "../parse/decode.js";
import type { Finding, ParsedReport } from "../model/index.js";
import { parseReport } from "../parse/index.js";
import { parseAhead, type ParsedRecords } from "./parsed-records.js";
import { ensureAgencyIn, normaliseAgencyName, type AgencyHints } from "./agencies.js";
import { refreshAcross, reportAndAcrossFindings } from "./across.js";
import { sqliteHandle } from "./engine.js";
import { StoreError, toStoreError } from "./errors.js";
import { replaceFindingsIn } from "./findings.js";
import { kyselyOps, sqliteOps, type ImportOps, type ValueRow } from "./ops.js";
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

type AgencyRef = { id: number; name: string };

/**
 * Agencies by the name an import gave, once found by that name (never renamed or deleted, so
 * the id stays right). Filled only after the report's transaction committed; alias hits are not
 * kept (an alias can be moved to another agency).
 */
const agencyCache = new WeakMap<Store["db"], Map<string, AgencyRef>>();

/**
 * Runs `body` in one transaction. SQLite: on the store's one connection, held for the whole
 * transaction (kysely's connection lock, so no other query of this process slips in), with
 * `begin immediate` (the write lock is taken up front and waited for, instead of failing at the
 * first write when another process wrote meanwhile) and the native statements of `sqliteOps`.
 * PostgreSQL: a kysely transaction.
 */
async function withImportTransaction<T>(store: Store, body: (ops: ImportOps, db: Db) => Promise<T>): Promise<T> {
  const raw = sqliteHandle(store.db);
  if (!raw) return store.db.transaction().execute((trx) => body(kyselyOps(trx as unknown as Db), trx as unknown as Db));
  return store.db.connection().execute(async (conn) => {
    raw.exec("begin immediate");
    try {
      const out = await body(sqliteOps(raw), conn as unknown as Db);
      raw.exec("commit");
      return out;
    } catch (e) {
      if (raw.inTransaction) raw.exec("rollback");
      throw e;
    }
  });
}

/** Statements for a read outside a transaction: native on SQLite unless another transaction holds the connection. */
function readOps(store: Store): ImportOps {
  const raw = sqliteHandle(store.db);
  return raw && !raw.inTransaction ? sqliteOps(raw) : kyselyOps(store.db);
}

/**
 * Stores one parsed report in ONE transaction: agency (matched by name or alias, created when new),
 * original bytes, report row, values with provenance, findings, and the across-year findings it
 * affects. The same bytes twice are one report; a different report for the same agency and year
 * becomes a new version, the older one kept (superseded) and the pair flagged (STORE-VERSION).
 */
export async function importParsed(store: Store, parsed: ParsedReport, source: ReportSource, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const hash = contentHash(source.bytes);
  const pre = readOps(store);
  const dup = await pre.byHash(hash);
  if (dup) return { file: source.file, status: "duplicate", report_id: dup.id, agency: await pre.agencyName(dup.agency_id), year: dup.report_year, version: dup.version };
  return storeNew(store, parsed, source, hash, opts);
}

/** importParsed for bytes whose hash the caller has just computed and found not stored. */
async function storeNew(store: Store, parsed: ParsedReport, source: ReportSource, hash: string, opts: ImportOptions): Promise<ImportOutcome> {
  const file = source.file;

  const agencyName = opts.agency ?? parsed.agency;
  if (!agencyName || !normaliseAgencyName(agencyName))
    return { file, status: "failed", code: "NO_AGENCY", message: `${file}: 未识别出机关名称，请用 --agency 指定 (no agency found in the report; give --agency)` };
  const year = opts.year ?? parsed.report_year;
  if (!year || !Number.isInteger(year))
    return { file, status: "failed", code: "NO_YEAR", message: `${file}: 未识别出报告年度，请用 --year 指定 (no report year found; give --year)` };

  const model: ParsedReport = { ...parsed, agency: agencyName, report_year: year };
  const entries = Object.entries(parsed.fields).filter(([, v]) => typeof v === "number" && Number.isFinite(v));
  const keys = await fieldKeys(store, entries.map(([id]) => id));
  const now = new Date().toISOString();
  const url = opts.url ?? source.url ?? null;
  const hints = !!(opts.level || opts.parent || opts.aliases?.length);
  let cache = agencyCache.get(store.db);
  if (!cache) { cache = new Map(); agencyCache.set(store.db, cache); }
  let found: { ref: AgencyRef; byName: boolean } | undefined;

  try {
    const outcome = await withImportTransaction(store, async (ops, db) => {
      let agency: AgencyRef | undefined = hints ? undefined : cache!.get(agencyName);
      if (!agency && !hints) {
        const n = normaliseAgencyName(agencyName);
        const row = await ops.findAgency(n);
        if (row) { agency = { id: row.id, name: row.name }; found = { ref: agency, byName: row.name === n }; }
      }
      if (!agency) {
        const row = await ensureAgencyIn(db, agencyName, { level: opts.level, parent: opts.parent, aliases: opts.aliases });
        agency = { id: row.id, name: row.name };
      }
      await ops.insertOriginal(hash, Buffer.isBuffer(source.bytes) ? source.bytes : Buffer.from(source.bytes), source.bytes.length);
      const same = await ops.versions(agency.id, year);
      const prev = same.find((r) => r.superseded === 0);
      const version = (same[0]?.version ?? 0) + 1;
      const reportId = await ops.insertReport({
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
      });
      if (prev) await ops.supersede(prev.id);

      const rows: ValueRow[] = entries.map(([id, value]) => {
        const p = parsed.provenance?.[id];
        return { report_id: reportId, field: keys.get(id)!, value, provenance: p ? JSON.stringify(p) : null };
      });
      // In key order: SQLite appends to the table's last page instead of splitting pages half-full.
      rows.sort((a, b) => a.field - b.field);
      await ops.insertValues(rows);

      // The years around, read in this transaction: validation runs once, against the year before when there is one.
      const around = await ops.currentReports(agency.id, [year - 1, year + 1]);
      const newest = (y: number) => around.filter((r) => r.report_year === y).sort((a, b) => b.version - a.version)[0];
      const before = newest(year - 1);
      const previous = before ? await ops.loadReport(before.id) : undefined;
      const { own, across } = reportAndAcrossFindings(model, previous, { validate: opts.validate !== false });
      const all = [...(parsed.issues ?? []), ...own];
      if (prev) {
        const oldFields = (await ops.loadReport(prev.id)).fields;
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
      await replaceFindingsIn(ops, reportId, "report", agency.name, year, all, { fresh: true });
      await replaceFindingsIn(ops, reportId, "across", agency.name, year, across, { fresh: true });
      const after = newest(year + 1);
      if (after) await refreshAcross(ops, after.id, agency.name, year + 1, model);
      return {
        file, status: prev ? "version" : "stored", report_id: reportId, agency: agency.name, year, version,
        supersedes: prev?.id, findings: all.length,
      } satisfies ImportOutcome;
    });
    if (found?.byName) cache.set(agencyName, found.ref);
    return outcome;
  } catch (e) {
    const again = await Promise.resolve(readOps(store).byHash(hash)).catch(() => undefined);
    // Another process stored the same bytes between our check and our insert: still one report.
    if (again) return { file, status: "duplicate", report_id: again.id };
    throw toStoreError(e, store.display);
  }
}

export interface ImportFilesOptions extends ImportOptions {
  /** Called after each file (for a progress display). */
  onFile?: (outcome: ImportOutcome) => void;
  /**
   * Parse the files not stored yet on this many worker threads first (with their deadline and
   * memory cap); 0 or absent: each file in this thread as it is stored.
   */
  workers?: number;
  /** With workers: a worker's heap in MB; a file that needs more fails as OUT_OF_MEMORY. */
  maxHeapMb?: number;
  /** With workers: a file taking longer fails as TIMEOUT. */
  timeoutMs?: number;
  /** With workers: files parsed so far of those being parsed, a few times a second. */
  onParsed?: (done: number, total: number) => void;
}

/** Files whose bytes the store does not hold yet (the ones worth parsing). */
async function notStored(store: Store, files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = readLocal(file);
    } catch {
      continue;
    }
    if (!(await readOps(store).byHash(contentHash(bytes)))) out.push(file);
  }
  return out;
}

/**
 * Parses and stores each file, in the order given. A file that cannot be parsed is reported and
 * skipped; a database error stops the run (StoreError). With `workers`, the files not stored yet
 * are parsed on worker threads while this thread stores the ones already parsed; the storing is
 * the same, file by file in the same order, so the outcome does not depend on how the threads ran.
 */
export async function importFiles(store: Store, files: string[], opts: ImportFilesOptions = {}): Promise<ImportOutcome[]> {
  let ahead: ParsedRecords | undefined;
  if (opts.workers && files.length > 1) {
    const todo = await notStored(store, files);
    if (todo.length > 1) ahead = parseAhead(todo, { workers: opts.workers, maxHeapMb: opts.maxHeapMb, timeoutMs: opts.timeoutMs, onProgress: (done) => opts.onParsed?.(done, todo.length) });
  }
  try {
    return await storeEach(store, files, opts, ahead);
  } finally {
    await ahead?.close();
  }
}

async function storeEach(store: Store, files: string[], opts: ImportFilesOptions, ahead: ParsedRecords | undefined): Promise<ImportOutcome[]> {
  const out: ImportOutcome[] = [];
  for (const file of files) {
    let outcome: ImportOutcome;
    let bytes: Uint8Array | undefined;
    try {
      bytes = readLocal(file);
    } catch (e) {
      outcome = e instanceof InputError
        ? { file, status: "failed", code: e.code, message: e.message }
        : { file, status: "failed", code: "NOT_FOUND", message: `${file}: 无法读取文件 (cannot read file)` };
    }
    if (bytes) {
      const hash = contentHash(bytes);
      const dup = await readOps(store).byHash(hash);
      if (dup) outcome = { file, status: "duplicate", report_id: dup.id };
      else {
        let parsed: ParsedReport | undefined;
        const early = await ahead?.get(file);
        if (early?.ok) parsed = early.report;
        else if (early) outcome = { file, status: "failed", code: early.error.code, message: early.error.message };
        else {
          try {
            parsed = await parseReport(bytes, { filename: file });
          } catch (e) {
            const err = e as { code?: string; message?: string };
            outcome = { file, status: "failed", code: err.code ?? "PARSE", message: err.message ?? String(e) };
          }
        }
        if (parsed) outcome = await storeNew(store, parsed, { file, bytes, url: opts.url }, hash, opts);
      }
    }
    out.push(outcome!);
    opts.onFile?.(outcome!);
  }
  return out;
}

export { StoreError };
