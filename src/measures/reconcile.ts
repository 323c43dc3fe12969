import type { Pence } from '../money.js';

/**
 * Where Round 1 went (method.md, "R1 reconciles"): every penny of R1 is in exactly one part.
 * Spend leakage is the two `nonLocal*` parts; Round 2 the two `local*` parts.
 */
export interface Round1Reconciliation {
  round1: Pence;
  localSuppliers: Pence;
  nonLocalSuppliers: Pence;
  unknownSuppliers: Pence;
  /** Accepted spend the exclude rules took out: in R1 when R1 is an income, not when R1 is the money analysed. */
  excluded: Pence;
  /** Pay under the wages convention (gross, or net when every member of staff has it). */
  localPay: Pence;
  nonLocalPay: Pence;
  unknownPay: Pence;
  /** Under the net convention, what was taken from gross pay (income tax, employee NI …); else 0. */
  payDeductions: Pence;
  /** Employer NI and employer pension: in R1, never in R2. */
  onCosts: Pence;
  /** R1 less every part above: income not spent in the period; negative when more was spent than the income. */
  notSpent: Pence;
}

export interface Round1Parts {
  round1: Pence;
  round1Basis: 'income' | 'spend-and-payroll';
  spend: { local: Pence; nonLocal: Pence; unknown: Pence };
  excluded: Pence;
  pay: { local: Pence; nonLocal: Pence; unknown: Pence };
  /** Gross pay of all staff: the deductions are gross less the pay counted. */
  grossPay: Pence;
  onCosts: Pence;
}

export function reconcileRound1(parts: Round1Parts): Round1Reconciliation {
  const excluded = parts.round1Basis === 'income' ? parts.excluded : 0;
  const payCounted = parts.pay.local + parts.pay.nonLocal + parts.pay.unknown;
  const payDeductions = parts.grossPay - payCounted;
  const accounted =
    parts.spend.local + parts.spend.nonLocal + parts.spend.unknown + excluded + payCounted + payDeductions + parts.onCosts;
  return {
    round1: parts.round1,
    localSuppliers: parts.spend.local,
    nonLocalSuppliers: parts.spend.nonLocal,
    unknownSuppliers: parts.spend.unknown,
    excluded,
    localPay: parts.pay.local,
    nonLocalPay: parts.pay.nonLocal,
    unknownPay: parts.pay.unknown,
    payDeductions,
    onCosts: parts.onCosts,
    notSpent: parts.round1 - accounted,
  };
}
