import { sql, type Kysely, type Migration } from "kysely";
import { isPostgres } from "../engine.js";

/**
 * PostgreSQL: values by field, with the value in the index, so `compare` (one field, one year,
 * every agency) is an index-only scan of the field's entries hashed against the year's reports,
 * instead of a nested loop of one primary-key probe and one heap page per report (20,000 probes
 * into a table far larger than shared_buffers at 100k reports: 358 ms p95 before, see
 * BENCHMARKS.md). Index-only scans need the visibility map: an insert-only table is vacuumed after
 * 20% new rows by default, so the newest reports would still cost heap visits; vacuuming after
 * 1% keeps them few (each such vacuum reads only the pages not yet all-visible).
 *
 * SQLite keeps values clustered by report and no index by field: its WAL writes whole pages, and
 * an index by field would add one page per field to every report's commit; compare there reads
 * the field through the (report_id, field) key and meets its target without it.
 */
export const valuesByField: Migration = {
  async up(db: Kysely<any>) {
    if (!isPostgres(db)) return;
    await sql`create index if not exists "values_field_report" on "values" ("field", "report_id") include ("value")`.execute(db);
    await sql`alter table "values" set (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02)`.execute(db);
  },
  async down(db: Kysely<any>) {
    if (!isPostgres(db)) return;
    await sql`drop index if exists "values_field_report"`.execute(db);
    await sql`alter table "values" reset (autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`.execute(db);
  },
};
