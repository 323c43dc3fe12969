import { describe, expect, it } from 'vitest';
import { formatMilliPercent } from '../src/domain/percent.js';
import { parsePercent } from '../src/ingest/percent.js';
import { computeLm3, type Lm3Input } from '../src/measures/lm3.js';
import { measureLeakage } from '../src/measures/leakage.js';
import { applyRatio } from '../src/money.js';

const base: Lm3Input = {
  income: undefined,
  spendTotal: 0,
  payrollCost: 0,
  localSuppliers: [],
  unknownSuppliers: [],
  localStaffPay: 0,
  localStaff: 0,
  unknownStaffPay: 0,
  staffAnswers: [],
  assumptions: {},
  averaging: 'unweighted',
};
const pct = (text: string) => parsePercent(text)!;

describe('NEF survey averaging (method.md)', () => {
  it('averages staff answers 42.1, 50.5, 63.1, 37.8, 33.6 to 45.4%', () => {
    const lm3 = computeLm3({ ...base, localStaffPay: 20_000_000, localStaff: 5, staffAnswers: ['42.1', '50.5', '63.1', '37.8', '33.6'].map(pct) });
    expect(lm3.staffMean!.percent).toBeCloseTo(45.42, 10);
    expect(formatMilliPercent(Number(lm3.staffMean!.numerator) / Number(lm3.staffMean!.denominator))).toBe('45.4%');
    // 45.42% of £200,000 exactly
    expect(lm3.round3Staff).toBe(9_084_000);
  });

  it('takes 40% of a £200,000 payroll as £80,000 of Round 3', () => {
    const lm3 = computeLm3({ ...base, localStaffPay: 20_000_000, localStaff: 10, staffAnswers: [pct('40')] });
    expect(lm3.round3Staff).toBe(8_000_000);
    expect(lm3.round3StaffBasis).toBe('survey');
  });
});

