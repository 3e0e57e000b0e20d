import {
  allFieldDefs,
  fieldDef,
  relationFields,
  type Expr,
  type FieldId,
  type Finding,
  type Generation,
  type ParsedReport,
  type Relation,
  type Values,
} from "../model/index.js";
import { applicableRelations, derive, printedRows, evaluate, relevantVariants, variantFamily, type Outcome } from "./engine.js";
import { cellName, message, opText, reasonText, separator, subjectName, termName, fill, type Lang } from "./messages.js";
import { classify, groupFailures, probableErrors, type Candidate } from "./suggest.js";
import data from "./messages.json" with { type: "json" };

export { cellName } from "./messages.js";

/**
 * A report's values with its derived fields (subtotals, 法人或其他组织, all-litigation) filled in
 * from their definitions where absent: for comparisons and time series across generations.
 */
export function withDerived(report: Pick<ParsedReport, "fields" | "format">): Record<FieldId, number> {
  return report.format ? derive(report.fields, report.format).values : { ...report.fields };
}
export type { Lang } from "./messages.js";

export interface ValidateOptions {
  /** The same agency's report for the previous year: enables the `[y-1]` rules. */
  previous?: ParsedReport;
}

/**
 * Checks a parsed report against every identity of data/fields.json and the value rules
 * (non-negative, whole numbers, key totals present). Pure: no I/O. A relation is checked only
 * when all its terms are present (blank is not 0, spec §1.3); where blanks read as 0 would break
 * it, a BLANK-AS-ZERO warning says so. Failing identities that one misprinted cell explains carry
 * a `suggestion` naming that cell and its likely value.
 */
export function validate(report: ParsedReport, opts: ValidateOptions = {}): Finding[] {
  const generation = report.format;
  const findings: Finding[] = [];
  findings.push(...valueChecks(report));
  if (!generation) return findings;

  const reported: Values = report.fields;
  const { values, computed } = derive(reported, generation);
  let previous: Values | undefined;
  if (opts.previous) {
    const py = opts.previous.report_year;
    const y = report.report_year;
    if (py !== null && y !== null && py !== y - 1) {
      const m = message("previous_year", { previous: py, year: y });
      findings.push({ rule: "PREVIOUS-YEAR", severity: "info", message: m.zh, message_en: m.en });
    } else {
      previous = derive(opts.previous.fields, opts.previous.format ?? generation).values;
    }
  }

  const relations = applicableRelations(generation, values, previous !== undefined, report.blank);
  const printed = printedRows(values, report.blank);
  const baseline = new Map<Relation, Outcome | undefined>();
  for (const r of relations) baseline.set(r, evaluate(r, values, r.crossYear ? previous : undefined));

  // Alternative forms of one rule (福建 A/B): report a family only when no form holds, and only the form the report's rows point to.
  const families = new Map<string, Relation[]>();
  for (const r of relations) {
    const f = variantFamily(r);
    if (f) families.set(f, [...(families.get(f) ?? []), r]);
  }
  const suppressed = new Set<Relation>();
  for (const variants of families.values()) {
    const evaluated = variants.filter((r) => baseline.get(r));
    if (evaluated.some((r) => baseline.get(r)!.ok)) variants.forEach((r) => suppressed.add(r));
    else {
      const keep = new Set(relevantVariants(evaluated.length ? evaluated : variants, printed));
      variants.forEach((r) => { if (!keep.has(r)) suppressed.add(r); });
    }
  }

  const failing: Outcome[] = [];
  for (const r of relations) {
    const o = baseline.get(r);
    if (o && !o.ok && !suppressed.has(r) && !(isDefinitionOf(r, computed))) failing.push(o);
  }

  // Probable errors, per group of failing error-level identities that share cells.
  const suggestionFor = new Map<Outcome, { candidates: Candidate[] }>();
  const errorFailures = failing.filter((o) => o.rel.rule.severity === "error" && !o.rel.crossYear);
  for (const group of groupFailures(errorFailures)) {
    const candidates = probableErrors(group, reported, computed, relations, baseline, generation);
    if (candidates.length) for (const o of group) suggestionFor.set(o, { candidates });
  }

  for (const o of failing) findings.push(identityFinding(o, generation, values, previous, suggestionFor.get(o)?.candidates));

  // Blank read as 0: a warning only, for relations that could not be evaluated.
  const blankCells = new Set(report.blank);
  for (const r of relations) {
    if (r.crossYear || baseline.get(r) || suppressed.has(r)) continue;
    const ids = [...new Set(relationFields(r))];
    const present = ids.filter((id) => values[id] !== undefined);
    const absent = ids.filter((id) => values[id] === undefined && !r.optional.has(id));
    // Only cells printed empty count: a figure a prose report never mentions is not a blank cell.
    if (!present.length || !absent.length || !absent.every((id) => blankCells.has(id) || derivedOf(id, generation))) continue;
    const zeroed: Record<FieldId, number> = { ...reported };
    for (const id of absent) if (fieldDef(id.replace(/^cumulative\./, ""), generation)?.kind !== "derived") zeroed[id] = 0;
    const { values: zv } = derive(zeroed, generation);
    for (const id of absent) zv[id] ??= 0;
    const o = evaluate(r, zv);
    if (!o || o.ok) continue;
    findings.push(blankAsZeroFinding(o, generation, zv, absent));
  }

  return findings;
}

