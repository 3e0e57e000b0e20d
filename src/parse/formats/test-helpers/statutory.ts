import { randomBytes } from "node:crypto";
import { Document as DocxDocument, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, WidthType, PageOrientation } from "docx";
import ExcelJS from "exceljs";
import { fieldDefs, namedSet, type FieldId, type Generation, type ParsedReport } from "../../../model/index.js";
import { table2, table3, table4 } from "../../labels.js";

/** A cell of the statutory layout, with its spans. */
export interface LayoutCell { text: string; rowspan?: number; colspan?: number }
export type Block = { line: string } | { rows: LayoutCell[][] };

const value = (r: ParsedReport, id: FieldId) => (r.fields[id] === undefined ? "" : String(r.fields[id]));

/**
 * A report's statutory tables (二, 三, 四 of the 2019/2021 formats) laid out as the template
 * prints them (caption rows, spanning headers, the 3-column row labels of 三), filled with the
 * values of a parsed report. Used to make Word, Excel and PDF versions of real reports.
 */
export function statutoryLayout(r: ParsedReport): { blocks: Block[]; ids: FieldId[] } {
  const gen = r.format as Generation;
  const ids: FieldId[] = [];
  const blocks: Block[] = [{ line: `${r.agency ?? ""}${r.report_year}年政府信息公开工作年度报告` }, { line: "一、总体情况" }, { line: "本报告根据《中华人民共和国政府信息公开条例》编制。" }, { line: "二、主动公开政府信息情况" }];

  const t2: LayoutCell[][] = [];
  for (const sub of table2(gen)) {
    t2.push([{ text: `第二十条第（${sub.item}）项`, colspan: 4 }]);
    const cols = sub.rows[0].columns;
    t2.push([{ text: "信息内容" }, ...cols.map((c, k) => ({ text: c, colspan: k === cols.length - 1 ? 4 - cols.length : 1 }))]);
    for (const row of sub.rows) {
      t2.push([{ text: row.label }, ...row.cells.map((id, k) => ({ text: value(r, id), colspan: k === row.cells.length - 1 ? 4 - row.cells.length : 1 }))]);
      ids.push(...row.cells);
    }
  }
  blocks.push({ rows: t2 }, { line: "三、收到和处理政府信息公开申请情况" });

  const cols = namedSet("T3_COLS");
  const colLabel = (c: string) => fieldDefs(`applications.new.${c}`)[0]?.column ?? c;
  const t3: LayoutCell[][] = [
    [{ text: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan: 3, colspan: 3 }, { text: "申请人情况", colspan: 7 }],
    [{ text: colLabel("natural"), rowspan: 2 }, { text: "法人或其他组织", colspan: 5 }, { text: colLabel("total"), rowspan: 2 }],
    cols.slice(1, 6).map((c) => ({ text: colLabel(c) })),
  ];
  const rows = table3(gen);
  const resultRows = rows.filter((x) => x.id.startsWith("result.") && x.cells.length);
  const groupSize = (g: string) => rows.filter((x) => x.id.startsWith(`${g}.`) && x.cells.length).length;
  let resultStarted = false;
  let group: string | undefined;
  for (const row of rows) {
    if (!row.cells.length) { if (row.id !== "result") group = row.id; continue; }
    ids.push(...row.cells);
    const values = row.cells.map((id) => ({ text: value(r, id) }));
    if (!row.id.startsWith("result.")) { t3.push([{ text: row.label, colspan: 3 }, ...values]); continue; }
    const lead: LayoutCell[] = [];
    if (!resultStarted) { resultStarted = true; lead.push({ text: "三、本年度办理结果", rowspan: resultRows.length }); }
    if (group && row.id.startsWith(`${group}.`)) {
      const header = rows.find((x) => x.id === group)!;
      if (rows.filter((x) => x.id.startsWith(`${group}.`) && x.cells.length)[0] === row) lead.push({ text: header.label, rowspan: groupSize(group) });
      t3.push([...lead, { text: row.label }, ...values]);
    } else {
      group = undefined;
      t3.push([...lead, { text: row.label, colspan: 2 }, ...values]);
    }
  }
  blocks.push({ rows: t3 }, { line: "四、政府信息公开行政复议、行政诉讼情况" });

  const t4cols = namedSet("T4_COLS").map((c) => fieldDefs(`review.reconsideration.${c}`).find((d) => d.generation.includes(gen))?.column ?? c);
  const t4: LayoutCell[][] = [
    [{ text: "行政复议", colspan: 5 }, { text: "行政诉讼", colspan: 10 }],
    [...t4cols.map((c) => ({ text: c, rowspan: 2 })), { text: "未经复议直接起诉", colspan: 5 }, { text: "复议后起诉", colspan: 5 }],
    [...t4cols, ...t4cols].map((c) => ({ text: c })),
    table4().map((id) => ({ text: value(r, id) })),
  ];
  ids.push(...table4());
  blocks.push({ rows: t4 }, { line: "五、存在的主要问题及改进情况" }, { line: "无。" }, { line: "六、其他需要报告的事项" }, { line: "无。" });
  return { blocks, ids };
}

