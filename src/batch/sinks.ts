import { parse } from "csv-parse/sync";
import { closeSync, constants, existsSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { extname } from "node:path";
import { stringify } from "csv-stringify/sync";
import { InputError } from "../parse/decode.js";
import { header, reportRow, type HeaderLanguage } from "./columns.js";
import type { Outcome } from "./parse-file.js";
import type { Target } from "./record.js";

/**
 * Where outcomes go: `target`, appended to by whichever thread parsed the file. `done` lists the
 * files a previous run already wrote (for --resume).
 */
export interface Sink {
  done: Set<string>;
  target: Target;
  close(): Promise<void>;
}

/** A fresh output, emptied, for appending (O_APPEND: records from several threads stay whole). */
const FRESH = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND;

export type OutputFormat = "jsonl" | "csv" | "xlsx";

export function outputFormat(out: string): OutputFormat {
  const ext = extname(out).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".csv") return "csv";
  if (ext === ".xlsx") return "xlsx";
  throw new InputError("UNSUPPORTED", `${out}: 输出文件须为 .jsonl、.csv 或 .xlsx (output must end in .jsonl, .csv or .xlsx)`);
}

export interface SinkOptions {
  resume: boolean;
  headers: HeaderLanguage;
}

/** Opens the output for appending; with `resume`, reads what is there and drops a torn last record. */
export async function openSink(out: string, opts: SinkOptions): Promise<Sink> {
  const format = outputFormat(out);
  if (format === "jsonl") return jsonlSink(out, opts.resume);
  if (format === "csv") return csvSink(out, opts);
  return xlsxSink(out, opts);
}

/** Keeps the bytes up to the last newline: a run killed mid-write leaves at most one torn record. */
function completePrefix(buf: Buffer): Buffer {
  const end = buf.lastIndexOf(0x0a);
  return end < 0 ? buf.subarray(0, 0) : buf.subarray(0, end + 1);
}

function jsonlSink(out: string, resume: boolean): Sink {
  const done = new Set<string>();
  let fd: number;
  if (resume && existsSync(out)) {
    const whole = readFileSync(out);
    const keep = completePrefix(whole);
    for (const line of keep.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const o = JSON.parse(line) as { file?: unknown };
        if (typeof o.file === "string") done.add(o.file);
      } catch {
        throw new InputError("UNREADABLE", `${out}: 无法续跑，输出文件不是本工具写的 JSONL (cannot resume: not a JSONL file written by gongkai)`);
      }
    }
    fd = openSync(out, "r+");
    ftruncateSync(fd, keep.length);
    closeSync(fd);
    fd = openSync(out, "a");
  } else {
    fd = openSync(out, FRESH);
  }
  return {
    done,
    target: { fd, format: "jsonl" },
    async close() { closeSync(fd); },
  };
}

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"] }) as string[][];
}

/** CSV for Excel/WPS: UTF-8 with BOM, CRLF, one row per file, failures in the 错误/error column. */
function csvSink(out: string, opts: SinkOptions): Sink {
  const head = header(opts.headers, true);
  const done = new Set<string>();
  let fd: number;
  if (opts.resume && existsSync(out)) {
    const whole = readFileSync(out);
    // A record ends at a newline outside quotes; cut back to the last one that parses whole.
    let text = whole.toString("utf8").replace(/^\ufeff/, "");
    // A kill can tear the last record (even inside a quoted field): keep whole records only.
    if (!text.endsWith("\n")) text = text.slice(0, text.lastIndexOf("\n") + 1);
    let rows: string[][] | undefined;
    while (!rows) {
      try { rows = parseCsv(text); } catch { text = text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1); }
    }
    if (rows.length && rows[0].join(",") !== head.join(",")) {
      throw new InputError("UNREADABLE", `${out}: 无法续跑，已有文件的列与本次不同(检查 --headers) (cannot resume: the existing file has different columns; check --headers)`);
    }
    for (const r of rows.slice(1)) if (r[0]) done.add(r[0]);
    const keepBytes = Buffer.byteLength(text, "utf8") + (whole[0] === 0xef ? 3 : 0);
    fd = openSync(out, "r+");
    ftruncateSync(fd, keepBytes);
    closeSync(fd);
    fd = openSync(out, "a");
    if (rows.length === 0) writeSync(fd, (keepBytes === 0 ? "\ufeff" : "") + stringify([head], { record_delimiter: "\r\n" }));
  } else {
    fd = openSync(out, FRESH);
    writeSync(fd, "\ufeff" + stringify([head], { record_delimiter: "\r\n" }));
  }
  return {
    done,
    target: { fd, format: "csv" },
    async close() { closeSync(fd); },
  };
}

