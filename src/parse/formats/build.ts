import type { Document, TableGrid } from "../document.js";
import { normaliseText } from "../normalise.js";

/** A cell of a table before span expansion. */
export interface SpanCell {
  text: string;
  rowspan: number;
  colspan: number;
}

/** Cell text with whitespace collapsed (normalisation happens once for the whole document). */
export function cellText(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/**
 * Expands rows of spanning cells into a true grid (the same walk a browser does: each cell goes
 * to the first free position of its row, spans reserve positions below and to the right).
 */
export function expandSpans(rows: SpanCell[][]): { rows: string[][]; origin: boolean[][] } {
  const grid: (string | undefined)[][] = [];
  const origin: boolean[][] = [];
  rows.forEach((cells, r) => {
    grid[r] ??= [];
    origin[r] ??= [];
    let c = 0;
    for (const cell of cells) {
      while (grid[r][c] !== undefined) c++;
      const rs = Math.max(1, Math.min(cell.rowspan, rows.length - r));
      const cs = Math.max(1, Math.min(cell.colspan, 100));
      for (let i = 0; i < rs; i++) {
        grid[r + i] ??= [];
        origin[r + i] ??= [];
        for (let j = 0; j < cs; j++) {
          grid[r + i][c + j] = cell.text;
          origin[r + i][c + j] = i === 0 && j === 0;
        }
      }
      c += cs;
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  return {
    rows: grid.map((row) => Array.from({ length: width }, (_, j) => row[j] ?? "")),
    origin: origin.map((row) => Array.from({ length: width }, (_, j) => row[j] ?? false)),
  };
}

/**
 * A table row as word processors store it (Word's .doc, RTF): no column grid, each row its own
 * cell edges, merged cells flagged.
 */
export interface EdgeRow {
  cells: string[];
  /** Left edge of each cell and the right edge of the last (twips); absent: cells side by side. */
  bounds?: number[];
  /** Per cell: merged into the cell on its left (old-style horizontal merge). */
  mergedLeft?: boolean[];
  /** Per cell: continues the cell above (vertical merge). */
  mergedUp?: boolean[];
}

/** Cell edges this close (twips, a third of a millimetre) are one column edge. */
const SNAP_TWIPS = 20;

/**
 * Rows of edge-placed cells as a grid: the columns are the edges of all rows together, and a cell
 * spans the columns between its edges. A cell continuing a vertical merge shows the text of the
 * cell above, as a browser's rowspan does.
 */
export function edgeGrid(rows: EdgeRow[]): { rows: string[][]; origin: boolean[][] } {
  const all = [...new Set(rows.flatMap((r) => r.bounds ?? []))].sort((a, b) => a - b);
  const edges: number[] = [];
  for (const b of all) if (!edges.length || b - edges[edges.length - 1] > SNAP_TWIPS) edges.push(b);
  const column = (x: number) => {
    let best = 0;
    for (let i = 1; i < edges.length; i++) if (Math.abs(edges[i] - x) < Math.abs(edges[best] - x)) best = i;
    return best;
  };
  const placed = rows.map(({ cells, bounds: b, mergedLeft, mergedUp }) => {
    const spans: { text: string; from: number; to: number; up: boolean }[] = [];
    let next = 0;
    cells.forEach((text, i) => {
      const known = b && i + 1 < b.length;
      const from = known ? column(b[i]) : next;
      const to = known ? Math.max(from + 1, column(b[i + 1])) : from + 1;
      if (mergedLeft?.[i] && spans.length) {
        const left = spans[spans.length - 1];
        left.to = Math.max(left.to, to);
        if (text.trim()) left.text = `${left.text} ${text}`;
      } else {
        spans.push({ text, from, to, up: mergedUp?.[i] ?? false });
      }
      next = to;
    });
    return spans;
  });
  const width = Math.max(1, ...placed.map((s) => (s.length ? s[s.length - 1].to : 0)));
  const grid: string[][] = [];
  const origin: boolean[][] = [];
  placed.forEach((spans, r) => {
    const row = Array<string>(width).fill("");
    const starts = Array<boolean>(width).fill(false);
    for (const s of spans) {
      const above = s.up && r > 0 ? grid[r - 1][s.from] : undefined;
      for (let c = s.from; c < s.to && c < width; c++) row[c] = above ?? s.text;
      if (above === undefined && s.from < width) starts[s.from] = true;
    }
    grid.push(row);
    origin.push(starts);
  });
  return { rows: grid, origin };
}

/**
 * Accumulates the visible text of a document line by line and its tables as grids, keeping the
 * seam's contract: each table row is one text line of its origin cells joined by " | ".
 * Everything is normalised in one pass at the end: whether text is traditional Chinese is a
 * property of the document, not of each line (a line of 行政許可 alone would not be recognised).
 */
export class DocumentBuilder {
  private items: ({ line: string } | { rows: string[][]; origin: boolean[][] })[] = [];

  constructor(private readonly file: string, private readonly format: Document["format"]) {}

  line(raw: string): void {
    const text = cellText(raw);
    if (text) this.items.push({ line: text });
  }

  table(rows: string[][], origin: boolean[][]): void {
    const keep = rows.map((row, r) => row.some((c, j) => c !== "" && origin[r][j]));
    const kept = rows.filter((_, r) => keep[r]).map((row) => row.map(cellText));
    if (kept.length) this.items.push({ rows: kept, origin: origin.filter((_, r) => keep[r]) });
  }

  /** A table of edge-placed rows (see edgeGrid). */
  edgeTable(rows: EdgeRow[]): void {
    const grid = edgeGrid(rows);
    this.table(grid.rows, grid.origin);
  }

  build(): Document {
    // One string, one normalisation; no input piece holds a newline, so the pieces split back.
    const raw: string[] = [];
    for (const it of this.items) {
      if ("line" in it) raw.push(it.line);
      else for (const row of it.rows) raw.push(...row);
    }
    const norm = normaliseText(raw.join("\n")).split("\n").map((t) => t.replace(/\s+/g, " ").trim());
    let k = 0;
    const lines: string[] = [];
    const tables: TableGrid[] = [];
    let length = 0;
    const push = (t: string) => { lines.push(t); length += t.length + 1; };
    for (const it of this.items) {
      if ("line" in it) { push(norm[k++]); continue; }
      const rows = it.rows.map((row) => row.map(() => norm[k++]));
      const offset = length;
      rows.forEach((row, r) => push(row.filter((_, j) => it.origin[r][j]).join(" | ")));
      tables.push({ rows, origin: it.origin, index: tables.length, offset });
    }
    return { file: this.file, format: this.format, text: lines.join("\n"), tables };
  }
}
