// Pure scoring of parser output against hand labels (fixtures/seeds/expected, fixtures/expected/reports).
// No I/O here: bench/accuracy.ts reads files and runs the parser; this module only compares.
import type { FieldId, Generation, Provenance } from "../src/model/index.js";

/** A hand label file (format of fixtures/seeds/expected/*.json; `complete`/`ambiguous` optional in old seeds). */
export interface Label {
  /** Path relative to fixtures/ (or to the label's own folder for the seeds); several renderings may share one label. */
  file: string | string[];
  format: Generation;
  agency: string | null;
  report_year: number | null;
  /** false / "partial" when the capture stops early; absent means complete. */
  complete?: boolean | string;
  fields: Record<FieldId, number>;
  blank?: FieldId[];
  ambiguous?: FieldId[];
  /** Per rendering: fields only that rendering leaves undecidable (moved from `fields` to ambiguous for that file). */
  ambiguous_in?: Record<string, FieldId[]>;
  report_inconsistencies?: unknown[];
  notes?: string;
}

/** The part of a parse result the score looks at (a subset of ParsedReport). */
export interface ParsedForScore {
  format: Generation | null;
  report_year: number | null;
  agency: string | null;
  fields: Record<FieldId, number>;
  blank?: FieldId[];
  ambiguous?: FieldId[];
  provenance?: Record<FieldId, Provenance>;
}

export type MissKind =
  | "wrong-value" // labelled, parsed with another value (counts as FP and FN)
  | "missing" // labelled, not parsed
  | "declared-ambiguous" // labelled, parser said ambiguous (FN)
  | "declared-blank" // labelled, parser said blank (FN)
  | "unlabelled" // parsed, not labelled at all (FP)
  | "ambiguous-guessed" // parsed a value for a labelled-ambiguous field (FP)
  | "blank-filled" // parsed a value for a labelled-blank cell (FP)
  | "parse-failed"; // parser threw / returned an error: every labelled field is missed

export interface Miss {
  file: string;
  field: FieldId | "*";
  kind: MissKind;
  expected: number | "ambiguous" | "blank" | null;
  got: number | "ambiguous" | "blank" | null;
  provenance: string | null;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  /** Labelled values (tp + fn). */
  labelled: number;
  /** Labelled-ambiguous fields the parser also declared ambiguous (or left absent). */
  ambiguousAgreed: number;
  ambiguousLabelled: number;
}

export interface Detection {
  format: boolean;
  report_year: boolean;
  /** exact after whitespace removal; "partial" when one name contains the other. */
  agency: boolean | "partial";
}

export interface FileScore {
  file: string;
  generation: Generation;
  complete: boolean;
  counts: Counts;
  detection: Detection;
  misses: Miss[];
  error?: string;
}

/** Values are equal when within 1e-6 (万元 decimals such as 5949.088667). */
export const TOLERANCE = 1e-6;

export function emptyCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0, labelled: 0, ambiguousAgreed: 0, ambiguousLabelled: 0 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    tp: a.tp + b.tp,
    fp: a.fp + b.fp,
    fn: a.fn + b.fn,
    labelled: a.labelled + b.labelled,
    ambiguousAgreed: a.ambiguousAgreed + b.ambiguousAgreed,
    ambiguousLabelled: a.ambiguousLabelled + b.ambiguousLabelled,
  };
}

/** Precision: share of parsed values that are right. With nothing parsed it is 1 (nothing wrong was said). */
export function precision(c: Counts): number {
  return c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
}

/** Recall: share of labelled values parsed right. With nothing labelled it is 1. */
export function recall(c: Counts): number {
  return c.labelled === 0 ? 1 : c.tp / c.labelled;
}

export function labelFiles(label: Label): string[] {
  return Array.isArray(label.file) ? label.file : [label.file];
}

export function isComplete(label: Label): boolean {
  return label.complete === undefined || label.complete === true || label.complete === "yes";
}

/** The expectation for one rendering: fields undecidable in that rendering move from `fields` to ambiguous. */
export function expectationFor(label: Label, file: string): { fields: Record<FieldId, number>; ambiguous: Set<FieldId>; blank: Set<FieldId> } {
  const extra = label.ambiguous_in?.[file] ?? [];
  const ambiguous = new Set([...(label.ambiguous ?? []), ...extra]);
  const fields: Record<FieldId, number> = {};
  for (const [id, v] of Object.entries(label.fields)) if (!ambiguous.has(id)) fields[id] = v;
  return { fields, ambiguous, blank: new Set(label.blank ?? []) };
}

const squash = (s: string | null | undefined): string => (s ?? "").replace(/\s+/g, "");

export function detect(label: Label, parsed: ParsedForScore | null): Detection {
  if (!parsed) return { format: false, report_year: false, agency: false };
  const a = squash(label.agency);
  const b = squash(parsed.agency);
  const agency: boolean | "partial" = a !== "" && a === b ? true : a !== "" && b !== "" && (a.includes(b) || b.includes(a)) ? "partial" : false;
  return { format: parsed.format === label.format, report_year: parsed.report_year === label.report_year, agency };
}

