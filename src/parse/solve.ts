import { fieldDef } from "../model/catalog.js";
import { applies, relationsFor, type Relation, type Term } from "../model/rules.js";
import type { FieldId, Finding, Generation, Provenance } from "../model/types.js";

/**
 * Splitting run-together digits (`801000081` under seven columns = 80|1|0|0|0|0|81) by solving
 * the template's own identities. Each run lists its cells in order and the whitespace-separated
 * tokens it was printed as; a token holds one or more adjacent cells. Every split of every run is
 * a candidate; a candidate survives when some assignment of all runs satisfies every identity that
 * can be evaluated. A field whose surviving candidates disagree is ambiguous: reported, never guessed.
 */

export interface DigitRun {
  /** Whitespace-separated pieces as printed; each is one or more adjacent cells run together. */
  tokens: string[];
  /** The cells, in printed order. */
  fields: FieldId[];
  /** Locator for provenance (e.g. `表三 一、本年新收政府信息公开申请数量`). */
  source: string;
  /** The text as printed. */
  raw: string;
  offset?: number;
}

export interface SolveResult {
  values: Record<FieldId, number>;
  ambiguous: FieldId[];
  provenance: Record<FieldId, Provenance>;
  issues: Finding[];
}

/** Above this many splits a run is not enumerated: its fields are declared ambiguous. */
const MAX_CANDIDATES = 400_000;
/** Search effort per satisfiability question, in visited nodes. */
const NODE_LIMIT = 200_000;
/**
 * Search effort for one whole call, in visited nodes: hostile or huge tables must not stall the
 * parser. Past it, every candidate not yet ruled out counts as possible, so cells are declared
 * ambiguous rather than guessed.
 */
const CALL_BUDGET = 3_000_000;

type Candidate = number[];

interface Prepared {
  run: DigitRun;
  candidates: Candidate[];
}

function valueType(id: FieldId): string {
  const base = id.startsWith("cumulative.") ? id.slice(11) : id;
  return fieldDef(base)?.value_type ?? "integer";
}

/** Is `s` a number as a report prints it in one cell (no leading zeros, sign and decimals only where the field allows)? */
function cellValue(s: string, id: FieldId): number | undefined {
  const m = /^(-?)(0|[1-9]\d*)(\.\d+)?$/.exec(s);
  if (!m) return undefined;
  const vt = valueType(id);
  if (m[1] && vt !== "signed_integer") return undefined;
  if (m[3] && vt !== "decimal") return undefined;
  return Number(s);
}

/**
 * All splits of a run: how many cells each token holds, then how each token's digits divide.
 * One shared buffer, copied only for complete splits (this is the parser's hottest loop).
 */
/** No statistics cell of these reports prints more digits (hundreds of millions of 元 at most). */
const MAX_CELL_CHARS = 12;

function enumerate(run: DigitRun): Candidate[] | undefined {
  const out: Candidate[] = [];
  const n = run.fields.length;
  // A run longer than its cells could ever print is no table row (or not this one): not enumerated.
  if (run.tokens.join("").length > n * MAX_CELL_CHARS) return undefined;
  const buf: number[] = new Array(n);
  let overflow = false;
  // Cells left for token ti onward, from character ci of that token, filling field fi onward.
  const rec = (ti: number, ci: number, fi: number): void => {
    if (overflow) return;
    if (ti === run.tokens.length) {
      if (fi === n) {
        if (out.length >= MAX_CANDIDATES) overflow = true;
        else out.push(buf.slice());
      }
      return;
    }
    const tok = run.tokens[ti];
    if (fi === n) return;
    const tokensAfter = run.tokens.length - ti - 1;
    // The cell starting at ci either ends the token or leaves characters for more cells of it.
    for (let end = ci + 1; end <= Math.min(tok.length, ci + MAX_CELL_CHARS); end++) {
      const v = cellValue(tok.slice(ci, end), run.fields[fi]);
      if (v === undefined) {
        if (!/^-?\d*\.?\d*$/.test(tok.slice(ci, end))) return;
        continue;
      }
      buf[fi] = v;
      if (end === tok.length) {
        if (n - (fi + 1) >= tokensAfter) rec(ti + 1, 0, fi + 1);
      } else if (n - (fi + 1) > tokensAfter) rec(ti, end, fi + 1);
    }
  };
  rec(0, 0, 0);
  return overflow ? undefined : out;
}

