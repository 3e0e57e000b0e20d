import { parse } from "csv-parse/sync";
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import type { CellValue } from "exceljs";
import { stringify } from "csv-stringify/sync";
import { isIsoDate, type IsoDate } from "./dates.js";
import type { Deadline } from "./deadline.js";
import { perApplicationFee, perPageFee } from "./fees.js";
import { fail, ok, problem, type Problem, type Result } from "./problems.js";
import { APPLICANT_TYPES, CHANNELS, OUTCOMES, REVIEW_RESULTS, type Application, type ApplicantType, type Channel, type Outcome, type RequestEvent, type ReviewResult } from "./register.js";
import type { Entry } from "./register-store.js";

/**
 * The register as a spreadsheet, one application a row, for offices moving from Excel: CSV
 * (UTF-8 with BOM, so Excel reads the Chinese) or XLSX. Headers are the Chinese labels below
 * (the English keys are accepted too). Personal columns are written only on request.
 */

export const COLUMNS = [
  ["number", "编号"], ["agency", "办理机关"], ["applicant_type", "申请人类型"],
  ["applicant_name", "申请人"], ["applicant_id_number", "证件号码"], ["applicant_contact", "联系方式"],
  ["channel", "渠道"], ["subject", "申请内容"], ["received_on", "收到日期"],
  ["correction_requested", "要求补正日期"], ["correction_received", "收到补正日期"], ["correction_lapsed", "逾期未补正日期"],
  ["consultations", "征求意见期间"], ["extension_on", "延期批准日期"], ["extension_days", "延长工作日数"],
  ["fee_notice", "收费通知日期"], ["fee_method", "收费方式"], ["fee_pages", "页数"], ["fee_rank", "当月第几件"], ["fee_amount", "收费金额（元）"],
  ["fee_paid", "缴费日期"], ["fee_lapsed", "逾期未缴费日期"],
  ["answered_on", "答复日期"], ["outcome", "办理结果"],
  ["reconsideration_filed", "复议申请日期"], ["reconsideration_decided", "复议决定日期"], ["reconsideration_result", "复议结果"],
  ["litigation_filed", "起诉日期"], ["litigation_decided", "判决日期"], ["litigation_result", "诉讼结果"],
  ["status", "状态"], ["due", "答复期限"],
] as const;
export type ColumnKey = typeof COLUMNS[number][0];
export const PERSONAL_COLUMNS: readonly ColumnKey[] = ["applicant_name", "applicant_id_number", "applicant_contact"];
/** Written on export for the reader, ignored on import (they are computed). */
const COMPUTED_COLUMNS: readonly ColumnKey[] = ["status", "due"];

const STATUS_ZH = { open: "办理中", awaiting_correction: "等待补正", consulting: "征求意见中", awaiting_fee: "等待缴费", closed: "已办结" } as const;
const FEE_METHODS = { per_application: "按件", per_page: "按量" } as const;

type Row = Partial<Record<ColumnKey, string>>;

function lookup<K extends string>(table: Record<K, string>, value: string, extra: (label: string) => string[] = () => []): K | undefined {
  const v = value.trim();
  for (const [k, label] of Object.entries(table) as [K, string][]) {
    if (v === k || v === label || extra(label).includes(v)) return k;
  }
  return undefined;
}

/** 办理结果 accepts the key, the full label, or the label without its group (e.g. 属于国家秘密). */
const outcomeOf = (v: string) => lookup(OUTCOMES as Record<Outcome, string>, v, (label) => {
  const short = label.split("：").slice(1).join("：");
  return [short, label.replace(/^（.）/, "")].filter(Boolean);
});

