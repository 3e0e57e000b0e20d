import ExcelJS from "exceljs";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { cellText } from "./build.js";
import { sheetsToDocument, type SheetGrid } from "./sheets.js";

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

/** A spreadsheet in the statutory layout (.xlsx, through ExcelJS) → the document seam (see sheets.ts). */
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