function describe(p: Provenance | undefined): string | null {
  if (!p) return null;
  return `${p.method} ${p.source}${p.raw ? ` «${p.raw}»` : ""}`;
}

/**
 * Score one rendering. `isDerived` tells which ids are computed fields (kind "derived"): a parser may
 * report them, and they count only when the label prints them (derived values are never read, so an
 * unlabelled derived value is not a claim about the document).
 */
export function scoreFile(
  label: Label,
  file: string,
  parsed: ParsedForScore | null,
  isDerived: (id: FieldId) => boolean = () => false,
  error?: string,
): FileScore {
  const exp = expectationFor(label, file);
  const counts = emptyCounts();
  const misses: Miss[] = [];
  counts.labelled = Object.keys(exp.fields).length;
  counts.ambiguousLabelled = exp.ambiguous.size;
  const base = { file, generation: label.format, complete: isComplete(label) };
  if (!parsed) {
    counts.fn = counts.labelled;
    misses.push({ file, field: "*", kind: "parse-failed", expected: null, got: null, provenance: error ?? null });
    return { ...base, counts, detection: detect(label, null), misses, error };
  }
  const got = parsed.fields ?? {};
  const pAmb = new Set(parsed.ambiguous ?? []);
  const pBlank = new Set(parsed.blank ?? []);
  const prov = parsed.provenance ?? {};
  for (const [id, want] of Object.entries(exp.fields)) {
    if (Object.prototype.hasOwnProperty.call(got, id)) {
      const v = got[id];
      if (typeof v === "number" && Math.abs(v - want) <= TOLERANCE) counts.tp++;
      else {
        counts.fp++;
        counts.fn++;
        misses.push({ file, field: id, kind: "wrong-value", expected: want, got: v, provenance: describe(prov[id]) });
      }
    } else {
      counts.fn++;
      const kind: MissKind = pAmb.has(id) ? "declared-ambiguous" : pBlank.has(id) ? "declared-blank" : "missing";
      misses.push({ file, field: id, kind, expected: want, got: kind === "declared-ambiguous" ? "ambiguous" : kind === "declared-blank" ? "blank" : null, provenance: describe(prov[id]) });
    }
  }
  for (const [id, v] of Object.entries(got)) {
    if (Object.prototype.hasOwnProperty.call(exp.fields, id)) continue;
    if (exp.ambiguous.has(id)) {
      counts.fp++;
      misses.push({ file, field: id, kind: "ambiguous-guessed", expected: "ambiguous", got: v, provenance: describe(prov[id]) });
    } else if (exp.blank.has(id)) {
      counts.fp++;
      misses.push({ file, field: id, kind: "blank-filled", expected: "blank", got: v, provenance: describe(prov[id]) });
    } else if (!isDerived(id)) {
      counts.fp++;
      misses.push({ file, field: id, kind: "unlabelled", expected: null, got: v, provenance: describe(prov[id]) });
    }
  }
  for (const id of exp.ambiguous) if (!Object.prototype.hasOwnProperty.call(got, id)) counts.ambiguousAgreed++;
  return { ...base, counts, detection: detect(label, parsed), misses };
}

export interface Group {
  counts: Counts;
  files: number;
  format: number;
  report_year: number;
  agency: number;
  agencyPartial: number;
}

export interface Summary {
  /** key: generation or "overall"; then "complete" / "all". */
  groups: Record<string, { complete: Group; all: Group }>;
}

function emptyGroup(): Group {
  return { counts: emptyCounts(), files: 0, format: 0, report_year: 0, agency: 0, agencyPartial: 0 };
}

function addTo(g: Group, s: FileScore): void {
  g.counts = addCounts(g.counts, s.counts);
  g.files++;
  if (s.detection.format) g.format++;
  if (s.detection.report_year) g.report_year++;
  if (s.detection.agency === true) g.agency++;
  if (s.detection.agency === "partial") g.agencyPartial++;
}

export function summarise(scores: FileScore[]): Summary {
  const groups: Summary["groups"] = {};
  for (const key of ["pre2019", "2019", "2021", "overall"]) groups[key] = { complete: emptyGroup(), all: emptyGroup() };
  for (const s of scores) {
    for (const key of [s.generation, "overall"]) {
      const g = groups[key] ?? (groups[key] = { complete: emptyGroup(), all: emptyGroup() });
      addTo(g.all, s);
      if (s.complete) addTo(g.complete, s);
    }
  }
  return { groups };
}

export interface Targets {
  precision: number;
  recall: number;
}

export const TARGETS: Targets = { precision: 0.995, recall: 0.98 };

/** Targets apply to complete reports over all generations. */
export function meetsTargets(summary: Summary, targets: Targets = TARGETS): boolean {
  const c = summary.groups.overall.complete.counts;
  return precision(c) >= targets.precision && recall(c) >= targets.recall;
}
