import fc from "fast-check";
import { allRules, namedSet, type FieldId, type Generation } from "../../src/model/index.js";
import type { ReportModel } from "../../src/render/index.js";

/**
 * Random VALID report models: every identity of the generation holds by construction (table 三
 * is built from per-column result rows and carried_out, then carried_in and new made to balance;
 * totals are sums; 福建 历年累计 = year + an increment). Values are mostly small, as in real
 * reports, with a tail of larger ones so run-together digits get hard to split.
 */

type Fields = Record<FieldId, number>;

/**
 * How large the counts are. `wide`: mostly 0 and single digits, a tail up to four digits.
 * `sparse`: what run-together pages of real agencies show (F pingtan/2023-87885, 2024-97791):
 * most cells 0, the rest one to three digits. Dense tables of four-digit cells run together are
 * beyond what the solver can search in bounded time (see the round-trip report).
 */
export type Magnitude = "wide" | "sparse";

const COUNT: Record<Magnitude, fc.Arbitrary<number>> = {
  wide: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }) },
    { weight: 2, arbitrary: fc.integer({ min: 10, max: 999 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 9999 }) },
  ),
  sparse: fc.oneof(
    { weight: 12, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 9 }) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 300 }) },
  ),
};
let magnitude: Magnitude = "wide";
const counts = (n: number) => fc.array(COUNT[magnitude], { minLength: n, maxLength: n });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** Money with up to `places` decimals (万元 or 元), below 10^5 so no reader mistakes it for 元 (spec §8 item 6). */
const money = (places: number) => fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99_999 * 10 ** places }).map((x) => Number((x / 10 ** places).toFixed(places))));

const T3_PARTS = namedSet("T3_PARTS");
const T4_COLS = namedSet("T4_COLS");
const T4_GROUPS = namedSet("T4_GROUPS");

/** Table 三 of a generation: APP-BALANCE, APP-ROWSUM and APP-RESULT-SUM hold in every column. */
export function table3(gen: "2019" | "2021"): fc.Arbitrary<Fields> {
  const rows = namedSet("T3_ROWS", gen);
  const results = rows.filter((r) => r.startsWith("result.") && r !== "result.total");
  return fc.record({ cells: counts(results.length * T3_PARTS.length), out: counts(T3_PARTS.length), carried: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: T3_PARTS.length, maxLength: T3_PARTS.length }), carriedOn: fc.boolean() }).map(({ cells, out, carried, carriedOn }) => {
    const f: Fields = {};
    T3_PARTS.forEach((c, k) => {
      results.forEach((r, i) => (f[`applications.${r}.${c}`] = cells[i * T3_PARTS.length + k]));
      const done = sum(results.map((r) => f[`applications.${r}.${c}`]));
      f[`applications.result.total.${c}`] = done;
      f[`applications.carried_out.${c}`] = out[k];
      // Part of what was handled or carried on came from last year.
      const inn = carriedOn ? Math.floor(carried[k] * (done + out[k] + 1)) % (done + out[k] + 1) : 0;
      f[`applications.carried_in.${c}`] = inn;
      f[`applications.new.${c}`] = done + out[k] - inn;
    });
    for (const r of rows) f[`applications.${r}.total`] = sum(T3_PARTS.map((c) => f[`applications.${r}.${c}`]));
    return f;
  });
}

/** Table 四: each block's 总计 is the sum of its four results. */
export const table4 = (): fc.Arbitrary<Fields> => counts(T4_GROUPS.length * 4).map((xs) => {
  const f: Fields = {};
  T4_GROUPS.forEach((g, i) => {
    T4_COLS.slice(0, 4).forEach((c, k) => (f[`review.${g}.${c}`] = xs[i * 4 + k]));
    f[`review.${g}.total`] = sum(xs.slice(i * 4, i * 4 + 4));
  });
  return f;
});