/** One spreadsheet row → an application with its events, or every problem in the row. */
export function rowToItem(row: Row, where: string): Result<{ app: Application; events: RequestEvent[] }> {
  const errs: Problem[] = [];
  const bad = (code: string, zh: string, en: string) => errs.push(problem(code, zh, en, where));
  const get = (k: ColumnKey) => (row[k] ?? "").trim();
  const date = (k: ColumnKey, label: string): IsoDate | undefined => {
    const v = get(k);
    if (!v) return undefined;
    if (!isIsoDate(v)) { bad("ROW-DATE", `${label}不是有效日期：${v}`, `${k} is not a valid date (YYYY-MM-DD): ${v}`); return undefined; }
    return v;
  };
  const label = (k: ColumnKey) => COLUMNS.find(([key]) => key === k)![1];
  const applicantType = lookup(APPLICANT_TYPES as Record<ApplicantType, string>, get("applicant_type"));
  if (!applicantType) bad("ROW-TYPE", `申请人类型无效：${get("applicant_type") || "（空）"}`, `invalid applicant type: ${get("applicant_type") || "(empty)"}`);
  const channel = lookup(CHANNELS as Record<Channel, string>, get("channel"));
  if (!channel) bad("ROW-CHANNEL", `渠道无效：${get("channel") || "（空）"}`, `invalid channel: ${get("channel") || "(empty)"}`);
  const receivedOn = date("received_on", label("received_on"));
  if (!get("received_on")) bad("ROW-DATE", "缺少收到日期", "missing receipt date");

  const events: RequestEvent[] = [];
  const ev = (k: ColumnKey, kind: RequestEvent["kind"], extra: Partial<RequestEvent> = {}) => {
    const d = date(k, label(k));
    if (d) events.push({ kind, date: d, ...extra });
    return d;
  };
  ev("correction_requested", "correction_requested");
  ev("correction_received", "correction_received");
  ev("correction_lapsed", "correction_lapsed");
  for (const period of get("consultations").split(/[;；]/).map((s) => s.trim()).filter(Boolean)) {
    const [from, to] = period.split(/~|～|至/).map((s) => s.trim());
    if (!isIsoDate(from) || (to && !isIsoDate(to))) { bad("ROW-CONSULT", `征求意见期间格式应为 起~止：${period}`, `consultation period must be FROM~TO: ${period}`); continue; }
    events.push({ kind: "consultation_started", date: from, party: "third_party" });
    if (to) events.push({ kind: "consultation_ended", date: to });
  }
  if (get("extension_on") || get("extension_days")) {
    const days = Number(get("extension_days"));
    if (!get("extension_days") || !Number.isInteger(days)) bad("ROW-EXT", `延长工作日数无效：${get("extension_days") || "（空）"}`, `invalid extension days: ${get("extension_days") || "(empty)"}`);
    else if (!get("extension_on")) bad("ROW-EXT", "缺少延期批准日期", "missing extension approval date");
    else ev("extension_on", "extension", { days });
  }
  if (get("fee_notice")) {
    const method = lookup(FEE_METHODS, get("fee_method"));
    const pages = Number(get("fee_pages"));
    const rank = Number(get("fee_rank"));
    let amount: number | undefined;
    if (method === "per_page" && Number.isInteger(pages) && pages >= 0 && get("fee_pages")) amount = perPageFee(pages).amountYuan;
    else if (method === "per_application" && Number.isInteger(rank) && rank >= 1) amount = perApplicationFee(rank).amountYuan;
    else bad("ROW-FEE", "收费须注明方式（按件并填当月第几件，或按量并填页数）", "a fee needs its method: 按件 with the monthly rank, or 按量 with the pages");
    if (amount !== undefined && get("fee_amount") && Number(get("fee_amount")) !== amount) {
      bad("ROW-FEE-AMOUNT", `收费金额 ${get("fee_amount")} 与按标准计算的 ${amount} 元不符（国办函〔2020〕109号）`, `fee ${get("fee_amount")} differs from the standard's ${amount} yuan`);
    }
    if (amount !== undefined && method) ev("fee_notice", "fee_notice", { fee: { method, amountYuan: amount, ...(method === "per_page" ? { pages } : { monthlyRank: rank }) } });
  }
  ev("fee_paid", "fee_paid");
  ev("fee_lapsed", "fee_lapsed");
  if (get("answered_on") || get("outcome")) {
    const outcome = outcomeOf(get("outcome"));
    if (!outcome) bad("ROW-OUTCOME", `办理结果无效：${get("outcome") || "（空）"}`, `invalid outcome: ${get("outcome") || "(empty)"}`);
    else if (!get("answered_on")) bad("ROW-DATE", "有办理结果但缺少答复日期", "an outcome without an answer date");
    else ev("answered_on", "answered", { outcome });
  }
  for (const kind of ["reconsideration", "litigation"] as const) {
    ev(`${kind}_filed`, `${kind}_filed`);
    if (get(`${kind}_decided`)) {
      const result = lookup(REVIEW_RESULTS as Record<ReviewResult, string>, get(`${kind}_result`), (l) => [l.replace("结果", "")]);
      if (!result) bad("ROW-REVIEW", `${label(`${kind}_result`)}无效：${get(`${kind}_result`) || "（空）"}`, `invalid ${kind} result`);
      else ev(`${kind}_decided`, `${kind}_decided`, { result });
    }
  }
  if (errs.length || !applicantType || !channel || !receivedOn) return fail(errs);
  const app: Application = {
    id: get("number"), agency: get("agency"), applicantType, channel, subject: get("subject"), receivedOn,
    applicant: { name: get("applicant_name"), ...(get("applicant_id_number") ? { idNumber: get("applicant_id_number") } : {}), ...(get("applicant_contact") ? { contact: get("applicant_contact") } : {}) },
  };
  return ok({ app, events });
}

