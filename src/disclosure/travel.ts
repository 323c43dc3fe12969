import { MIN_GROUP } from '../measures/workforce.js';
import type { StaffTravel } from '../measures/travel.js';

/**
 * Whether staff travel may be published: where staff live is personal, so no published count may be of one or two
 * people. The staff-by-district table is published beside it, so the split within each of its rows must be
 * none, all, or at least MIN_GROUP each side (else the count pins where one or two of that row's staff live), and
 * so must the whole.
 */
export function travelPublishable(t: StaffTravel): boolean {
  const safe = (within: number, beyond: number) => within === 0 || beyond === 0 || (within >= MIN_GROUP && beyond >= MIN_GROUP);
  return t.measured >= MIN_GROUP && safe(t.within, t.measured - t.within) && t.byRow.every((r) => safe(r.within, r.beyond));
}
