/**
 * Which of a fixed set of literals occur in a text, found in one pass over it: each position's
 * character is looked up in a table of first characters, and only the literals starting with it
 * are compared. The prose reader's phrase literals are some ninety short strings searched in the
 * same lines; `includes` once per literal scans the lines once per literal. (Long markers, such
 * as the generation markers, are as fast with `includes`, which skips ahead by their length.)
 */
export class LiteralSet {
  /** For each UTF-16 code unit, 1 + index into `buckets` of the literals starting with it (0: none). */
  private readonly first = new Int32Array(65536);
  private readonly buckets: number[][] = [];
  /** Each literal's second code unit (-1 for one-character literals): most candidates fail on it. */
  private readonly second: Int32Array;

  constructor(readonly literals: readonly string[]) {
    this.second = Int32Array.from(literals, (lit) => (lit.length > 1 ? lit.charCodeAt(1) : -1));
    literals.forEach((lit, k) => {
      if (!lit) throw new Error("LiteralSet: empty literal");
      const c = lit.charCodeAt(0);
      if (this.first[c] === 0) this.first[c] = this.buckets.push([]);
      this.buckets[this.first[c] - 1].push(k);
    });
  }

  /** Calls `hit(k, at)` for every occurrence of literal k at position `at`, in text order. */
  scan(text: string, hit: (k: number, at: number) => void): void {
    const { first, second, buckets, literals } = this;
    for (let i = 0; i < text.length; i++) {
      const b = first[text.charCodeAt(i)];
      if (b === 0) continue;
      const next = text.charCodeAt(i + 1);
      for (const k of buckets[b - 1]) {
        if (second[k] >= 0 && second[k] !== next) continue;
        if (text.startsWith(literals[k], i)) hit(k, i);
      }
    }
  }

  /** For each literal, whether the text contains it. */
  found(text: string): boolean[] {
    const out = this.literals.map(() => false);
    this.scan(text, (k) => { out[k] = true; });
    return out;
  }
}
