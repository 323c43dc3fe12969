import { type Pence, share } from '../money.js';

/**
 * Spend leakage in the LM3 sense (method.md): money known to leave the area in Round 2 — non-local
 * supplier spend + pay to staff who live outside it. Money whose destination is unknown is never
 * called leaking: it widens the range instead (`high`, every unknown counted as leaving).
 */
export interface Leakage {
  /** Known leakage: non-local suppliers + non-resident staff. */
  total: Pence;
  /** `total` as a share of Round 1. */
  share: number;
  /** Leakage if every supplier and member of staff of unknown location were outside the area. */
  high: Pence;
  highShare: number;
  /** Per round, the share not kept locally: 1 − R2/R1 and 1 − R3/R2. */
  round2: number;
  round3: number;
}

export function measureLeakage(input: {
  round1: Pence;
  round2: Pence;
  round3: Pence;
  nonLocalSpend: Pence;
  unknownSpend: Pence;
  nonLocalStaffPay: Pence;
  unknownStaffPay: Pence;
}): Leakage {
  const total = input.nonLocalSpend + input.nonLocalStaffPay;
  const high = total + input.unknownSpend + input.unknownStaffPay;
  return {
    total,
    share: share(total, input.round1),
    high,
    highShare: share(high, input.round1),
    round2: input.round1 === 0 ? 0 : 1 - input.round2 / input.round1,
    round3: input.round2 === 0 ? 0 : 1 - input.round3 / input.round2,
  };
}
