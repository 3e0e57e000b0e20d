import { readFileSync } from "node:fs";
import type { ParsedReport } from "../../model/index.js";

const ROOT = new URL("../../../fixtures/", import.meta.url);

/** A ParsedReport built from a hand-labelled expected JSON (fixtures/seeds/expected or fixtures/expected/reports). */
export function labelled(path: string): ParsedReport {
  const d = JSON.parse(readFileSync(new URL(path, ROOT), "utf8"));
  return {
    file: d.file ?? path,
    format: d.format,
    report_year: d.report_year,
    agency: d.agency,
    fields: { ...d.fields },
    blank: [...(d.blank ?? [])],
    ambiguous: [...(d.ambiguous ?? [])],
    provenance: {},
    issues: [],
  };
}

/** A copy of a report with some cells changed (a deliberately corrupted real report). */
export function corrupt(report: ParsedReport, changes: Record<string, number>): ParsedReport {
  return { ...report, fields: { ...report.fields, ...changes } };
}
