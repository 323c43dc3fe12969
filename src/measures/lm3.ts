import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import type { Finding } from '../findings.js';
import { applyRatio, formatPounds, type Pence, share } from '../money.js';

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
  /** Which pay the staff figures are: net only when every member of staff has net pay. Default gross. */
  wages?: 'gross' | 'net';
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
  /** The pay the staff figures are. */
  wages: 'gross' | 'net';
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
  /** The share of their pay staff living locally re-spend locally, as a fraction (0 when not traced). */
  staffRate: number;
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
  /** Undefined when Round 1 is not above £0: there is nothing to divide by. */
  score: number | undefined;
  /** Unknown locations treated as local. */
  scoreHigh: number | undefined;
  /** The assumed parts of Round 3 at zero, the surveyed parts kept; equal to score when nothing is assumed. */
  scoreLow: number | undefined;
  high: { round2: Pence; round3: Pence; round3Staff: Pence };
  /** Round 3 at the low end: the parts that rest on surveys (or on nothing, at £0). */
  low: { round3: Pence };
  /** Each local supplier's Round 3, in the order given, rounded to the penny on its own. */
  supplierRound3: Pence[];
  /** Each supplier of unknown location's Round 3 at the rate, in the order given (high end only). */
  unknownSupplierRound3: Pence[];
  /** Pay of staff with no usable home postcode, as given (high end only). */
  unknownStaffPay: Pence;
  findings: Finding[];
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
  const supplierRound3 = input.localSuppliers.map((supplier) =>
    supplier.surveyPercent !== undefined ? applyPercent(supplier.amount, supplier.surveyPercent) : supplierRate(supplier.amount),
  );
  const round3Suppliers = supplierRound3.reduce((sum, r3) => sum + r3, 0);
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
  const unknownSupplierRound3 = input.unknownSuppliers.map((s) => supplierRate(s.amount));
  const highRound3Staff = staffRate(round2Staff + input.unknownStaffPay);
  const highRound3 = round3Suppliers + unknownSupplierRound3.reduce((sum, r3) => sum + r3, 0) + highRound3Staff;
  // The low end drops only what is assumed: a surveyed part stays.
  const lowRound3 = (round3SuppliersBasis === 'assumed' ? 0 : round3Suppliers) + (round3StaffBasis === 'assumed' ? 0 : round3Staff);

  const findings: Finding[] = [];
  const scored = round1 > 0;
  const lm3Of = (r2: Pence, r3: Pence): number | undefined => (scored ? (round1 + r2 + r3) / round1 : undefined);
  if (!scored) findings.push({ code: 'ROUND1_ZERO', args: { round1: formatPounds(round1) } });
  // 1 ≤ LM3 ≤ 3 needs R2 ≤ R1 at the high end too (R3 ≤ R2 holds by itself: no rate exceeds 100%).
  if (scored && highRound2 > round1) {
    findings.push({ code: 'INCOME_BELOW_LOCAL_SPEND', args: { basis: round1Basis, round1: formatPounds(round1), round2High: formatPounds(highRound2) } });
  } else if (scored && (round2 < 0 || round3 < 0 || round3 > round2 || highRound3 < 0 || highRound3 > highRound2 || highRound2 < round2)) {
    // Only credit notes can do this: local (or unknown) suppliers refunding more than they were paid.
    findings.push({ code: 'ROUNDS_OUT_OF_BOUNDS', args: { round2: formatPounds(round2), round3: formatPounds(round3), round2High: formatPounds(highRound2), round3High: formatPounds(highRound3) } });
  }
  const surveyedSupplierSpend = surveyed.reduce((sum, s) => sum + s.amount, 0);
  return {
    wages: input.wages ?? 'gross',
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
    staffRate: staffMean ? Number(staffMean.numerator) / Number(staffMean.denominator) / MILLI_PERCENT_WHOLE : input.assumptions.staffPercent !== undefined ? input.assumptions.staffPercent / MILLI_PERCENT_WHOLE : 0,
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
    score: lm3Of(round2, round3),
    scoreHigh: lm3Of(highRound2, highRound3),
    scoreLow: lm3Of(round2, lowRound3),
    high: { round2: highRound2, round3: highRound3, round3Staff: highRound3Staff },
    low: { round3: lowRound3 },
    supplierRound3,
    unknownSupplierRound3,
    unknownStaffPay: input.unknownStaffPay,
    findings,
    round2Share: share(round2, round1),
    round3Share: share(round3, round2),
  };
}
