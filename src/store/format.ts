import { writeFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { StoreError } from "./errors.js";

export type OutputFormat = "table" | "csv" | "xlsx" | "json";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "csv", "xlsx", "json"];

export interface Column<T> {
  key: keyof T & string;
  /** Header: Chinese, then English. */
  header: string;
  align?: "left" | "right";
}

/** Terminal columns of a character: CJK and full-width forms take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  return String(v);
}

/** A plain text table with CJK-aware padding. */
export function textTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const heads = columns.map((c) => c.header);
  const body = rows.map((r) => columns.map((c) => cell((r as any)[c.key])));
  const widths = columns.map((_, i) => Math.max(displayWidth(heads[i]), ...body.map((b) => displayWidth(b[i]))));
  const pad = (s: string, i: number) => {
    const gap = " ".repeat(widths[i] - displayWidth(s));
    return columns[i].align === "right" ? gap + s : s + gap;
  };
  const line = (cells: string[]) => cells.map(pad).join("  ").trimEnd();
  return [line(heads), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n";
}

/**
 * Renders rows as a terminal table, CSV (UTF-8 with BOM, so Excel reads Chinese), XLSX or JSON.
 * XLSX needs a file (`output`) unless stdout is not a terminal.
 */
export async function renderRows<T>(rows: readonly T[], columns: readonly Column<T>[], format: OutputFormat, opts: { output?: string; sheet?: string } = {}): Promise<void> {
  let data: string | Buffer;
  if (format === "table") data = rows.length ? textTable(rows, columns) : "（无结果 no rows）\n";
  else if (format === "json") data = JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, (r as any)[c.key] ?? null]))), null, 2) + "\n";
  else if (format === "csv") data = stringify([columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell((r as any)[c.key])))], { bom: true, record_delimiter: "\r\n" });
  else if (format === "xlsx") {
    if (!opts.output && process.stdout.isTTY) throw new StoreError("BAD_INPUT", "XLSX 需要 --output 文件名 (xlsx needs --output FILE, or redirect stdout)");
    // Loaded here only: ExcelJS takes a fifth of a second to load, on every command otherwise.
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet((opts.sheet ?? "gongkai").slice(0, 31));
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.min(60, Math.max(10, displayWidth(c.header) + 2)) }));
    for (const r of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, (r as any)[c.key] ?? null])));
    ws.getRow(1).font = { bold: true };
    data = Buffer.from(await wb.xlsx.writeBuffer());
  } else throw new StoreError("BAD_INPUT", `未知输出格式：${format}，可用 ${OUTPUT_FORMATS.join("/")} (unknown format)`);
  if (opts.output) writeFileSync(opts.output, data);
  else process.stdout.write(data);
}

export function checkFormat(f: string | undefined): OutputFormat {
  const v = (f ?? "table").toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) throw new StoreError("BAD_INPUT", `未知输出格式：${f}，可用 ${OUTPUT_FORMATS.join("/")} (unknown --format)`);
  return v as OutputFormat;
}
