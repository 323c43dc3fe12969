import type { Pence } from '../money.js';

/** A tenant of the organisation, as its tenants register gives it (step 9). */
export interface Tenant {
  line: number;
  name: string;
  industry: string;
  jobs: number;
  fte: number | undefined;
  local: boolean | undefined;
  /** Its own GVA, when it gave one: used instead of the estimate. */
  ownGva: Pence | undefined;
}

/** One row of the user's GVA per job table: a region and industry, with its source and year. */
export interface GvaRow {
  line: number;
  region: string;
  industry: string;
  gvaPerJob: Pence;
  source: string;
  year: string;
}
