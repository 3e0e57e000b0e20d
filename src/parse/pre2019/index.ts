import { emptyExtraction, fieldDef, type Extraction, type FieldId, type Finding, type Provenance } from "../../model/index.js";
import { convertUnit, parseCell } from "../cells.js";
import type { Document } from "../document.js";
import { solveRuns, type DigitRun, type SolveResult } from "../solve.js";
import { placeLost, type LostRow } from "../lost.js";
import { readProse } from "../prose/index.js";
import { readGrid } from "./grid.js";
import { findTextTables, type TextRow } from "./rows.js";

/**
 * Reader of the pre-2019 statistical tables: the national 《政府信息公开情况统计表》
 * (统计指标 | 单位 | 统计数) and the 福建 table (指标名称 | 计量单位 | YYYY年度 | 历年累计), from real
 * grids or from text in any of its flattened forms. Cells run together are split by the solver
 * (the table's own identities); where several splits survive, a figure stated in the report's own
 * prose may decide, otherwise the cells are declared ambiguous.
 */

interface Table {
  columns: 1 | 2;
  method: "table" | "text";
  rows: TextRow[];
}

/** Digits as run together, decimals included (收费减免金额 0.12 | 0.19 printed 0.120.19): the solver splits them. */
const isDigits = (s: string) => /^\d+(?:\.\d+)*$/.test(s);

/**
 * `prose`: the figures the report's prose states, when the caller has read them already; read here
 * only if a split is left open and none were given.
 */
export function readPre2019(doc: Document, prose?: Record<FieldId, number>): Extraction {
  const ex = emptyExtraction();
  const tables: Table[] = [];
  const spans: [number, number][] = [];
  for (const t of doc.tables) {
    const g = readGrid(t);
    if (!g) continue;
    tables.push({ columns: g.columns, method: "table", rows: g.rows });
    spans.push(g.span);
  }
  for (const t of findTextTables(doc.text, spans)) tables.push({ columns: t.columns, method: "text", rows: t.rows });

  const runs: DigitRun[] = [];
  const lost: LostRow[] = [];
  const seen = new Set<FieldId>();
  const set = (id: FieldId, value: number, prov: Provenance) => {
    ex.fields[id] = value;
    ex.provenance[id] = prov;
  };

  for (const table of tables) {
    const two = table.columns === 2;
    // Spaced tables print every cell as its own token; a row with fewer tokens lost a blank cell.
    const full = table.rows.filter((r) => r.id && r.tokens.length === table.columns).length;
    const glued = table.rows.filter((r) => r.id && r.tokens.length < table.columns && r.tokens.join("").length >= table.columns).length;
    const spaced = table.method === "table" || full > glued;
    for (const row of table.rows) {
      if (row.heading) continue;
      if (!row.id) {
        ex.issues.push(unknownRow(row));
        continue;
      }
      const fields = two ? [row.id, `cumulative.${row.id}`] : [row.id];
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const source = `${table.method === "table" ? "表格" : "统计表"} ${row.label}`;
      const prov = (raw: string): Provenance => ({ method: table.method, source, raw, offset: row.offset });
      const tokens = table.method === "table" || row.positional ? row.tokens : row.tokens.filter(Boolean);
      if (tokens.length > fields.length) {
        ex.issues.push({ rule: "ROW-CELLS", severity: "warning", message: `统计表「${row.label}」有 ${tokens.length} 个数值，多于 ${fields.length} 列，未读取 (row has ${tokens.length} values for ${fields.length} columns; not read)`, fields });
        continue;
      }
      const cells = tokens.map(parseCell);
      // Fewer printed values than cells, each a whole cell: which cells are blank was not printed
      // (a lone 0 reads as this year's, the convention of the hand-labelled tables; any other
      // value is placed by the identities, or declared ambiguous).
      const lostPlace = tokens.length > 0 && tokens.length < fields.length && (spaced || tokens.join("").length < fields.length) && cells.every((x) => x.kind === "value");
      if (lostPlace && !cells.every((x) => x.kind === "value" && x.value === 0)) {
        lost.push({ fields, values: cells.map((x) => (x.kind === "value" ? convertUnit(x.value, x.unit ?? row.unit, unitOf(fields[0])) : 0)), raw: tokens, source, offset: row.offset });
        continue;
      }
      const direct = tokens.length === fields.length || spaced || tokens.join("").length < fields.length || !tokens.every(isDigits);
      if (!direct) {
        runs.push({ tokens, fields, source, raw: row.raw, offset: row.offset });
        continue;
      }
      fields.forEach((id, i) => {
        const tok = tokens[i];
        const cell = tok === undefined ? { kind: "blank" as const } : parseCell(tok);
        if (cell.kind === "blank") ex.blank.push(id);
        else if (cell.kind === "value") set(id, convertUnit(cell.value, cell.unit ?? row.unit, unitOf(id)), prov(tok!));
        else ex.issues.push({ rule: "CELL-TEXT", severity: "warning", message: `统计表「${row.label}」的单元格「${tok}」不是数字 (cell "${tok}" is not a number)`, fields: [id] });
      });
    }
  }

  if (runs.length) {
    let solved = solveRuns(runs, { ...ex.fields }, "pre2019");
    if (solved.ambiguous.length) solved = decideByProse(prose ?? readProse(doc, "pre2019").fields, runs, ex.fields, solved);
    for (const [id, v] of Object.entries(solved.values)) {
      const base = runs.find((r) => r.fields.includes(id));
      set(id, convertUnit(v, undefined, unitOf(id)), solved.provenance[id] ?? { method: "solved", source: base?.source ?? "", raw: base?.raw ?? "" });
    }
    ex.ambiguous.push(...solved.ambiguous.filter((id) => ex.fields[id] === undefined));
    ex.issues.push(...solved.issues);
  }
  if (lost.length) {
    // A blank cell is nothing printed: 0 in the sums the placement is checked against.
    const known = Object.fromEntries([...ex.blank.map((id) => [id, 0] as [FieldId, number]), ...Object.entries(ex.fields)]);
    const placed = placeLost(lost, known, "pre2019");
    for (const [id, v] of Object.entries(placed.values)) set(id, v, placed.provenance[id]);
    ex.blank.push(...placed.blank);
    ex.ambiguous.push(...placed.ambiguous);
    ex.issues.push(...placed.issues);
  }
  return ex;
}

