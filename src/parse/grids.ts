import { readFileSync } from "node:fs";
import { fieldDef, namedSet, type FieldId, type Generation } from "../model/index.js";
import { convertUnit, parseCell } from "./cells.js";
import type { TableGrid } from "./document.js";
import { coreKey, table2, table3, table4, type RowSpec } from "./labels.js";
import { labelKey } from "./normalise.js";
import type { TableRead } from "./texttables.js";

/**
 * Reads the statutory tables of the 2019/2021 templates from real grids (HTML, DOCX, XLSX):
 * each value column is mapped by its header cells to a column id, each data row by its label
 * cells to a row id, so extra columns (a printed 法人或其他组织 小计), columns in another order
 * and any number of label columns are read as printed. Whatever a grid does not settle is left to
 * the text reader (the pipeline merges per table).
 */

interface ColumnsFile {
  t3: Record<string, string[]>;
  t3_ignore: string[];
  t4: Record<string, string[]>;
  t4_groups: Record<string, string[]>;
}
const COLUMNS: ColumnsFile = JSON.parse(readFileSync(new URL("./columns.json", import.meta.url), "utf8")) as ColumnsFile;

type Cell = { text: string; origin: boolean };

function rowCells(g: TableGrid, r: number): Cell[] {
  return g.rows[r].map((text, c) => ({ text, origin: g.origin[r][c] }));
}

/** A cell that is a printed number (not blank, not a dash): used to tell data rows from header rows. */
const isNumber = (t: string) => {
  const c = parseCell(t);
  return c.kind === "value" && c.mark === undefined;
};

/**
 * Best variant match of a header text: exact equality beats containment, longer variants beat
 * shorter ones. Returns the key of the matched entry.
 */
function matchVariant(text: string, table: Record<string, string[]>): string | undefined {
  let best: { key: string; score: number } | undefined;
  for (const [key, variants] of Object.entries(table)) {
    for (const v of variants) {
      const k = labelKey(v);
      const score = text === k ? 1000 + k.length : text.includes(k) ? k.length : -1;
      if (score > 0 && (!best || score > best.score)) best = { key, score };
    }
  }
  return best?.key;
}

/** The header cells of each column, top to bottom, distinct, in matching form. */
function headerPaths(g: TableGrid, from: number, to: number): string[][] {
  const width = g.rows[0]?.length ?? 0;
  const paths: string[][] = [];
  for (let c = 0; c < width; c++) {
    const path: string[] = [];
    for (let r = from; r < to; r++) {
      const t = labelKey(g.rows[r][c] ?? "");
      if (t && path[path.length - 1] !== t) path.push(t);
    }
    paths.push(path);
  }
  return paths;
}

interface Ctx {
  out: TableRead;
  found: { t2: Set<string>; t3: Set<string>; t4: boolean };
}

function record(ctx: Ctx, id: FieldId, raw: string, source: string, offset: number): "value" | "blank" | "text" {
  const cell = parseCell(raw);
  if (cell.kind === "blank") {
    ctx.out.blank.push(id);
    return "blank";
  }
  if (cell.kind === "text") {
    ctx.out.ambiguous.push(id);
    return "text";
  }
  ctx.out.values[id] = convertUnit(cell.value, cell.unit, fieldDef(id)?.unit ?? "件");
  ctx.out.provenance[id] = { method: "table", source, raw: raw.trim(), offset };
  return "value";
}

/**
 * The value of each column id in one data row: the cell that originates in a column mapped to the
 * id; a cell spanned into it from the left only when no cell originates there (misaligned spans).
 */
function cellsById(cells: Cell[], colIds: (string | undefined)[]): Map<string, string> {
  const origin = new Map<string, string[]>();
  const spanned = new Map<string, string[]>();
  const ids: string[] = [];
  for (let c = 0; c < cells.length; c++) {
    const id = colIds[c];
    if (!id) continue;
    if (!origin.has(id) && !spanned.has(id)) ids.push(id);
    const m = cells[c].origin ? origin : spanned;
    const list = m.get(id);
    if (list) list.push(cells[c].text);
    else m.set(id, [cells[c].text]);
  }
  const out = new Map<string, string>();
  for (const id of ids) {
    const pick = origin.get(id) ?? spanned.get(id)!;
    // One printed cell per id; several distinct ones mean the header mapping is wrong for this row.
    const text = pick[0].trim();
    if (pick.every((t) => t.trim() === text)) out.set(id, text);
  }
  return out;
}

