/**
 * 信息处理费 under 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号). Normally nothing is
 * charged; a fee applies only when quantity or frequency clearly exceeds a reasonable range.
 * Both standards are progressive: each band's rate applies to the part inside the band.
 */

export interface FeeLine {
  /** Band, e.g. "31–100页" or "第11–30件". */
  band: string;
  count: number;
  rateYuan: number;
  amountYuan: number;
}

export interface FeeQuote {
  method: "per_application" | "per_page";
  amountYuan: number;
  lines: FeeLine[];
  basis: string;
}

const BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";

/**
 * 按件: the fee for the `rank`-th application of the same applicant in one calendar month.
 * 1–10 free; 11–30 100 yuan each; above 30, every further band of 10 adds 100 yuan per
 * application (31–40: 200, 41–50: 300 …).
 */
export function perApplicationRate(rank: number): number {
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`application rank must be a positive integer: ${rank}`);
  if (rank <= 10) return 0;
  if (rank <= 30) return 100;
  return 100 + 100 * Math.ceil((rank - 30) / 10);
}

/** 按件 for one application (its monthly rank). */
export function perApplicationFee(rank: number): FeeQuote {
  const rate = perApplicationRate(rank);
  const band = rank <= 10 ? "第1–10件" : rank <= 30 ? "第11–30件" : `第${30 + 10 * Math.ceil((rank - 30) / 10) - 9}–${30 + 10 * Math.ceil((rank - 30) / 10)}件`;
  return { method: "per_application", amountYuan: rate, lines: [{ band, count: 1, rateYuan: rate, amountYuan: rate }], basis: `${BASIS} 按件计收` };
}

/** 按件 for all `count` applications of one applicant in one month. */
export function perApplicationMonthTotal(count: number): number {
  let total = 0;
  for (let k = 1; k <= count; k++) total += perApplicationRate(k);
  return total;
}

const PAGE_BANDS: { from: number; to: number; rate: number }[] = [
  { from: 1, to: 30, rate: 0 },
  { from: 31, to: 100, rate: 10 },
  { from: 101, to: 200, rate: 20 },
  { from: 201, to: Infinity, rate: 40 },
];

/** 按量: one application of `pages` pages (A4 or equivalent): ≤30 free, 31–100 10, 101–200 20, 201+ 40 yuan/page. */
export function perPageFee(pages: number): FeeQuote {
  if (!Number.isInteger(pages) || pages < 0) throw new RangeError(`pages must be a non-negative integer: ${pages}`);
  const lines: FeeLine[] = [];
  for (const b of PAGE_BANDS) {
    const count = Math.max(0, Math.min(pages, b.to) - b.from + 1);
    if (count > 0) lines.push({ band: b.to === Infinity ? `${b.from}页以上` : `${b.from}–${b.to}页`, count, rateYuan: b.rate, amountYuan: count * b.rate });
  }
  return { method: "per_page", amountYuan: lines.reduce((s, l) => s + l.amountYuan, 0), lines, basis: `${BASIS} 按量计收` };
}
