import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../ingest/percent.js';
import { applyRatio, type Pence, share } from '../money.js';

/**
 * LM3 (NEF, The Money Trail, Sacks 2002): (R1 + R2 + R3) / R1, with the conventions of method.md.
 * Pure: exact pence in, exact pence out; every percentage of money is rounded once, to the penny.
 */
export type Round3Basis = 'survey' | 'assumed' | 'none';
export type Averaging = 'unweighted' | 'spend-weighted';

export interface Lm3Input {
  /** The income or contract followed; undefined → spend + payroll cost. */
  income: Pence | undefined;
  spendTotal: Pence;
  payrollCost: Pence;
  localSuppliers: readonly { amount: Pence; surveyPercent: MilliPercent | undefined }[];
  /** Spend with suppliers of unknown location, for the high end of the range. */
  unknownSuppliers: readonly { amount: Pence }[];
  /** Pay of staff living locally (gross by default; net under the `net` wages convention). */
  localStaffPay: Pence;
  localStaff: number;
  /** Pay of staff with no usable home postcode, for the high end. */
  unknownStaffPay: Pence;
  staffAnswers: readonly MilliPercent[];
  assumptions: { supplierPercent?: MilliPercent; staffPercent?: MilliPercent };
  averaging: Averaging;
}

/** A mean percentage kept as an exact ratio: value = numerator / denominator (in milli-percent). */
export interface ExactMean {
  numerator: bigint;
  denominator: bigint;
  /** For display only. */
  percent: number;
  respondents: number;
}

export interface Lm3 {
  round1: Pence;
  round1Basis: 'income' | 'spend-and-payroll';
  round2: Pence;
  round2Suppliers: Pence;
  round2Staff: Pence;
  round3: Pence;
  round3Suppliers: Pence;
  round3Staff: Pence;
  round3Basis: Round3Basis;
  round3SuppliersBasis: Round3Basis;
  round3StaffBasis: Round3Basis;
  /** Mean answer of surveyed local suppliers, applied to unsurveyed ones. */
  supplierMean: ExactMean | undefined;
  staffMean: ExactMean | undefined;
  coverage: {
    surveyedSupplierSpend: Pence;
    localSupplierSpend: Pence;
    supplierSpendShare: number;
    surveyedSuppliers: number;
    localSuppliers: number;
    staffResponses: number;
    localStaff: number;
  };
  score: number;
  /** Unknown locations treated as local. */
  scoreHigh: number;
  /** Round 3 at zero when it rests on assumptions; else equal to score. */
  scoreLow: number;
  high: { round2: Pence; round3: Pence };
  /** R2 / R1 and R3 / R2: the share staying local at each round. */
  round2Share: number;
  round3Share: number;
}

function mean(values: readonly { percent: MilliPercent; weight: Pence }[], averaging: Averaging): ExactMean | undefined {
  if (values.length === 0) return undefined;
  let numerator = 0n;
  let denominator = 0n;
  for (const { percent, weight } of values) {
    const w = averaging === 'unweighted' ? 1n : BigInt(weight);
    numerator += BigInt(percent) * w;
    denominator += w;
  }
  if (denominator === 0n) {
    // Spend-weighting with no spend: fall back to the plain mean.
    return mean(values, 'unweighted');
  }
  return { numerator, denominator, percent: Number(numerator) / Number(denominator) / 1000, respondents: values.length };
}

/** `amount × mean%`, rounded to the penny once. */
function applyMean(amount: Pence, m: ExactMean): Pence {
  return applyRatio(amount, m.numerator, m.denominator * BigInt(MILLI_PERCENT_WHOLE));
}

function applyPercent(amount: Pence, percent: MilliPercent): Pence {
  return applyRatio(amount, percent, MILLI_PERCENT_WHOLE);
}

