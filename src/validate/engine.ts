import {
  allFieldDefs,
  applies,
  evalExpr,
  fieldDef,
  holds,
  relationFields,
  relationsFor,
  type FieldId,
  type Generation,
  type Relation,
  type Values,
} from "../model/index.js";

/** The outcome of one relation on one set of values. */
export interface Outcome {
  rel: Relation;
  left: number;
  right: number;
  ok: boolean;
  /** Alternative optional terms left out of this evaluation. */
  dropped?: ReadonlySet<FieldId>;
}

/** Evaluates a relation, or undefined when a required term is absent (blank is not 0). */
export function evaluate(rel: Relation, values: Values, previous?: Values): Outcome | undefined {
  // Several optional terms are alternative spellings of one row (FJ-RECEIVED-B: 信函、传真 or 信函):
  // "whichever is present is used". When more than one is present, any one may close the sum.
  const present = rel.optional.size > 1 ? [...rel.optional].filter((id) => values[id] !== undefined) : [];
  if (present.length < 2) return evaluateWith(rel, values, previous);
  let first: Outcome | undefined;
  for (const keep of present) {
    const dropped = new Set(present.filter((id) => id !== keep));
    const vals: Record<FieldId, number> = { ...values };
    for (const id of dropped) delete vals[id];
    const o = evaluateWith(rel, vals, previous);
    if (o) o.dropped = dropped;
    if (o?.ok) return o;
    first ??= o;
  }
  return first;
}

function evaluateWith(rel: Relation, values: Values, previous?: Values): Outcome | undefined {
  const left = evalExpr(rel.left, values, rel.optional, previous);
  const right = evalExpr(rel.right, values, rel.optional, previous);
  if (left === undefined || right === undefined) return undefined;
  return { rel, left, right, ok: holds(rel.op, left, right) };
}

const definitionsOf = new Map<Generation, Relation[]>();
/** Relations that define a derived field (`derived = Σ parts`). */
function definitions(generation: Generation): Relation[] {
  let defs = definitionsOf.get(generation);
  if (!defs) {
    defs = relationsFor(generation).filter((r) => {
      if (r.rule.basis !== "definition" || r.op !== "=" || r.left.terms.length !== 1 || r.crossYear) return false;
      return fieldDef(r.left.terms[0].id, generation)?.kind === "derived";
    });
    definitionsOf.set(generation, defs);
  }
  return defs;
}

/**
 * Fills absent derived fields (subtotals, all-litigation block) from their definitions, so rules
 * over them can run. Returns the completed values and the ids that were computed (never printed,
 * so never blamed for an error).
 */
export function derive(values: Values, generation: Generation): { values: Record<FieldId, number>; computed: Set<FieldId> } {
  // Copied key by key: a spread of a report's 200-odd fields costs nearly twice as much (20 µs).
  const out: Record<FieldId, number> = {};
  for (const id in values) out[id] = values[id];
  const computed = new Set<FieldId>();
  const defs = definitions(generation);
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of defs) {
      const id = d.left.terms[0].id;
      if (out[id] !== undefined) continue;
      const v = evalExpr(d.right, out, d.optional);
      if (v === undefined) continue;
      out[id] = v;
      computed.add(id);
      changed = true;
    }
  }
  return { values: out, computed };
}

const pre2019Tables = (() => {
  let cache: { indicators: Set<FieldId>; fujian: Set<FieldId> } | undefined;
  return () => {
    if (cache) return cache;
    const ind = new Set<FieldId>();
    const fj = new Set<FieldId>();
    for (const f of allFieldDefs()) {
      if (!f.generation.includes("pre2019")) continue;
      if (f.table === "pre2019.indicators") ind.add(f.id);
      if (f.table === "pre2019.fujian") fj.add(f.id);
    }
    cache = { indicators: new Set([...ind].filter((i) => !fj.has(i))), fujian: new Set([...fj].filter((i) => !ind.has(i))) };
    return cache;
  };
})();

/**
 * Pre-2019 reports use either the national table or the 福建 table; both share ids such as
 * requests.received.fax, so a 福建 report would otherwise fail PRE-RECEIVED (no e-mail term).
 * A table's rules are dropped when only the other table's own rows are printed. Returns the
 * test for one relation (the rows printed are looked at once per report, not once per relation).
 */
function tableTest(present: (id: FieldId) => boolean, generation: Generation): (rel: Relation) => boolean {
  if (generation !== "pre2019") return () => true;
  const { indicators, fujian } = pre2019Tables();
  const has = (s: Set<FieldId>) => [...s].some(present);
  const ind = has(indicators);
  const fj = has(fujian);
  return (rel) => {
    if (rel.rule.table === "pre2019.indicators") return !(fj && !ind);
    if (rel.rule.table === "pre2019.fujian") return !(ind && !fj);
    return true;
  };
}

/** A row is printed when it has a value or was printed blank: either says which table or variant the report uses. */
export function printedRows(values: Values, blank: Iterable<FieldId> = []): (id: FieldId) => boolean {
  const b = new Set(blank);
  return (id) => values[id] !== undefined || b.has(id);
}

/**
 * The relations to check on a report: its generation's, minus the other pre-2019 table's, the
 * rules data/rule-conditions.json sets aside for the rows printed (福建 A vs B, national variants),
 * and, without a previous report, the cross-year ones. An optional term (a row some tables do not
 * have) is optional only when its row is not printed: a row printed blank is a term whose value is
 * unknown, so the relation cannot be evaluated (blank is not 0).
 */
export function applicableRelations(generation: Generation, values: Values, withPrevious: boolean, blank: Iterable<FieldId> = []): Relation[] {
  const present = printedRows(values, blank);
  const blanks = new Set(blank);
  const tableApplies = tableTest(present, generation);
  return relationsFor(generation)
    .filter((r) => (withPrevious || !r.crossYear) && tableApplies(r) && applies(r, present))
    .map((r) => (blanks.size && [...r.optional].some((id) => blanks.has(id)) ? { ...r, optional: new Set([...r.optional].filter((id) => !blanks.has(id))) } : r));
}

/** `FJ-RECEIVED-A` and `-B` are alternative forms of one rule: the family key, or undefined. */
export function variantFamily(rel: Relation): string | undefined {
  if (!rel.rule.code.startsWith("FJ-")) return undefined;
  const m = /^(.*)-([A-Z])$/.exec(rel.rule.code);
  if (!m) return undefined;
  return `${m[1]}|${rel.bindings.column ?? ""}|${Object.entries(rel.bindings).filter(([k]) => k !== "column").map(([k, v]) => `${k}=${v}`).join(",")}`;
}

/**
 * Among a family's variants, the ones the report's own rows point to: a variant whose exclusive
 * terms (rows the other variant lacks) are present. Returns the relations worth reporting.
 */
export function relevantVariants(variants: Relation[], present: (id: FieldId) => boolean): Relation[] {
  const termsOf = (r: Relation) => new Set(relationFields(r));
  const scores = variants.map((r) => {
    const others = new Set(variants.filter((o) => o !== r).flatMap((o) => relationFields(o)));
    return [...termsOf(r)].filter((id) => !others.has(id) && present(id)).length;
  });
  const best = Math.max(...scores);
  return variants.filter((_, i) => scores[i] === best);
}
