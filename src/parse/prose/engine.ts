import { readFileSync } from "node:fs";
import { emptyExtraction, type Extraction, type FieldId, type Finding, type Generation } from "../../model/index.js";
import type { Document } from "../document.js";
import { detectAgency, detectYear } from "../detect.js";
import { bodyKeyOf } from "./label.js";
import { requiredLiteral } from "./literal.js";
import { LiteralSet } from "../literals.js";

/**
 * Numbers stated in sentences, read with the phrase table of phrases.json. The engine only finds
 * the phrases and applies the guards; which words mean which field is data.
 */

interface Concept {
  field: FieldId;
  generations: Generation[];
  patterns: string[];
  share_of?: FieldId;
  context?: { among: string[]; is: string };
  any_year?: boolean;
  /** One of these words must stand in the sentence of the number or the one before it (bare `予以公开5件` is about applications only then). */
  mentions?: string[];
  /** Guard words this concept's own wording contains (`上年结转`, `截至…现行有效`): not a veto for it. */
  allow?: string[];
}

interface PhraseFile {
  guards: Record<"approx_before" | "approx_after" | "change_before" | "change_clause" | "cumulative_clause" | "sub_unit_clause" | "sub_unit_sentence" | "sub_unit_subject" | "ranking_before" | "inclusive_after", string[]>;
  concepts: Concept[];
  zero_statements: { field: FieldId; generations: Generation[]; patterns: string[] }[];
  rates: { generations: Generation[]; pattern: string; numerator: FieldId; denominator: FieldId }[];
  fill_unless: Record<string, string[] | string>;
  agrees_with: Record<string, string[][] | string>;
}

const PHRASES: PhraseFile = JSON.parse(readFileSync(new URL("./phrases.json", import.meta.url), "utf8")) as PhraseFile;
/** Fields prose must not fill when the table has a row that includes them. */
export const FILL_UNLESS: Record<FieldId, FieldId[]> = Object.fromEntries(Object.entries(PHRASES.fill_unless).filter(([, v]) => Array.isArray(v))) as Record<FieldId, FieldId[]>;
/** Other table sums a prose figure may state (收到申请 = 本年新收 + 上年结转): no TEXT-TABLE when it equals one. */
export const AGREES_WITH: Record<FieldId, FieldId[][]> = Object.fromEntries(Object.entries(PHRASES.agrees_with).filter(([, v]) => Array.isArray(v))) as Record<FieldId, FieldId[][]>;
const NUM = "(?<n>\\d+(?:\\.\\d+)?)";
const compile = (p: string, slot = "{n}") => new RegExp(p.replace(slot, slot === "{n}" ? NUM : "(?<p>\\d+(?:\\.\\d+)?)"), "gd");

/** A phrase pattern with the text every match must contain (lines without it are not scanned). */
interface Pattern { re: RegExp; lit: string }
const pattern = (re: RegExp): Pattern => ({ re, lit: requiredLiteral(re.source) });
interface Compiled extends Concept { regexes: Pattern[] }
const CONCEPTS: Compiled[] = PHRASES.concepts.map((c) => ({ ...c, regexes: c.patterns.map((p) => pattern(compile(p))) }));
const ZERO_PATTERNS = PHRASES.zero_statements.map((z) => z.patterns.map((p) => pattern(new RegExp(p, "g"))));
const ZERO_LITERALS = new LiteralSet([...new Set(ZERO_PATTERNS.flat().map((p) => p.lit))]);
/** Statements that a count is zero (`未收到…行政复议`), each pattern with the index of its literal in ZERO_LITERALS. */
const ZEROS = PHRASES.zero_statements.map((z, i) => ({ ...z, regexes: ZERO_PATTERNS[i].map(({ re, lit }) => ({ re, k: ZERO_LITERALS.literals.indexOf(lit) })) }));
const RATES = PHRASES.rates.map((r) => ({ ...r, regex: pattern(compile(r.pattern, "{p}")) }));
const G = PHRASES.guards;
const CHANGE_CLAUSE = new RegExp(G.change_clause.join("|"));
const SUBJECT = G.sub_unit_subject.map((r) => new RegExp(r));
const ORDINAL = /^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、])/;
/** What stands before a sentence's subject: its ordinal, its date, a connective (`2023年，区市场监管局…`). */
const LEAD = /^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、])?(?:(?:19|20)\d{2}年(?:度)?,?)?(?:同时|此外|另外|其中)?,?/;
const YEAR = /((?:19|20)\d{2})年/g;

