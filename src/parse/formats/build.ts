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