/** The row's label: its cells left of the first value column, distinct, in matching form. */
function rowLabels(cells: Cell[], firstValueCol: number): string[] {
  const labels: string[] = [];
  for (let c = 0; c < Math.min(firstValueCol, cells.length); c++) {
    const t = cells[c].text.trim();
    if (t && labels[labels.length - 1] !== t) labels.push(t);
  }
  return labels;
}

/** Finds the template row a printed row is, searching forward from `from` (template order). */
function matchRow(rows: RowSpec[], from: number, labels: string[]): number {
  if (!labels.length) return -1;
  // The most specific label cell is the last one (`(三)不予公开 | 1.属于国家秘密`).
  const candidates = [labels[labels.length - 1], labels.join("")].map((l) => coreKey(l));
  for (const exact of [true, false]) {
    for (let i = from; i < rows.length; i++) {
      for (const k of rows[i].keys) {
        for (const c of candidates) {
          if (exact ? c === k : c.length >= 2 && (c.includes(k) || (k.startsWith(c) && c.length >= 4))) return i;
        }
      }
    }
  }
  return -1;
}

// ---------------------------------------------------------------- table 三

function t3ColumnIds(paths: string[][]): (string | undefined)[] {
  const cols = namedSet("T3_COLS");
  const byLabel = new Map(cols.map((c) => [fieldDef(`applications.new.${c}`)?.column ?? c, c]));
  const ignore = COLUMNS.t3_ignore.map(labelKey);
  return paths.map((path) => {
    const lowest = path[path.length - 1];
    if (!lowest) return undefined;
    if (ignore.some((w) => lowest === w || lowest.endsWith(w))) return undefined;
    const label = matchVariant(lowest, COLUMNS.t3);
    return label ? byLabel.get(label) : undefined;
  });
}

function readT3(ctx: Ctx, g: TableGrid, generation: Generation): void {
  const rows = table3(generation);
  const valueRows = rows.filter((r) => r.cells.length);
  // The first data row is the first row whose label is the template's first row.
  let first = -1;
  for (let r = 0; r < g.rows.length && first < 0; r++) {
    if (g.rows[r].some((t) => rows[0].keys.some((k) => coreKey(t) === k || labelKey(t).includes(k)))) first = r;
  }
  if (first < 1) return;
  const colIds = t3ColumnIds(headerPaths(g, 0, first));
  const mapped = new Set(colIds.filter(Boolean));
  if (mapped.size < namedSet("T3_COLS").length) return; // headers not understood: leave it to the text reader
  const firstValueCol = colIds.findIndex((x) => x !== undefined);
  let pos = 0;
  for (let r = first; r < g.rows.length; r++) {
    const cells = rowCells(g, r);
    const labels = rowLabels(cells, firstValueCol);
    const i = matchRow(rows, pos, labels);
    if (i < 0) continue;
    pos = i + 1;
    const row = rows[i];
    if (!row.cells.length) continue;
    const byId = cellsById(cells, colIds);
    let any = false;
    for (const id of row.cells) {
      const col = id.slice(id.lastIndexOf(".") + 1);
      const raw = byId.get(col);
      if (raw === undefined) continue;
      const src = `表三 ${row.label} / ${fieldDef(id)?.column ?? col}（表格 ${g.index + 1} 第 ${r + 1} 行）`;
      if (record(ctx, id, raw, src, g.offset) !== "text") any = true;
    }
    if (any) ctx.found.t3.add(row.id);
  }
  ctx.out.seen.t3 = true;
  ctx.out.complete.t3 = valueRows.every((x) => ctx.found.t3.has(x.id));
}

