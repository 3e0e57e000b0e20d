import { relationsFor, type Extraction, type FieldId, type Finding, type Generation } from "../../model/index.js";
import type { Document } from "../document.js";
import { AGREES_WITH, FILL_UNLESS, readProseWith } from "./engine.js";
import { bodyKeyOf } from "./label.js";

/**
 * Numbers stated in sentences (prose-only pre-2019 reports; the prose of 2019/2021 reports that
 * restates table figures; section 六's 信息处理费), read with the phrase table in phrases.json.
 * Conservative: a sentence about a sub-unit, another year, a change, a share or a rank is not read.
 */
export function readProse(doc: Document, generation: Generation): Extraction {
  return readProseWith(doc, generation);
}

/** The definitions (`total = a + b`) of both table generations, as sums of terms, by defined id. */
let definitions: Map<FieldId, { id: FieldId; sign: number }[][]> | undefined;
function definitionSums() {
  if (!definitions) {
    definitions = new Map();
    for (const g of ["2019", "2021"] as Generation[]) {
      for (const r of relationsFor(g)) {
        if (r.rule.basis !== "definition" || r.op !== "=" || r.left.terms.length !== 1 || r.right.kind !== "sum") continue;
        const id = r.left.terms[0].id;
        definitions.set(id, [...(definitions.get(id) ?? []), r.right.terms.map((t) => ({ id: t.id, sign: t.sign }))]);
      }
    }
  }
  return definitions;
}

/** A derived field (a definition such as `review.litigation.total = direct + after`) computed from the table values. */
function derivedFrom(id: FieldId, values: Record<FieldId, number>): number | undefined {
  for (const terms of definitionSums().get(id) ?? []) {
    let sum = 0;
    let complete = true;
    for (const t of terms) {
      const v = values[t.id];
      if (v === undefined) { complete = false; break; }
      sum += t.sign * v;
    }
    if (complete) return Math.round(sum * 1e6) / 1e6;
  }
  return undefined;
}

function textTable(id: FieldId, prose: number, table: number): Finding {
  const label = bodyKeyOf(id);
  return {
    rule: "TEXT-TABLE",
    severity: "warning",
    message: `TEXT-TABLE ${label}: 正文 ${prose} ≠ 附表 ${table} (prose ${prose} ≠ table ${table})`,
    message_en: `TEXT-TABLE ${id}: prose ${prose} ≠ table ${table}`,
    fields: [id],
    expected: table,
    actual: prose,
  };
}

export interface MergeOptions {
  /**
   * Cells the table printed but the solver could not split although it was given the prose figures
   * as hints: no split has the stated value, so the prose does not fill them (a figure no reading
   * of the printed digits gives is not the cell).
   */
  weighed?: FieldId[];
  /** The tables are the caller's own and not used again: filled in place instead of copied. */
  consume?: boolean;
}

/** Does the prose figure equal another table sum it may state (收到 = 新收 + 上年结转)? */
function agreesOtherwise(id: FieldId, pv: number, table: Record<FieldId, number>): boolean {
  return (AGREES_WITH[id] ?? []).some((terms) => {
    if (terms.some((t) => table[t] === undefined)) return false;
    return Math.abs(terms.reduce((s, t) => s + table[t], 0) - pv) < 1e-6;
  });
}

/**
 * Table values win; prose fills the fields the tables lack (blank or ambiguous cells included) and
 * every disagreement becomes a TEXT-TABLE warning naming both numbers.
 */
export function mergeProse(tables: Extraction, prose: Extraction, opts: MergeOptions = {}): Extraction {
  const issues = [...tables.issues, ...prose.issues];
  // Decided on the tables as read (a field prose fills never decides another), then filled.
  const fills: FieldId[] = [];
  for (const [id, pv] of Object.entries(prose.fields)) {
    const tv = tables.fields[id] ?? derivedFrom(id, tables.fields);
    if (tv !== undefined) {
      if (Math.abs(tv - pv) > 1e-6 && !agreesOtherwise(id, pv, tables.fields)) issues.push(textTable(id, pv, tv));
      continue;
    }
    // A cell the tables print but could not read unambiguously is not filled from prose: the
    // figures a split agrees with were already used as hints, so a prose figure here matches no
    // reading of the digits (weighed) or the table itself is in doubt.
    if (opts.weighed?.includes(id) || tables.ambiguous.includes(id)) continue;
    if ((FILL_UNLESS[id] ?? []).some((other) => tables.fields[other] !== undefined)) continue;
    fills.push(id);
  }
  // Copying a report's two dictionaries costs more than the rest of the merge: a caller that
  // hands its tables over (`consume`) has them filled in place.
  const out: Extraction = opts.consume
    ? { fields: tables.fields, blank: tables.blank, ambiguous: tables.ambiguous, provenance: tables.provenance, issues }
    : { fields: { ...tables.fields }, blank: [...tables.blank], ambiguous: [...tables.ambiguous], provenance: { ...tables.provenance }, issues };
  if (!fills.length) return out;
  for (const id of fills) {
    out.fields[id] = prose.fields[id];
    out.provenance[id] = prose.provenance[id];
  }
  const filled = new Set(fills);
  out.blank = out.blank.filter((b) => !filled.has(b));
  out.ambiguous = out.ambiguous.filter((a) => !filled.has(a));
  return out;
}
