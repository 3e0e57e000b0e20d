import { fieldDef, type FieldId, type Generation } from "../model/index.js";
import data from "./messages.json" with { type: "json" };

/**
 * Validator messages: templates live in messages.json (zh-CN and en, named placeholders) and are
 * only ever filled here, so wording can change without touching the checks.
 */

export type Lang = "zh" | "en";
type Named = { zh: string; en: string };
export type TemplateKey = keyof typeof data.templates;
export type ReasonKey = keyof typeof data.reasons;

const rows = data.rows as Record<string, Named>;
const columns = data.columns as Record<string, Named>;
const fields = data.fields as Record<string, Named>;

/** Fills `{name}` placeholders; a missing value is a programming error, so it shows as `{name}`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-z_]+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function message(key: TemplateKey, values: Record<string, string | number>): { zh: string; en: string } {
  const t = data.templates[key];
  return { zh: fill(t.zh, values), en: fill(t.en, values) };
}

export function reasonText(key: ReasonKey, values: Record<string, string | number>, lang: Lang): string {
  return fill(data.reasons[key][lang], values);
}

export function opText(op: "=" | "<=" | ">=", holds: boolean): string {
  return data.ops[op][holds ? "holds" : "fails"];
}

export function separator(lang: Lang): string {
  return data.separator[lang];
}

/** A matrix cell id split into its row and column keys (tables 二, 三, 四 of 2019/2021). */
export function splitCell(id: FieldId, generation: Generation | null): { row: string; column: string } | undefined {
  if (generation === "pre2019" || generation === null) return undefined;
  const parts = id.split(".");
  if (parts[0] === "applications" && parts.length >= 3) return { row: parts.slice(1, -1).join("."), column: parts[parts.length - 1] };
  if ((parts[0] === "review" || parts[0] === "proactive") && parts.length === 3) return { row: parts[1], column: parts[2] };
  return undefined;
}

function stripOrdinal(label: string): string {
  return label.replace(/^(其中[：:])?\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])/, "").replace(/[（(][^）)]*[)）]$/, "");
}

/** Name of a row key, a column key or a whole field, in one language. */
export function rowName(key: string, lang: Lang): string {
  return rows[key]?.[lang] ?? key;
}
/** Column names can differ per table (其他 in table 三, 其他结果 in table 四): `review:other` first. */
export function columnName(key: string, lang: Lang, id?: FieldId): string {
  const table = id?.split(".")[0];
  return (table && columns[`${table}:${key}`]?.[lang]) ?? columns[key]?.[lang] ?? key;
}

/** A readable name for one cell, e.g. `予以公开/自然人` or `requests received`. */
export function cellName(id: FieldId, generation: Generation | null, lang: Lang): string {
  if (id.startsWith("cumulative.")) return fill(data.templates.cumulative_term[lang], { name: cellName(id.slice(11), generation, lang) });
  const cell = splitCell(id, generation);
  if (cell) return fill(data.templates.cell[lang], { row: rowName(cell.row, lang), column: columnName(cell.column, lang, id) });
  const named = fields[id];
  if (named) return named[lang];
  const def = fieldDef(id, generation ?? undefined);
  if (lang === "zh" && def) return stripOrdinal(def.label) || def.label;
  return id;
}

/**
 * The name of a term inside a relation whose placeholders are bound: the bound dimension is said
 * once in the subject, so `applications.new.natural` under c = natural reads `本年新收`.
 */
export function termName(id: FieldId, bindings: Record<string, string>, generation: Generation | null, lang: Lang): string {
  const cumulative = bindings.column === "cumulative" && id.startsWith("cumulative.");
  const base = cumulative ? id.slice(11) : id;
  const values = Object.entries(bindings).filter(([k]) => k !== "column").map(([, v]) => v);
  if (values.includes(base)) return data.templates.this_year[lang];
  if (base.startsWith("cumulative.") && values.includes(base.slice(11))) return data.templates.cumulative_column[lang];
  const cell = splitCell(base, generation);
  if (cell) {
    if (values.includes(cell.column)) return rowName(cell.row, lang);
    if (values.includes(cell.row)) return columnName(cell.column, lang, base);
  }
  return cellName(base, generation, lang);
}

/** The subject of a bound relation: its placeholder values named (`自然人`, `行政复议`), or "" when unbound. */
export function subjectName(bindings: Record<string, string>, generation: Generation | null, lang: Lang): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(bindings)) {
    if (k === "column") parts.push(data.templates.cumulative_column[lang]);
    else if (k === "c") parts.push(columnName(v, lang));
    else if (k === "x") parts.push(cellName(v, generation, lang));
    else parts.push(rowName(v, lang));
  }
  return parts.join(lang === "zh" ? "·" : ", ");
}
