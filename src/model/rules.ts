import { readFileSync } from "node:fs";
import { allRules, namedSet } from "./catalog.js";
import type { FieldId, Generation, RuleDef } from "./types.js";

/**
 * The identities of data/fields.json, expanded into concrete relations over field ids.
 * One small engine serves both the parser (which solves run-together digits with them) and
 * the validator (which checks them): the rules stay data.
 */

export interface Term {
  id: FieldId;
  sign: 1 | -1;
  /** `id[y-1]`: the same agency's value in the previous report year. */
  prev: boolean;
}

export type Expr = { kind: "sum"; terms: Term[] } | { kind: "max"; terms: Term[] };

export type Op = "=" | "<=" | ">=";

/** One relation `left op right` of a rule, with its placeholders bound (e.g. c = natural). */
export interface Relation {
  rule: RuleDef;
  left: Expr;
  op: Op;
  right: Expr;
  bindings: Record<string, string>;
  /** Terms simply left out when the report has no such field. */
  optional: ReadonlySet<FieldId>;
  /** True when any term refers to the previous year's report. */
  crossYear: boolean;
}

function parseExpr(src: string): Expr {
  const s = src.trim();
  const max = /^max\((.*)\)$/.exec(s);
  if (max) return { kind: "max", terms: max[1].split(",").map((t) => parseTerm(t.trim(), 1)) };
  const terms: Term[] = [];
  for (const m of s.matchAll(/([+-]?)\s*([a-z_][a-z0-9_.]*(?:\[y-1\])?)/g)) terms.push(parseTerm(m[2], m[1] === "-" ? -1 : 1));
  return { kind: "sum", terms };
}

function parseTerm(t: string, sign: 1 | -1): Term {
  const prev = t.endsWith("[y-1]");
  return { id: prev ? t.slice(0, -5) : t, sign, prev };
}

function bindAll(equation: string, forEach: Record<string, string> | undefined, generation: Generation): { eq: string; bindings: Record<string, string> }[] {
  let out = [{ eq: equation, bindings: {} as Record<string, string> }];
  for (const [name, set] of Object.entries(forEach ?? {})) {
    const values = namedSet(set, generation);
    out = out.flatMap(({ eq, bindings }) => values.map((v) => ({ eq: eq.split(`{${name}}`).join(v), bindings: { ...bindings, [name]: v } })));
  }
  return out;
}

/** Splits `a <= b <= c ; d = e` into pairwise relations. */
function splitRelations(eq: string): { left: string; op: Op; right: string }[] {
  const out: { left: string; op: Op; right: string }[] = [];
  for (const part of eq.split(";")) {
    const pieces = part.split(/(<=|>=|=)/).map((p) => p.trim());
    for (let i = 0; i + 2 < pieces.length; i += 2) out.push({ left: pieces[i], op: pieces[i + 1] as Op, right: pieces[i + 2] });
  }
  return out;
}

const cache = new Map<string, Relation[]>();

/**
 * Every machine-checkable relation that applies to a generation. `cumulative` adds the 福建 rules'
 * twins over the 历年累计 column (`cumulative.<id>`), as the spec's notes say ("Same for cumulative.*").
 */
export function relationsFor(generation: Generation): Relation[] {
  const hit = cache.get(generation);
  if (hit) return hit;
  const out: Relation[] = [];
  for (const rule of allRules()) {
    if (!rule.machine_checkable || !rule.generations.includes(generation)) continue;
    const optional = new Set(rule.optional_terms ?? []);
    for (const { eq, bindings } of bindAll(rule.equation, rule.for_each, generation)) {
      for (const r of splitRelations(eq)) {
        const left = parseExpr(r.left);
        const right = parseExpr(r.right);
        const crossYear = [...left.terms, ...right.terms].some((t) => t.prev);
        out.push({ rule, left, op: r.op, right, bindings, optional, crossYear });
        const fjTwin = rule.table === "pre2019.fujian" && !crossYear && !rule.code.startsWith("FJ-CUMULATIVE"); // FJ-CHANNEL too: a channel's 历年累计 cannot exceed the total's
        if (fjTwin) {
          const cum = (e: Expr): Expr => ({ kind: e.kind, terms: e.terms.map((t) => ({ ...t, id: `cumulative.${t.id}` })) });
          out.push({ rule, left: cum(left), op: r.op, right: cum(right), bindings: { ...bindings, column: "cumulative" }, optional: new Set([...optional].map((o) => `cumulative.${o}`)), crossYear });
        }
      }
    }
  }
  cache.set(generation, out);
  return out;
}

export type Values = Readonly<Record<FieldId, number>>;

/**
 * Value of one side, or undefined when a required term is absent (a rule is evaluated only when
 * all its terms are present: blank is not 0, spec §1.3).
 */
const NONE: ReadonlySet<FieldId> = new Set();

export function evalExpr(expr: Expr, values: Values, optional: ReadonlySet<FieldId> = NONE, previous?: Values): number | undefined {
  // Summed in term order from 0, as a reduce would: the rounding below sees the same float.
  let sum = 0;
  let max = -Infinity;
  let any = false;
  for (const t of expr.terms) {
    const v = (t.prev ? previous : values)?.[t.id];
    if (v === undefined) {
      if (optional.has(t.id)) continue;
      return undefined;
    }
    const x = t.sign * v;
    sum += x;
    if (x > max) max = x;
    any = true;
  }
  if (expr.kind === "max") return any ? max : undefined;
  return roundSum(sum);
}

/** Sums of decimals (万元) are compared at 6 places, the precision reports print. */
export function roundSum(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function holds(op: Op, left: number, right: number): boolean {
  if (op === "=") return Math.abs(left - right) < 1e-6;
  if (op === "<=") return left <= right + 1e-6;
  return left >= right - 1e-6;
}

interface RuleCondition { unless_present?: FieldId[] }
let conditions: Record<string, RuleCondition> | undefined;
function ruleConditions(): Record<string, RuleCondition> {
  conditions ??= JSON.parse(readFileSync(new URL("../../data/rule-conditions.json", import.meta.url), "utf8")) as Record<string, RuleCondition>;
  return conditions;
}

/**
 * Does a relation apply to a report with these fields? Beyond "every term present", a regional
 * variant's rules are skipped when a row that only the other variant has is present
 * (data/rule-conditions.json; both 福建 row sets share most ids).
 */
export function applies(r: Relation, present: (id: FieldId) => boolean): boolean {
  const c = ruleConditions()[r.rule.code];
  if (!c?.unless_present) return true;
  const twin = r.bindings.column === "cumulative";
  return !c.unless_present.some((id) => present(id) || (twin && present(`cumulative.${id}`)));
}

/** Every field id a relation mentions (current year only). */
export function relationFields(r: Relation): FieldId[] {
  return [...r.left.terms, ...r.right.terms].filter((t) => !t.prev).map((t) => t.id);
}
