import { applies, evalExpr, holds, relationFields, relationsFor, type Expr, type Relation } from "../model/rules.js";
import type { FieldId, Finding, Generation, Provenance } from "../model/types.js";
import { solveRuns, type DigitRun } from "./solve.js";

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
  /** placed: the search ran to its end and some placement fits; none: no placement fits; cut: search cut short (or nothing usable). */
  status: "placed" | "none" | "cut";
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
  const out: PlaceResult = { values: {}, blank: [], ambiguous: [], provenance: {}, issues: [], status: "cut" };
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

  if (usable.length) out.status = !exhausted ? "cut" : solutions === 0 ? "none" : "placed";
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

/**
 * Rows printed as fewer whitespace-separated numbers than cells have two readings (spec §7 items 4
 * and 5): digits run together (`18 0` = 1 | 8 | 0) or blank cells dropped with their separators
 * (`18 0` = 18 | blank | 0, or another placement). Each reading is tried over all the rows at once;
 * one that no split or placement satisfies drops out. A cell keeps a value only when every reading
 * left standing gives it that value; where they disagree it is declared ambiguous, never guessed.
 * `dual` indexes the runs that can also be read as dropped blanks (every token one cell as printed).
 */
export interface Weighed {
  /** Indexes (into runs) of the dual rows settled here: the caller drops them from its runs. */
  rows: number[];
  values: Record<FieldId, number>;
  blank: FieldId[];
  ambiguous: FieldId[];
  provenance: Record<FieldId, Provenance>;
  issues: Finding[];
}

/** A token a report could print in one cell: no leading zeros (`00`, `010` are run together). */
export function oneCell(token: string): number | undefined {
  return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(token) ? Number(token) : undefined;
}

export function weighReadings(runs: DigitRun[], lost: LostRow[], values: Record<FieldId, number>, blank: FieldId[], generation: Generation, eligible: (r: DigitRun) => boolean = () => true): Weighed | undefined {
  const base: Record<FieldId, number> = { ...Object.fromEntries(blank.map((id) => [id, 0])), ...values };
  const asLost = (r: DigitRun): LostRow => ({ fields: r.fields, values: r.tokens.map((t) => oneCell(t)!), raw: r.tokens, source: r.source, offset: r.offset });
  // A row's blanks-dropped reading must fit the identities it can be checked on alone (cheap, sound).
  const dual = runs
    .map((_, i) => i)
    .filter((i) => {
      const r = runs[i];
      if (!eligible(r) || r.tokens.length >= r.fields.length || !r.tokens.every((t) => oneCell(t) !== undefined)) return false;
      const known = Object.fromEntries(Object.entries(base).filter(([id]) => !r.fields.includes(id)));
      return placeLost([asLost(r)], known, generation).status !== "none";
    });
  if (!dual.length) return undefined;
  // Readings: which dual rows are read as dropped blanks. All combinations for a few rows, else
  // none, all, and each one alone.
  const masks: boolean[][] = [];
  if (dual.length <= 3) for (let m = 0; m < 1 << dual.length; m++) masks.push(dual.map((_, j) => !!(m & (1 << j))));
  else {
    masks.push(dual.map(() => false), dual.map(() => true));
    for (let j = 0; j < dual.length; j++) masks.push(dual.map((_, k) => k === j));
  }
  const dualFields = dual.flatMap((i) => runs[i].fields);
  type Outcome = Map<FieldId, string>;
  const readings: { mask: boolean[]; out: Outcome; prov: Record<FieldId, Provenance> }[] = [];
  for (const mask of masks) {
    const b = new Set(dual.filter((_, j) => mask[j]));
    const rs = runs.filter((_, i) => !b.has(i));
    const ls = [...lost, ...[...b].map((i) => asLost(runs[i]))];
    const r = rs.length ? solveRuns(rs, values, generation) : undefined;
    if (r?.issues.some((x) => x.rule === "SPLIT-UNSOLVED")) continue;
    let p: PlaceResult | undefined;
    if (ls.length) {
      const lostFields = new Set(ls.flatMap((l) => l.fields));
      const known = Object.fromEntries(Object.entries({ ...base, ...(r?.values ?? {}) }).filter(([id]) => !lostFields.has(id)));
      p = placeLost(ls, known, generation);
      if (p.status === "none") continue;
    }
    const out: Outcome = new Map();
    for (const f of dualFields) {
      const v = r?.values[f] ?? p?.values[f];
      out.set(f, v !== undefined ? String(v) : p?.blank.includes(f) ? "blank" : "?");
    }
    readings.push({ mask, out, prov: { ...(p?.provenance ?? {}), ...(r?.provenance ?? {}) } });
  }
  // Only the run-together reading stands (or none does): the solver's own reading is kept as is.
  if (!readings.some((x) => x.mask.some(Boolean))) return undefined;
  const w: Weighed = { rows: dual, values: {}, blank: [], ambiguous: [], provenance: {}, issues: [] };
  for (const i of dual) {
    const run = runs[i];
    const open: FieldId[] = [];
    for (const f of run.fields) {
      const seen = new Set(readings.map((x) => x.out.get(f)!));
      const v = [...seen][0];
      if (seen.size !== 1 || v === "?") open.push(f);
      else if (v === "blank") w.blank.push(f);
      else {
        w.values[f] = Number(v);
        w.provenance[f] = readings.find((x) => x.prov[f])?.prov[f] ?? { method: "solved", source: run.source, raw: run.raw, offset: run.offset };
      }
    }
    w.ambiguous.push(...open);
    if (open.length) {
      const j = dual.indexOf(i);
      const kinds = new Set(readings.map((x) => x.mask[j]));
      w.issues.push({
        rule: kinds.size > 1 ? "SPLIT-AMBIGUOUS" : "CELLS-LOST",
        severity: "warning",
        message: kinds.size > 1
          ? `${run.source}: 「${run.raw}」可读作数字连写，也可读作空白单元格被省略，勾稽关系不能区分，不作猜测 (readable as digits run together or as blank cells dropped; the identities do not tell; not guessed)`
          : `${run.source}: 「${run.raw}」${kinds.has(true) ? "空白单元格的位置丢失" : "连写数字有多种拆分"}，勾稽关系不能确定 (the identities do not settle the cells; not guessed)`,
        fields: open,
      });
    }
  }
  return w;
}
