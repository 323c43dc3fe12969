import { MIN_GROUP } from '../measures/workforce.js';
import type { StaffTravel } from '../measures/travel.js';

/**
 * Whether staff travel may be published: where staff live is personal, so no published count may be of one or two
 * people. The staff-by-district table is published beside it, so the split within each of its rows must be
 * none, all, or at least MIN_GROUP each side (else the count pins where one or two of that row's staff live), and
 * so must the whole.
 */
export function travelPublishable(t: StaffTravel): boolean {
  return t.measured >= MIN_GROUP && splitPublishable(t.within, t.measured - t.within) && t.byRow.every((r) => splitPublishable(r.within, r.beyond));
}

/** A count of staff split two ways (within / beyond, paid at least the Living Wage / not): none, all, or at least MIN_GROUP each side. */
export function splitPublishable(a: number, b: number): boolean {
  return a === 0 || b === 0 || (a >= MIN_GROUP && b >= MIN_GROUP);
}
