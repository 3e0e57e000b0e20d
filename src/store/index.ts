/**
 * gongkai store — one query layer (kysely) over SQLite (better-sqlite3, default file `gongkai.db`)
 * and PostgreSQL (`postgres://…`); the dialect is chosen by the URL.
 *
 * Opening
 *   const store = await openStore(url?, { migrations?, readonly? });
 *     url: `--db` value; default `resolveDbUrl()` = env GONGKAI_DB or `gongkai.db`.
 *          `postgres://…`/`postgresql://…` → PostgreSQL; a path (or `sqlite:PATH`, `:memory:`) → SQLite.
 *     store.db            Kysely<StoreDB> (tables below); store.engine "sqlite" | "postgres"
 *     store.as<T>()       the same connection typed as Kysely<StoreDB & T> for your own tables
 *     await store.close()
 *   Errors are StoreError { code: DB_CORRUPT | DB_READONLY | DB_LOCKED | DB_OPEN | DB_CONNECT | … }
 *   with a one-line Chinese-then-English message: print it and exit 2.
 *
 * Contributing tables from another capability (dependencies point store <- requests)
 *   import type { Migration } from "kysely";
 *   export const requestsMigrations: Record<string, Migration> = {
 *     "0100_requests_init": { async up(db) { … }, async down(db) { … } },
 *   };
 *   const store = await openStore(url, { migrations: requestsMigrations });
 *   - Names sort globally: the store owns 0001–0099; use 0100+ (requests 0100–0199, catalog 0200–0299, …).
 *   - Migrations run once, in name order, each in a transaction; ones executed earlier by a
 *     capability that this process did not load are tolerated (so `gongkai import` still opens a
 *     database that also holds request tables).
 *   - Inside up(db): `isPostgres(db)` tells the engine (e.g. "serial" vs "integer … autoincrement",
 *     "bytea" vs "blob"). Use integer 0/1 for booleans and ISO-8601 text for timestamps so queries
 *     stay identical on both engines. Reference agencies with `agency_id integer references agencies(id)`.
 *
 * Tables (see schema.ts): agencies(id, name, level 省/市/县/区/部门, parent_id), agency_aliases(alias,
 * agency_id), originals(content_hash, bytes), reports(id, agency_id, report_year, generation,
 * source_file, source_url, content_hash, version, superseded, supersedes_id, …), field_names(id, name),
 * values(report_id, field, value, provenance), findings(report_id, source, rule, severity, message,
 * fields_json, numbers_json, fingerprint), verdicts(fingerprint, verdict, comment, who, at).
 *
 * Agencies: `findAgency(store, name)`, `resolveAgency(store, name)` (name, alias or name+人民政府),
 * `ensureAgency(store, name, { level?, parent?, aliases? })`, `deriveLevel(name)`, `loadAgenciesCsv`.
 * Import: `importFiles(store, paths, opts)`, `importParsed(store, parsedReport, { file, bytes, url? }, opts)`
 *   (one transaction per report; idempotent by content hash; new version for a different report of
 *   the same agency and year, the older kept as superseded and the pair flagged STORE-VERSION;
 *   `opts.workers`: the files not stored yet parsed on worker threads while this thread stores).
 * Findings: `listFindings`, `setVerdict(store, fingerprint, "confirmed" | "dismissed", { comment, who })`,
 *   `showFinding`; fingerprints hash agency + year + rule + fields, so verdicts survive re-import.
 * Questions: `compare`, `trend`, `missing`, `rollup`; `renderRows` for table/csv/xlsx/json output.
 */
export { openStore, resolveDbUrl, STORE_MIGRATIONS, DEFAULT_DB, type Store, type OpenOptions } from "./store.js";
export { isPostgres, parseTarget, type Engine } from "./engine.js";
export { StoreError, type StoreErrorCode } from "./errors.js";
export type { StoreDB, AgencyLevel } from "./schema.js";
export { AGENCY_LEVELS } from "./schema.js";
export { normaliseAgencyName, deriveLevel, governmentStem, findAgency, resolveAgency, ensureAgency, loadAgenciesCsv, descendants, type AgencyRow, type AgencyHints } from "./agencies.js";
export { importParsed, importFiles, contentHash, type ReportSource, type ImportOptions, type ImportFilesOptions, type ImportOutcome, type ImportStatus } from "./import.js";
export { fingerprint, listFindings, setVerdict, showFinding, type StoredFinding, type FindingFilter, type FindingDetail, type Verdict, type FindingSource } from "./findings.js";
export { acrossYearFindings, checkAllAcrossYears, jumps, loadReport, JUMP_FACTOR, JUMP_MIN } from "./across.js";
export { compare, trend, missing, rollup, counts, fieldLabel, type CompareRow, type TrendRow, type MissingRow, type Rollup, type RollupDifference } from "./queries.js";
export { renderRows, textTable, checkFormat, displayWidth, OUTPUT_FORMATS, type OutputFormat, type Column } from "./format.js";
