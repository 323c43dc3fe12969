import { describe, expect, it } from 'vitest';
import { type AuditFigure, auditDisclosure, determination } from '../src/disclosure/audit.js';

/** The demo's groups, in pence: 31 local staff, 8 outside, 1 with no usable postcode. */
const truth: Record<string, number> = { L: 57_942_300, N: 14_740_050, U: 1_053_000 };
const terms = (entries: Record<string, number>) => new Map(Object.entries(entries));
const valueOf = (entries: Record<string, number>) => Object.entries(entries).reduce((sum, [atom, a]) => sum + a * truth[atom]!, 0);
/** A figure to the penny, or to ±halfWidth. */
const figure = (id: string, entries: Record<string, number>, halfWidth = 0.5): AuditFigure => ({ id, terms: terms(entries), min: valueOf(entries) - halfWidth, max: valueOf(entries) + halfWidth });
const target = (id: string, entries: Record<string, number>) => ({ id, terms: terms(entries), value: valueOf(entries) });
const U = target('U', { U: 1 });

describe('the disclosure audit', () => {
  it('finds a pay worked out by subtraction: R2 at the high end − R2 gives the one unplaced employee', () => {
    const figures = [figure('round2', { L: 1 }), figure('round2High', { L: 1, U: 1 }), figure('grossPay', { L: 1, N: 1, U: 1 })];
    const { low, high } = determination(figures, U);
    expect(low).toBeCloseTo(1_053_000 - 1, 3);
    expect(high).toBeCloseTo(1_053_000 + 1, 3);
    expect(auditDisclosure(figures, [U])).toEqual([{ target: 'U', error: expect.closeTo(1, 3) }]);
  });

  it('finds nothing when the figures only ever add the small group to a larger one', () => {
    const figures = [figure('grossPay', { L: 1, N: 1, U: 1 }), figure('notLocal', { N: 1, U: 1 })];
    // £0 to the pay of all 9 not known to live locally: no pin at all.
    expect(determination(figures, U)).toEqual({ low: expect.closeTo(0, 3), high: expect.closeTo(15_793_050.5, 3) });
    expect(auditDisclosure(figures, [U])).toEqual([]);
  });

  it('counts a rounded figure by the interval it leaves: the high end to 2 dp of £1.25M hides £10,530, to 4 dp it does not', () => {
    const round2 = figure('round2', { L: 1 });
    const scoreHigh = (digits: number) => figure('scoreHigh', { L: 1, U: 1 }, 0.5 * 10 ** -digits * 125_000_000);
    expect(auditDisclosure([round2, scoreHigh(2)], [U])).toEqual([]);
    expect(auditDisclosure([round2, scoreHigh(4)], [U])).toEqual([{ target: 'U', error: expect.closeTo(0.5 + 6_250, 3) }]);
  });

  it('intersects what several rounded figures allow, where no one of them is precise enough', () => {
    // With L to the penny, a figure leaving U + L within ±£1,500 leaves U within ±£1,500: 14% of £10,530, safe.
    // A second, rounded off-centre as rounded figures are, says U + L is between £1,600 below and £100 above:
    // together U lies in −£1,500…+£100 of its value, ±£800 (7.6%), and is disclosed though neither alone is.
    const s = truth.L! + truth.U!;
    const l = figure('l', { L: 1 });
    const wide = (low: number, high: number): AuditFigure => ({ id: 'r', terms: terms({ L: 1, U: 1 }), min: s + low, max: s + high });
    expect(auditDisclosure([l, wide(-150_000, 150_000)], [U])).toEqual([]);
    expect(auditDisclosure([l, wide(-150_000, 150_000), wide(-160_000, 10_000)], [U])).toEqual([{ target: 'U', error: expect.closeTo(80_000.5, 1) }]);
  });
});
