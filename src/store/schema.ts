import type { Generated } from "kysely";

/**
 * The database as a TypeScript type (kysely). Booleans are integers 0/1 and timestamps ISO-8601
 * text on both engines, so one query layer serves SQLite and PostgreSQL unchanged.
 */

export type AgencyLevel = "省" | "市" | "县" | "区" | "部门";
export const AGENCY_LEVELS: readonly AgencyLevel[] = ["省", "市", "县", "区", "部门"];

export interface AgenciesTable {
  id: Generated<number>;
  name: string;
  level: string | null;
  parent_id: number | null;
  created_at: string;
}

export interface AgencyAliasesTable {
  alias: string;
  agency_id: number;
}

/** Original bytes, once per content hash (a report page may vanish or be edited after publication). */
export interface OriginalsTable {
  content_hash: string;
  bytes: Buffer;
  size: number;
}

export interface ReportsTable {
  id: Generated<number>;
  agency_id: number;
  report_year: number;
  generation: string | null;
  /** Agency name as printed in the report (before alias resolution). */
  printed_agency: string | null;
  source_file: string;
  source_url: string | null;
  content_hash: string;
  /** 1 for the first report of an agency and year, then 2, 3… in import order. */
  version: number;
  /** 1 once a later version of the same agency and year has been imported. */
  superseded: number;
  /** The report this one replaced (the flagged pair), if any. */
  supersedes_id: number | null;
  blank_json: string;
  ambiguous_json: string;
  imported_at: string;
}

/** Field ids are stored once and referred to by a small integer: values is by far the largest table. */
export interface FieldNamesTable {
  id: Generated<number>;
  name: string;
}

export interface ValuesTable {
  report_id: number;
  field: number;
  value: number;
  provenance: string | null;
}

export interface FindingsTable {
  id: Generated<number>;
  report_id: number;
  /** "report" for the validator's findings on one report, "across" for across-year checks, "store" for version flags. */
  source: string;
  rule: string;
  severity: string;
  message: string;
  message_en: string | null;
  fields_json: string;
  /** expected / actual / suggestion / other numbers involved, as JSON. */
  numbers_json: string;
  /** Hash of agency + year + rule + fields: never of the message, so verdicts survive re-parsing. */
  fingerprint: string;
}

export interface VerdictsTable {
  id: Generated<number>;
  fingerprint: string;
  verdict: string;
  comment: string | null;
  who: string;
  at: string;
}

export interface StoreDB {
  agencies: AgenciesTable;
  agency_aliases: AgencyAliasesTable;
  originals: OriginalsTable;
  reports: ReportsTable;
  field_names: FieldNamesTable;
  values: ValuesTable;
  findings: FindingsTable;
  verdicts: VerdictsTable;
}
