import { readFileSync } from "node:fs";
import { fieldsFile, type FieldId } from "../../model/index.js";
import { labelKey, stripOrdinal } from "../normalise.js";

/**
 * The row dictionary of the pre-2019 tables (national 《政府信息公开情况统计表》 and the 福建 table),
 * built from data/fields.json plus the spellings in rows.json. A label is looked up by its key:
 * normalised, no whitespace, no ordinal; parenthetical notes are optional.
 */

export interface RowPlan {
  header: { label_column: string[]; unit_column: string[]; year_column: string[]; cumulative_column: string[] };
  extra_labels: { id: FieldId; labels: string[] }[];
  units: string[];
  end_markers: string[];
  max_unknown_label: number;
}

export const PLAN: RowPlan = JSON.parse(readFileSync(new URL("./rows.json", import.meta.url), "utf8")) as RowPlan;

export interface Candidate {
  id: FieldId;
  /** Position of the row in its template (catalog order), to resolve labels shared by two rows. */
  order: number;
}

export interface Entry {
  key: string;
  /** Empty for a structural heading row (`一、主动公开情况`, `——` cells). */
  candidates: Candidate[];
}

const TABLES = new Set(["pre2019.indicators", "pre2019.fujian"]);

/** Label key without ordinal (and without 其中:). */
export function bodyKey(label: string): string {
  // stripOrdinal removes 其中: only together with an ordinal; `其中：主要负责同志…` has none.
  return stripOrdinal(stripOrdinal(labelKey(label)).replace(/^其中:?/, ""));
}

function withoutNotes(key: string): string {
  const bare = key.replace(/\([^()]*\)/g, "");
  return bare.length >= 2 ? bare : key;
}

let cached: { entries: Entry[]; byKey: Map<string, Entry> } | undefined;

function build() {
  const byKey = new Map<string, Entry>();
  const add = (label: string, cand: Candidate | null) => {
    const k = bodyKey(label);
    for (const key of new Set([k, withoutNotes(k)])) {
      if (key.length < 2) continue;
      const e = byKey.get(key) ?? { key, candidates: [] };
      byKey.set(key, e);
      if (cand && !e.candidates.some((c) => c.id === cand.id)) e.candidates.push(cand);
    }
  };
  const file = fieldsFile();
  const orderOf = new Map<FieldId, number>();
  file.fields.forEach((f, i) => {
    if (!TABLES.has(f.table) || f.id.startsWith("cumulative.")) return;
    const order = f.table === "pre2019.fujian" ? 1000 + i : i;
    if (!orderOf.has(f.id)) orderOf.set(f.id, order);
    for (const l of [f.label, ...f.variants]) add(l, { id: f.id, order });
  });
  for (const x of PLAN.extra_labels) for (const l of x.labels) add(l, { id: x.id, order: orderOf.get(x.id) ?? 0 });
  for (const h of file.pre2019_heading_rows) add(h.label, null);
  const entries = [...byKey.values()].sort((a, b) => b.key.length - a.key.length);
  return { entries, byKey };
}

function dict() {
  cached ??= build();
  return cached;
}

/** The longest dictionary label that starts at `pos` of the compact text `c`. */
export function labelAt(c: string, pos: number): Entry | undefined {
  for (const e of dict().entries) if (c.startsWith(e.key, pos)) return e;
  return undefined;
}

/** Exact lookup of a whole label cell (grid tables), with or without its note. */
export function lookupLabel(label: string): Entry | undefined {
  const k = bodyKey(label);
  const d = dict().byKey;
  return d.get(k) ?? d.get(withoutNotes(k));
}

/**
 * The row a label stands for. Labels shared by two rows (`（二）被依法纠错数` under 四 and 五) are
 * resolved by position: the first candidate after the previous row, else the first one.
 */
/**
 * Gives a table row its field id, resolving its label after the previous row (`lastOrder`); a known
 * label that stands for no row here is a heading. Returns the order to resolve the next row after.
 */
export function assignRow(row: { id?: string; heading: boolean }, entry: Entry | undefined, lastOrder: number): number {
  if (!entry) return lastOrder;
  const cand = resolve(entry, lastOrder);
  if (!cand) {
    row.heading = true;
    return lastOrder;
  }
  row.id = cand.id;
  return cand.order;
}

export function resolve(e: Entry, lastOrder: number): Candidate | undefined {
  if (e.candidates.length <= 1) return e.candidates[0];
  const after = e.candidates.filter((c) => c.order > lastOrder).sort((a, b) => a.order - b.order);
  return after[0] ?? [...e.candidates].sort((a, b) => a.order - b.order)[0];
}