interface Lin {
  relation: Relation;
  /** Coefficient per field: left terms +, right terms − (so the relation reads Σ coef·x op 0). */
  coef: Map<FieldId, number>;
  op: "=" | "<=" | ">=";
  hasMax: boolean;
  /** The same terms resolved for the search: run index and position, or a known constant (ri = -1). */
  ri: Int32Array;
  pos: Int32Array;
  k: Float64Array;
  constant: number;
}

function linear(r: Relation): Lin {
  const coef = new Map<FieldId, number>();
  const add = (terms: Term[], s: number) => {
    for (const t of terms) coef.set(t.id, (coef.get(t.id) ?? 0) + s * t.sign);
  };
  add(r.left.terms, 1);
  add(r.right.terms, -1);
  return { relation: r, coef, op: r.op, hasMax: r.left.kind === "max" || r.right.kind === "max", ri: new Int32Array(0), pos: new Int32Array(0), k: new Float64Array(0), constant: 0 };
}

/** Resolves a relation's terms against the runs (owner) and the known values. */
function resolve(l: Lin, owner: Map<FieldId, { ri: number; pos: number }>, known: Record<FieldId, number>): void {
  const ri: number[] = [], pos: number[] = [], k: number[] = [];
  let constant = 0;
  for (const [id, c] of l.coef) {
    if (c === 0) continue;
    const o = owner.get(id);
    if (o) { ri.push(o.ri); pos.push(o.pos); k.push(c); }
    else if (known[id] !== undefined) constant += c * known[id];
  }
  l.ri = Int32Array.from(ri); l.pos = Int32Array.from(pos); l.k = Float64Array.from(k); l.constant = constant;
}

function evalMax(terms: Term[], get: (id: FieldId) => number | undefined, optional: ReadonlySet<FieldId>): number | undefined {
  let m = -Infinity;
  for (const t of terms) {
    const v = get(t.id);
    if (v === undefined) {
      if (optional.has(t.id)) continue;
      return undefined;
    }
    m = Math.max(m, t.sign * v);
  }
  return m;
}

function sideValue(kind: "sum" | "max", terms: Term[], get: (id: FieldId) => number | undefined, optional: ReadonlySet<FieldId>): number | undefined {
  if (kind === "max") return evalMax(terms, get, optional);
  let s = 0;
  for (const t of terms) {
    const v = get(t.id);
    if (v === undefined) {
      if (optional.has(t.id)) continue;
      return undefined;
    }
    s += t.sign * v;
  }
  return s;
}

function ok(op: "=" | "<=" | ">=", x: number): boolean {
  // x = left − right
  if (op === "=") return Math.abs(x) < 1e-6;
  if (op === "<=") return x <= 1e-6;
  return x >= -1e-6;
}

/**
 * Solves every run together. `known` holds values read unambiguously elsewhere in the report;
 * they constrain the runs but are not returned. `hints` are values the report states elsewhere
 * (its prose: `本年度制发的规范性文件77件`): a run keeps only the splits that agree with the most of
 * them, when any split agrees with one, so the report's own words decide what its identities cannot.
 */
