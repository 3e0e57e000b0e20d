import { fieldDef, fieldDefsFor, relationFields, type FieldId, type Generation, type Relation, type Values } from "../model/index.js";
import { derive, evaluate, type Outcome } from "./engine.js";
import { splitCell } from "./messages.js";

/** A single-cell correction that restores every failing identity of a group and breaks none. */
export interface Candidate {
  field: FieldId;
  printed: number;
  value: number;
  /** How many failing warning-level relations the change also restores (tie-break only). */
  warningsFixed: number;
}

export type ReasonKey = "typo" | "transposition" | "wrong_column" | "extra_digit" | "missing_digit" | "other";
export interface Reason {
  key: ReasonKey;
  neighbour?: FieldId;
  neighbourValue?: number;
  difference: number;
}

/** Groups failing relations that share a cell: one misprint shows as several broken sums. */
export function groupFailures(failing: Outcome[]): Outcome[][] {
  const parent = failing.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<FieldId, number>();
  failing.forEach((o, i) => {
    for (const id of relationFields(o.rel)) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Outcome[]>();
  failing.forEach((o, i) => {
    const g = groups.get(find(i)) ?? [];
    g.push(o);
    groups.set(find(i), g);
  });
  return [...groups.values()];
}

/** Value of a term's cell that would make an `=` relation hold, all else equal. */
function solveFor(o: Outcome, id: FieldId, values: Values): number | undefined {
  if (o.rel.op !== "=" || o.rel.left.kind !== "sum" || o.rel.right.kind !== "sum") return undefined;
  const d = o.left - o.right;
  const current = values[id];
  if (current === undefined) return undefined;
  // Coefficient of the cell in left − right; a cell may appear on both sides in principle.
  let coef = 0;
  for (const t of o.rel.left.terms) if (!t.prev && t.id === id) coef += t.sign;
  for (const t of o.rel.right.terms) if (!t.prev && t.id === id) coef -= t.sign;
  if (coef === 0) return undefined;
  return Math.round((current - d / coef) * 1e6) / 1e6;
}

function acceptable(id: FieldId, v: number, generation: Generation): boolean {
  const def = fieldDef(id, generation);
  if (!def) return false;
  if (def.value_type !== "decimal" && !Number.isInteger(v)) return false;
  if (def.value_type !== "signed_integer" && v < 0) return false;
  return true;
}

/**
 * Cells whose single change repairs a whole group of failing identities. Candidates come from each
 * failing `=` relation (the value that makes it hold); a candidate survives when, with derived
 * fields recomputed, every failing relation of the group holds and no relation that held breaks.
 */
export function probableErrors(
  group: Outcome[],
  reported: Values,
  computed: ReadonlySet<FieldId>,
  relations: Relation[],
  baseline: Map<Relation, Outcome | undefined>,
  generation: Generation,
): Candidate[] {
  const raw = new Map<string, { id: FieldId; value: number }>();
  for (const o of group) {
    for (const id of new Set(relationFields(o.rel))) {
      if (computed.has(id) || reported[id] === undefined) continue;
      const v = solveFor(o, id, reported);
      if (v === undefined || v === reported[id] || !acceptable(id, v, generation)) continue;
      raw.set(`${id}=${v}`, { id, value: v });
    }
  }
  const groupRels = new Set(group.map((o) => o.rel));
  const out: Candidate[] = [];
  for (const { id, value } of raw.values()) {
    const { values } = derive({ ...stripComputed(reported, computed), [id]: value }, generation);
    let ok = true;
    let warningsFixed = 0;
    for (const r of relations) {
      if (r.crossYear) continue;
      const before = baseline.get(r);
      const after = evaluate(r, values);
      if (groupRels.has(r)) {
        if (!after?.ok) { ok = false; break; }
        continue;
      }
      if (before?.ok && after && !after.ok) { ok = false; break; }
      if (before && !before.ok && after?.ok && r.rule.severity === "warning") warningsFixed++;
    }
    if (ok) out.push({ field: id, printed: reported[id], value, warningsFixed });
  }
  if (out.length > 1) {
    const best = Math.max(...out.map((c) => c.warningsFixed));
    const top = out.filter((c) => c.warningsFixed === best);
    if (top.length === 1) return top;
  }
  return out;
}

function stripComputed(values: Values, computed: ReadonlySet<FieldId>): Record<FieldId, number> {
  const out: Record<FieldId, number> = {};
  for (const [k, v] of Object.entries(values)) if (!computed.has(k)) out[k] = v;
  return out;
}

const neighbourCache = new Map<Generation, Map<FieldId, FieldId[]>>();

/** Cells printed next to a cell: same row, adjacent column; same column, adjacent row (catalog order). */
export function neighbours(id: FieldId, generation: Generation): FieldId[] {
  let map = neighbourCache.get(generation);
  if (!map) {
    map = new Map();
    const byTable = new Map<string, FieldId[]>();
    for (const f of fieldDefsFor(generation)) {
      if (f.kind !== "reported") continue;
      const list = byTable.get(f.table) ?? [];
      if (!list.includes(f.id)) list.push(f.id);
      byTable.set(f.table, list);
    }
    const add = (a: FieldId, b: FieldId) => {
      map!.set(a, [...(map!.get(a) ?? []), b]);
      map!.set(b, [...(map!.get(b) ?? []), a]);
    };
    for (const ids of byTable.values()) {
      const cells = ids.map((i) => ({ id: i, cell: splitCell(i, generation) }));
      if (cells.every((c) => c.cell)) {
        const rows = [...new Set(cells.map((c) => c.cell!.row))];
        const cols = [...new Set(cells.map((c) => c.cell!.column))];
        const at = new Map(cells.map((c) => [`${c.cell!.row}|${c.cell!.column}`, c.id]));
        for (const c of cells) {
          const ri = rows.indexOf(c.cell!.row);
          const row = cols.filter((col) => at.has(`${c.cell!.row}|${col}`));
          const ci = row.indexOf(c.cell!.column);
          if (ci + 1 < row.length) add(c.id, at.get(`${c.cell!.row}|${row[ci + 1]}`)!);
          const below = rows.slice(ri + 1).find((r) => at.has(`${r}|${c.cell!.column}`));
          if (below) add(c.id, at.get(`${below}|${c.cell!.column}`)!);
        }
      } else {
        for (let i = 0; i + 1 < ids.length; i++) add(ids[i], ids[i + 1]);
      }
    }
    neighbourCache.set(generation, map);
  }
  return map.get(id) ?? [];
}

function digits(x: number): string {
  return String(Math.abs(x));
}

/** Why the printed value probably differs from the likely one (typo, swapped digits, wrong column, ...). */
export function classify(printed: number, likely: number, id: FieldId, generation: Generation, values: Values): Reason {
  const difference = Math.round((printed - likely) * 1e6) / 1e6;
  const p = digits(printed);
  const l = digits(likely);
  if (Math.sign(printed) === Math.sign(likely) || printed === 0 || likely === 0) {
    if (p.length === l.length) {
      const diff = [...p].map((ch, i) => (ch !== l[i] ? i : -1)).filter((i) => i >= 0);
      if (diff.length === 2 && p[diff[0]] === l[diff[1]] && p[diff[1]] === l[diff[0]]) return { key: "transposition", difference };
      if (diff.length === 1) return { key: "typo", difference };
    }
  }
  const dropOne = (long: string, short: string) => long.length === short.length + 1 && [...long].some((_, i) => long.slice(0, i) + long.slice(i + 1) === short);
  if (dropOne(p, l)) return { key: "extra_digit", difference };
  if (dropOne(l, p)) return { key: "missing_digit", difference };
  for (const n of neighbours(id, generation)) {
    const v = values[n];
    if (v === undefined || v === 0) continue;
    if (v === printed || Math.abs(difference) === Math.abs(v)) return { key: "wrong_column", neighbour: n, neighbourValue: v, difference };
  }
  return { key: "other", difference };
}
