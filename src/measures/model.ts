import type { LocalStatus, Placement, PlacementReason } from '../geo/area.js';
import type { MilliPercent } from '../ingest/percent.js';
import type { SupplierType } from '../ingest/register.js';
import type { Pence } from '../money.js';

/**
 * Spend by supplier and category, as columns (a million-row file has hundreds of thousands of pairs):
 * entry i is what the supplier with key `supplierKeys[seqs[i]]` was paid under category `texts[ids[i]]`
 * ('' where the ledger gave none). One entry per supplier and category.
 */
export interface CategorySpend {
  supplierKeys: readonly string[];
  texts: readonly string[];
  seqs: Int32Array;
  ids: Int32Array;
  amounts: Float64Array;
  payments: Float64Array;
}

/** A supplier with everything paid to it in the period, located. */
/** Where the postcode directory places a supplier (absent without the directory), as its placement said. */
type PlacedBy = Pick<Placement, 'council' | 'councilName' | 'region' | 'regionName' | 'distanceMiles' | 'localShareEstimate'>;

export interface Supplier extends PlacedBy {
  key: string;
  /** The spelling with most spend. */
  name: string;
  /** Every spelling grouped under this supplier, most spend first. */
  spellings: { text: string; amount: Pence }[];
  supplierId: string;
  /** Normalised where it parses; '' when none is known. */
  postcode: string;
  postcodeSource: 'register' | 'ledger' | 'none';
  status: LocalStatus;
  /** Why: the placement of the postcode, or the register's override. */
  basis: PlacementReason | 'REGISTER_OVERRIDE';
  overrideReason: string;
  type: SupplierType | undefined;
  sector: string;
  amount: Pence;
  payments: number;
  /** The supplier's own survey answer: share of its income re-spent locally. */
  surveyPercent: MilliPercent | undefined;
  /** Redacted payees, grouped as one line: counted in spend as unknown, never located. */
  unattributable?: true;
  /** From the register or the ledger, where known. */
  companyNumber?: string;
  charityNumber?: string;
  /** Its status in each `--tier`, in order (absent when no tiers are given). */
  tierStatus?: LocalStatus[];
  /** English IMD decile of where it is (1 = most deprived 10%), from its LSOA or else its council's summary. */
  imdDecile?: number;
  deprivationBasis?: 'lsoa' | 'council';
}

/** A member of staff as the measures see them: located, with pay, and nothing that names them. */
export interface StaffMember {
  status: LocalStatus;
  /** Home postcode district (never the full postcode), for aggregate tables. */
  district: string | undefined;
  grossPay: Pence;
  netPay: Pence | undefined;
  employerNi: Pence;
  employerPension: Pence;
  fte: number | undefined;
  hourlyRate: Pence | undefined;
}

export const STATUSES: readonly LocalStatus[] = ['local', 'non-local', 'unknown'];