export function solveRuns(runs: DigitRun[], known: Record<FieldId, number>, generation: Generation, hints: Record<FieldId, number> = {}): SolveResult {
  const result: SolveResult = { values: {}, ambiguous: [], provenance: {}, issues: [] };
  if (runs.length === 0) return result;

  const prepared: Prepared[] = [];
  for (const run of runs) {
    const candidates = enumerate(run);
    if (!candidates || candidates.length === 0) {
      result.ambiguous.push(...run.fields);
      result.issues.push({
        rule: "SPLIT-UNREADABLE",
        severity: "warning",
        message: `${run.source}: 数字串「${run.raw}」无法拆分为 ${run.fields.length} 个单元格 (cannot split "${run.raw}" into ${run.fields.length} cells)`,
        fields: run.fields,
      });
      continue;
    }
    // The splits agreeing with the most hints: one figure the prose gets wrong (or states of something
    // else) does not cancel the others.
    const hinted = run.fields.map((f, pos) => [pos, hints[f]] as const).filter(([, v]) => v !== undefined);
    const score = (c: Candidate) => hinted.reduce((n, [pos, v]) => n + (c[pos] === v ? 1 : 0), 0);
    const best = hinted.length ? Math.max(...candidates.map(score)) : 0;
    prepared.push({ run, candidates: best > 0 ? candidates.filter((c) => score(c) === best) : candidates });
  }
  if (prepared.length === 0) return result;

  // Which run holds each field (a field in two runs keeps the first).
  const owner = new Map<FieldId, { ri: number; pos: number }>();
  prepared.forEach((p, ri) => p.run.fields.forEach((f, pos) => { if (!owner.has(f)) owner.set(f, { ri, pos }); }));

  // Relations that touch a run and can be evaluated (every required term is known or in a run).
  const lins: Lin[] = [];
  for (const r of relationsFor(generation)) {
    if (r.crossYear || !applies(r, (id) => owner.has(id) || known[id] !== undefined)) continue;
    const terms = [...r.left.terms, ...r.right.terms];
    if (!terms.some((t) => owner.has(t.id))) continue;
    if (terms.some((t) => !owner.has(t.id) && known[t.id] === undefined && !r.optional.has(t.id))) continue;
    lins.push(linear(r));
  }

  const runIdx = new Map<Lin, number[]>();
  for (const l of lins) runIdx.set(l, [...new Set([...l.coef.keys()].filter((f) => owner.has(f)).map((f) => owner.get(f)!.ri))]);

  for (const l of lins) resolve(l, owner, known);
  const linsByRun: Lin[][] = prepared.map(() => []);
  for (const l of lins) for (const ri of runIdx.get(l)!) linsByRun[ri].push(l);

  /**
   * Propagation, then the joint search. A relation whose other runs are all settled prunes the
   * candidates of its last open run; a run left with one candidate is settled in turn. Most rows
   * (all zeros, or balanced by their own 总计) settle here, and the search sees only the rest.
   */
  const budget = { nodes: CALL_BUDGET };
  const attempt = (active: Lin[]): Assignment & { pruned: Prepared[] } => {
    const on = new Set(active);
    const cands = prepared.map((p) => p.candidates);
    const queue = prepared.map((_, ri) => ri);
    const queued = new Uint8Array(prepared.length).fill(1);
    while (queue.length) {
      const ri = queue.shift()!;
      queued[ri] = 0;
      for (const l of linsByRun[ri]) {
        if (!on.has(l)) continue;
        const open = runIdx.get(l)!.filter((x) => cands[x].length > 1);
        if (open.length > 1) continue;
        const target = open.length ? open[0] : ri;
        const before = cands[target].length;
        const kept = cands[target].filter((c) => holdsWith(l, cands, target, c));
        if (kept.length === before) continue;
        cands[target] = kept;
        if (kept.length === 0) return { sat: false, supported: [], pruned: prepared.map((p, x) => ({ run: p.run, candidates: cands[x] })) };
        // A narrower run may settle relations elsewhere.
        for (const l2 of linsByRun[target]) for (const x of runIdx.get(l2)!) if (!queued[x]) { queued[x] = 1; queue.push(x); }
      }
    }
    const pruned = prepared.map((p, x) => ({ run: p.run, candidates: cands[x] }));
    return { ...solveAll(pruned, active, runIdx, known, budget), pruned };
  };

  function check(l: Lin, get: (id: FieldId) => number | undefined): boolean {
    const r = l.relation;
    const left = sideValue(r.left.kind, r.left.terms, get, r.optional);
    const right = sideValue(r.right.kind, r.right.terms, get, r.optional);
    if (left === undefined || right === undefined) return true;
    return ok(l.op, left - right);
  }

  /** Does relation l hold with run `target` at candidate c and every other run at its single candidate? */
  function holdsWith(l: Lin, cands: Candidate[][], target: number, c: Candidate): boolean {
    if (l.hasMax) {
      return check(l, (id) => {
        const o = owner.get(id);
        if (!o) return known[id];
        return o.ri === target ? c[o.pos] : cands[o.ri][0][o.pos];
      });
    }
    let x = l.constant;
    for (let t = 0; t < l.k.length; t++) x += l.k[t] * (l.ri[t] === target ? c[l.pos[t]] : cands[l.ri[t]][0][l.pos[t]]);
    return ok(l.op, x);
  }

  let assignment = attempt(lins);
  const suspects: FieldId[] = [];
  if (!assignment.sat) {
    // The report itself breaks an identity (a misprinted cell): suppose one cell is wrong, drop the
    // relations through it, and keep what every such hypothesis agrees on. Cells of rows that no
    // split can balance are tried first; they are usually the culprit.
    const broken = prepared
      .filter((p, ri) => !p.candidates.some((c) => linsByRun[ri].every((l) => runIdx.get(l)!.length > 1 || holdsWith(l, [], ri, c))))
      .flatMap((p) => p.run.fields);
    const pool = broken.length ? broken : prepared.flatMap((p) => p.run.fields);
    const merged: Candidate[][] = prepared.map(() => []);
    for (const f of pool) {
      const a = attempt(lins.filter((l) => !l.coef.has(f)));
      if (a.exhausted) {
        // Out of effort: a partial set of hypotheses could agree by accident, so none is used.
        suspects.length = 0;
        break;
      }
      if (!a.sat) continue;
      suspects.push(f);
      a.supported.forEach((list, ri) => { for (const c of list) if (!merged[ri].includes(c)) merged[ri].push(c); });
    }
    if (suspects.length) assignment = { sat: true, supported: merged, pruned: prepared };
  }

  if (!assignment.sat) {
    // No consistent split: a run keeps the split its own row decides (its 总计 = the sum of its
    // cells, with values read elsewhere), or the one the token count forces; the rest is undecided.
    const cands = prepared.map((p) => p.candidates);
    for (const [ri, p] of prepared.entries()) {
      const own = linsByRun[ri].filter((l) => runIdx.get(l)!.length === 1);
      const local = own.length ? p.candidates.filter((c) => own.every((l) => holdsWith(l, cands, ri, c))) : [];
      const unique = local.length === 1 ? local[0] : p.candidates.length === 1 ? p.candidates[0] : p.run.tokens.length === p.run.fields.length ? enumerate(p.run)![0] : undefined;
      if (unique) assign(p, unique, "text");
      else result.ambiguous.push(...p.run.fields);
    }
    result.issues.push({
      rule: "SPLIT-UNSOLVED",
      severity: "warning",
      message: `连写数字无法按表内勾稽关系唯一拆分，相关单元格标为不确定 (run-together digits could not be split consistently with the identities; cells marked ambiguous)`,
      fields: prepared.flatMap((p) => p.run.fields).filter((f) => result.ambiguous.includes(f)),
    });
    return result;
  }

  for (const [ri, p] of prepared.entries()) {
    const supported = assignment.supported[ri];
    const forced = p.run.tokens.length === p.run.fields.length;
    p.run.fields.forEach((f, pos) => {
      const vals = new Set(supported.map((c) => c[pos]));
      if (owner.get(f)?.ri !== ri) return;
      if (vals.size === 1) {
        result.values[f] = supported[0][pos];
        result.provenance[f] = { method: forced ? "text" : "solved", source: p.run.source, raw: p.run.raw, offset: p.run.offset };
      } else result.ambiguous.push(f);
    });
    if (supported.length > 1) {
      const amb = p.run.fields.filter((f) => result.ambiguous.includes(f));
      if (amb.length) {
        const shown = supported.slice(0, 4).map((c) => c.join("|")).join("、");
        result.issues.push({
          rule: "SPLIT-AMBIGUOUS",
          severity: "warning",
          message: `${p.run.source}: 「${p.run.raw}」有多种拆分均满足全部勾稽关系（${shown}${supported.length > 4 ? "…" : ""}），不作猜测 (several splits satisfy every identity; not guessed)`,
          fields: amb,
        });
      }
    }
  }
  if (suspects.length) {
    result.issues.push({
      rule: "SPLIT-RELAXED",
      severity: "info",
      message: `没有任何拆分能满足全部勾稽关系（报告本身有误，可疑单元格：${suspects.join("、")}），拆分依据其余关系 (no split satisfies every identity; the report itself errs, suspect cells: ${suspects.join(", ")}; split by the remaining identities)`,
      fields: suspects,
    });
  }
  return result;

  function assign(p: Prepared, c: Candidate, method: "text" | "solved") {
    p.run.fields.forEach((f, pos) => {
      result.values[f] = c[pos];
      result.provenance[f] = { method, source: p.run.source, raw: p.run.raw, offset: p.run.offset };
    });
  }
}

