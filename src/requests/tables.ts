import type { FieldId, ParsedReport } from "../model/index.js";
import { APPLICANT_TYPES, OUTCOMES, type Application, type ApplicationState, type ApplicantType } from "./register.js";

/**
 * Tables 三 and 四 of the 2021 format for one agency and year, counted from the register, as
 * field ids of data/fields.json. Exact by construction:
 *   new        = applications received in the year;
 *   carried_in = received before the year and not closed before it;
 *   result.*   = closed in the year, by outcome;
 *   carried_out= received by 31 December and not closed by then,
 * so new + carried_in = result.total + carried_out holds in every column.
 * Table 四 counts the reconsiderations and lawsuits filed in the year, by their result as of
 * 31 December (尚未审结 when none yet); a lawsuit filed after a reconsideration of the same
 * application is 复议后起诉, otherwise 未经复议直接起诉.
 * No personal data enters: only applicant type, dates and outcomes are read.
 */

export interface RegisterEntry {
  app: Application;
  state: ApplicationState;
}

export const APPLICATION_ROWS: readonly string[] = ["new", "carried_in", ...Object.keys(OUTCOMES).map((o) => `result.${o}`), "result.total", "carried_out"];
export const APPLICATION_COLUMNS: readonly string[] = [...Object.keys(APPLICANT_TYPES), "total"];
export const REVIEW_BLOCKS = ["reconsideration", "litigation_direct", "litigation_after"] as const;
export const REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"] as const;

/** Every cell of tables 三 and 四 (2021), zero-filled. */
export function emptyTables(): Record<FieldId, number> {
  const out: Record<FieldId, number> = {};
  for (const r of APPLICATION_ROWS) for (const c of APPLICATION_COLUMNS) out[`applications.${r}.${c}`] = 0;
  for (const b of REVIEW_BLOCKS) for (const c of REVIEW_COLUMNS) out[`review.${b}.${c}`] = 0;
  return out;
}

export function computeTables(entries: readonly RegisterEntry[], year: number): Record<FieldId, number> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const t = emptyTables();
  const add = (row: string, col: ApplicantType) => {
    t[`applications.${row}.${col}`]++;
    t[`applications.${row}.total`]++;
  };
  for (const { app, state } of entries) {
    const col = app.applicantType;
    const closed = state.status === "closed" ? state.closedOn : undefined;
    if (app.receivedOn > last) continue;
    if (app.receivedOn >= first) add("new", col);
    else if (!closed || closed >= first) add("carried_in", col);
    else continue;
    if (closed && closed <= last) {
      add(`result.${state.outcome}`, col);
      add("result.total", col);
    } else add("carried_out", col);

    const cases: [typeof REVIEW_BLOCKS[number], { filedOn: string; decidedOn?: string; result?: string } | undefined][] = [
      ["reconsideration", state.reconsideration],
      [state.litigation?.afterReconsideration ? "litigation_after" : "litigation_direct", state.litigation],
    ];
    for (const [block, c] of cases) {
      if (!c || c.filedOn < first || c.filedOn > last) continue;
      const result = c.result && c.decidedOn && c.decidedOn <= last ? c.result : "pending";
      t[`review.${block}.${result}`]++;
      t[`review.${block}.total`]++;
    }
  }
  return t;
}

/** The tables as a report of the 2021 generation, for the validator. */
export function tablesAsReport(fields: Record<FieldId, number>, year: number, agency: string): ParsedReport {
  return { file: `register:${agency}:${year}`, format: "2021", report_year: year, agency, fields, blank: [], ambiguous: [], provenance: {}, issues: [] };
}

/** Cells whose value differs between two computations (for locked years). */
export function diffTables(before: Record<FieldId, number>, after: Record<FieldId, number>): { field: FieldId; before: number; after: number }[] {
  const out: { field: FieldId; before: number; after: number }[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if ((before[k] ?? 0) !== (after[k] ?? 0)) out.push({ field: k, before: before[k] ?? 0, after: after[k] ?? 0 });
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
}
