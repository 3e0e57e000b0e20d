import { applies, evalExpr, holds, relationFields, relationsFor, type Expr, type Relation } from "../model/rules.js";
import type { FieldId, Finding, Generation, Provenance } from "../model/types.js";

/**
 * Rows whose blank cells were dropped with their separators (spec §7 item 5): `| 821 | 35 | 2 |
 * 1 | 859 |` under seven columns. The printed values keep their order; which cells they sit in is
 * not printed. Every placement (the values in order over a choice of cells, the other cells blank)
 * is a candidate; a candidate survives when some placement of all such rows satisfies every
 * identity that can be evaluated, reading a blank as nothing printed (0 in a sum). A cell is
 * settled when every surviving placement puts the same thing there (a value, or blank); the rest
 * is reported, never guessed.
 */

export interface LostRow {
  /** The row's cells in column order. */
  fields: FieldId[];
  /** The printed values, in order (fewer than the cells). */
  values: number[];
  /** The printed pieces, for provenance. */
  raw: string[];
  source: string;
  offset?: number;
}

export interface PlaceResult {
  values: Record<FieldId, number>;
  blank: FieldId[];
  ambiguous: FieldId[];
  provenance: Record<FieldId, Provenance>;
  issues: Finding[];
}

/** Above this many placements a row is not enumerated. */
const MAX_PLACEMENTS = 5000;
const NODE_LIMIT = 200_000;
const MAX_SOLUTIONS = 200;

