import type { Kysely, Migration } from "kysely";
import { isPostgres } from "../store/index.js";

/** The register's tables, contributed to the store (names 0100–0199 belong to requests). */
export const requestsMigrations: Record<string, Migration> = {
  "0100_requests_init": {
    async up(db: Kysely<any>) {
      const pg = isPostgres(db);
      const id = (t: any) => (pg ? t.addColumn("id", "serial", (c: any) => c.primaryKey()) : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement()));
      await id(db.schema.createTable("request_applications"))
        .addColumn("agency_id", "integer", (c: any) => c.notNull().references("agencies.id"))
        .addColumn("number", "text", (c: any) => c.notNull())
        .addColumn("applicant_type", "text", (c: any) => c.notNull())
        // Personal information (条例 and 个人信息保护法): read only by the handling agency's staff views.
        .addColumn("applicant_name", "text", (c: any) => c.notNull())
        .addColumn("applicant_id_number", "text")
        .addColumn("applicant_contact", "text")
        .addColumn("channel", "text", (c: any) => c.notNull())
        .addColumn("subject", "text", (c: any) => c.notNull())
        .addColumn("received_on", "text", (c: any) => c.notNull())
        .addColumn("created_at", "text", (c: any) => c.notNull())
        .addUniqueConstraint("request_applications_number", ["agency_id", "number"])
        .execute();
      await id(db.schema.createTable("request_events"))
        .addColumn("application_id", "integer", (c: any) => c.notNull().references("request_applications.id"))
        .addColumn("kind", "text", (c: any) => c.notNull())
        .addColumn("date", "text", (c: any) => c.notNull())
        .addColumn("data_json", "text", (c: any) => c.notNull())
        .addColumn("recorded_at", "text", (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("request_events_app").on("request_events").column("application_id").execute();
      // Calendar years added or corrected by an administrator; they override the shipped files.
      await db.schema.createTable("request_calendar_years")
        .addColumn("year", "integer", (c) => c.primaryKey())
        .addColumn("data_json", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createTable("request_locks")
        .addColumn("agency_id", "integer", (c) => c.notNull().references("agencies.id"))
        .addColumn("year", "integer", (c) => c.notNull())
        .addColumn("issued_on", "text", (c) => c.notNull())
        .addColumn("figures_json", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("request_locks_pk", ["agency_id", "year"])
        .execute();
      await id(db.schema.createTable("request_corrections"))
        .addColumn("agency_id", "integer", (c: any) => c.notNull().references("agencies.id"))
        .addColumn("year", "integer", (c: any) => c.notNull())
        .addColumn("recorded_on", "text", (c: any) => c.notNull())
        .addColumn("reason", "text", (c: any) => c.notNull())
        .addColumn("changes_json", "text", (c: any) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ["request_corrections", "request_locks", "request_calendar_years", "request_events", "request_applications"]) await db.schema.dropTable(t).execute();
    },
  },
};

export interface RequestTables {
  request_applications: {
    id: import("kysely").Generated<number>;
    agency_id: number;
    number: string;
    applicant_type: string;
    applicant_name: string;
    applicant_id_number: string | null;
    applicant_contact: string | null;
    channel: string;
    subject: string;
    received_on: string;
    created_at: string;
  };
  request_events: { id: import("kysely").Generated<number>; application_id: number; kind: string; date: string; data_json: string; recorded_at: string };
  request_calendar_years: { year: number; data_json: string; updated_at: string };
  request_locks: { agency_id: number; year: number; issued_on: string; figures_json: string };
  request_corrections: { id: import("kysely").Generated<number>; agency_id: number; year: number; recorded_on: string; reason: string; changes_json: string };
}
