/** A stable dotted field id from data/fields.json, e.g. `applications.new.total`. The public API. */
export type FieldId = string;

/** Template generation of an annual report (spec §1.5). */
export type Generation = "pre2019" | "2019" | "2021";
export const GENERATIONS: readonly Generation[] = ["pre2019", "2019", "2021"];

/** The statistical year a report covers (not its publication date). */
export type ReportYear = number;

export type Unit = "件" | "条" | "项" | "次" | "人次" | "篇" | "个" | "人" | "万元" | "元";
export type BlankPolicy = "allowed" | "discouraged" | "computed";
export type FieldKind = "reported" | "derived" | "prose";

/** One entry of the field catalog: an id as it appears in one table of some generations. */
export interface FieldDef {
  id: FieldId;
  generation: Generation[];
  table: string;
  label: string;
  column: string | null;
  variants: string[];
  column_variants: string[];
  unit: Unit;
  blank: BlankPolicy;
  kind: FieldKind;
  value_type: "integer" | "decimal" | "signed_integer";
  notes?: string;
}

export type Severity = "error" | "warning" | "info";

/** An identity or check from data/fields.json `rules`. */
export interface RuleDef {
  code: string;
  generations: Generation[];
  equation: string;
  official: boolean;
  basis: "template-note" | "label" | "definition" | "arithmetic" | "heuristic";
  severity: "error" | "warning";
  note?: string;
  for_each?: Record<string, string>;
  optional_terms?: string[];
  table?: string;
  machine_checkable: boolean;
}

/** How a value was read: from a table cell, a text table line, a prose sentence, or solved from a run of digits. */
export type ProvenanceMethod = "table" | "text" | "prose" | "solved";

export interface Provenance {
  method: ProvenanceMethod;
  /** Where: a short locator a person can follow (table/row/column, line number, sentence). */
  source: string;
  /** The text exactly as printed (a cell, a digit run, a sentence fragment). */
  raw: string;
  /** Character offset in the decoded, normalised text, where known. */
  offset?: number;
}

/**
 * A message from any stage (parser warning or validator finding), one shape for all
 * (after vfile's VFileMessage): rule code, severity, message in Chinese and English,
 * the fields involved and, for identities, the two sides.
 */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  message_en?: string;
  fields?: FieldId[];
  expected?: number;
  actual?: number;
  /** A probable single-cell error that would restore every failing identity. */
  suggestion?: { field: FieldId; value: number; printed?: number; reason: string };
}

/** The canonical model of one parsed report: the public `--json` shape (schema/parse-result.schema.json). */
export interface ParsedReport {
  file: string;
  format: Generation | null;
  report_year: ReportYear | null;
  agency: string | null;
  fields: Record<FieldId, number>;
  blank: FieldId[];
  ambiguous: FieldId[];
  provenance: Record<FieldId, Provenance>;
  issues: Finding[];
}

/** What a reader extracts from one part of a document, merged by the parser. */
export interface Extraction {
  fields: Record<FieldId, number>;
  blank: FieldId[];
  ambiguous: FieldId[];
  provenance: Record<FieldId, Provenance>;
  issues: Finding[];
}

export function emptyExtraction(): Extraction {
  return { fields: {}, blank: [], ambiguous: [], provenance: {}, issues: [] };
}