describe('computeLm3', () => {
  // Worked by hand: R1 £100,000 income; local suppliers £30,000 (surveyed 50%) and £10,000 (unsurveyed);
  // local staff gross £20,000 with staff answers 40% and 60%.
  const worked = computeLm3({
    ...base,
    income: 10_000_000,
    spendTotal: 6_000_000,
    payrollCost: 3_000_000,
    localSuppliers: [
      { amount: 3_000_000, surveyPercent: pct('50') },
      { amount: 1_000_000, surveyPercent: undefined },
    ],
    unknownSuppliers: [{ amount: 500_000 }],
    localStaffPay: 2_000_000,
    localStaff: 2,
    unknownStaffPay: 100_000,
    staffAnswers: [pct('40'), pct('60')],
  });

  it('sums the rounds exactly', () => {
    expect(worked.round1).toBe(10_000_000);
    expect(worked.round1Basis).toBe('income');
    expect(worked.round2Suppliers).toBe(4_000_000);
    expect(worked.round2Staff).toBe(2_000_000);
    expect(worked.round2).toBe(6_000_000);
    // £15,000 surveyed + £10,000 × 50% (mean of the one surveyed) = £20,000; staff £20,000 × 50% = £10,000
    expect(worked.round3Suppliers).toBe(2_000_000);
    expect(worked.round3Staff).toBe(1_000_000);
    expect(worked.round3).toBe(3_000_000);
    expect(worked.score).toBe(1.9);
    expect(worked.round2Share).toBe(0.6);
    expect(worked.round3Share).toBe(0.5);
    expect(worked.round3Basis).toBe('survey');
  });

  it('gives the high end with unknown spend and staff treated as local', () => {
    // R2 +£5,000 +£1,000; R3 + £5,000 × 50% + £1,000 × 50%
    expect(worked.high).toEqual({ round2: 6_600_000, round3: 3_300_000, round3Staff: 1_050_000 });
    expect(worked.scoreHigh).toBeCloseTo(1.99, 12);
    expect(worked.scoreLow).toBe(worked.score);
  });

  it('reports survey coverage', () => {
    expect(worked.coverage).toMatchObject({ surveyedSupplierSpend: 3_000_000, localSupplierSpend: 4_000_000, supplierSpendShare: 0.75, surveyedSuppliers: 1, staffResponses: 2 });
  });

  it('uses spend + payroll cost as Round 1 when no income is given', () => {
    const lm3 = computeLm3({ ...base, spendTotal: 6_000_000, payrollCost: 3_000_000 });
    expect(lm3.round1).toBe(9_000_000);
    expect(lm3.round1Basis).toBe('spend-and-payroll');
  });

  it('labels Round 3 assumed, and gives the range from R3 = 0, when it rests on an assumption', () => {
    const lm3 = computeLm3({
      ...base,
      income: 10_000_000,
      localSuppliers: [{ amount: 1_000_000, surveyPercent: undefined }],
      assumptions: { supplierPercent: pct('76') },
    });
    expect(lm3.round3Suppliers).toBe(760_000);
    expect(lm3.round3Basis).toBe('assumed');
    expect(lm3.scoreLow).toBe(1.1);
    expect(lm3.score).toBeCloseTo(1.176, 12);
  });

  it('drops only the assumed part at the low end, keeping the surveyed part', () => {
    // Suppliers surveyed (£40,000 at 50% → £20,000), staff assumed (£20,000 at 40% → £8,000), R1 £100,000, R2 £60,000.
    const lm3 = computeLm3({
      ...base,
      income: 10_000_000,
      localSuppliers: [{ amount: 4_000_000, surveyPercent: pct('50') }],
      localStaffPay: 2_000_000,
      localStaff: 5,
      assumptions: { staffPercent: pct('40') },
    });
    expect([lm3.round3SuppliersBasis, lm3.round3StaffBasis, lm3.round3Basis]).toEqual(['survey', 'assumed', 'assumed']);
    expect(lm3.round3).toBe(2_800_000);
    expect(lm3.low.round3).toBe(2_000_000);
    // (100,000 + 60,000 + 20,000) / 100,000, not (100,000 + 60,000) / 100,000
    expect(lm3.scoreLow).toBe(1.8);
    expect(lm3.score).toBe(1.88);
  });

  it('gives no score, with a finding, when Round 1 is £0', () => {
    const lm3 = computeLm3({ ...base });
    expect(lm3.round1).toBe(0);
    expect([lm3.score, lm3.scoreLow, lm3.scoreHigh]).toEqual([undefined, undefined, undefined]);
    expect(lm3.findings).toEqual([{ code: 'ROUND1_ZERO', args: { round1: '£0.00' } }]);
  });

  it('refuses an income below what was spent locally at the high end, where LM3 would exceed 3', () => {
    // R2 £15,000 local + £1,000 unknown at the high end: an income of £15,999.99 is refused, £16,000 is not.
    const withIncome = (income: number) =>
      computeLm3({ ...base, income, localSuppliers: [{ amount: 1_500_000, surveyPercent: undefined }], unknownSuppliers: [{ amount: 100_000 }] }).findings;
    expect(withIncome(1_599_999)).toEqual([{ code: 'INCOME_BELOW_LOCAL_SPEND', args: { basis: 'income', round1: '£15,999.99', round2High: '£16,000.00' } }]);
    expect(withIncome(1_600_000)).toEqual([]);
  });

  it('returns each supplier\'s Round 3 term, and the unplaced staff pay, for the workbook', () => {
    expect(worked.supplierRound3).toEqual([1_500_000, 500_000]);
    expect(worked.unknownSupplierRound3).toEqual([250_000]);
    expect(worked.unknownStaffPay).toBe(100_000);
  });

  it('never silently defaults Round 3: no survey and no assumption gives none and zero', () => {
    const lm3 = computeLm3({ ...base, income: 10_000_000, localSuppliers: [{ amount: 1_000_000, surveyPercent: undefined }] });
    expect(lm3.round3).toBe(0);
    expect(lm3.round3Basis).toBe('none');
  });

  it('weights the supplier mean by spend when asked', () => {
    const suppliers = [
      { amount: 3_000_000, surveyPercent: pct('20') },
      { amount: 1_000_000, surveyPercent: pct('60') },
      { amount: 1_000_000, surveyPercent: undefined },
    ];
    const unweighted = computeLm3({ ...base, income: 1, localSuppliers: suppliers });
    const weighted = computeLm3({ ...base, income: 1, localSuppliers: suppliers, averaging: 'spend-weighted' });
    // unweighted mean 40% → £4,000; weighted (30k×20 + 10k×60)/40k = 30% → £3,000
    expect(unweighted.round3Suppliers).toBe(600_000 + 600_000 + 400_000);
    expect(weighted.round3Suppliers).toBe(600_000 + 600_000 + 300_000);
  });
});

describe('applyRatio: exact percentages of money', () => {
  it('rounds half away from zero once', () => {
    expect(applyRatio(1, 1, 2)).toBe(1);
    expect(applyRatio(-1, 1, 2)).toBe(-1);
    expect(applyRatio(3, 1, 3)).toBe(1);
    expect(applyRatio(12_345, 54_510, 100_000)).toBe(6_729);
  });
  it('stays exact where floats would not (beyond 2^53 in the intermediate)', () => {
    expect(applyRatio(9_007_199_254_740, 99_999, 100_000)).toBe(9_007_109_182_747);
  });
});

describe('measureLeakage', () => {
  it('counts only non-local spend and pay as leaving; unknown widens the range', () => {
    const leakage = measureLeakage({ round1: 10_000_000, round2: 6_000_000, round3: 3_000_000, nonLocalSpend: 1_500_000, unknownSpend: 500_000, nonLocalStaffPay: 900_000, unknownStaffPay: 100_000 });
    expect(leakage.total).toBe(2_400_000);
    expect(leakage.share).toBe(0.24);
    expect(leakage.high).toBe(3_000_000);
    expect(leakage.highShare).toBe(0.3);
    expect(leakage.round2).toBeCloseTo(0.4, 12);
    expect(leakage.round3).toBeCloseTo(0.5, 12);
  });
});
