import ExcelJS from "exceljs";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { DocumentBuilder, cellText } from "./build.js";

type Cell = ExcelJS.Cell;

/** Displayed text of a cell: formula results, rich text and numbers as a person sees them. */
function valueText(cell: Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return v.result === undefined || v.result === null ? "" : typeof v.result === "object" ? "" : String(v.result);
    if ("text" in v) return String(v.text);
    if ("error" in v) return "";
  }
  return cell.text ?? "";
}

/** One sheet as a grid: each cell's text (a merged range's text in all its cells) and whether it is the range's first. */
export interface SheetGrid { rows: string[][]; origin: boolean[][] }

/**
 * A spreadsheet in the statutory layout (the report's tables laid out as in the template, merged
 * cells for spanning headers) → the document seam. Each run of non-empty rows is one table;
 * rows above it holding one lone unmerged cell (titles, headings) are text lines.
 */
export async function readXlsx(bytes: Uint8Array, file: string): Promise<Document> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw new InputError("UNREADABLE", `${file}: Excel 文件已损坏或无法读取 (damaged or unreadable .xlsx: ${e instanceof Error ? e.message : e})`);
  }
  const sheets: SheetGrid[] = [];
  for (const ws of wb.worksheets) {
    if (ws.state !== "visible") continue;
    const height = ws.rowCount;
    const width = ws.columnCount;
    const rows: string[][] = [];
    const origin: boolean[][] = [];
    for (let r = 1; r <= height; r++) {
      const row = ws.getRow(r);
      const texts: string[] = [];
      const orig: boolean[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const master = cell.isMerged ? cell.master : cell;
        texts.push(cellText(valueText(master)));
        orig.push(master === cell || master.address === cell.address);
      }
      rows.push(texts);
      origin.push(orig);
    }
    sheets.push({ rows, origin });
  }
  return sheetsToDocument(sheets, file, "xlsx");
}

/** Sheets → document: runs of non-empty rows are tables, lone cells above them heading lines. */
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