export function computeLm3(input: Lm3Input): Lm3 {
  const round1 = input.income ?? input.spendTotal + input.payrollCost;
  const round1Basis = input.income === undefined ? 'spend-and-payroll' : 'income';
  const round2Suppliers = input.localSuppliers.reduce((sum, s) => sum + s.amount, 0);
  const round2Staff = input.localStaffPay;
  const round2 = round2Suppliers + round2Staff;

  const surveyed = input.localSuppliers.filter((s) => s.surveyPercent !== undefined);
  const supplierMean = mean(
    surveyed.map((s) => ({ percent: s.surveyPercent!, weight: s.amount })),
    input.averaging,
  );
  // Unsurveyed local suppliers (and, at the high end, unlocated ones) re-spend at this rate.
  const supplierRate = (amount: Pence): Pence =>
    supplierMean ? applyMean(amount, supplierMean) : input.assumptions.supplierPercent !== undefined ? applyPercent(amount, input.assumptions.supplierPercent) : 0;
  let round3Suppliers = 0;
  for (const supplier of input.localSuppliers) {
    round3Suppliers += supplier.surveyPercent !== undefined ? applyPercent(supplier.amount, supplier.surveyPercent) : supplierRate(supplier.amount);
  }
  const round3SuppliersBasis: Round3Basis = supplierMean ? 'survey' : input.assumptions.supplierPercent !== undefined ? 'assumed' : 'none';

  const staffMean = mean(
    input.staffAnswers.map((percent) => ({ percent, weight: 1 })),
    'unweighted',
  );
  const staffRate = (amount: Pence): Pence =>
    staffMean ? applyMean(amount, staffMean) : input.assumptions.staffPercent !== undefined ? applyPercent(amount, input.assumptions.staffPercent) : 0;
  const round3Staff = staffRate(round2Staff);
  const round3StaffBasis: Round3Basis = staffMean ? 'survey' : input.assumptions.staffPercent !== undefined ? 'assumed' : 'none';
  const round3 = round3Suppliers + round3Staff;

  // Only the parts that carry money decide the basis of the whole.
  const bases = [round2Suppliers !== 0 ? round3SuppliersBasis : undefined, round2Staff !== 0 ? round3StaffBasis : undefined].filter(
    (b): b is Round3Basis => b !== undefined,
  );
  const round3Basis: Round3Basis = bases.includes('assumed') ? 'assumed' : bases.includes('survey') ? 'survey' : 'none';

  const unknownSupplierSpend = input.unknownSuppliers.reduce((sum, s) => sum + s.amount, 0);
  const highRound2 = round2 + unknownSupplierSpend + input.unknownStaffPay;
  const highRound3 =
    round3Suppliers + input.unknownSuppliers.reduce((sum, s) => sum + supplierRate(s.amount), 0) + staffRate(round2Staff + input.unknownStaffPay);

  const score = round1 === 0 ? 0 : (round1 + round2 + round3) / round1;
  const surveyedSupplierSpend = surveyed.reduce((sum, s) => sum + s.amount, 0);
  return {
    round1,
    round1Basis,
    round2,
    round2Suppliers,
    round2Staff,
    round3,
    round3Suppliers,
    round3Staff,
    round3Basis,
    round3SuppliersBasis,
    round3StaffBasis,
    supplierMean,
    staffMean,
    coverage: {
      surveyedSupplierSpend,
      localSupplierSpend: round2Suppliers,
      supplierSpendShare: share(surveyedSupplierSpend, round2Suppliers),
      surveyedSuppliers: surveyed.length,
      localSuppliers: input.localSuppliers.length,
      staffResponses: input.staffAnswers.length,
      localStaff: input.localStaff,
    },
    score,
    scoreHigh: round1 === 0 ? 0 : (round1 + highRound2 + highRound3) / round1,
    scoreLow: round3Basis === 'assumed' && round1 !== 0 ? (round1 + round2) / round1 : score,
    high: { round2: highRound2, round3: highRound3 },
    round2Share: share(round2, round1),
    round3Share: share(round3, round2),
  };
}
