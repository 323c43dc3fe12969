import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessHeadlines } from '../src/measures/headlines.js';
import { measureLeakage } from '../src/measures/leakage.js';
import { computeLm3, type Lm3Input } from '../src/measures/lm3.js';
import { reconcileRound1 } from '../src/measures/reconcile.js';

const EIGHTY = 80_000;

describe('coverage decides what is a finding', () => {
  const spend = (local: number, nonLocal: number, unknown: number) => ({ total: local + nonLocal + unknown, local, nonLocal, unknown });

  it('supports the headlines at exactly the threshold, and not a penny below it', () => {
    // £800.00 of £1,000.00 located is 80% exactly: a finding.
    const at = assessHeadlines({ spend: spend(50_000, 30_000, 20_000), round1: 100_000, threshold: EIGHTY });
    expect(at.localShare).toMatchObject({ supported: true, reasons: [], low: 0.5, high: 0.7 });
    expect(at.lm3).toEqual({ supported: true, reasons: [] });
    // £799.99 located: not.
    const below = assessHeadlines({ spend: spend(50_000, 29_999, 20_001), round1: 100_000, threshold: EIGHTY });
    expect(below.coverage).toMatchObject({ locatedSpend: 79_999, unlocatedSpend: 20_001, spendMet: false });
    expect(below.localShare).toMatchObject({ supported: false, reasons: ['SPEND_UNLOCATED'] });
    expect(below.lm3).toEqual({ supported: false, reasons: ['SPEND_UNLOCATED'] });
    expect(below.leakage).toEqual({ supported: false, reasons: ['SPEND_UNLOCATED'] });
  });

  it('compares with a threshold given to a thousandth of a percent', () => {
    // One third located: 33.333% is met, 33.334% is not.
    expect(assessHeadlines({ spend: spend(1, 0, 2), round1: 3, threshold: 33_333 }).coverage.spendMet).toBe(true);
    expect(assessHeadlines({ spend: spend(1, 0, 2), round1: 3, threshold: 33_334 }).coverage.spendMet).toBe(false);
  });

  it('treats a file with nothing located as no finding at all, and staff below the threshold too', () => {
    const none = assessHeadlines({ spend: spend(0, 0, 1_590_150_875), staff: { staff: 10, unknownStaff: 3 }, round1: 1_590_150_875, threshold: EIGHTY });
    expect(none.coverage.spendLocatedShare).toBe(0);
    expect(none.localShare).toMatchObject({ supported: false, low: 0, high: 1 });
    expect(none.lm3.reasons).toEqual(['SPEND_UNLOCATED', 'STAFF_BELOW_COVERAGE']);
    // The local share is about spend alone: staff do not weaken it.
    expect(none.localShare.reasons).toEqual(['SPEND_UNLOCATED']);
  });

  it('lets the threshold be set: at 0% every headline is a finding', () => {
    expect(assessHeadlines({ spend: spend(0, 0, 100), round1: 100, threshold: 0 }).lm3.supported).toBe(true);
  });
});

describe('leakage counts only money known to leave the area', () => {
  it('never calls unknown spend or pay leaking: it widens the range instead', () => {
    const leakage = measureLeakage({ round1: 1_000_000, round2: 400_000, round3: 100_000, nonLocalSpend: 200_000, unknownSpend: 150_000, nonLocalStaffPay: 50_000, unknownStaffPay: 25_000 });
    expect(leakage).toMatchObject({ total: 250_000, share: 0.25, high: 425_000, highShare: 0.425 });
  });
});

describe('Round 1 reconciles', () => {
  it('puts every penny of an income in one part, with what was not spent', () => {
    const rec = reconcileRound1({
      round1: 1_000_000_00,
      round1Basis: 'income',
      spend: { local: 300_000_00, nonLocal: 200_000_01, unknown: 10_000_00 },
      excluded: 5_000_00,
      pay: { local: 250_000_00, nonLocal: 100_000_00, unknown: 9_999_99 },
      grossPay: 359_999_99,
      onCosts: 40_000_00,
    });
    expect(rec.notSpent).toBe(1_000_000_00 - (300_000_00 + 200_000_01 + 10_000_00 + 5_000_00 + 359_999_99 + 40_000_00));
    expect(rec.notSpent).toBe(85_000_00);
    expect(rec.payDeductions).toBe(0);
  });

  it('shows money spent beyond an income as a negative part', () => {
    const rec = reconcileRound1({ round1: 100_00, round1Basis: 'income', spend: { local: 80_00, nonLocal: 30_00, unknown: 0 }, excluded: 0, pay: { local: 0, nonLocal: 0, unknown: 0 }, grossPay: 0, onCosts: 0 });
    expect(rec.notSpent).toBe(-10_00);
  });

  it('leaves excluded spend outside R1 when R1 is the money analysed, so nothing is left over', () => {
    const rec = reconcileRound1({ round1: 110_00 + 50_00 + 5_00, round1Basis: 'spend-and-payroll', spend: { local: 60_00, nonLocal: 40_00, unknown: 10_00 }, excluded: 7_00, pay: { local: 20_00, nonLocal: 20_00, unknown: 0 }, grossPay: 50_00, onCosts: 5_00 });
    // Net pay: £40.00 counted of £50.00 gross, so £10.00 of deductions.
    expect(rec).toMatchObject({ excluded: 0, payDeductions: 10_00, notSpent: 0 });
  });
});

