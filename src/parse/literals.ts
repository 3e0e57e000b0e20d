/**
 * Which of a fixed set of literals occur in a text, found in one pass over it. One regular
 * expression, the alternation of the literals, finds each next position where some literal starts
 * (Irregexp skips ahead far faster than a loop over every character can); only the literals
 * starting with that position's character are compared there, and the search resumes one
 * character on, so overlapping and nested occurrences are all found. The prose reader's phrase
 * literals are some ninety short strings searched in the same lines; `includes` once per literal
 * scans the lines once per literal.
 */
export class LiteralSet {
  /** Any literal, to find where the next one starts. */
  private readonly any: RegExp;
  /** The literals starting with each first code unit. */
  private readonly buckets = new Map<number, number[]>();

  constructor(readonly literals: readonly string[]) {
    literals.forEach((lit, k) => {
      if (!lit) throw new Error("LiteralSet: empty literal");
      const c = lit.charCodeAt(0);
      this.buckets.set(c, [...(this.buckets.get(c) ?? []), k]);
    });
    this.any = new RegExp(literals.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "g");
  }

  /** Calls `hit(k, at)` for every occurrence of literal k at position `at`, in text order. */
  scan(text: string, hit: (k: number, at: number) => void): void {
    const { any, buckets, literals } = this;
    any.lastIndex = 0;
    for (let m = any.exec(text); m; m = any.exec(text)) {
      const i = m.index;
      for (const k of buckets.get(text.charCodeAt(i))!) if (text.startsWith(literals[k], i)) hit(k, i);
      any.lastIndex = i + 1;
    }
  }
}
