import { CodeUnitSet } from "./codeunits.js";

/**
 * Which of a fixed set of literals occur in a text, found in one pass over it: each position's
 * character is looked up in a table of first characters, and only the literals starting with it
 * are compared. The prose reader's phrase literals are some ninety short strings searched in the
 * same lines; `includes` once per literal scans the lines once per literal. (Long markers, such
 * as the generation markers, are as fast with `includes`, which skips ahead by their length.)
 */
export class LiteralSet {
  /** First code units of the literals (a bitset: the scan looks up every character of the text). */
  private readonly first = new CodeUnitSet();
  /** The literals starting with each first code unit. */
  private readonly buckets = new Map<number, number[]>();
  /** Each literal's second code unit (-1 for one-character literals): most candidates fail on it. */
  private readonly second: Int32Array;

  constructor(readonly literals: readonly string[]) {
    this.second = Int32Array.from(literals, (lit) => (lit.length > 1 ? lit.charCodeAt(1) : -1));
    literals.forEach((lit, k) => {
      if (!lit) throw new Error("LiteralSet: empty literal");
      const c = lit.charCodeAt(0);
      this.first.add(c);
      this.buckets.set(c, [...(this.buckets.get(c) ?? []), k]);
    });
  }

  /** Calls `hit(k, at)` for every occurrence of literal k at position `at`, in text order. */
  scan(text: string, hit: (k: number, at: number) => void): void {
    const { first, second, buckets, literals } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!first.has(c)) continue;
      const next = text.charCodeAt(i + 1);
      for (const k of buckets.get(c)!) {
        if (second[k] >= 0 && second[k] !== next) continue;
        if (text.startsWith(literals[k], i)) hit(k, i);
      }
    }
  }
}
