import { sql, type Kysely, type Migration } from "kysely";
import { isPostgres } from "../engine.js";

/** Agencies, aliases, originals, reports, values, findings and verdicts. */
export const storeInit: Migration = {
  async up(db: Kysely<any>) {
    const pg = isPostgres(db);
    const id = (t: any) => (pg ? t.addColumn("id", "serial", (c: any) => c.primaryKey()) : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement()));
    const blob = pg ? "bytea" : "blob";
    const real = pg ? "double precision" : "real";

    await id(db.schema.createTable("agencies"))
      .addColumn("name", "text", (c: any) => c.notNull().unique())
      .addColumn("level", "text")
      .addColumn("parent_id", "integer", (c: any) => c.references("agencies.id"))
      .addColumn("created_at", "text", (c: any) => c.notNull())
      .execute();
    await db.schema.createIndex("agencies_parent").on("agencies").column("parent_id").execute();

    await db.schema.createTable("agency_aliases")
      .addColumn("alias", "text", (c) => c.primaryKey())
      .addColumn("agency_id", "integer", (c) => c.notNull().references("agencies.id"))
      .execute();

    await db.schema.createTable("originals")
      .addColumn("content_hash", "text", (c) => c.primaryKey())
      .addColumn("bytes", sql.raw(blob) as any, (c) => c.notNull())
      .addColumn("size", "integer", (c) => c.notNull())
      .execute();

    await id(db.schema.createTable("reports"))
      .addColumn("agency_id", "integer", (c: any) => c.notNull().references("agencies.id"))
      .addColumn("report_year", "integer", (c: any) => c.notNull())
      .addColumn("generation", "text")
      .addColumn("printed_agency", "text")
      .addColumn("source_file", "text", (c: any) => c.notNull())
      .addColumn("source_url", "text")
      .addColumn("content_hash", "text", (c: any) => c.notNull().unique().references("originals.content_hash"))
      .addColumn("version", "integer", (c: any) => c.notNull())
      .addColumn("superseded", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("supersedes_id", "integer", (c: any) => c.references("reports.id"))
      .addColumn("blank_json", "text", (c: any) => c.notNull())
      .addColumn("ambiguous_json", "text", (c: any) => c.notNull())
      .addColumn("imported_at", "text", (c: any) => c.notNull())
      .execute();
    await db.schema.createIndex("reports_agency_year").on("reports").columns(["agency_id", "report_year"]).execute();
    await db.schema.createIndex("reports_year").on("reports").columns(["report_year", "superseded"]).execute();

    await id(db.schema.createTable("field_names"))
      .addColumn("name", "text", (c: any) => c.notNull().unique())
      .execute();

    // One report's values sit together (key report_id, field): an import writes a few pages, not one
    // page per field, and compare/rollup reach a field by report through the same key. No index by
    // field: it would scatter every import over hundreds of pages.
    let values = db.schema.createTable("values")
      .addColumn("report_id", "integer", (c) => c.notNull().references("reports.id"))
      .addColumn("field", "integer", (c) => c.notNull().references("field_names.id"))
      .addColumn("value", sql.raw(real) as any, (c) => c.notNull())
      .addColumn("provenance", "text")
      .addPrimaryKeyConstraint("values_pk", ["report_id", "field"]);
    if (!pg) values = values.modifyEnd(sql`without rowid`);
    await values.execute();

    await id(db.schema.createTable("findings"))
      .addColumn("report_id", "integer", (c: any) => c.notNull().references("reports.id"))
      .addColumn("source", "text", (c: any) => c.notNull())
      .addColumn("rule", "text", (c: any) => c.notNull())
      .addColumn("severity", "text", (c: any) => c.notNull())
      .addColumn("message", "text", (c: any) => c.notNull())
      .addColumn("message_en", "text")
      .addColumn("fields_json", "text", (c: any) => c.notNull())
      .addColumn("numbers_json", "text", (c: any) => c.notNull())
      .addColumn("fingerprint", "text", (c: any) => c.notNull())
      .execute();
    await db.schema.createIndex("findings_report").on("findings").columns(["report_id", "source"]).execute();
    await db.schema.createIndex("findings_fingerprint").on("findings").column("fingerprint").execute();

    await id(db.schema.createTable("verdicts"))
      .addColumn("fingerprint", "text", (c: any) => c.notNull())
      .addColumn("verdict", "text", (c: any) => c.notNull())
      .addColumn("comment", "text")
      .addColumn("who", "text", (c: any) => c.notNull())
      .addColumn("at", "text", (c: any) => c.notNull())
      .execute();
    await db.schema.createIndex("verdicts_fingerprint").on("verdicts").columns(["fingerprint", "id"]).execute();
  },
  async down(db: Kysely<any>) {
    for (const t of ["verdicts", "findings", "values", "field_names", "reports", "originals", "agency_aliases", "agencies"]) await db.schema.dropTable(t).execute();
  },
};