function* choose(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= n - (k - acc.length); i++) {
    acc.push(i);
    yield* choose(n, k, i + 1, acc);
    acc.pop();
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export function placeLost(rows: LostRow[], known: Record<FieldId, number>, generation: Generation): PlaceResult {
  const out: PlaceResult = { values: {}, blank: [], ambiguous: [], provenance: {}, issues: [] };
  if (!rows.length) return out;
  const usable = rows.filter((r) => r.values.length > 0 && r.values.length < r.fields.length && binomial(r.fields.length, r.values.length) <= MAX_PLACEMENTS);
  for (const r of rows) if (!usable.includes(r)) out.ambiguous.push(...r.fields);

  const owner = new Map<FieldId, number>();
  usable.forEach((r, i) => r.fields.forEach((f) => owner.has(f) || owner.set(f, i)));
  const present = (id: FieldId) => owner.has(id) || known[id] !== undefined;
  // Each relation is checked at every row it involves: exactly once all its rows are placed, and
  // by bounds before (cells not yet placed are unknown non-negative amounts), which prunes early.
  const checks: Relation[][] = usable.map(() => []);
  const lastRow = new Map<Relation, number>();
  for (const rel of relationsFor(generation)) {
    if (rel.crossYear || !applies(rel, present)) continue;
    const fields = relationFields(rel);
    const rowsIn = fields.map((f) => owner.get(f)).filter((x): x is number => x !== undefined);
    if (!rowsIn.length) continue;
    if (!fields.every((f) => present(f) || rel.optional.has(f))) continue;
    for (const i of new Set(rowsIn)) checks[i].push(rel);
    lastRow.set(rel, Math.max(...rowsIn));
  }
  const nonNegative = usable.every((r) => r.values.every((v) => v >= 0));

  const placements = usable.map((r) => [...choose(r.fields.length, r.values.length)]);
  const values: Record<FieldId, number> = { ...known };
  const cellSeen = new Map<FieldId, Set<string>>();
  let nodes = 0;
  let solutions = 0;
  let exhausted = true;

  const assign = (i: number, p: number[]) => {
    const r = usable[i];
    r.fields.forEach((f) => (values[f] = 0));
    p.forEach((pos, j) => (values[r.fields[pos]] = r.values[j]));
  };
  const placed = new Set<FieldId>();
  /** [min, max] of an expression with the cells not yet placed unknown and non-negative. */
  const bounds = (e: Expr, optional: ReadonlySet<FieldId>): [number, number] | undefined => {
    if (e.kind !== "sum") return undefined;
    let lo = 0;
    let hi = 0;
    for (const t of e.terms) {
      if (t.prev) return undefined;
      if (owner.has(t.id) && !placed.has(t.id)) {
        if (t.sign > 0) hi = Infinity;
        else lo = -Infinity;
        continue;
      }
      const v = values[t.id];
      if (v === undefined) {
        if (optional.has(t.id)) continue;
        return undefined;
      }
      lo += t.sign * v;
      hi += t.sign * v;
    }
    return [lo, hi];
  };
  const ok = (i: number) =>
    checks[i].every((rel) => {
      if (lastRow.get(rel) === i) {
        const l = evalExpr(rel.left, values, rel.optional);
        const rt = evalExpr(rel.right, values, rel.optional);
        return l === undefined || rt === undefined || holds(rel.op, l, rt);
      }
      if (!nonNegative) return true;
      const l = bounds(rel.left, rel.optional);
      const rt = bounds(rel.right, rel.optional);
      if (!l || !rt) return true;
      const e = 1e-6;
      if (rel.op === "=") return l[0] <= rt[1] + e && rt[0] <= l[1] + e;
      if (rel.op === "<=") return l[0] <= rt[1] + e;
      return l[1] + e >= rt[0];
    });
  const chosen: number[][] = [];
  const search = (i: number): void => {
    if (solutions >= MAX_SOLUTIONS) return;
    if (++nodes > NODE_LIMIT) {
      exhausted = false;
      return;
    }
    if (i === usable.length) {
      solutions++;
      usable.forEach((r, k) => {
        const at = new Map(chosen[k].map((pos, j) => [pos, j]));
        r.fields.forEach((f, pos) => {
          const s = cellSeen.get(f) ?? new Set<string>();
          s.add(at.has(pos) ? String(r.values[at.get(pos)!]) : "blank");
          cellSeen.set(f, s);
        });
      });
      return;
    }
    for (const f of usable[i].fields) placed.add(f);
    for (const p of placements[i]) {
      assign(i, p);
      if (!ok(i)) continue;
      chosen[i] = p;
      search(i + 1);
      if (solutions >= MAX_SOLUTIONS || !exhausted) break;
    }
    for (const f of usable[i].fields) placed.delete(f);
  };
  search(0);

  if (!exhausted || solutions === 0) {
    // Nothing fits (the report errs) or the search was cut short: positions stay unknown.
    for (const r of usable) {
      // Still certain: a row whose last printed value is the sum of the others ends in its total.
      const last = r.values[r.values.length - 1];
      const rest = r.values.slice(0, -1).reduce((a, b) => a + b, 0);
      // (A row of zeros is no evidence: its last 0 may as well be any cell.)
      const totalLast = /\.total$/.test(r.fields[r.fields.length - 1]) && r.values.length >= 2 && last !== 0 && Math.abs(rest - last) < 1e-9;
      if (totalLast) {
        const f = r.fields[r.fields.length - 1];
        out.values[f] = last;
        out.provenance[f] = { method: "table", source: `${r.source}（总计 / total）`, raw: r.raw.join(" | "), offset: r.offset };
      }
      out.ambiguous.push(...(totalLast ? r.fields.slice(0, -1) : r.fields));
      out.issues.push({
        rule: "CELLS-LOST",
        severity: "warning",
        message: `${r.source}: ${r.fields.length} 个单元格只印出 ${r.values.length} 个值，${solutions === 0 ? "没有任何位置能满足勾稽关系" : "位置无法确定"} (${r.values.length} values for ${r.fields.length} cells; positions unknown)`,
        fields: r.fields,
      });
    }
    return out;
  }
  for (const r of usable) {
    const undecided: FieldId[] = [];
    r.fields.forEach((f) => {
      const s = cellSeen.get(f)!;
      if (s.size !== 1) {
        undecided.push(f);
        return;
      }
      const v = [...s][0];
      if (v === "blank") out.blank.push(f);
      else {
        out.values[f] = Number(v);
        out.provenance[f] = { method: "solved", source: `${r.source}（空白单元格的位置由勾稽关系确定 / blank positions fixed by the identities）`, raw: r.raw.join(" | "), offset: r.offset };
      }
    });
    if (undecided.length) {
      out.ambiguous.push(...undecided);
      out.issues.push({
        rule: "CELLS-LOST",
        severity: "warning",
        message: `${r.source}: 空白单元格的位置丢失，勾稽关系不能确定全部位置 (blank cells lost their positions; the identities do not fix them all)`,
        fields: undecided,
      });
    }
  }
  return out;
}