const REPORTS_SHEET = "报告 reports";
const ERRORS_SHEET = "错误 errors";

/**
 * XLSX cannot be appended to, so outcomes go to a JSONL journal beside it (`<out>.partial.jsonl`)
 * as they come, and the workbook is written at the end from the previous workbook (on --resume),
 * plus the journal. A run killed hard keeps its journal; --resume picks it up.
 */
async function xlsxSink(out: string, opts: SinkOptions): Promise<Sink> {
  const journalPath = `${out}.partial.jsonl`;
  const previous: { reports: unknown[][]; errors: unknown[][] } = { reports: [], errors: [] };
  const head = header(opts.headers, false);
  const done = new Set<string>();
  // Loaded only for XLSX output: a third of a second of start-up that JSONL and CSV runs do not need.
  const { default: ExcelJS } = await import("exceljs");
  if (opts.resume && existsSync(out)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.readFile(out);
    } catch {
      throw new InputError("UNREADABLE", `${out}: 无法续跑，已有的 XLSX 无法读取 (cannot resume: existing workbook unreadable)`);
    }
    const rows = (name: string) => {
      const ws = wb.getWorksheet(name);
      const out: unknown[][] = [];
      ws?.eachRow((row, n) => { if (n > 1) out.push((row.values as unknown[]).slice(1)); });
      return { ws, rows: out };
    };
    const reports = rows(REPORTS_SHEET);
    if (!reports.ws || (reports.ws.getRow(1).values as unknown[]).slice(1).join("\u0001") !== head.join("\u0001")) {
      throw new InputError("UNREADABLE", `${out}: 无法续跑，已有文件的列与本次不同(检查 --headers) (cannot resume: the existing workbook has different columns; check --headers)`);
    }
    previous.reports = reports.rows;
    previous.errors = rows(ERRORS_SHEET).rows;
    for (const r of [...previous.reports, ...previous.errors]) if (typeof r[0] === "string") done.add(r[0]);
  }
  const journal = jsonlSink(journalPath, opts.resume);
  for (const f of journal.done) done.add(f);
  return {
    done,
    target: journal.target,
    async close() {
      await journal.close();
      const outcomes = completePrefix(readFileSync(journalPath)).toString("utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Outcome);
      const tmp = `${out}.writing`;
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: true, useStyles: true });
      const reports = wb.addWorksheet(REPORTS_SHEET, { views: [{ state: "frozen", xSplit: 1, ySplit: 1 }] });
      reports.addRow(head).font = { bold: true };
      for (const r of previous.reports) reports.addRow(r).commit();
      for (const o of outcomes) if (o.ok) reports.addRow(reportRow(o.file, o.report, false)).commit();
      reports.commit();
      const errors = wb.addWorksheet(ERRORS_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
      errors.addRow(opts.headers === "zh" ? ["文件", "错误代码", "错误"] : ["file", "code", "error"]).font = { bold: true };
      for (const r of previous.errors) errors.addRow(r).commit();
      for (const o of outcomes) if (!o.ok) errors.addRow([o.file, o.error.code, o.error.message]).commit();
      errors.commit();
      await wb.commit();
      renameSync(tmp, out);
      rmSync(journalPath, { force: true });
    },
  };
}
