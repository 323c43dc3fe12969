import { grown } from './delimited.js';

/**
 * Numbers pairs of small integers (a supplier and a postcode, a supplier and a category) densely from 0,
 * so a per-row tally is an index into a typed array. One bucket is three adjacent integers, so a look-up
 * is usually one cache line, where a Map keyed by a combined number costs several.
 */
export class PairIndex {
  /** Pairs numbered so far: slots run from 0 to size - 1. */
  size = 0;
  private mask = 1023;
  /** Per bucket: a, b, and the pair's slot + 1 (0 = empty). */
  private table = new Int32Array(1024 * 3);
  private firsts = new Int32Array(256);
  private seconds = new Int32Array(256);

  /** The slot of (a, b), numbered on first sight. */
  slot(a: number, b: number): number {
    const table = this.table;
    const mask = this.mask;
    let bucket = mix(a, b) & mask;
    for (;;) {
      const at = bucket * 3;
      const entry = table[at + 2]!;
      if (entry === 0) return this.insert(at, a, b);
      if (table[at] === a && table[at + 1] === b) return entry - 1;
      bucket = (bucket + 1) & mask;
    }
  }

  first(slot: number): number {
    return this.firsts[slot]!;
  }

  second(slot: number): number {
    return this.seconds[slot]!;
  }

  private insert(at: number, a: number, b: number): number {
    const slot = this.size++;
    this.table[at] = a;
    this.table[at + 1] = b;
    this.table[at + 2] = slot + 1;
    if (slot === this.firsts.length) {
      this.firsts = grown(this.firsts, slot + 1);
      this.seconds = grown(this.seconds, slot + 1);
    }
    this.firsts[slot] = a;
    this.seconds[slot] = b;
    if (this.size * 2 > this.mask) this.rehash();
    return slot;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    const table = new Int32Array(size * 3);
    for (let slot = 0; slot < this.size; slot++) {
      const a = this.firsts[slot]!;
      const b = this.seconds[slot]!;
      let bucket = mix(a, b) & this.mask;
      while (table[bucket * 3 + 2] !== 0) bucket = (bucket + 1) & this.mask;
      table[bucket * 3] = a;
      table[bucket * 3 + 1] = b;
      table[bucket * 3 + 2] = slot + 1;
    }
    this.table = table;
  }
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b ^ 0x27d4eb2f, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}