function unitOf(id: FieldId): string {
  return fieldDef(id.startsWith("cumulative.") ? id.slice(11) : id, "pre2019")?.unit ?? "";
}

function unknownRow(row: TextRow): Finding {
  return {
    rule: "UNKNOWN-ROW",
    severity: "warning",
    message: `统计表中有未识别的行「${row.label}」，其数值未读取 (unknown table row "${row.label}"; its values were not read)`,
  };
}

/**
 * Several splits satisfy every identity: a figure the report states in its prose for the first or
 * last cell of a run is tried as that cell. Kept only when the identities still hold with it.
 */
function decideByProse(prose: Record<FieldId, number>, runs: DigitRun[], known: Record<FieldId, number>, first: SolveResult): SolveResult {
  const pinned: string[] = [];
  const next = runs.map((run) => {
    const amb = run.fields.filter((f) => first.ambiguous.includes(f));
    if (!amb.length || run.tokens.length === 0) return run;
    const head = run.fields[0];
    const tail = run.fields[run.fields.length - 1];
    const t0 = run.tokens[0];
    const tl = run.tokens[run.tokens.length - 1];
    if (amb.includes(head) && prose[head] !== undefined) {
      const v = String(prose[head]);
      if (t0.length > v.length && t0.startsWith(v)) {
        pinned.push(`${head}=${v}`);
        return { ...run, tokens: [v, t0.slice(v.length), ...run.tokens.slice(1)] };
      }
    }
    if (amb.includes(tail) && prose[tail] !== undefined) {
      const v = String(prose[tail]);
      if (tl.length > v.length && tl.endsWith(v)) {
        pinned.push(`${tail}=${v}`);
        return { ...run, tokens: [...run.tokens.slice(0, -1), tl.slice(0, tl.length - v.length), v] };
      }
    }
    return run;
  });
  if (!pinned.length) return first;
  const second = solveRuns(next, { ...known }, "pre2019");
  const broken = second.issues.some((i) => i.rule === "SPLIT-UNSOLVED" || i.rule === "SPLIT-RELAXED" || i.rule === "SPLIT-UNREADABLE");
  const wasBroken = first.issues.some((i) => i.rule === "SPLIT-UNSOLVED" || i.rule === "SPLIT-RELAXED");
  if (broken && !wasBroken) return first;
  for (const id of Object.keys(second.provenance)) {
    const p = second.provenance[id];
    if (first.values[id] === undefined) second.provenance[id] = { ...p, method: "solved", source: `${p.source}（按正文数字拆分）` };
  }
  second.issues.push({
    rule: "SPLIT-PROSE",
    severity: "info",
    message: `连写数字有多种拆分，按正文所述数字确定：${pinned.join("、")} (several splits satisfied the identities; the figures stated in the prose decided: ${pinned.join(", ")})`,
    fields: pinned.map((p) => p.split("=")[0]),
  });
  return second;
}