/**
 * A prose line squeezed for matching: whitespace next to a non-digit removed. `gaps` maps back to
 * the document: pairs of (index in `s` from which it holds, characters removed before it). Most
 * lines have no whitespace at all and no gaps (offset = base + index).
 */
interface Line { s: string; base: number; gaps?: number[] }

/** Offset in the document of character i of a squeezed line. */
function offsetOf(line: Line, i: number): number {
  let removed = 0;
  const g = line.gaps;
  if (g) for (let k = 0; k < g.length && g[k] <= i; k += 2) removed = g[k + 1];
  return line.base + i + removed;
}

const SPACE = /\s/;
const WS_RUN = /\s+/g;
const isDigit = (code: number) => code >= 48 && code <= 57;

/** Squeezes one raw line; `keepDigitGaps` keeps one space between two digits (`10 0 00`). */
function squeeze(raw: string, base: number, keepDigitGaps: boolean): Line {
  if (!SPACE.test(raw)) return { s: raw, base };
  const gaps: number[] = [];
  let removed = 0;
  const s = raw.replace(WS_RUN, (run: string, at: number) => {
    const after = at + run.length;
    const keep = keepDigitGaps && at > 0 && after < raw.length && isDigit(raw.charCodeAt(at - 1)) && isDigit(raw.charCodeAt(after));
    removed += keep ? run.length - 1 : run.length;
    gaps.push(after - removed, removed);
    return keep ? " " : "";
  });
  return { s, base, gaps };
}

function squeezeLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    const base = start;
    start += raw.length + 1;
    // Table rows of real grids appear as ` | ` lines: tables are the table readers' business.
    if (raw.includes(" | ") || !/\d/.test(raw)) continue;
    out.push(squeeze(raw, base, true));
  }
  return out;
}

interface Hit {
  field: FieldId;
  value: number;
  /** Number position in the line, match span, line. */
  pos: number;
  start: number;
  end: number;
  line: Line;
  concept?: Compiled;
}

const lastIndexOfAny = (s: string, chars: RegExp): number => {
  for (let i = s.length - 1; i >= 0; i--) if (chars.test(s[i])) return i;
  return -1;
};

/** Why a stated number must not be read as the field (or undefined when it may). */
function vetoed(line: string, start: number, pos: number, numText: string, matchText: string, reportYear: number | null, agency: string | null, c: Concept): string | undefined {
  const before = line.slice(0, pos);
  const allowed = (t: string) => (c.allow ?? []).reduce((acc, w) => acc.split(w).join(""), t);
  const clause = allowed(before.slice(lastIndexOfAny(before, /[,;。:!?]/) + 1));
  const sentence = allowed(before.slice(lastIndexOfAny(before, /[;。!?]/) + 1));
  const after = line.slice(pos + numText.length);
  if (G.inclusive_after.some((w) => line.startsWith(w, start + matchText.length))) return "inclusive";
  const subject = SUBJECT.map((re) => re.exec(sentence.replace(LEAD, ""))?.[0]).find(Boolean);
  // `县财政局2023年收到…` in the 县财政局's own report is the agency itself.
  if (subject && !(agency && agency.endsWith(subject))) return "sub-unit";
  if (c.mentions && !mentioned(before, c.mentions)) return "unrelated";
  if (G.approx_before.some((w) => before.endsWith(w))) return "approximate";
  const inMatchAfter = matchText.slice(pos - start + numText.length);
  if (G.approx_after.some((w) => after.startsWith(w) && !inMatchAfter.startsWith(w))) return "approximate";
  if (/^\s*%/.test(after)) return "percentage";
  if (G.ranking_before.some((w) => before.endsWith(w))) return "ranking";
  if (G.change_before.some((w) => before.replace(/了$/, "").endsWith(w))) return "change";
  if (CHANGE_CLAUSE.test(clause.slice(0, clause.length))) return "change";
  if (G.cumulative_clause.some((w) => clause.includes(w))) return "cumulative";
  if (G.sub_unit_clause.some((w) => clause.includes(w))) return "sub-unit";
  if (G.sub_unit_sentence.some((w) => sentence.includes(w))) return "sub-unit";
  if (!c.any_year && reportYear) {
    for (const m of clause.matchAll(YEAR)) if (Number(m[1]) !== reportYear) return "other year";
    // `2022年，我局制定…4件`: a year heading the sentence dates every clause of it.
    const lead = /^(?:19|20)\d{2}年/.exec(sentence.replace(ORDINAL, ""));
    if (lead && Number(lead[0].slice(0, 4)) !== reportYear) return "other year";
  }
  return undefined;
}

