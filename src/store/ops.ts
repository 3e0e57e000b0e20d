import type Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import type { Generation, ParsedReport } from "../model/index.js";
import type { AgencyRow } from "./agencies.js";
import type { FindingsTable, ReportsTable, StoreDB, ValuesTable } from "./schema.js";

type Db = Kysely<StoreDB>;
type Awaitable<T> = T | Promise<T>;

export type ValueRow = ValuesTable;

/** A finding row as inserted (the schema's row without its generated id). */
export type FindingRow = Omit<FindingsTable, "id">;

/** A report row as inserted. */
export type ReportInsert = Omit<ReportsTable, "id">;

export type StoredModel = ParsedReport & { agency_id: number };

/**
 * The statements one import runs, in two forms with one meaning: kysely (PostgreSQL, or any
 * connection) and native better-sqlite3 statements prepared once per database (SQLite). An import
 * runs about a dozen of them per report; building and compiling each through kysely cost more
 * than SQLite took to run it. Questions (compare/trend/rollup) stay on kysely.
 */
export interface ImportOps {
  byHash(hash: string): Awaitable<{ id: number; agency_id: number; report_year: number; version: number } | undefined>;
  agencyName(id: number): Awaitable<string | undefined>;
  /** By normalised name, then by alias. */
  findAgency(name: string): Awaitable<AgencyRow | undefined>;
  insertOriginal(hash: string, bytes: Buffer, size: number): Awaitable<void>;
  /** Every version of an agency's report for a year, newest first. */
  versions(agencyId: number, year: number): Awaitable<{ id: number; version: number; superseded: number }[]>;
  insertReport(row: ReportInsert): Awaitable<number>;
  supersede(id: number): Awaitable<void>;
  insertValues(rows: ValueRow[]): Awaitable<void>;
  /** The current (not superseded) reports of an agency for some years. */
  currentReports(agencyId: number, years: number[]): Awaitable<{ id: number; report_year: number; version: number }[]>;
  loadReport(id: number): Awaitable<StoredModel>;
  insertFindings(rows: FindingRow[]): Awaitable<void>;
  deleteFindings(reportId: number, source: string): Awaitable<void>;
}

