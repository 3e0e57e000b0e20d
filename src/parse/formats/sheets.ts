import type { Document } from "../document.js";
import { DocumentBuilder } from "./build.js";

/** One sheet as a grid: each cell's text (a merged range's text in all its cells) and whether it is the range's first. */
export interface SheetGrid { rows: string[][]; origin: boolean[][] }

/**
 * Spreadsheets in the statutory layout (the report's tables laid out as in the template, merged
 * cells for spanning headers) → the document seam, whichever library read them (.xlsx, .xls/.et).
 * Each run of non-empty rows is one table; rows above it holding one lone unmerged cell (titles,
 * headings) are text lines.
 */
export function sheetsToDocument(sheets: SheetGrid[], file: string, format: Document["format"]): Document {
  const out = new DocumentBuilder(file, format);
  for (const { rows, origin } of sheets) {
    let r = 0;
    while (r < rows.length) {
      if (rows[r].every((t) => t === "")) { r++; continue; }
      let end = r;
      while (end < rows.length && rows[end].some((t) => t !== "")) end++;
      // Headings typed into one unmerged cell above a table are text; a merged caption row
      // (第二十条第（一）项 across the table) and rows of blank values belong to the table.
      const heading = (i: number) => rows[i].filter((t, j) => t !== "" && origin[i][j]).length <= 1 && origin[i].every(Boolean);
      let top = r;
      while (top < end && heading(top)) top++;
      const bottom = end;
      for (let i = r; i < top; i++) out.line(rows[i].find((t) => t !== "") ?? "");
      if (bottom > top) {
        // Trim columns empty in every row of this table (sheets are often wider than a table).
        const cols = rows[top].map((_, j) => j).filter((j) => rows.slice(top, bottom).some((row) => row[j] !== ""));
        out.table(rows.slice(top, bottom).map((row) => cols.map((j) => row[j])), origin.slice(top, bottom).map((row) => cols.map((j) => row[j])));
      }
      r = end;
    }
  }
  return out.build();
}