/** An entry as a spreadsheet row (the inverse of rowToItem for what one row can hold). */
export function entryToRow(e: Entry, deadline?: Deadline): Row {
  const r: Row = {
    number: e.app.id, agency: e.app.agency, applicant_type: APPLICANT_TYPES[e.app.applicantType],
    applicant_name: e.app.applicant.name, applicant_id_number: e.app.applicant.idNumber ?? "", applicant_contact: e.app.applicant.contact ?? "",
    channel: CHANNELS[e.app.channel], subject: e.app.subject, received_on: e.app.receivedOn, status: STATUS_ZH[e.state.status], due: deadline?.due ?? "",
  };
  const consult: string[] = [];
  for (const ev of e.events) {
    switch (ev.kind) {
      case "consultation_started": consult.push(ev.date); break;
      case "consultation_ended": consult[consult.length - 1] += `~${ev.date}`; break;
      case "extension": r.extension_on = ev.date; r.extension_days = String(ev.days); break;
      case "fee_notice":
        r.fee_notice = ev.date; r.fee_method = ev.fee ? FEE_METHODS[ev.fee.method] : "";
        r.fee_pages = ev.fee?.pages?.toString() ?? ""; r.fee_rank = ev.fee?.monthlyRank?.toString() ?? ""; r.fee_amount = ev.fee?.amountYuan.toString() ?? "";
        break;
      case "answered": r.answered_on = ev.date; r.outcome = ev.outcome ? OUTCOMES[ev.outcome] : ""; break;
      case "reconsideration_decided": r.reconsideration_decided = ev.date; r.reconsideration_result = ev.result ? REVIEW_RESULTS[ev.result] : ""; break;
      case "litigation_decided": r.litigation_decided = ev.date; r.litigation_result = ev.result ? REVIEW_RESULTS[ev.result] : ""; break;
      default: r[ev.kind as ColumnKey] = ev.date;
    }
  }
  r.consultations = consult.join("; ");
  return r;
}

