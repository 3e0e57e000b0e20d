/**
 * A set of UTF-16 code units as a bitset of 8 KB: per-character lookups over whole pages stay in
 * the processor's first-level cache (a 64 KB byte table does not, and two workers on sibling
 * cores then evict each other's lines).
 */
export class CodeUnitSet {
  private readonly bits = new Uint32Array(2048);

  constructor(units: Iterable<number> = []) {
    for (const c of units) this.add(c);
  }

  add(c: number): void {
    this.bits[c >>> 5] |= 1 << (c & 31);
  }

  has(c: number): boolean {
    return (this.bits[c >>> 5] & (1 << (c & 31))) !== 0;
  }
}
