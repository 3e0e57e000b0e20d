import * as XLSX from "@e965/xlsx";
import * as cptable from "@e965/xlsx/dist/cpexcel.full";
import type { Document } from "../document.js";
import { InputError } from "../decode.js";
import { cellText } from "./build.js";
import { sheetsToDocument, type SheetGrid } from "./sheets.js";

// Excel 95 and older files store text in the writer's code page (936 for GBK on Chinese Windows).
XLSX.set_cptable(cptable);

/** Displayed text of a cell: numbers as their value (as the .xlsx reader gives them), the rest as shown. */
function valueText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return "";
  if (cell.t === "n") return String(cell.v);
  if (cell.t === "b") return cell.v ? "TRUE" : "FALSE";
  if (cell.t === "e") return "";
  if (cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.w ?? cell.v);
}

/**
 * Runs `read` with the console silenced. SheetJS prints what it does not recognise in a damaged
 * file ("Missing Info for XLS Record …") to the console, which would land among a batch's progress
 * lines and the CLI's messages; what matters reaches the caller as an error. `read` is synchronous,
 * so nothing else can print in between.
 */
function quietly<T>(read: () => T): T {
  const { log, warn, error } = console;
  console.log = console.warn = console.error = () => {};
  try {
    return read();
  } finally {
    Object.assign(console, { log, warn, error });
  }
}

/**
 * Legacy Excel (.xls, BIFF8 and older) and WPS 表格's .et, which is the same format, → the
 * document seam, through SheetJS (republished on npm as @e965/xlsx) and the same sheet reading
 * as .xlsx: tables from runs of rows, merged ranges as spans, lone cells above as headings.
 */
export function readXls(bytes: Uint8Array, file: string): Document {
  let wb: XLSX.WorkBook;
  try {
    wb = quietly(() => XLSX.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: "buffer", cellFormula: false, cellHTML: false, cellStyles: false, cellDates: true }));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (/password/i.test(why)) throw new InputError("UNSUPPORTED", `${file}: Excel 文件有密码保护，请先去掉密码 (the spreadsheet is password-protected; remove the password first)`);
    throw new InputError("UNREADABLE", `${file}: Excel 文件已损坏或无法读取 (damaged or unreadable .xls: ${why})`);
  }
  const sheets: SheetGrid[] = [];
  wb.SheetNames.forEach((name, i) => {
    if (wb.Workbook?.Sheets?.[i]?.Hidden) return;
    const ws = wb.Sheets[name];
    if (!ws) return;
    // The cells the sheet holds, not the range it declares (a whole-sheet "!ref" is a million rows).
    let height = 0;
    let width = 0;
    for (const key of Object.keys(ws)) {
      if (key.startsWith("!")) continue;
      const { r, c } = XLSX.utils.decode_cell(key);
      height = Math.max(height, r + 1);
      width = Math.max(width, c + 1);
    }
    if (!height) return;
    const rows = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => cellText(valueText(ws[XLSX.utils.encode_cell({ r, c })]))));
    const origin = rows.map((row) => row.map(() => true));
    for (const m of ws["!merges"] ?? []) {
      const text = rows[m.s.r]?.[m.s.c] ?? "";
      for (let r = m.s.r; r <= Math.min(m.e.r, height - 1); r++) {
        for (let c = m.s.c; c <= Math.min(m.e.c, width - 1); c++) {
          rows[r][c] = text;
          origin[r][c] = r === m.s.r && c === m.s.c;
        }
      }
    }
    sheets.push({ rows, origin });
  });
  return sheetsToDocument(sheets, file, "xls");
}
