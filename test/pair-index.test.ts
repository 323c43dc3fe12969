import { describe, expect, it } from 'vitest';
import { PairIndex, PairTally } from '../src/ingest/pair-index.js';

describe('PairIndex', () => {
  it('numbers pairs densely in the order first seen, through many rehashes', () => {
    const index = new PairIndex();
    for (let i = 0; i < 50_000; i++) expect(index.slot(i % 700, i)).toBe(i);
    for (let i = 49_999; i >= 0; i--) expect(index.slot(i % 700, i)).toBe(i);
    expect(index.size).toBe(50_000);
    // (a, b) and (b, a) are different pairs; -1 (an absent column) is a value like any other.
    expect(index.slot(-1, 3)).toBe(50_000);
    expect(index.slot(3, -1)).toBe(50_001);
    expect(index.slot(-1, 3)).toBe(50_000);
  });
});

describe('PairTally', () => {
  it('sums amounts and counts payments by pair, exactly, and lists pairs in the order first seen', () => {
    const tally = new PairTally();
    const expected = new Map<string, [number, number]>();
    let seed = 1;
    const random = () => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) % 1_000_003);
    const firstSeen: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const a = random() % 5_000;
      const b = random() % 33;
      const pence = (random() % 2_000_001) - 1_000_000;
      tally.add(a, b, pence);
      const key = `${a},${b}`;
      const sums = expected.get(key);
      if (sums === undefined) {
        expected.set(key, [pence, 1]);
        firstSeen.push(key);
      } else {
        sums[0] += pence;
        sums[1]++;
      }
    }
    const seen: string[] = [];
    tally.forEach((a, b, amount, payments) => {
      seen.push(`${a},${b}`);
      expect([amount, payments]).toEqual(expected.get(`${a},${b}`));
    });
    expect(tally.size).toBe(expected.size);
    expect(seen).toEqual(firstSeen);
    tally.clear();
    expect(tally.size).toBe(0);
    tally.add(7, 7, 100);
    tally.forEach((a, b, amount, payments) => expect([a, b, amount, payments]).toEqual([7, 7, 100, 1]));
  });
});