function model(r: { agency_id: number; name: string; report_year: number; generation: string | null; source_file: string; blank_json: string; ambiguous_json: string }, fields: Record<string, number>): StoredModel {
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

export function kyselyOps(db: Db): ImportOps {
  return {
    byHash: (hash) => db.selectFrom("reports").select(["id", "agency_id", "report_year", "version"]).where("content_hash", "=", hash).executeTakeFirst(),
    agencyName: async (id) => (await db.selectFrom("agencies").select("name").where("id", "=", id).executeTakeFirst())?.name,
    findAgency: async (n) =>
      (await db.selectFrom("agencies").select(["id", "name", "level", "parent_id"]).where("name", "=", n).executeTakeFirst())
      ?? (await db.selectFrom("agency_aliases").innerJoin("agencies", "agencies.id", "agency_aliases.agency_id")
        .select(["agencies.id", "agencies.name", "agencies.level", "agencies.parent_id"]).where("agency_aliases.alias", "=", n).executeTakeFirst()),
    insertOriginal: async (hash, bytes, size) => {
      await db.insertInto("originals").values({ content_hash: hash, bytes, size }).onConflict((oc) => oc.column("content_hash").doNothing()).execute();
    },
    versions: (agencyId, year) => db.selectFrom("reports").select(["id", "version", "superseded"])
      .where("agency_id", "=", agencyId).where("report_year", "=", year).orderBy("version", "desc").execute(),
    insertReport: async (row) => (await db.insertInto("reports").values(row).returning("id").executeTakeFirstOrThrow()).id,
    supersede: async (id) => { await db.updateTable("reports").set({ superseded: 1 }).where("id", "=", id).execute(); },
    insertValues: async (rows) => {
      if (!rows.length) return;
      // Four array parameters instead of four per row (parse and bind of hundreds of parameters
      // cost more than the insert on PostgreSQL).
      await sql`insert into "values" ("report_id", "field", "value", "provenance")
        select * from unnest(${rows.map((r) => r.report_id)}::int[], ${rows.map((r) => r.field)}::int[], ${rows.map((r) => r.value)}::float8[], ${rows.map((r) => r.provenance)}::text[])`.execute(db);
    },
    currentReports: (agencyId, years) => db.selectFrom("reports").select(["id", "report_year", "version"])
      .where("agency_id", "=", agencyId).where("report_year", "in", years).where("superseded", "=", 0).execute(),
    loadReport: async (id) => {
      const r = await db.selectFrom("reports").innerJoin("agencies", "agencies.id", "reports.agency_id")
        .select(["reports.agency_id", "agencies.name", "reports.report_year", "reports.generation", "reports.source_file", "reports.blank_json", "reports.ambiguous_json"])
        .where("reports.id", "=", id).executeTakeFirstOrThrow();
      const vals = await db.selectFrom("values").innerJoin("field_names", "field_names.id", "values.field")
        .select(["field_names.name", "values.value"]).where("values.report_id", "=", id).execute();
      const fields: Record<string, number> = {};
      for (const v of vals) fields[v.name] = Number(v.value);
      return model(r, fields);
    },
    insertFindings: async (rows) => {
      for (let i = 0; i < rows.length; i += 200) await db.insertInto("findings").values(rows.slice(i, i + 200)).execute();
    },
    deleteFindings: async (reportId, source) => {
      await db.deleteFrom("findings").where("report_id", "=", reportId).where("source", "=", source).execute();
    },
  };
}

/** Rows per multi-row values insert: one statement call per 50 values instead of one per value. */
const VALUE_CHUNK = 50;

const nativeCache = new WeakMap<Database.Database, ImportOps>();

/**
 * Native statements on the better-sqlite3 handle behind a SQLite store. They run on the same
 * single connection as kysely, so they belong to whatever transaction is open there: callers run
 * them while they hold that connection (see `withImportTransaction`).
 */
export function sqliteOps(raw: Database.Database): ImportOps {
  const cached = nativeCache.get(raw);
  if (cached) return cached;
  const st = (text: string) => raw.prepare(text);
  const byHash = st('select "id", "agency_id", "report_year", "version" from "reports" where "content_hash" = ?');
  const agencyName = st('select "name" from "agencies" where "id" = ?').pluck();
  const agencyByName = st('select "id", "name", "level", "parent_id" from "agencies" where "name" = ?');
  const agencyByAlias = st('select a."id", a."name", a."level", a."parent_id" from "agency_aliases" x join "agencies" a on a."id" = x."agency_id" where x."alias" = ?');
  const insertOriginal = st('insert into "originals" ("content_hash", "bytes", "size") values (?, ?, ?) on conflict ("content_hash") do nothing');
  const versions = st('select "id", "version", "superseded" from "reports" where "agency_id" = ? and "report_year" = ? order by "version" desc');
  const insertReport = st(`insert into "reports" ("agency_id", "report_year", "generation", "printed_agency", "source_file", "source_url", "content_hash", "version", "superseded", "supersedes_id", "blank_json", "ambiguous_json", "imported_at")
    values (@agency_id, @report_year, @generation, @printed_agency, @source_file, @source_url, @content_hash, @version, @superseded, @supersedes_id, @blank_json, @ambiguous_json, @imported_at)`);
  const supersede = st('update "reports" set "superseded" = 1 where "id" = ?');
  const valueInserts = new Map<number, Database.Statement>();
  const valueInsert = (n: number) => {
    let s = valueInserts.get(n);
    if (!s) {
      s = st(`insert into "values" ("report_id", "field", "value", "provenance") values ${Array(n).fill("(?, ?, ?, ?)").join(", ")}`);
      valueInserts.set(n, s);
    }
    return s;
  };
  // `+superseded`: without statistics SQLite would take the (report_year, superseded) index and
  // walk every report of the year; the (agency_id, report_year) one finds the agency's few.
  const current = st('select "id", "report_year", "version" from "reports" where "agency_id" = ? and "report_year" = ? and +"superseded" = 0');
  const current2 = st('select "id", "report_year", "version" from "reports" where "agency_id" = ? and "report_year" in (?, ?) and +"superseded" = 0');
  const reportRow = st('select r."agency_id", a."name", r."report_year", r."generation", r."source_file", r."blank_json", r."ambiguous_json" from "reports" r join "agencies" a on a."id" = r."agency_id" where r."id" = ?');
  // Two JSON arrays built in SQLite cost a third of stepping 200 rows into JS; doubles print
  // with 17 digits, so values come back exact.
  const reportValues = st('select json_group_array(v."field"), json_group_array(v."value") from "values" v where v."report_id" = ?').raw();
  const fieldNames = st('select "id", "name" from "field_names"').raw();
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    let n = names.get(id);
    if (n === undefined) {
      // Field names are only ever added: reload when another process added one.
      for (const [i, name] of fieldNames.all() as [number, string][]) names.set(i, name);
      n = names.get(id);
      if (n === undefined) throw new Error(`no field name ${id}`);
    }
    return n;
  };
  const insertFinding = st(`insert into "findings" ("report_id", "source", "rule", "severity", "message", "message_en", "fields_json", "numbers_json", "fingerprint")
    values (@report_id, @source, @rule, @severity, @message, @message_en, @fields_json, @numbers_json, @fingerprint)`);
  const deleteFindings = st('delete from "findings" where "report_id" = ? and "source" = ?');

  const ops: ImportOps = {
    byHash: (hash) => byHash.get(hash) as any,
    agencyName: (id) => agencyName.get(id) as string | undefined,
    findAgency: (n) => (agencyByName.get(n) ?? agencyByAlias.get(n)) as AgencyRow | undefined,
    insertOriginal: (hash, bytes, size) => { insertOriginal.run(hash, bytes, size); },
    versions: (agencyId, year) => versions.all(agencyId, year) as any,
    insertReport: (row) => Number(insertReport.run(row).lastInsertRowid),
    supersede: (id) => { supersede.run(id); },
    insertValues: (rows) => {
      for (let i = 0; i < rows.length; i += VALUE_CHUNK) {
        const n = Math.min(VALUE_CHUNK, rows.length - i);
        const params: unknown[] = new Array(n * 4);
        for (let k = 0; k < n; k++) {
          const r = rows[i + k];
          params[4 * k] = r.report_id; params[4 * k + 1] = r.field; params[4 * k + 2] = r.value; params[4 * k + 3] = r.provenance;
        }
        valueInsert(n).run(params);
      }
    },
    currentReports: (agencyId, years) => (years.length === 2 ? current2.all(agencyId, years[0], years[1])
      : years.flatMap((y) => current.all(agencyId, y))) as { id: number; report_year: number; version: number }[],
    loadReport: (id) => {
      const r = reportRow.get(id) as Parameters<typeof model>[0] | undefined;
      if (!r) throw new Error(`no report ${id}`);
      const fields: Record<string, number> = {};
      const [ids, values] = (reportValues.get(id) as [string, string]).map((j) => JSON.parse(j) as number[]);
      for (let i = 0; i < ids.length; i++) fields[nameOf(ids[i])] = values[i];
      return model(r, fields);
    },
    insertFindings: (rows) => { for (const r of rows) insertFinding.run(r); },
    deleteFindings: (reportId, source) => { deleteFindings.run(reportId, source); },
  };
  nativeCache.set(raw, ops);
  return ops;
}