/** The layout as the HTML a web page would carry (the reference path the formats must match). */
export function layoutToHtml(blocks: Block[]): string {
  const cell = (c: LayoutCell) => `<td rowspan="${c.rowspan ?? 1}" colspan="${c.colspan ?? 1}">${c.text}</td>`;
  return `<html><body>${blocks.map((b) => ("line" in b ? `<p>${b.line}</p>` : `<table>${b.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</table>`)).join("")}</body></html>`;
}

/** The layout as a Word file (real Word tables with vertical and horizontal merges). */
export async function layoutToDocx(blocks: Block[], opts: { pictures?: number[] } = {}): Promise<Buffer> {
  const children: (Paragraph | Table)[] = blocks.map((b) => {
    if ("line" in b) return new Paragraph({ text: b.line });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      // Rows do not break across pages (as in most official templates); spans still do.
      rows: b.rows.map((row) => new TableRow({
        cantSplit: true,
        children: row.map((c) => new TableCell({ children: [new Paragraph({ text: c.text })], rowSpan: c.rowspan, columnSpan: c.colspan })),
      })),
    });
  });
  // Pictures of these sizes in bytes, the first above the title and the rest at the end (a
  // letterhead, a seal): a PNG signature and incompressible bytes, as a photographed seal weighs.
  const [head, ...tail] = (opts.pictures ?? []).map((n) => new Paragraph({
    children: [new ImageRun({ type: "png", data: Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(n)]), transformation: { width: 120, height: 120 } })],
  }));
  if (head) children.unshift(head);
  children.push(...tail);
  const doc = new DocxDocument({ sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }] });
  return Packer.toBuffer(doc);
}

/** The layout as one worksheet: title and headings in lone cells, tables with merged cells. */
export async function layoutToXlsx(blocks: Block[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("年度报告");
  let r = 1;
  for (const b of blocks) {
    if ("line" in b) { ws.getCell(r, 1).value = b.line; r += 1; continue; }
    const taken = new Set<string>();
    b.rows.forEach((row, i) => {
      let c = 1;
      for (const cell of row) {
        while (taken.has(`${r + i},${c}`)) c++;
        const rs = cell.rowspan ?? 1;
        const cs = cell.colspan ?? 1;
        const v = cell.text;
        ws.getCell(r + i, c).value = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
        if (rs > 1 || cs > 1) ws.mergeCells(r + i, c, r + i + rs - 1, c + cs - 1);
        for (let a = 0; a < rs; a++) for (let d = 0; d < cs; d++) taken.add(`${r + i + a},${c + d}`);
        c += cs;
      }
    });
    r += b.rows.length + 1;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
