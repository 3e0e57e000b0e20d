import { fieldDef, emptyExtraction, type Extraction, type FieldId, type Finding, type Generation, type ParsedReport } from "../model/index.js";
import { convertUnit } from "./cells.js";
import { decodeBytes, InputError, MAX_TEXT_BYTES } from "./decode.js";
import { isReport, detectAgency, detectGeneration, detectYear } from "./detect.js";
import { toDocument, type Document } from "./document.js";
import { readFormat } from "./formats/index.js";
import { prose, pre2019 } from "./readers.js";
import { solveRuns, type DigitRun } from "./solve.js";
import { mergeReads, readGridTables } from "./grids.js";
import { placeLost } from "./lost.js";
import { readTextTables, type TableRead } from "./texttables.js";
import { truncation } from "./truncation.js";

/**
 * The parser's public face: bytes or text in, the canonical model out (ParsedReport, the
 * `--json` shape). Stages: decode → document (HTML grids / text) → detect → read tables →
 * solve run-together digits → prose → merge. Pure apart from the optional lazy loading of
 * DOCX/PDF/XLSX readers; never touches the network.
 */

export { InputError } from "./decode.js";
export type { Document, TableGrid } from "./document.js";
export { toDocument } from "./document.js";

export interface ParseOptions {
  filename: string;
}

/** Parses one report file's content. Input problems throw InputError (with a code). */
export async function parseReport(input: Uint8Array | string, opts: ParseOptions): Promise<ParsedReport> {
  const name = opts.filename;
  let doc: Document | null = null;
  if (typeof input === "string") {
    if (input.trim() === "") throw new InputError("EMPTY", `${name}: 文件为空 (empty file)`);
    if (Buffer.byteLength(input, "utf8") > MAX_TEXT_BYTES) throw tooLarge(name, Buffer.byteLength(input, "utf8"));
    doc = toDocument(input, name);
  } else {
    if (input.length === 0) throw new InputError("EMPTY", `${name}: 文件为空 (empty file)`);
    doc = await readFormat(input, name);
    if (!doc) {
      if (input.length > MAX_TEXT_BYTES) throw tooLarge(name, input.length);
      const decoded = decodeBytes(input, name);
      if (decoded.text.trim() === "") throw new InputError("EMPTY", `${name}: 文件为空 (empty file)`);
      doc = toDocument(decoded.text, name);
    }
  }
  return parseDocument(doc);
}

function tooLarge(name: string, bytes: number): InputError {
  return new InputError("TOO_LARGE", `${name}: 文件过大 ${(bytes / 1048576).toFixed(0)} MB，文本/网页上限 ${MAX_TEXT_BYTES / 1048576} MB (file too large)`);
}

/** Parses a document already built (by toDocument or a format reader). Synchronous and pure. */
export function parseDocument(doc: Document): ParsedReport {
  const text = doc.text;
  if (text.replace(/\s+/g, "") === "") throw new InputError("EMPTY", `${doc.file}: 没有可读的文字 (no readable text)`);
  if (!isReport(text)) {
    throw new InputError("NOT_REPORT", `${doc.file}: 不是政府信息公开工作年度报告（没有报告标题，也没有法定统计表） (not a government information disclosure annual report)`);
  }
  const report_year = detectYear(text);
  const format = detectGeneration(text, report_year);
  const agency = detectAgency(text);

  let tables: Extraction = emptyExtraction();
  let read: TableRead | undefined;
  if (format === "2019" || format === "2021") {
    read = readTextTables(text, format, doc.format === "text" ? "text" : "table");
    // Real grids are read by their header cells; the text reader covers what they do not settle.
    if (doc.tables.length) read = mergeReads(readGridTables(doc.tables, format), read);
    tables = solved(read, format);
  } else if (format === "pre2019") {
    tables = pre2019(doc) ?? tables;
  }
  const gen: Generation = format ?? "2021";
  const p = prose(doc, gen);
  let merged = p ? p.merge(tables, p.extraction) : tables;
  if (read && format) merged = anchorRuns(read, merged, format);

  const issues: Finding[] = [...merged.issues];
  const cut = truncation(text, format, read);
  if (cut) issues.unshift(cut);
  if (!format) issues.push({ rule: "FORMAT-UNKNOWN", severity: "warning", message: "无法判断报告格式（年份与表格均不明） (template generation unknown)" });
  if (report_year === null) issues.push({ rule: "YEAR-UNKNOWN", severity: "warning", message: "无法确定报告年度 (report year not found)" });

  const fields = sortFields(merged.fields);
  return {
    file: doc.file,
    format,
    report_year,
    agency,
    fields,
    blank: [...new Set(merged.blank)].filter((id) => fields[id] === undefined).sort(),
    ambiguous: [...new Set(merged.ambiguous)].filter((id) => fields[id] === undefined).sort(),
    provenance: Object.fromEntries(Object.keys(fields).filter((id) => merged.provenance[id]).map((id) => [id, merged.provenance[id]])),
    issues,
  };
}

