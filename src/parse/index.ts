import { allFieldDefs, fieldDef, emptyExtraction, type Extraction, type FieldId, type Finding, type Generation, type ParsedReport } from "../model/index.js";
import { convertUnit } from "./cells.js";
import { decodeBytes, InputError, MAX_TEXT_BYTES } from "./decode.js";
import { isReport, detectAgency, detectGeneration, detectYear } from "./detect.js";
import { toDocument, type Document } from "./document.js";
import { readFormat } from "./formats/index.js";
import { prose, pre2019 } from "./readers.js";
import { solveRuns } from "./solve.js";
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
  if (!/\S/.test(text)) throw new InputError("EMPTY", `${doc.file}: 没有可读的文字 (no readable text)`);
  if (!isReport(text)) {
    throw new InputError("NOT_REPORT", `${doc.file}: 不是政府信息公开工作年度报告（没有报告标题，也没有法定统计表） (not a government information disclosure annual report)`);
  }
  const report_year = detectYear(text);
  const format = detectGeneration(text, report_year);
  const agency = detectAgency(text);

  let tables: Extraction = emptyExtraction();
  let read: TableRead | undefined;
  const gen: Generation = format ?? "2021";
  const p = prose(doc, gen);
  let weighed: FieldId[] = [];
  if (format === "2019" || format === "2021") {
    // Real grids are read by their header cells; the text reader covers what they do not settle
    // (nothing, when the grids hold all three statutory tables to their end).
    const grid = doc.tables.length ? readGridTables(doc.tables, format) : undefined;
    if (grid?.complete.t2 && grid.complete.t3 && grid.complete.t4) read = grid;
    else {
      read = readTextTables(text, format, doc.format === "text" ? "text" : "table");
      if (grid) read = mergeReads(grid, read);
    }
    ({ tables, weighed } = solved(read, format, p?.extraction.fields ?? {}));
  } else if (format === "pre2019") {
    tables = pre2019(doc, p?.extraction.fields) ?? tables;
  }
  const merged = p ? p.merge(tables, p.extraction, { weighed, consume: true }) : tables;

  const issues: Finding[] = [...merged.issues];
  const cut = truncation(text, format, read);
  if (cut) issues.unshift(cut);
  if (!format) issues.push({ rule: "FORMAT-UNKNOWN", severity: "warning", message: "无法判断报告格式（年份与表格均不明） (template generation unknown)" });
  if (report_year === null) issues.push({ rule: "YEAR-UNKNOWN", severity: "warning", message: "无法确定报告年度 (report year not found)" });

  // Fields and their provenance in id order, built in one pass.
  const fields: Record<FieldId, number> = {};
  const provenance: ParsedReport["provenance"] = {};
  for (const id of sortedIds(merged.fields)) {
    fields[id] = merged.fields[id];
    const p = merged.provenance[id];
    if (p) provenance[id] = p;
  }
  return {
    file: doc.file,
    format,
    report_year,
    agency,
    fields,
    blank: [...new Set(merged.blank)].filter((id) => fields[id] === undefined).sort(),
    ambiguous: [...new Set(merged.ambiguous)].filter((id) => fields[id] === undefined).sort(),
    provenance,
    issues,
  };
}

/**
 * Direct values plus the solver's split of the run-together rows. Where the identities leave a split
 * open, the figures the report's prose states (`hints`) decide it when a split has them; cells still
 * open with a stated figure are `weighed` (no split gives that figure, so the prose does not fill them).
 */
function solved(read: TableRead, generation: Generation, hints: Record<FieldId, number>): { tables: Extraction; weighed: FieldId[] } {
  // The read is the pipeline's own and not used again: its values and provenance are taken, not copied.
  const out: Extraction = { fields: read.values, blank: [...read.blank], ambiguous: [...read.ambiguous], provenance: read.provenance, issues: [] };
  let weighed: FieldId[] = [];
  for (const n of read.notes) out.issues.push({ rule: n.rule, severity: "warning", message: n.message, fields: n.fields });
  if (read.runs.length) {
    let r = solveRuns(read.runs, read.values, generation);
    // A hint compares with the digits as printed: only where the cell is printed in the field's unit.
    const usable = (id: FieldId) => hints[id] !== undefined && (read.units[id] === undefined || read.units[id] === (fieldDef(id)?.unit ?? "件"));
    const open = r.ambiguous.filter(usable);
    if (open.length) {
      const h = solveRuns(read.runs, read.values, generation, Object.fromEntries(open.map((id) => [id, hints[id]])));
      const broken = (x: typeof r) => x.issues.some((i) => i.rule === "SPLIT-UNSOLVED" || i.rule === "SPLIT-RELAXED");
      if (!broken(h) || broken(r)) {
        const decided = r.ambiguous.filter((id) => h.values[id] !== undefined);
        for (const id of decided) h.provenance[id] = { ...h.provenance[id], method: "solved", source: `${h.provenance[id].source}（按正文数字拆分）` };
        const pinned = open.filter((id) => h.values[id] === hints[id]).map((id) => `${id}=${hints[id]}`);
        if (pinned.length) {
          h.issues.push({
            rule: "SPLIT-PROSE",
            severity: "info",
            message: `连写数字有多种拆分，按正文所述数字确定：${pinned.join("、")} (several splits satisfied the identities; the figures stated in the prose decided: ${pinned.join(", ")})`,
            fields: decided,
          });
        }
        r = h;
      }
      weighed = r.ambiguous.filter(usable);
    }
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
  return { tables: out, weighed };
}

let order: { rank: Map<FieldId, number>; ids: FieldId[] } | undefined;

/** Ids in code-unit order (as `<` compares); catalog ids sorted through their precomputed rank. */
function sortedIds(f: Record<FieldId, number>): FieldId[] {
  if (!order) {
    const ids = [...new Set(allFieldDefs().flatMap((d) => [d.id, `cumulative.${d.id}`]))].sort();
    order = { rank: new Map(ids.map((id, i) => [id, i])), ids };
  }
  const keys = Object.keys(f);
  const ranks = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) ranks[i] = order.rank.get(keys[i]) ?? -1;
  if (ranks.includes(-1)) return keys.sort();
  ranks.sort();
  for (let i = 0; i < ranks.length; i++) keys[i] = order.ids[ranks[i]];
  return keys;
}
