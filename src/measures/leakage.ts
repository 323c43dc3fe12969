import { type Pence, share } from '../money.js';

/**
 * Spend leakage in the LM3 sense: money leaving the area in Round 2. The central figure treats
 * unlocated suppliers and staff as not local (method.md); `located` counts only what is known to leave.
 */
export interface Leakage {
  total: Pence;
  share: number;
  suppliers: Pence;
  staff: Pence;
  /** Known leakage only: non-local suppliers and non-resident staff. */
  located: Pence;
  locatedShare: number;
  /** 1 − R2/R1 and 1 − R3/R2. */
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
  const suppliers = input.nonLocalSpend + input.unknownSpend;
  const staff = input.nonLocalStaffPay + input.unknownStaffPay;
  const located = input.nonLocalSpend + input.nonLocalStaffPay;
  return {
    total: suppliers + staff,
    share: share(suppliers + staff, input.round1),
    suppliers,
    staff,
    located,
    locatedShare: share(located, input.round1),
    round2: input.round1 === 0 ? 0 : 1 - input.round2 / input.round1,
    round3: input.round2 === 0 ? 0 : 1 - input.round3 / input.round2,
  };
}