/** Direct values plus the solver's split of the run-together rows. */
function solved(read: TableRead, generation: Generation): Extraction {
  const out: Extraction = { fields: { ...read.values }, blank: [...read.blank], ambiguous: [...read.ambiguous], provenance: { ...read.provenance }, issues: [] };
  for (const n of read.notes) out.issues.push({ rule: n.rule, severity: "warning", message: n.message, fields: n.fields });
  if (read.runs.length) {
    const r = solveRuns(read.runs, read.values, generation);
    for (const [id, v] of Object.entries(r.values)) {
      out.fields[id] = convertUnit(v, read.units[id], fieldDef(id)?.unit ?? "件");
      out.provenance[id] = r.provenance[id];
    }
    out.ambiguous.push(...r.ambiguous);
    out.issues.push(...r.issues);
  }
  if (read.lost.length) {
    // A blank cell is nothing printed: 0 in the sums the placement is checked against.
    const known = Object.fromEntries(
      [...out.blank.map((id) => [id, 0] as [FieldId, number]), ...Object.entries(out.fields)].filter(([id]) => !read.lost.some((l) => l.fields.includes(id))),
    );
    const p = placeLost(read.lost, known, generation);
    Object.assign(out.fields, p.values);
    Object.assign(out.provenance, p.provenance);
    out.blank.push(...p.blank);
    out.ambiguous.push(...p.ambiguous);
    out.issues.push(...p.issues);
  }
  // A printed subtotal the template does not have (法人或其他组织 小计) helped the solving; the
  // validator derives it, so it is not reported as read.
  const derived = (id: FieldId) => fieldDef(id, generation)?.kind === "derived";
  for (const id of Object.keys(out.fields)) if (derived(id)) delete out.fields[id];
  out.blank = out.blank.filter((id) => !derived(id));
  out.ambiguous = out.ambiguous.filter((id) => !derived(id));
  return out;
}

/**
 * A figure the prose states for the first (or last) cell of an undecided run fixes where that cell
 * ends (`行政规范性文件3024` with `新制发规范性文件3件`: 3 | 024); the rest of the run is solved
 * again. Only the digits the prose accounts for are removed; nothing else is assumed.
 */
function anchorRuns(read: TableRead, ex: Extraction, generation: Generation): Extraction {
  const amb = new Set(ex.ambiguous);
  const fromProse = (id: FieldId) => (ex.provenance[id]?.method === "prose" ? ex.fields[id] : undefined);
  const reduced: DigitRun[] = [];
  for (const run of read.runs) {
    if (!run.fields.some((f) => amb.has(f))) continue;
    const tokens = [...run.tokens];
    let fields = [...run.fields];
    let changed = false;
    for (;;) {
      const v = fromProse(fields[0]);
      if (v === undefined || !tokens.length || !tokens[0].startsWith(String(v)) || fields.length < 2) break;
      tokens[0] = tokens[0].slice(String(v).length);
      if (tokens[0] === "") tokens.shift();
      fields = fields.slice(1);
      changed = true;
    }
    for (;;) {
      const v = fromProse(fields[fields.length - 1]);
      const last = tokens.length - 1;
      if (v === undefined || last < 0 || !tokens[last].endsWith(String(v)) || fields.length < 2) break;
      tokens[last] = tokens[last].slice(0, -String(v).length);
      if (tokens[last] === "") tokens.pop();
      fields = fields.slice(0, -1);
      changed = true;
    }
    if (changed && tokens.length && fields.every((f) => amb.has(f))) reduced.push({ ...run, tokens, fields, source: `${run.source}（由正文数字定位 / anchored by a figure in the prose）` });
  }
  if (!reduced.length) return ex;
  const known = Object.fromEntries(Object.entries(ex.fields).filter(([id]) => !amb.has(id)));
  const r = solveRuns(reduced, known, generation);
  const out: Extraction = { ...ex, fields: { ...ex.fields }, provenance: { ...ex.provenance } };
  for (const [id, v] of Object.entries(r.values)) {
    out.fields[id] = convertUnit(v, read.units[id], fieldDef(id)?.unit ?? "件");
    out.provenance[id] = r.provenance[id];
  }
  out.ambiguous = ex.ambiguous.filter((id) => out.fields[id] === undefined);
  // Undecided-split warnings whose cells are now all decided no longer apply.
  out.issues = ex.issues.filter((i) => i.rule !== "SPLIT-AMBIGUOUS" || !(i.fields ?? []).every((f) => out.fields[f] !== undefined));
  out.issues.push(...r.issues);
  return out;
}

function sortFields(f: Record<FieldId, number>): Record<FieldId, number> {
  return Object.fromEntries(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
