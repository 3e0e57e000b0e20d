import type { Document, TableGrid } from "../document.js";
import { normaliseText } from "../normalise.js";

/** A cell of a table before span expansion. */
export interface SpanCell {
  text: string;
  rowspan: number;
  colspan: number;
}

/** Cell text as the seam wants it: normalised, whitespace collapsed, trimmed. */
export function cellText(s: string): string {
  return normaliseText(s).replace(/\s+/g, " ").trim();
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
 */
export class DocumentBuilder {
  private lines: string[] = [];
  private length = 0;
  private tables: TableGrid[] = [];

  constructor(private readonly file: string, private readonly format: Document["format"]) {}

  line(raw: string): void {
    const text = normaliseText(raw).replace(/[ \t]+/g, " ").trim();
    if (!text) return;
    this.push(text);
  }

  table(rows: string[][], origin: boolean[][]): void {
    const keep = rows.map((row, r) => row.some((c, j) => c !== "" && origin[r][j]));
    const kept = rows.filter((_, r) => keep[r]);
    if (kept.length === 0) return;
    const offset = this.length;
    const keptOrigin = origin.filter((_, r) => keep[r]);
    kept.forEach((row, r) => {
      const cells = row.filter((c, j) => keptOrigin[r][j]);
      this.push(cells.join(" | "));
    });
    this.tables.push({ rows: kept, origin: keptOrigin, index: this.tables.length, offset });
  }

  private push(text: string): void {
    this.lines.push(text);
    this.length += text.length + 1;
  }

  build(): Document {
    return { file: this.file, format: this.format, text: this.lines.join("\n"), tables: this.tables };
  }
}
