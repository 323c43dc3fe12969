import { grown } from '../csv/delimited.js';

/**
 * Numbers pairs of small integers (a supplier name and its id and company number) densely from 0, so a
 * per-row tally is an index into a typed array. One bucket is three adjacent integers, so a look-up is
 * usually one cache line, where a Map keyed by a combined number costs several.
 */
export class PairIndex {
  /** Pairs numbered so far: slots run from 0 to size - 1. */
  size = 0;
  private mask = 1023;
  /** Per bucket: a, b, and the pair's slot + 1 (0 = empty). */
  private table = new Int32Array(1024 * 3);

  /** The slot of (a, b), numbered on first sight. */
  slot(a: number, b: number): number {
    const table = this.table;
    const mask = this.mask;
    let bucket = mix(a, b) & mask;
    for (;;) {
      const at = bucket * 3;
      const entry = table[at + 2]!;
      if (entry === 0) {
        table[at] = a;
        table[at + 1] = b;
        table[at + 2] = ++this.size;
        if (this.size * 2 > mask) this.rehash();
        return this.size - 1;
      }
      if (table[at] === a && table[at + 1] === b) return entry - 1;
      bucket = (bucket + 1) & mask;
    }
  }

  private rehash(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const mask = (this.mask = size - 1);
    const table = (this.table = new Int32Array(size * 3));
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 2] === 0) continue;
      let bucket = mix(old[from]!, old[from + 1]!) & mask;
      while (table[bucket * 3 + 2] !== 0) bucket = (bucket + 1) & mask;
      table[bucket * 3] = old[from]!;
      table[bucket * 3 + 1] = old[from + 1]!;
      table[bucket * 3 + 2] = old[from + 2]!;
    }
  }
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b ^ 0x27d4eb2f, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}

/**
 * Sums by pair of small integers, for the per-row path: (supplier key, category id) → amount and payments.
 * A bucket holds the pair and both sums side by side (four doubles, 32 bytes), so adding a row costs one
 * cache line however large the table; a PairIndex plus arrays of sums cost three. Pairs are remembered in
 * the order first seen, so folding them out is deterministic.
 */
export class PairTally {
  /** Pairs seen so far. */
  size = 0;
  private mask = 1023;
  /** Per bucket: a + 1 (0 = empty), b, amount, payments. */
  private table = new Float64Array(1024 * 4);
  /** The bucket of each pair, in the order first seen. */
  private order = new Int32Array(256);

  /** Adds one payment of `amount` to the pair (a, b); a must not be negative. */
  add(a: number, b: number, amount: number): void {
    this.addTotals(a, b, amount, 1);
  }

  /** Adds `payments` payments totalling `amount` to the pair (a, b); a must not be negative. */
  addTotals(a: number, b: number, amount: number, payments: number): void {
    const table = this.table;
    const mask = this.mask;
    const tag = a + 1;
    let bucket = mix(a, b) & mask;
    for (;;) {
      const at = bucket * 4;
      const found = table[at]!;
      if (found === tag && table[at + 1] === b) {
        table[at + 2]! += amount;
        table[at + 3]! += payments;
        return;
      }
      if (found === 0) {
        table[at] = tag;
        table[at + 1] = b;
        table[at + 2] = amount;
        table[at + 3] = payments;
        if (this.size === this.order.length) this.order = grown(this.order, this.size + 1);
        this.order[this.size++] = bucket;
        // A fuller table than PairIndex's: buckets are larger, and probes stay within a line or two.
        if (this.size * 4 > mask * 3) this.rehash();
        return;
      }
      bucket = (bucket + 1) & mask;
    }
  }

  /** Every pair with its sums, in the order first seen. */
  forEach(visit: (a: number, b: number, amount: number, payments: number) => void): void {
    for (let i = 0; i < this.size; i++) {
      const at = this.order[i]! * 4;
      visit(this.table[at]! - 1, this.table[at + 1]!, this.table[at + 2]!, this.table[at + 3]!);
    }
  }

  clear(): void {
    this.table.fill(0);
    this.size = 0;
  }

  private rehash(): void {
    const old = this.table;
    const oldBuckets = this.mask + 1;
    // Four times larger: a table that grows to 150k pairs moves each about 1.3 times, not 2.
    const size = oldBuckets * 4;
    const mask = (this.mask = size - 1);
    const table = (this.table = new Float64Array(size * 4));
    // The old table in bucket order (read in sequence, not at random), remembering where each bucket went.
    const moved = new Int32Array(oldBuckets);
    for (let from = 0; from < oldBuckets; from++) {
      const at = from * 4;
      const tag = old[at]!;
      if (tag === 0) continue;
      let bucket = mix(tag - 1, old[at + 1]!) & mask;
      while (table[bucket * 4] !== 0) bucket = (bucket + 1) & mask;
      const to = bucket * 4;
      table[to] = tag;
      table[to + 1] = old[at + 1]!;
      table[to + 2] = old[at + 2]!;
      table[to + 3] = old[at + 3]!;
      moved[from] = bucket;
    }
    for (let i = 0; i < this.size; i++) this.order[i] = moved[this.order[i]!]!;
  }
}
