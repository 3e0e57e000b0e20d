import { readFileSync } from "node:fs";
import type { FieldDef, FieldId, Generation, RuleDef } from "./types.js";

/** The raw field dictionary, shipped as data (a copy of the spec's fields.json). */
interface FieldsFile {
  spec: string;
  version: string;
  notes: string[];
  sets: Record<string, string[] | Record<string, string[]>>;
  sections: { generation: Generation[]; key: string; label: string; variants: string[] }[];
  pre2019_heading_rows: { label: string; position: string }[];
  fields: FieldDef[];
  rules: RuleDef[];
}

const DATA_URL = new URL("../../data/fields.json", import.meta.url);
let cached: FieldsFile | undefined;

/** Loads data/fields.json once. */
export function fieldsFile(): FieldsFile {
  cached ??= JSON.parse(readFileSync(DATA_URL, "utf8")) as FieldsFile;
  return cached;
}

export function allFieldDefs(): readonly FieldDef[] {
  return fieldsFile().fields;
}

export function allRules(): readonly RuleDef[] {
  return fieldsFile().rules;
}

/** Field definitions of one generation (an id may have several entries, one per table). */
export function fieldDefsFor(generation: Generation): FieldDef[] {
  return fieldsFile().fields.filter((f) => f.generation.includes(generation));
}

let byId: Map<FieldId, FieldDef[]> | undefined;
/** Every catalog entry for an id. */
export function fieldDefs(id: FieldId): FieldDef[] {
  if (!byId) {
    byId = new Map();
    for (const f of fieldsFile().fields) {
      const list = byId.get(f.id) ?? [];
      list.push(f);
      byId.set(f.id, list);
    }
  }
  return byId.get(id) ?? [];
}

const firstDef = new Map<Generation, Map<FieldId, FieldDef>>();
/** Without a generation (most calls): its own map, one lookup instead of two. */
const firstDefAny = new Map<FieldId, FieldDef>();
/** First catalog entry for an id (label, unit), optionally of a generation; undefined for unknown ids. */
export function fieldDef(id: FieldId, generation?: Generation): FieldDef | undefined {
  // Asked for every field of every report, several times over: remembered per generation.
  let byGen = firstDefAny;
  if (generation) {
    let m = firstDef.get(generation);
    if (!m) firstDef.set(generation, (m = new Map()));
    byGen = m;
  }
  const known = byGen.get(id);
  if (known) return known;
  const defs = fieldDefs(id);
  const def = (generation && defs.find((d) => d.generation.includes(generation))) || defs[0];
  if (def) byGen.set(id, def); // catalog ids only: unknown ids (user input) are not remembered
  return def;
}

/** True when the id is in the catalog (or is a `cumulative.` twin of one). */
export function isKnownField(id: FieldId): boolean {
  return fieldDefs(id).length > 0 || (id.startsWith("cumulative.") && fieldDefs(id.slice(11)).length > 0);
}

/** A named set of values (T3_COLS, T3_ROWS of a generation, ...). */
export function namedSet(name: string, generation?: Generation): string[] {
  const s = fieldsFile().sets[name];
  if (!s) throw new Error(`unknown set ${name}`);
  if (Array.isArray(s)) return s;
  const g = generation && s[generation] ? generation : Object.keys(s)[Object.keys(s).length - 1];
  return s[g];
}

/** A short human label for an id, e.g. `一、本年新收政府信息公开申请数量 / 自然人`. */
export function fieldLabel(id: FieldId, generation?: Generation): string {
  if (id.startsWith("cumulative.")) return `${fieldLabel(id.slice(11), generation)}（历年累计）`;
  const d = fieldDef(id, generation);
  if (!d) return id;
  return d.column && !["统计数", "年度"].includes(d.column) ? `${d.label} / ${d.column}` : d.label;
}