/** Table 二 of 2019: signed 本年增/减, 本年新公开 ≤ 对外公开总数 (PRO19-PUBLISHED-LE-TOTAL). */
export const table2of2019 = (): fc.Arbitrary<Fields> => fc.record({ c: counts(16), change: fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 5, maxLength: 5 }), amount: money(2) }).map(({ c, change, amount }) => {
  const f: Fields = {};
  ["rules", "normative_docs"].forEach((d, i) => {
    f[`proactive.${d}.made`] = c[i * 3];
    f[`proactive.${d}.published`] = c[i * 3 + 1];
    f[`proactive.${d}.total_public`] = c[i * 3 + 1] + c[i * 3 + 2];
  });
  ["licensing", "other_services", "penalty", "coercion", "fees"].forEach((it, i) => {
    f[`proactive.${it}.prev_items`] = c[6 + i];
    // A decrease cannot exceed last year's items.
    f[`proactive.${it}.change`] = Math.max(change[i], -c[6 + i]);
    if (it !== "fees") f[`proactive.${it}.decisions`] = c[11 + i];
  });
  f["proactive.procurement.items"] = c[15];
  f["proactive.procurement.amount"] = amount;
  return f;
});

export const table2of2021 = (): fc.Arbitrary<Fields> => fc.record({ c: counts(9), amount: money(6) }).map(({ c, amount }) => ({
  "proactive.rules.issued": c[0],
  "proactive.rules.repealed": c[1],
  "proactive.rules.in_force": c[2],
  "proactive.normative_docs.issued": c[3],
  "proactive.normative_docs.repealed": c[4],
  "proactive.normative_docs.in_force": c[5],
  "proactive.licensing.decisions": c[6],
  "proactive.penalty.decisions": c[7],
  "proactive.coercion.decisions": c[8],
  "proactive.fees.amount": amount,
}));

/** The national 统计表 (2014–2018): every PRE-* identity and inequality holds. */
export const national = (): fc.Arbitrary<Fields> => fc.record({ c: counts(60), budget: money(2), fees: money(4) }).map(({ c, budget, fees }) => {
  let i = 0;
  const next = () => c[i++];
  const f: Fields = {};
  const channels = ["gazette", "website", "weibo", "wechat", "other"].map((ch) => [ch, next()] as const);
  channels.forEach(([ch, v]) => (f[`proactive.channel.${ch}`] = v));
  const vs = channels.map(([, v]) => v);
  // The same item published in several channels counts once: max ≤ total ≤ Σ.
  f["proactive.total"] = Math.max(...vs) + (next() % (sum(vs) - Math.max(...vs) + 1));
  f["proactive.normative_docs.published"] = f["proactive.total"] === 0 ? 0 : next() % (f["proactive.total"] + 1);
  f["proactive.normative_docs.issued"] = next();
  f["response.hotspots"] = next();
  f["response.press_conferences_leader"] = next();
  f["response.press_conferences"] = f["response.press_conferences_leader"] + next();
  f["response.online_interviews_leader"] = next();
  f["response.online_interviews"] = f["response.online_interviews_leader"] + next();
  f["response.interpretations"] = next();
  f["response.social_media"] = next();
  f["response.other"] = next();
  const received = ["in_person", "fax", "online", "letter"].map((k) => [k, next()] as const);
  received.forEach(([k, v]) => (f[`requests.received.${k}`] = v));
  f["requests.received.total"] = sum(received.map(([, v]) => v));
  const reasons = ["state_secret", "commercial_secret", "privacy", "security", "not_gov_info", "other_law"].map((k) => [k, next()] as const);
  reasons.forEach(([k, v]) => (f[`requests.answered.refused.${k}`] = v));
  f["requests.answered.refused.total"] = sum(reasons.map(([, v]) => v));
  const answers = ["already_public", "agreed", "partial", "not_this_agency", "not_exist", "correction", "other_channel"].map((k) => [k, next()] as const);
  answers.forEach(([k, v]) => (f[`requests.answered.${k}`] = v));
  f["requests.answered.total"] = sum(answers.map(([, v]) => v)) + f["requests.answered.refused.total"];
  f["requests.completed.total"] = f["requests.answered.total"];
  f["requests.completed.extended"] = f["requests.answered.total"] === 0 ? 0 : next() % (f["requests.answered.total"] + 1);
  f["requests.completed.on_time"] = f["requests.completed.total"] - f["requests.completed.extended"];
  for (const b of ["reconsideration", "litigation"]) {
    const parts = ["upheld", "corrected", "other"].map((k) => [k, next()] as const);
    parts.forEach(([k, v]) => (f[`review.${b}.${k}`] = v));
    f[`review.${b}.total`] = sum(parts.map(([, v]) => v));
  }
  f["complaints.total"] = next();
  f["fees.amount"] = fees;
  f["org.bodies"] = next();
  f["org.reading_points"] = next();
  f["org.staff.full_time"] = next();
  f["org.staff.part_time"] = next();
  f["org.staff.total"] = f["org.staff.full_time"] + f["org.staff.part_time"];
  f["org.budget"] = budget;
  f["meetings.count"] = next();
  f["training.sessions"] = next();
  f["training.attendees"] = next();
  return f;
});