// ---------------------------------------------------------------- table 四

function t4ColumnIds(paths: string[][], generation: Generation): (FieldId | undefined)[] {
  const groups = namedSet("T4_GROUPS");
  const cols = namedSet("T4_COLS");
  // review.* ids also exist in pre-2019 indicator tables: take this generation's column label.
  const byLabel = new Map(cols.map((c) => [fieldDef(`review.reconsideration.${c}`, generation)?.column ?? c, c]));
  return paths.map((path) => {
    const lowest = path[path.length - 1];
    if (!lowest || path.length < 2) return undefined;
    const label = matchVariant(lowest, COLUMNS.t4);
    const col = label ? byLabel.get(label) : undefined;
    const joined = path.slice(0, -1).join("|");
    const group = groups.find((gr) => (COLUMNS.t4_groups[gr] ?? []).some((v) => joined.includes(labelKey(v))));
    return col && group ? `review.${group}.${col}` : undefined;
  });
}

function readT4(ctx: Ctx, g: TableGrid, from: number, generation: Generation): void {
  // The data row: the first row after `from` with at least five printed numbers.
  let data = -1;
  for (let r = from + 1; r < g.rows.length; r++) {
    if (g.rows[r].filter((t, c) => g.origin[r][c] && isNumber(t)).length >= 5) {
      data = r;
      break;
    }
  }
  if (data < 0) return;
  const colIds = t4ColumnIds(headerPaths(g, from, data), generation);
  const ids = table4();
  const mapped = new Set(colIds.filter(Boolean));
  if (!ids.every((id) => mapped.has(id))) return;
  const byId = cellsById(rowCells(g, data), colIds);
  let n = 0;
  for (const id of ids) {
    const raw = byId.get(id);
    if (raw === undefined) continue;
    if (record(ctx, id, raw, `表四 ${fieldDef(id, generation)?.label ?? ""} / ${fieldDef(id, generation)?.column ?? ""}（表格 ${g.index + 1} 第 ${data + 1} 行）`, g.offset) !== "text") n++;
  }
  ctx.out.seen.t4 = true;
  ctx.found.t4 = n === ids.length;
  ctx.out.complete.t4 = ctx.found.t4;
}

// ---------------------------------------------------------------- table 二

const CAPTION = /第二十条第\(?([一二三四五六七八九十]+)\)?项/;

function readT2(ctx: Ctx, g: TableGrid, generation: Generation): void {
  const subs = table2(generation);
  const caps: { r: number; item: string }[] = [];
  for (let r = 0; r < g.rows.length; r++) {
    const distinct = [...new Set(g.rows[r].map(labelKey).filter(Boolean))];
    const m = distinct.length === 1 ? CAPTION.exec(distinct[0]) : null;
    if (m) caps.push({ r, item: m[1] });
  }
  if (!caps.length) return;
  ctx.out.seen.t2 = true;
  for (let k = 0; k < caps.length; k++) {
    const sub = subs.find((s) => s.item === caps[k].item);
    if (!sub) continue;
    const end = k + 1 < caps.length ? caps[k + 1].r : g.rows.length;
    const head = caps[k].r + 1;
    if (head >= end) continue;
    // Column labels of this sub-table (parallel to each row's cells), in matching form.
    const labels = [...new Set(sub.rows.flatMap((row) => row.columns))];
    const colIdx = g.rows[head].map((t) => {
      const h = labelKey(t);
      if (!h) return undefined;
      const exact = labels.find((l) => labelKey(l) === h);
      const loose = labels.find((l) => h.includes(labelKey(l).replace(/\(.*\)$/, "")) || labelKey(l).includes(h));
      return exact ?? loose;
    });
    const firstValueCol = colIdx.findIndex((x) => x !== undefined);
    if (firstValueCol < 0) continue;
    let pos = 0;
    for (let r = head + 1; r < end; r++) {
      const cells = rowCells(g, r);
      const i = matchRow(sub.rows, pos, rowLabels(cells, firstValueCol));
      if (i < 0) continue;
      pos = i + 1;
      const row = sub.rows[i];
      const byCol = cellsById(cells, colIdx);
      let any = false;
      row.cells.forEach((id, j) => {
        const raw = byCol.get(row.columns[j]);
        if (raw === undefined) return;
        if (record(ctx, id, raw, `表二 第二十条第(${sub.item})项 ${row.label} / ${row.columns[j]}（表格 ${g.index + 1} 第 ${r + 1} 行）`, g.offset) !== "text") any = true;
      });
      if (any) ctx.found.t2.add(`${sub.item}:${row.id}`);
    }
  }
  const items = new Set(caps.map((c) => c.item));
  ctx.out.complete.t2 = subs.every((s) => items.has(s.item) && s.rows.some((row) => ctx.found.t2.has(`${s.item}:${row.id}`)));
}

