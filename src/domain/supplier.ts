import type { Pence } from '../money.js';
import type { MilliPercent } from './percent.js';
import type { LocalStatus, Placement, PlacementReason } from './placement.js';

export type SupplierType = 'SME' | 'VCSE' | 'large' | 'public body';

/**
 * Where a supplier's type came from, first to last in precedence: the register's Type column, the spend
 * file's VCSE and SME columns, a charity number, a charitable incorporated organisation's company number.
 */
export const SUPPLIER_TYPE_SOURCES = ['register', 'ledger', 'charity number', 'company number'] as const;
export type SupplierTypeSource = (typeof SUPPLIER_TYPE_SOURCES)[number];

/** Where the postcode directory places a supplier (absent without the directory), as its placement said. */
type PlacedBy = Pick<Placement, 'council' | 'councilName' | 'region' | 'regionName' | 'distanceMiles' | 'localShareEstimate'>;

/** A supplier with everything paid to it in the period, located. */
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
  /** Where `type` came from; undefined when no source gave one. */
  typeSource: SupplierTypeSource | undefined;
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

/**
 * The name as grouping sees it: case, punctuation, spacing, `LTD`/`LIMITED`, `&`/`AND`, a leading
 * `THE` and a leading `*` (purchase-card exports) do not make two suppliers. Ids and company numbers
 * are kept apart by the grouping key, not here.
 */
export function normaliseSupplierName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Apostrophes and the dots of initials join up: O'Brien's = OBRIENS, P.L.C. = PLC.
    .replace(/['\u2019.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/\bltd\b/g, 'limited')
    .replace(/\bco\b(?= limited$)/, 'company')
    .replace(/\bpublic limited company$/, 'plc');
}

/** Finds things by supplier id first, then by normalised name: how a register entry or survey answer meets its supplier. */
export class SupplierIndex<T> {
  private readonly byId = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  readonly used = new Set<T>();

  add(id: string, name: string, value: T): void {
    if (id !== '' && !this.byId.has(id)) this.byId.set(id, value);
    const key = normaliseSupplierName(name);
    if (key !== '' && !this.byName.has(key)) this.byName.set(key, value);
  }

  find(id: string, names: readonly string[]): T | undefined {
    if (id !== '') {
      const found = this.byId.get(id);
      if (found) return found;
    }
    for (const name of names) {
      const found = this.byName.get(normaliseSupplierName(name));
      if (found) return found;
    }
    return undefined;
  }
}