/** Does one of `words` stand in the sentence ending at the number, or in the sentence before it? */
function mentioned(before: string, words: string[]): boolean {
  const end = lastIndexOfAny(before, /[。!?]/);
  const prev = end < 0 ? -1 : lastIndexOfAny(before.slice(0, end), /[。!?]/);
  const span = before.slice(prev + 1);
  return words.some((w) => span.includes(w));
}

function contextOk(line: string, start: number, ctx: Concept["context"]): boolean {
  if (!ctx) return true;
  const before = line.slice(0, start);
  let best = -1;
  let which = "";
  for (const w of ctx.among) {
    const i = before.lastIndexOf(w);
    if (i > best) { best = i; which = w; }
  }
  return which === ctx.is;
}

/** A generation's phrase patterns in table order, and for each distinct literal the patterns that require it. */
interface Scan { patterns: { c: Compiled; re: RegExp }[]; byLiteral: number[][]; lits: LiteralSet }
const scans = new Map<Generation, Scan>();
function scanOf(generation: Generation): Scan {
  let scan = scans.get(generation);
  if (!scan) {
    const lits: string[] = [];
    const byLiteral: number[][] = [];
    const patterns: Scan["patterns"] = [];
    for (const c of CONCEPTS) {
      if (!c.generations.includes(generation)) continue;
      for (const { re, lit } of c.regexes) {
        // requiredLiteral gives "" only for a top-level alternation; the phrase table has none (literal.test.ts).
        if (!lit) throw new Error(`phrases.json: pattern without a required literal: ${re.source}`);
        let k = lits.indexOf(lit);
        if (k < 0) k = lits.push(lit) - 1;
        (byLiteral[k] ??= []).push(patterns.push({ c, re }) - 1);
      }
    }
    scan = { patterns, byLiteral, lits: new LiteralSet(lits) };
    scans.set(generation, scan);
  }
  return scan;
}

/** Calls `hit(line, k)` for each occurrence of literal k in the lines, from one pass over the joined lines. */
function eachHit(lines: Line[], set: LiteralSet, hit: (line: number, k: number) => void): void {
  if (!lines.length) return;
  let line = 0;
  // Where the current line ends in the joined text (the position of its newline).
  let end = lines[0].s.length;
  set.scan(lines.map((l) => l.s).join("\n"), (k, at) => {
    while (at > end) end += 1 + lines[++line].s.length;
    hit(line, k);
  });
}

/** For each line, the patterns whose literal it holds (in table order). */
function candidates(lines: Line[], scan: Scan): number[][] {
  const out: number[][] = lines.map(() => []);
  const lastLine = new Int32Array(scan.lits.literals.length).fill(-1);
  eachHit(lines, scan.lits, (line, k) => {
    if (lastLine[k] === line) return;
    lastLine[k] = line;
    out[line].push(...scan.byLiteral[k]);
  });
  for (const list of out) if (list.length > 1) list.sort((a, b) => a - b);
  return out;
}