/** Reads tables 二, 三, 四 from the document's grids. Values only where a grid settles them. */
export function readGridTables(tables: TableGrid[], generation: Generation): TableRead {
  const out: TableRead = {
    values: {}, provenance: {}, blank: [], ambiguous: [], runs: [], lost: [], units: {},
    seen: { t2: false, t3: false, t4: false }, complete: { t2: false, t3: false, t4: false }, notes: [],
  };
  const ctx: Ctx = { out, found: { t2: new Set(), t3: new Set(), t4: false } };
  for (const g of tables) {
    if (!g.rows.length) continue;
    const all = g.rows.map((r) => r.map(labelKey).join("|")).join("\n");
    if (CAPTION.test(all) && !ctx.out.complete.t2) readT2(ctx, g, generation);
    if (all.includes("本年新收") && !ctx.out.complete.t3) readT3(ctx, g, generation);
    if (!ctx.out.complete.t4) {
      const start = g.rows.findIndex((r) => r.some((t) => labelKey(t).includes("行政复议")) && !r.some((t) => labelKey(t).includes("本年新收")));
      if (start >= 0 && /结果维持|维持/.test(all)) readT4(ctx, g, start, generation);
    }
  }
  out.blank = [...new Set(out.blank)].filter((id) => out.values[id] === undefined);
  out.ambiguous = [...new Set(out.ambiguous)].filter((id) => out.values[id] === undefined);
  return out;
}

const TABLE_OF: [keyof TableRead["seen"], string][] = [["t2", "proactive."], ["t3", "applications."], ["t4", "review."]];

/**
 * Per statutory table: the grid's reading when the grid read the table to its end, else the text
 * reader's. Seen/complete flags are the union of both.
 */
export function mergeReads(grid: TableRead, text: TableRead): TableRead {
  const fromGrid = (id: FieldId) => TABLE_OF.some(([t, prefix]) => grid.complete[t] && id.startsWith(prefix));
  const pick = <T>(gv: Record<FieldId, T>, tv: Record<FieldId, T>): Record<FieldId, T> => ({
    ...Object.fromEntries(Object.entries(tv).filter(([id]) => !fromGrid(id))),
    ...Object.fromEntries(Object.entries(gv).filter(([id]) => fromGrid(id))),
  });
  return {
    values: pick(grid.values, text.values),
    provenance: pick(grid.provenance, text.provenance),
    units: pick(grid.units, text.units),
    blank: [...text.blank.filter((id) => !fromGrid(id)), ...grid.blank.filter(fromGrid)],
    ambiguous: [...text.ambiguous.filter((id) => !fromGrid(id)), ...grid.ambiguous.filter(fromGrid)],
    runs: text.runs.filter((run) => !run.fields.some(fromGrid)),
    lost: text.lost.filter((row) => !row.fields.some(fromGrid)),
    notes: text.notes.filter((n) => !n.fields.some(fromGrid)),
    seen: { t2: grid.seen.t2 || text.seen.t2, t3: grid.seen.t3 || text.seen.t3, t4: grid.seen.t4 || text.seen.t4 },
    complete: { t2: grid.complete.t2 || text.complete.t2, t3: grid.complete.t3 || text.complete.t3, t4: grid.complete.t4 || text.complete.t4 },
  };
}
