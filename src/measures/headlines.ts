import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import { type Pence, share } from '../money.js';

/**
 * Coverage decides what is a finding (method.md): below the located-spend threshold the local share,
 * the leakage and the score are not stated as facts, only as the range the unknowns allow.
 * This module decides it once; every renderer prints what it says.
 */

/** Why a headline is not a finding. Each is also the code of the finding that explains it. */
export type UnsupportedReason = 'SPEND_UNLOCATED' | 'STAFF_BELOW_COVERAGE' | 'ROUND1_ZERO' | 'SPENT_BEYOND_INCOME';

export interface Support {
  supported: boolean;
  /** Empty when supported. */
  reasons: UnsupportedReason[];
}

export interface Coverage {
  /** The share of spend (and of staff) that must be located for a headline to be a finding. */
  threshold: MilliPercent;
  /** Spend with a supplier placed local or non-local. Unattributable spend is never located. */
  locatedSpend: Pence;
  unlocatedSpend: Pence;
  spendLocatedShare: number;
  spendMet: boolean;
  /** Staff placed local or non-local, by headcount (never by pay, which could show one person's). */
  staffLocated: number;
  staff: number;
  staffMet: boolean;
}

export interface Headlines {
  coverage: Coverage;
  /** Local share of spend; low = as measured (unknown not local), high = unknown counted as local. */
  localShare: Support & { low: number; high: number };
  lm3: Support;
  leakage: Support;
  /** Each tier's local share under the same rule, in the order of `--tier`. */
  tiers: (Support & { high: number })[];
}

/** `part / whole ≥ threshold`, exactly: no float decides a borderline file. Nothing to locate is no shortfall. */
export function meets(part: number, whole: number, threshold: MilliPercent): boolean {
  if (whole <= 0) return true;
  return BigInt(Math.round(part)) * BigInt(MILLI_PERCENT_WHOLE) >= BigInt(threshold) * BigInt(Math.round(whole));
}

export function assessHeadlines(input: {
  spend: { total: Pence; local: Pence; nonLocal: Pence; unknown: Pence };
  /** Absent when no payroll was given. */
  staff?: { staff: number; unknownStaff: number };
  round1: Pence | undefined;
  /** Known leakage: above Round 1 it cannot be a share of the money followed. */
  leakage?: Pence;
  tiers?: readonly { local: Pence; nonLocal: Pence; unknown: Pence }[];
  threshold: MilliPercent;
}): Headlines {
  const { spend, threshold } = input;
  const locatedSpend = spend.local + spend.nonLocal;
  // Credit notes can make a part negative: coverage is measured on the size of each part, so it stays within 0–100%.
  const locatedSize = Math.abs(spend.local) + Math.abs(spend.nonLocal);
  const size = locatedSize + Math.abs(spend.unknown);
  const staff = input.staff?.staff ?? 0;
  const staffLocated = staff - (input.staff?.unknownStaff ?? 0);
  const coverage: Coverage = {
    threshold,
    locatedSpend,
    unlocatedSpend: spend.unknown,
    spendLocatedShare: share(locatedSize, size),
    spendMet: meets(locatedSize, size, threshold),
    staffLocated,
    staff,
    staffMet: meets(staffLocated, staff, threshold),
  };
  const spendReasons: UnsupportedReason[] = coverage.spendMet ? [] : ['SPEND_UNLOCATED'];
  const moneyReasons: UnsupportedReason[] = [...spendReasons, ...(coverage.staffMet ? [] : (['STAFF_BELOW_COVERAGE'] as const))];
  const support = (reasons: UnsupportedReason[]): Support => ({ supported: reasons.length === 0, reasons });
  const round1Zero: UnsupportedReason[] = input.round1 !== undefined && input.round1 <= 0 ? ['ROUND1_ZERO'] : [];
  return {
    coverage,
    localShare: {
      ...support(spendReasons),
      low: share(spend.local, spend.total),
      high: share(spend.local + spend.unknown, spend.total),
    },
    lm3: support([...moneyReasons, ...round1Zero]),
    leakage: support([...moneyReasons, ...round1Zero, ...(input.leakage !== undefined && input.round1 !== undefined && input.round1 > 0 && input.leakage > input.round1 ? (['SPENT_BEYOND_INCOME'] as const) : [])]),
    tiers: (input.tiers ?? []).map((tier) => tierSupport(tier, threshold)),
  };
}

/** Whether a tier's local share is a finding: the same coverage rule as the area's. */
function tierSupport(tier: { local: Pence; nonLocal: Pence; unknown: Pence }, threshold: MilliPercent): Support & { high: number } {
  const located = Math.abs(tier.local) + Math.abs(tier.nonLocal);
  const met = meets(located, located + Math.abs(tier.unknown), threshold);
  const total = tier.local + tier.nonLocal + tier.unknown;
  return { supported: met, reasons: met ? [] : ['SPEND_UNLOCATED'], high: share(tier.local + tier.unknown, total) };
}
