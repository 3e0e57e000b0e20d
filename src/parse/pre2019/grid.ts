import { labelKey } from "../normalise.js";
import type { TableGrid } from "../document.js";
import { assignRow, lookupLabel, PLAN } from "./dictionary.js";
import type { TextRow } from "./rows.js";

/**
 * A pre-2019 statistics table that arrived as a real grid (HTML, DOCX, XLSX): the header row names
 * the label, unit, year and 历年累计 columns; every later row is one table row. Cells keep their
 * positions, so a blank cell is known to be blank.
 */

export interface GridTable {
  columns: 1 | 2;
  index: number;
  offset: number;
  /** Text range of the table's ` | ` lines in Document.text. */
  span: [number, number];
  rows: (TextRow & { cells: string[] })[];
}

const anyOf = (xs: string[]) => new RegExp(`^(?:${xs.join("|")})$`);
const LABEL_COL = anyOf(PLAN.header.label_column);
const UNIT_COL = anyOf(PLAN.header.unit_column);
const YEAR_COL = anyOf(PLAN.header.year_column);
const CUM_COL = anyOf(PLAN.header.cumulative_column);

export function readGrid(t: TableGrid): GridTable | undefined {
  for (let h = 0; h < Math.min(t.rows.length, 4); h++) {
    const keys = t.rows[h].map((x) => labelKey(x));
    const labelCol = keys.findIndex((k) => LABEL_COL.test(k));
    if (labelCol < 0) continue;
    const unitCol = keys.findIndex((k, i) => i !== labelCol && UNIT_COL.test(k));
    const yearCol = keys.findIndex((k, i) => i > labelCol && i !== unitCol && YEAR_COL.test(k));
    const cumCol = keys.findIndex((k, i) => i > labelCol && CUM_COL.test(k));
    if (yearCol < 0) continue;
    const valueCols = cumCol >= 0 ? [yearCol, cumCol] : [yearCol];
    const rows: GridTable["rows"] = [];
    let lastOrder = -1;
    let length = t.rows.slice(0, h + 1).reduce((n, r) => n + r.join(" | ").length + 1, 0);
    for (let r = h + 1; r < t.rows.length; r++) {
      const cells = t.rows[r];
      const line = cells.join(" | ");
      const offset = t.offset + length;
      length += line.length + 1;
      const label = cells[labelCol] ?? "";
      if (!label.trim() || valueCols.every((c) => c === labelCol)) continue;
      const entry = lookupLabel(label);
      const tokens = valueCols.map((c) => (cells[c] ?? "").trim());
      const row = { label: labelKey(label), heading: false, unknown: !entry, tokens, raw: line, offset, cells: tokens, ...(unitCol >= 0 && cells[unitCol] ? { unit: labelKey(cells[unitCol]) } : {}) } as GridTable["rows"][number];
      lastOrder = assignRow(row, entry, lastOrder);
      rows.push(row);
    }
    if (!rows.some((x) => x.id)) return undefined;
    return { columns: cumCol >= 0 ? 2 : 1, index: t.index, offset: t.offset, span: [t.offset, t.offset + length], rows };
  }
  return undefined;
}