function derivedOf(id: FieldId, generation: Generation): boolean {
  return fieldDef(id.replace(/^cumulative\./, ""), generation)?.kind === "derived";
}

/** A definition relation whose derived side was computed from it holds by construction. */
function isDefinitionOf(r: Relation, computed: ReadonlySet<FieldId>): boolean {
  return r.rule.basis === "definition" && r.left.terms.length === 1 && computed.has(r.left.terms[0].id);
}

function renderExpr(expr: Expr, rel: Relation, generation: Generation, values: Values, previous: Values | undefined, lang: Lang, dropped?: ReadonlySet<FieldId>): string {
  const parts: { text: string; sign: 1 | -1; zero: boolean }[] = [];
  for (const t of expr.terms) {
    if (!t.prev && dropped?.has(t.id)) continue;
    const v = (t.prev ? previous : values)?.[t.id];
    if (v === undefined && rel.optional.has(t.id)) continue;
    let name = termName(t.id, rel.bindings, generation, lang);
    if (t.prev) name = fill(data.templates.previous_term[lang], { name });
    parts.push({ text: `${name} ${v ?? "?"}`, sign: t.sign, zero: v === 0 });
  }
  if (expr.kind === "max") return `max(${parts.map((p) => p.text).join(", ")})`;
  // Long sums name only their non-zero terms: the rest would drown the numbers that matter.
  let shown = parts;
  let hidden = 0;
  if (parts.length > 7) {
    shown = parts.filter((p) => !p.zero);
    hidden = parts.length - shown.length;
    if (!shown.length) shown = parts.slice(0, 1), hidden = parts.length - 1;
  }
  let s = shown.map((p, i) => (i === 0 ? (p.sign < 0 ? `− ${p.text}` : p.text) : `${p.sign < 0 ? "−" : "+"} ${p.text}`)).join(" ");
  if (hidden) s += ` + ${fill(data.templates.others_zero[lang], { count: hidden })}`;
  return s;
}

function identityText(o: Outcome, generation: Generation, values: Values, previous: Values | undefined, lang: Lang, key: "identity" | "blank_as_zero", extra: Record<string, string> = {}): string {
  const subject = subjectName(o.rel.bindings, generation, lang);
  const t = data.templates[subject ? key : (`${key}_plain` as const)][lang];
  return fill(t, {
    rule: o.rel.rule.code,
    subject,
    left: renderExpr(o.rel.left, o.rel, generation, values, previous, lang, o.dropped),
    op: opText(o.rel.op, o.ok),
    right: renderExpr(o.rel.right, o.rel, generation, values, previous, lang, o.dropped),
    ...extra,
  });
}

function suggestionText(candidates: Candidate[], generation: Generation, values: Values, lang: Lang): string {
  if (candidates.length === 1) {
    const c = candidates[0];
    const r = classify(c.printed, c.value, c.field, generation, values);
    const reason = reasonText(r.key, {
      neighbour: r.neighbour ? cellName(r.neighbour, generation, lang) : "",
      neighbour_value: r.neighbourValue ?? "",
      difference: r.difference > 0 ? `+${r.difference}` : String(r.difference),
    }, lang);
    return fill(data.templates.suggestion[lang], { cell: cellName(c.field, generation, lang), printed: c.printed, value: c.value, reason });
  }
  const list = candidates.slice(0, 4).map((c) => fill(data.templates.candidate[lang], { cell: cellName(c.field, generation, lang), printed: c.printed, value: c.value }));
  if (candidates.length > 4) list.push("…");
  return fill(data.templates.not_unique[lang], { candidates: list.join(separator(lang)) });
}

function identityFinding(o: Outcome, generation: Generation, values: Values, previous: Values | undefined, candidates?: Candidate[]): Finding {
  let zh = identityText(o, generation, values, previous, "zh", "identity");
  let en = identityText(o, generation, values, previous, "en", "identity");
  const f: Finding = {
    rule: o.rel.rule.code,
    severity: o.rel.rule.severity,
    message: zh,
    message_en: en,
    fields: [...new Set(relationFields(o.rel))].filter((id) => !o.dropped?.has(id)),
    expected: o.right,
    actual: o.left,
  };
  if (candidates?.length) {
    zh += `${separator("zh")}${suggestionText(candidates, generation, values, "zh")}`;
    en += `${separator("en")}${suggestionText(candidates, generation, values, "en")}`;
    f.message = zh;
    f.message_en = en;
    if (candidates.length === 1) {
      const c = candidates[0];
      f.suggestion = { field: c.field, value: c.value, printed: c.printed, reason: classify(c.printed, c.value, c.field, generation, values).key };
    }
  }
  return f;
}