/** The 福建 table, row set A or B; 历年累计 = the year's value + an earlier total, sums kept. */
export function fujian(variant: "A" | "B"): fc.Arbitrary<Fields> {
  return fc.record({ y: counts(20), cum: counts(20), fee: money(2), feeCum: money(2), optional: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }).map(({ y, cum, fee, feeCum, optional }) => {
    const f: Fields = {};
    const both = (id: FieldId, year: number, earlier: number) => {
      f[id] = year;
      f[`cumulative.${id}`] = year + earlier;
    };
    let i = 0;
    const leaf = (id: FieldId) => {
      both(id, y[i], cum[i]);
      i++;
    };
    const total = (id: FieldId, parts: FieldId[], extra = 0, extraCum = 0) => {
      f[id] = sum(parts.map((p) => f[p])) + extra;
      f[`cumulative.${id}`] = sum(parts.map((p) => f[`cumulative.${p}`])) + extraCum;
    };
    leaf("proactive.channel.website");
    leaf("proactive.channel.gazette");
    // Items published on both channels count once in the total (FJ-CHANNEL: total ≥ each channel).
    f["proactive.total"] = Math.max(f["proactive.channel.website"], f["proactive.channel.gazette"]) + y[i];
    f["cumulative.proactive.total"] = Math.max(f["cumulative.proactive.channel.website"], f["cumulative.proactive.channel.gazette"]) + y[i] + cum[i];
    i++;
    const channels = variant === "A" ? ["in_person", "fax", "email", "online", "letter", ...(optional[0] ? ["other"] : [])] : ["in_person", "online", "letter_or_fax"];
    channels.forEach((ch) => leaf(`requests.received.${ch}`));
    total("requests.received.total", channels.map((ch) => `requests.received.${ch}`));
    const answers = variant === "A" ? ["agreed", "partial", "refused.total"] : ["agreed", "partial", "refused.total", "other_types"];
    answers.forEach((a) => leaf(`requests.answered.${a}`));
    total("requests.answered.total", answers.map((a) => `requests.answered.${a}`));
    leaf("review.reconsideration.total");
    leaf("review.litigation.total");
    if (variant === "A") {
      if (optional[1]) leaf("review.appeal");
      if (optional[2]) leaf("complaints.appeal_or_report");
    } else {
      leaf("complaints.appeal_or_report");
      if (optional[1]) both("fees.fee_and_waiver_yuan", fee, feeCum);
      f["cumulative.fees.fee_and_waiver_yuan"] &&= Number(f["cumulative.fees.fee_and_waiver_yuan"].toFixed(2));
    }
    return f;
  });
}

/**
 * Which cells may be left blank, by what the form can carry: blank positions survive only in grids
 * and `|  |` pipes. `inner-cells` never blanks the last cell of a printed row (kept to reproduce
 * older reports of the round-trip tests). `zero-cells` blanks only cells whose value is 0 (nothing
 * happened, nothing printed): the sums hold reading a blank as 0, as forms that drop blanks need.
 */
export type Blanks = "none" | "rows" | "cells" | "inner-cells" | "zero-cells";