export function readProseWith(doc: Document, generation: Generation): Extraction {
  const ex = emptyExtraction();
  const reportYear = detectYear(doc.text);
  const agency = detectAgency(doc.text);
  const lines = squeezeLines(doc.text);
  const scan = scanOf(generation);
  const todo = candidates(lines, scan);
  const hits: Hit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const s = line.s;
    for (const p of todo[i]) {
      const { c, re } = scan.patterns[p];
      re.lastIndex = 0;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        if (m[0] === "") re.lastIndex++;
        const n = m.groups!.n;
        const start = m.index;
        const pos = m.indices!.groups!.n[0];
        if (!contextOk(s, start, c.context)) continue;
        if (vetoed(s, start, pos, n, m[0], reportYear, agency, c)) continue;
        hits.push({ field: c.field, value: Number(n), pos, start, end: start + m[0].length, line, concept: c });
      }
    }
  }
  // One number, one field: where patterns of several fields capture the same number, the longest
  // (most specific) match wins.
  const byNumber = new Map<string, Hit>();
  for (const h of hits) {
    const key = `${offsetOf(h.line, h.pos)}`;
    const cur = byNumber.get(key);
    if (!cur || h.end - h.start > cur.end - cur.start) byNumber.set(key, h);
  }
  const ordered = [...byNumber.values()].sort((a, b) => offsetOf(a.line, a.pos) - offsetOf(b.line, b.pos));
  const chosen = new Map<FieldId, Hit>();
  for (const h of ordered) if (!chosen.has(h.field)) chosen.set(h.field, h);

  for (const [id, h] of chosen) {
    ex.fields[id] = h.value;
    ex.provenance[id] = { method: "prose", source: "正文", raw: h.line.s.slice(h.start, h.end), offset: offsetOf(h.line, h.start) };
  }
  let every: Line[] | undefined;
  let holds: Uint8Array | undefined;
  const nz = ZERO_LITERALS.literals.length;
  for (const z of ZEROS) {
    if (!z.generations.includes(generation) || ex.fields[z.field] !== undefined) continue;
    every ??= lines.length ? allLines(doc.text) : [];
    if (!holds) {
      const table = (holds = new Uint8Array(every.length * nz));
      eachHit(every, ZERO_LITERALS, (line, k) => { table[line * nz + k] = 1; });
    }
    for (let i = 0; i < every.length; i++) {
      const line = every[i];
      let m: RegExpExecArray | null = null;
      for (const { re, k } of z.regexes) {
        if (holds[i * nz + k] === 0) continue;
        re.lastIndex = 0;
        if ((m = re.exec(line.s))) break;
      }
      if (m) {
        ex.fields[z.field] = 0;
        ex.provenance[z.field] = { method: "prose", source: "正文", raw: m[0], offset: offsetOf(line, m.index) };
        break;
      }
    }
  }
  ex.issues.push(...percentChecks(chosen, ex.fields, generation, lines));
  return ex;
}

/** Every line (zero statements have no digits, so squeezeLines would drop them). */
function allLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    if (!raw.includes(" | ")) out.push(squeeze(raw, start, false));
    start += raw.length + 1;
  }
  return out;
}

const PERCENT_AFTER = /^[,]?占[^%。;,]{0,15}?(\d+(?:\.\d+)?)%/;

/** Stated shares and rates checked against the counts stated with them (rule TEXT-PERCENT). */
function percentChecks(chosen: Map<FieldId, Hit>, values: Record<FieldId, number>, generation: Generation, lines: Line[]): Finding[] {
  const out: Finding[] = [];
  const check = (num: FieldId, den: FieldId, printed: string, where: string) => {
    const a = values[num];
    const b = values[den];
    if (a === undefined || b === undefined || b === 0) return;
    const p = Number(printed);
    const decimals = printed.includes(".") ? printed.split(".")[1].length : 0;
    const exact = (100 * a) / b;
    if (Math.abs(exact - p) <= 0.5 * 10 ** -decimals + 1e-9) return;
    const shown = Math.round(exact * 100) / 100;
    out.push({
      rule: "TEXT-PERCENT",
      severity: "warning",
      message: `TEXT-PERCENT ${bodyKeyOf(num)}: 正文 ${printed}% ≠ ${a}/${b} = ${shown}% (stated ${printed}% ≠ ${a}/${b} = ${shown}%; ${where})`,
      message_en: `stated ${printed}% but ${num} ${a} / ${den} ${b} = ${shown}%`,
      fields: [num, den],
      expected: shown,
      actual: p,
    });
  };
  for (const [id, h] of chosen) {
    const share = h.concept?.share_of;
    if (!share) continue;
    const m = PERCENT_AFTER.exec(h.line.s.slice(h.end));
    if (m) check(id, share, m[1], h.line.s.slice(h.start, h.end + m[0].length));
  }
  for (const r of RATES) {
    if (!r.generations.includes(generation)) continue;
    for (const line of lines) {
      if (!line.s.includes(r.regex.lit)) continue;
      r.regex.re.lastIndex = 0;
      for (const m of line.s.matchAll(r.regex.re)) check(r.numerator, r.denominator, m.groups!.p, m[0]);
    }
  }
  return out;
}