// ---- files ----

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF), a leading BOM dropped, empty lines skipped. */
export function parseCsv(text: string): string[][] {
  return (parse(text, { bom: true, relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"] }) as string[][]).filter((r) => r.some((c) => c.trim() !== ""));
}

function cellText(v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("text" in v) return String(v.text);
    if ("result" in v) return cellText(v.result as CellValue);
  }
  return String(v);
}

/** Reads a register file (.csv or .xlsx) into header-keyed rows; problems name the file. */
export async function readRegisterFile(file: string): Promise<Result<{ rows: Row[]; lineOf: number[] }>> {
  let grid: string[][];
  try {
    if (extname(file).toLowerCase() === ".xlsx") {
      const { default: ExcelJS } = await import("exceljs");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.worksheets[0];
      grid = [];
      ws?.eachRow({ includeEmpty: true }, (r, n) => {
        const cells: string[] = [];
        for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(r.getCell(c).value));
        grid[n - 1] = cells;
      });
      grid = Array.from(grid, (r) => r ?? []);
    } else {
      grid = parseCsv(await readFile(file, "utf8"));
    }
  } catch (e) {
    return fail([problem("FILE-READ", `无法读取文件：${(e as Error).message}`, "cannot read the file", file)]);
  }
  if (!grid.length) return fail([problem("FILE-EMPTY", "文件为空", "empty file", file)]);
  const header = grid[0].map((h) => h.trim());
  const keys = header.map((h) => COLUMNS.find(([k, zh]) => h === k || h === zh)?.[0]);
  const unknown = header.filter((h, i) => h && !keys[i]);
  const required: ColumnKey[] = ["number", "agency", "applicant_type", "applicant_name", "channel", "subject", "received_on"];
  const missing = required.filter((k) => !keys.includes(k));
  const errs: Problem[] = [];
  if (unknown.length) errs.push(problem("FILE-COLUMN", `未知列：${unknown.join("、")}`, `unknown columns: ${unknown.join(", ")}`, file));
  if (missing.length) errs.push(problem("FILE-COLUMN", `缺少列：${missing.map((k) => COLUMNS.find(([c]) => c === k)![1]).join("、")}`, `missing columns: ${missing.join(", ")}`, file));
  if (errs.length) return fail(errs);
  const rows: Row[] = [];
  const lineOf: number[] = [];
  grid.slice(1).forEach((cells, i) => {
    if (!cells.some((c) => c.trim())) return;
    const row: Row = {};
    keys.forEach((k, j) => { if (k && !COMPUTED_COLUMNS.includes(k)) row[k] = cells[j] ?? ""; });
    rows.push(row);
    lineOf.push(i + 2);
  });
  return ok({ rows, lineOf });
}

/** Writes rows as CSV (BOM) or XLSX by extension; personal columns only when asked for. */
export async function writeRegisterFile(file: string, rows: Row[], opts: { personal: boolean }): Promise<void> {
  const cols = COLUMNS.filter(([k]) => opts.personal || !PERSONAL_COLUMNS.includes(k));
  const header = cols.map(([, zh]) => zh);
  const body = rows.map((r) => cols.map(([k]) => r[k] ?? ""));
  if (extname(file).toLowerCase() === ".xlsx") {
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("依申请公开登记");
    ws.addRow(header);
    for (const r of body) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    await wb.xlsx.writeFile(file);
  } else {
    await writeFile(file, stringify([header, ...body], { bom: true }));
  }
}

/**
 * Imports a register file all or nothing: every bad row is listed with its line and reason, and
 * nothing is stored unless every row is sound (including checks against what is already stored
 * and the agency's issued years).
 */
export async function importRegister(reg: import("./register-store.js").RequestRegister, file: string, opts: import("./register-store.js").ChangeOptions = {}): Promise<Result<{ count: number }>> {
  const read = await readRegisterFile(file);
  if (!read.ok) return read;
  const items: { app: Application; events: RequestEvent[]; where: string }[] = [];
  const errors: Problem[] = [];
  read.value.rows.forEach((row, i) => {
    const where = `${file} 第${read.value.lineOf[i]}行`;
    const r = rowToItem(row, where);
    if (r.ok) items.push({ ...r.value, where });
    else errors.push(...r.errors);
  });
  if (!items.length && !errors.length) return fail([problem("FILE-EMPTY", "文件中没有申请记录", "no application rows in the file", file)]);
  if (errors.length) {
    // Rows that parsed are still checked, so the office sees every problem at once.
    const rest = items.length ? await reg.addApplications(items.map((x) => ({ ...x })), {}, { dryRun: true }) : undefined;
    return fail([...errors, ...(rest && !rest.ok ? rest.errors : [])].sort(byLine));
  }
  const r = await reg.addApplications(items, opts);
  return r.ok ? ok({ count: items.length }, r.warnings) : fail([...r.errors].sort(byLine), r.warnings);
}

function byLine(a: Problem, b: Problem): number {
  const n = (p: Problem) => Number(/第(\d+)行/.exec(p.where ?? "")?.[1] ?? 0);
  return n(a) - n(b);
}

/** Writes the register (one agency or all) with status and due date; no personal data unless `personal`. */
export async function exportRegister(reg: import("./register-store.js").RequestRegister, file: string, opts: { agency?: string; personal: boolean; asOf: IsoDate }): Promise<number> {
  const entries = await reg.entries(opts.agency);
  const deadlines = new Map((await reg.deadlines({ agency: opts.agency, asOf: opts.asOf, includeClosed: true })).map((d) => [`${d.agency}\u0000${d.applicationId}`, d]));
  await writeRegisterFile(file, entries.map((e) => entryToRow(e, deadlines.get(`${e.app.agency}\u0000${e.app.id}`))), { personal: opts.personal });
  return entries.length;
}