interface Assignment {
  sat: boolean;
  /** The search ran out of effort: every candidate not ruled out was kept. */
  exhausted?: boolean;
  /** Per run: the candidates that appear in at least one full solution. */
  supported: Candidate[][];
}

/**
 * Candidate support by search: for every candidate of every open run, is there a full assignment
 * that satisfies every relation? Bounds on the unassigned terms prune early (interval reasoning over
 * each run's remaining candidates). Settled runs (one candidate) are assigned first and never branch.
 */
function solveAll(prepared: Prepared[], lins: Lin[], runIdx: Map<Lin, number[]>, known: Record<FieldId, number>, budget: { nodes: number }): Assignment {
  const n = prepared.length;
  const byRun: Lin[][] = prepared.map(() => []);
  for (const l of lins) for (const ri of runIdx.get(l) ?? []) byRun[ri].push(l);

  const current: (Candidate | undefined)[] = new Array(n).fill(undefined);
  const bounds = prepared.map((p) => p.run.fields.map((_, pos) => {
    let lo = Infinity, hi = -Infinity;
    for (const c of p.candidates) { lo = Math.min(lo, c[pos]); hi = Math.max(hi, c[pos]); }
    return [lo, hi] as [number, number];
  }));

  const fieldPos = new Map<FieldId, [number, number]>();
  prepared.forEach((p, ri) => p.run.fields.forEach((f, pos) => { if (!fieldPos.has(f)) fieldPos.set(f, [ri, pos]); }));
  const valueOf = (id: FieldId): number | undefined => {
    const fp = fieldPos.get(id);
    return fp ? current[fp[0]]?.[fp[1]] : known[id];
  };

  /** Can relation l still hold given what is assigned? */
  const feasible = (l: Lin): boolean => {
    if (l.hasMax) {
      // max() relations (PRE-CHANNEL, FJ-CHANNEL) are checked once every run they touch is assigned.
      for (let t = 0; t < l.ri.length; t++) if (!current[l.ri[t]]) return true;
      const r = l.relation;
      const left = sideValue(r.left.kind, r.left.terms, valueOf, r.optional);
      const right = sideValue(r.right.kind, r.right.terms, valueOf, r.optional);
      return left === undefined || right === undefined || ok(l.op, left - right);
    }
    let lo = l.constant, hi = l.constant;
    for (let t = 0; t < l.k.length; t++) {
      const k = l.k[t];
      const c = current[l.ri[t]];
      let a: number, b: number;
      if (c) a = b = c[l.pos[t]];
      else { const bd = bounds[l.ri[t]][l.pos[t]]; a = bd[0]; b = bd[1]; }
      if (k > 0) { lo += k * a; hi += k * b; } else { lo += k * b; hi += k * a; }
    }
    if (l.op === "=") return lo <= 1e-6 && hi >= -1e-6;
    if (l.op === "<=") return lo <= 1e-6;
    return hi >= -1e-6;
  };

  let nodes = 0;
  const order = [...prepared.keys()].sort((a, b) => prepared[a].candidates.length - prepared[b].candidates.length);

  const search = (k: number): boolean => {
    if (++nodes > NODE_LIMIT || --budget.nodes < 0) throw new Error("limit");
    if (k === order.length) return true;
    const ri = order[k];
    if (current[ri]) return search(k + 1);
    for (const c of prepared[ri].candidates) {
      current[ri] = c;
      if (byRun[ri].every(feasible) && search(k + 1)) return true;
    }
    current[ri] = undefined;
    return false;
  };

  const supported: Candidate[][] = prepared.map(() => []);
  const record = () => current.forEach((cc, i) => { if (cc && !supported[i].includes(cc)) supported[i].push(cc); });
  try {
    if (!search(0)) return { sat: false, supported };
    record();
    for (const ri of order) {
      if (prepared[ri].candidates.length < 2) continue;
      for (const c of prepared[ri].candidates) {
        if (supported[ri].includes(c)) continue;
        current.fill(undefined);
        current[ri] = c;
        nodes = 0;
        if (byRun[ri].every(feasible) && search(0)) record();
      }
    }
  } catch {
    // Search too large: keep every candidate (everything that differs is ambiguous).
    return { sat: true, exhausted: true, supported: prepared.map((p) => p.candidates) };
  }
  return { sat: true, supported };
}