/** Generated organisations: suppliers and staff in each place, survey answers, assumptions, and an income or none. */
const pence = fc.integer({ min: 0, max: 5_000_000_00 });
const percent = fc.integer({ min: 0, max: 100_000 });
const organisation = fc.record({
  local: fc.array(fc.record({ amount: pence, surveyPercent: fc.option(percent, { nil: undefined }) }), { maxLength: 8 }),
  nonLocal: fc.array(pence, { maxLength: 8 }),
  unknown: fc.array(pence, { maxLength: 8 }),
  pay: fc.record({ local: pence, nonLocal: pence, unknown: pence }),
  onCosts: pence,
  staffAnswers: fc.array(percent, { maxLength: 5 }),
  supplierPercent: fc.option(percent, { nil: undefined }),
  staffPercent: fc.option(percent, { nil: undefined }),
  income: fc.option(fc.integer({ min: 1, max: 200_000_000_00 }), { nil: undefined }),
  averaging: fc.constantFrom('unweighted' as const, 'spend-weighted' as const),
});

describe('LM3 stays within its bounds (property)', () => {
  it('gives 1 ≤ LM3 ≤ 3 and R3 ≤ R2 ≤ R1, at the centre and both ends, unless it refuses the income; and R1 reconciles', () => {
    fc.assert(
      fc.property(organisation, (org) => {
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const localSpend = sum(org.local.map((s) => s.amount));
        const spendTotal = localSpend + sum(org.nonLocal) + sum(org.unknown);
        const grossPay = org.pay.local + org.pay.nonLocal + org.pay.unknown;
        const input: Lm3Input = {
          income: org.income,
          spendTotal,
          payrollCost: grossPay + org.onCosts,
          localSuppliers: org.local,
          unknownSuppliers: org.unknown.map((amount) => ({ amount })),
          localStaffPay: org.pay.local,
          localStaff: 5,
          unknownStaffPay: org.pay.unknown,
          staffAnswers: org.staffAnswers,
          assumptions: { supplierPercent: org.supplierPercent, staffPercent: org.staffPercent },
          averaging: org.averaging,
        };
        const lm3 = computeLm3(input);
        const refused = lm3.findings.some((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND');
        // Without an income, Round 1 is all money out, which can never be below what was spent locally.
        if (org.income === undefined) expect(refused).toBe(false);
        // An income is refused exactly when it is below Round 2 at the high end.
        expect(refused).toBe(lm3.round1 > 0 && lm3.high.round2 > lm3.round1);
        if (lm3.round1 > 0 && !refused) {
          for (const score of [lm3.score!, lm3.scoreLow!, lm3.scoreHigh!]) {
            expect(score).toBeGreaterThanOrEqual(1);
            expect(score).toBeLessThanOrEqual(3);
          }
          expect(lm3.round2).toBeLessThanOrEqual(lm3.round1);
          expect(lm3.high.round2).toBeLessThanOrEqual(lm3.round1);
          expect(lm3.high.round3).toBeLessThanOrEqual(lm3.high.round2);
        }
        expect(lm3.round3).toBeLessThanOrEqual(lm3.round2);
        expect(lm3.low.round3).toBeLessThanOrEqual(lm3.round3);
        const rec = reconcileRound1({
          round1: lm3.round1,
          round1Basis: lm3.round1Basis,
          spend: { local: localSpend, nonLocal: sum(org.nonLocal), unknown: sum(org.unknown) },
          excluded: 0,
          pay: org.pay,
          grossPay,
          onCosts: org.onCosts,
        });
        const parts = rec.localSuppliers + rec.nonLocalSuppliers + rec.unknownSuppliers + rec.excluded + rec.localPay + rec.nonLocalPay + rec.unknownPay + rec.payDeductions + rec.onCosts + rec.notSpent;
        expect(parts).toBe(lm3.round1);
        if (org.income === undefined) expect(rec.notSpent).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('coverage with nothing to locate', () => {
  it('finds no shortfall in a file whose spend nets to £0, and leaves the reason to Round 1', () => {
    const zero = assessHeadlines({ spend: { total: 0, local: 0, nonLocal: 0, unknown: 0 }, round1: 0, threshold: EIGHTY });
    expect(zero.coverage.spendMet).toBe(true);
    expect(zero.lm3).toEqual({ supported: false, reasons: ['ROUND1_ZERO'] });
  });
});
