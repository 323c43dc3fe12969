import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import type { Pence } from '../money.js';
import { meets, type Headlines, type UnsupportedReason } from './headlines.js';

/**
 * Targets (step 10): each headline against what the organisation aims for. A headline that is not a finding
 * (the coverage rule) is neither met nor missed; one that was not measured, or is withheld, is said to be so.
 */
export const TARGET_MEASURES = ['localShare', 'lm3', 'localStaffShare', 'locatedShare'] as const;
export type TargetMeasure = (typeof TARGET_MEASURES)[number];

export type TargetStatus = 'met' | 'missed' | 'not supported' | 'not measured';

/** Why a target is not met or missed: the headline's reasons, or what is missing to measure it. */
export type TargetReason = UnsupportedReason | 'NO_SPEND' | 'NO_PAYROLL' | 'NO_SCORE' | 'WITHHELD';

export interface TargetResult {
  measure: TargetMeasure;
  /** A share as a fraction 0–1, or the LM3 score. */
  target: number;
  /** The figure measured, in the same unit; null when not measured. */
  value: number | null;
  status: TargetStatus;
  reasons: TargetReason[];
}

export interface TargetSettings {
  localShare?: MilliPercent;
  lm3?: number;
  localStaffShare?: MilliPercent;
  locatedShare?: MilliPercent;
}

export function evaluateTargets(
  targets: TargetSettings,
  measured: {
    spend: { total: Pence; local: Pence; nonLocal: Pence; unknown: Pence } | undefined;
    headlines: Headlines | undefined;
    staff: { staff: number; localStaff: number } | undefined;
    /** The score as published (null: withheld; undefined: none, Round 1 not above £0). */
    score: number | null | undefined;
  },
): TargetResult[] {
  const { spend, headlines, staff } = measured;
  const results: TargetResult[] = [];
  const fraction = (milli: MilliPercent) => milli / MILLI_PERCENT_WHOLE;
  const judged = (measure: TargetMeasure, target: number, value: number, reasons: UnsupportedReason[], met: boolean): TargetResult => ({
    measure,
    target,
    value,
    status: reasons.length > 0 ? 'not supported' : met ? 'met' : 'missed',
    reasons,
  });
  const notMeasured = (measure: TargetMeasure, target: number, reason: TargetReason): TargetResult => ({ measure, target, value: null, status: 'not measured', reasons: [reason] });

  if (targets.localShare !== undefined) {
    const target = fraction(targets.localShare);
    results.push(
      spend && headlines
        ? judged('localShare', target, headlines.localShare.low, headlines.localShare.reasons, meets(spend.local, spend.total, targets.localShare))
        : notMeasured('localShare', target, 'NO_SPEND'),
    );
  }
  if (targets.lm3 !== undefined) {
    const { score } = measured;
    if (!headlines) results.push(notMeasured('lm3', targets.lm3, 'NO_SPEND'));
    else if (score === undefined) results.push(notMeasured('lm3', targets.lm3, 'NO_SCORE'));
    else if (score === null) results.push(notMeasured('lm3', targets.lm3, 'WITHHELD'));
    else results.push(judged('lm3', targets.lm3, score, headlines.lm3.reasons, score >= targets.lm3));
  }
  if (targets.localStaffShare !== undefined) {
    const target = fraction(targets.localStaffShare);
    if (!staff || staff.staff === 0 || !headlines) results.push(notMeasured('localStaffShare', target, 'NO_PAYROLL'));
    else {
      const reasons: UnsupportedReason[] = headlines.coverage.staffMet ? [] : ['STAFF_BELOW_COVERAGE'];
      results.push(judged('localStaffShare', target, staff.localStaff / staff.staff, reasons, meets(staff.localStaff, staff.staff, targets.localStaffShare)));
    }
  }
  if (targets.locatedShare !== undefined) {
    const target = fraction(targets.locatedShare);
    if (!spend || !headlines) results.push(notMeasured('locatedShare', target, 'NO_SPEND'));
    else {
      // The located share is the coverage itself, so always a finding; met exactly, on the sizes the coverage rule uses.
      const located = Math.abs(spend.local) + Math.abs(spend.nonLocal);
      results.push(judged('locatedShare', target, headlines.coverage.spendLocatedShare, [], meets(located, located + Math.abs(spend.unknown), targets.locatedShare)));
    }
  }
  return results;
}
