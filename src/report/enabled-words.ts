import type { Analysis } from '../analyse.js';
import { formatPounds } from '../money.js';

/** The method in words, printed wherever enabled figures are (the sheet, the terminal, the statement). */
export const ENABLED_METHOD =
  "Jobs are the tenants' own headcounts. GVA is each tenant's own figure where it gave one, else its jobs × GVA per job for its industry in the region, from the GVA table named below. Gross: nothing is taken off for deadweight (jobs that would exist anyway) or displacement (jobs moved from elsewhere).";

/** `12 tenants enabled about 1,400 jobs and about £120m of gross value added`, rounded as the report rounds it. */
export function enabledHeadline(e: NonNullable<Analysis['enabled']>): string {
  return `${e.tenants.length} tenant${e.tenants.length === 1 ? '' : 's'} enabled ${e.jobs.toLocaleString('en-GB')} jobs (${e.localJobs.toLocaleString('en-GB')} in local tenants) and ${formatPounds(e.gva, { whole: true })} of gross value added (GVA; gross: before deadweight and displacement)`;
}