function blankAsZeroFinding(o: Outcome, generation: Generation, values: Values, absent: FieldId[]): Finding {
  const blanks = (lang: Lang) => absent.slice(0, 6).map((id) => termName(id, o.rel.bindings, generation, lang)).join(lang === "zh" ? "、" : ", ") + (absent.length > 6 ? " …" : "");
  return {
    rule: "BLANK-AS-ZERO",
    severity: "warning",
    message: identityText(o, generation, values, undefined, "zh", "blank_as_zero", { blanks: blanks("zh") }),
    message_en: identityText(o, generation, values, undefined, "en", "blank_as_zero", { blanks: blanks("en") }),
    fields: [...new Set(relationFields(o.rel))],
    expected: o.right,
    actual: o.left,
  };
}

/** The rule that forbids a negative value in this field, by generation and table (spec §6). */
function nonNegRule(id: FieldId, generation: Generation | null): string | undefined {
  if (generation === "pre2019") return "PRE-NONNEG";
  if (id.startsWith("applications.")) return "APP-NONNEG";
  if (id.startsWith("review.")) return "REV-NONNEG";
  if (id.startsWith("proactive.")) return id.endsWith(".change") ? undefined : "PRO-NONNEG";
  return undefined;
}

let discouragedCache: Map<Generation, { id: FieldId; table: string }[]> | undefined;
function discouraged(generation: Generation): { id: FieldId; table: string }[] {
  discouragedCache ??= new Map();
  let list = discouragedCache.get(generation);
  if (!list) {
    list = allFieldDefs().filter((f) => f.blank === "discouraged" && f.generation.includes(generation)).map((f) => ({ id: f.id, table: f.table }));
    discouragedCache.set(generation, list);
  }
  return list;
}

const ownIds = new Map<string, FieldId[]>();
/** Ids of a table that occur in no other table of the generation: evidence the table was printed. */
function tableOwnIds(table: string, generation: Generation): FieldId[] {
  const key = `${generation}|${table}`;
  let ids = ownIds.get(key);
  if (!ids) {
    const defs = allFieldDefs().filter((f) => f.generation.includes(generation));
    const elsewhere = new Set(defs.filter((f) => f.table !== table).map((f) => f.id));
    ids = defs.filter((f) => f.table === table && !elsewhere.has(f.id)).map((f) => f.id);
    ownIds.set(key, ids);
  }
  return ids;
}

/** Negative counts, fractional counts, blank key totals. */
function valueChecks(report: ParsedReport): Finding[] {
  const out: Finding[] = [];
  const g = report.format;
  for (const [id, v] of Object.entries(report.fields)) {
    const def = fieldDef(id.startsWith("cumulative.") ? id.slice(11) : id, g ?? undefined);
    const signed = def?.value_type === "signed_integer";
    const rule = nonNegRule(id, g);
    if (v < 0 && !signed && (rule || def)) {
      const code = rule ?? "NONNEG";
      const zh = message("negative", { rule: code, cell: cellName(id, g, "zh"), value: v });
      const en = message("negative", { rule: code, cell: cellName(id, g, "en"), value: v });
      out.push({ rule: code, severity: "error", message: zh.zh, message_en: en.en, fields: [id], actual: v, expected: 0 });
    }
    if (def && def.value_type !== "decimal" && !Number.isInteger(v)) {
      const zh = message("not_integer", { cell: cellName(id, g, "zh"), value: v });
      const en = message("not_integer", { cell: cellName(id, g, "en"), value: v });
      out.push({ rule: "NOT-INTEGER", severity: "error", message: zh.zh, message_en: en.en, fields: [id], actual: v });
    }
  }
  if (g) {
    const blank = new Set(report.blank);
    const seen = new Set<FieldId>();
    const readAsTable = new Map<string, boolean>();
    const tableRead = (table: string) => {
      let read = readAsTable.get(table);
      if (read === undefined) {
        read = tableOwnIds(table, g).some((t) => report.fields[t] !== undefined && ["table", "text", "solved"].includes(report.provenance[t]?.method ?? ""));
        readAsTable.set(table, read);
      }
      return read;
    };
    for (const { id, table } of discouraged(g)) {
      if (seen.has(id) || report.fields[id] !== undefined) continue;
      // Blank when printed empty, or when its table was read as a table (not gleaned from prose) without it.
      const printedTable = blank.has(id) || tableRead(table);
      if (!printedTable) continue;
      seen.add(id);
      const zh = message("blank_total", { cell: cellName(id, g, "zh") });
      const en = message("blank_total", { cell: cellName(id, g, "en") });
      out.push({ rule: "BLANK-TOTAL", severity: "warning", message: zh.zh, message_en: en.en, fields: [id] });
    }
  }
  return out;
}