/** Groups of fields that form one printed row (all blank together under "rows"). */
function printedRows(gen: Generation, fields: Fields): FieldId[][] {
  const ids = Object.keys(fields);
  if (gen === "pre2019") {
    const base = [...new Set(ids.map((id) => id.replace(/^cumulative\./, "")))];
    return base.map((b) => ids.filter((id) => id === b || id === `cumulative.${b}`));
  }
  const rows = new Map<string, FieldId[]>();
  for (const id of ids) {
    const key = id.startsWith("applications.") ? id.replace(/\.[a-z_]+$/, "") : id.startsWith("review.") ? "review" : id.replace(/\.[a-z_]+$/, "");
    rows.set(key, [...(rows.get(key) ?? []), id]);
  }
  return [...rows.values()];
}

/**
 * Rows a rule treats as optional terms (6.其它形式, 信函、传真 or 信函) are printed only when they
 * have a value: blanking all their cells would remove the row, leaving a table whose sums lack it.
 * One of their cells (福建: year or 历年累计) may go blank.
 */
const OPTIONAL_TERMS = allRules().flatMap((r) => r.optional_terms ?? []);

/** Removes some cells (or whole printed rows) from a valid model: it stays valid (blank is not 0). */
export function withBlanks(gen: Generation, fields: fc.Arbitrary<Fields>, blanks: Blanks): fc.Arbitrary<Fields> {
  if (blanks === "none") return fields;
  return fields.chain((f) => {
    const groups =
      blanks === "rows" ? printedRows(gen, f)
      : blanks === "inner-cells" ? printedRows(gen, f).flatMap((g) => g.slice(0, -1).map((id) => [id]))
      : blanks === "zero-cells" ? Object.keys(f).filter((id) => f[id] === 0).map((id) => [id])
      : Object.keys(f).map((id) => [id]);
    return fc.array(fc.nat({ max: 5 }), { minLength: groups.length, maxLength: groups.length }).map((dice) => {
      // About one group in six goes blank.
      const out = { ...f };
      groups.forEach((g, i) => {
        if (dice[i] === 0) for (const id of g) delete out[id];
      });
      for (const id of OPTIONAL_TERMS) {
        if (`cumulative.${id}` in f && !(id in out) && !(`cumulative.${id}` in out)) {
          if (id in f) out[id] = f[id];
          out[`cumulative.${id}`] = f[`cumulative.${id}`];
        }
      }
      return out;
    });
  });
}

/** 信息处理费 in 元: none charged, whole yuan, or yuan and jiao/fen. */
function processingFee(): fc.Arbitrary<number | undefined> {
  return fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1, max: 5_000_000 }).map((fen) => fen / 100)), { nil: undefined });
}

const AGENCIES = ["平潭综合实验区财政金融局", "新乐市人民政府", "衡山县人民政府办公室", "某某市生态环境局", "平潭县人民政府"];

export type ModelKind = "2019" | "2021" | "national" | "fujian-A" | "fujian-B";

/** A whole valid report model of a kind, with blanks as the form allows. */
export function reportModel(kind: ModelKind, blanks: Blanks = "none", mag: Magnitude = "wide"): fc.Arbitrary<ReportModel> {
  magnitude = mag;
  const agency = fc.constantFrom(...AGENCIES);
  if (kind === "2019" || kind === "2021") {
    const t2 = kind === "2019" ? table2of2019() : table2of2021();
    // Section 六 of the 2021 template states the information-processing fee in prose (or is silent).
    const fee = kind === "2021" ? processingFee() : fc.constant(undefined);
    const fields = fc.tuple(t2, table3(kind), table4(), fee).map(([a, b, c, f]) => ({ ...a, ...b, ...c, ...(f === undefined ? {} : { "processing_fee.amount_yuan": f }) }));
    return fc.record({
      fields: withBlanks(kind, fields, blanks),
      year: kind === "2019" ? fc.integer({ min: 2019, max: 2020 }) : fc.integer({ min: 2021, max: 2025 }),
      agency,
    }).map(({ fields, year, agency }) => ({ generation: kind, year, agency, fields }));
  }
  const fields = kind === "national" ? national() : fujian(kind === "fujian-A" ? "A" : "B");
  return fc.record({
    fields: withBlanks("pre2019", fields, blanks),
    year: kind === "national" ? fc.integer({ min: 2014, max: 2018 }) : fc.integer({ min: 2009, max: 2018 }),
    agency,
  }).map(({ fields, year, agency }) => ({ generation: "pre2019" as const, year, agency, fields, table: kind }));
}
