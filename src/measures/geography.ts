import type { Supplier } from '../domain/supplier.js';
import { type Pence, share } from '../money.js';
import { addToSplit, emptySplit, finishSplit, type StatusSplit } from './spend.js';

/** One tier of "local" (neighbourhood ⊂ borough ⊂ region ⊂ nation): its spend split. */
export interface TierMeasure extends StatusSplit {
  /** What the report calls the tier (`Halifax` in `--tier "Halifax=HX"`); the spec when it has no label. */
  label: string;
  spec: string;
  terms: readonly string[];
}

export interface GeographyMeasures {
  /** Spend with suppliers placed only by a district that straddles the boundary: inside `unknown`. */
  uncertain: Pence;
  /** The share-weighted estimate of how much of `uncertain` is local (district postcode shares × spend), rounded to the penny. */
  uncertainEstimatedLocal: Pence;
  /** Spend by the council the directory places each supplier in; suppliers it cannot place are under `council: ''`. */
  byCouncil: { council: string; councilName: string; suppliers: number; amount: Pence }[];
  tiers: TierMeasure[];
}

/** Spend by council, the uncertain part of `unknown`, and each tier's split. Pure: exact pence in and out. */
export function measureGeography(suppliers: readonly Supplier[], tiers: readonly { spec: string; label?: string; terms: readonly string[] }[] = []): GeographyMeasures {
  let uncertain = 0;
  let estimated = 0;
  const councils = new Map<string, { council: string; councilName: string; suppliers: number; amount: Pence }>();
  const splits: TierMeasure[] = tiers.map((tier) => ({ label: tier.label ?? tier.spec, spec: tier.spec, terms: tier.terms, ...emptySplit() }));
  for (const supplier of suppliers) {
    if (supplier.status === 'unknown' && supplier.basis === 'DISTRICT_PARTLY_INSIDE') {
      uncertain += supplier.amount;
      estimated += Math.round(supplier.amount * (supplier.localShareEstimate ?? 0));
    }
    const code = supplier.council ?? '';
    let entry = councils.get(code);
    if (!entry) councils.set(code, (entry = { council: code, councilName: supplier.councilName ?? '', suppliers: 0, amount: 0 }));
    entry.suppliers++;
    entry.amount += supplier.amount;
    splits.forEach((split, i) => addToSplit(split, supplier.tierStatus?.[i] ?? 'unknown', supplier.amount));
  }
  splits.forEach(finishSplit);
  return {
    uncertain,
    uncertainEstimatedLocal: estimated,
    byCouncil: [...councils.values()].sort((a, b) => b.amount - a.amount || a.council.localeCompare(b.council)),
    tiers: splits,
  };
}

export interface DeprivationMeasures {
  edition: string;
  /** `lsoa` when every decile came from the supplier's LSOA, `council` when from council summaries, else `mixed`. */
  basis: 'lsoa' | 'council' | 'mixed';
  /** Spend with suppliers in the most deprived 10% / 20% of areas, and as shares of all spend. */
  decile1: Pence;
  decile1to2: Pence;
  decile1Share: number;
  decile1to2Share: number;
  /** Share of spend whose supplier has a decile (English suppliers with a located postcode). */
  coveredShare: number;
}

/** Spend with suppliers in the most deprived areas; undefined when no supplier has a decile. */
export function measureDeprivation(suppliers: readonly Supplier[], edition: string): DeprivationMeasures | undefined {
  let total = 0;
  let covered = 0;
  let decile1 = 0;
  let decile1to2 = 0;
  const bases = new Set<string>();
  for (const supplier of suppliers) {
    total += supplier.amount;
    if (supplier.imdDecile === undefined) continue;
    covered += supplier.amount;
    bases.add(supplier.deprivationBasis ?? 'council');
    if (supplier.imdDecile === 1) decile1 += supplier.amount;
    if (supplier.imdDecile <= 2) decile1to2 += supplier.amount;
  }
  if (bases.size === 0) return undefined;
  return {
    edition,
    basis: bases.size === 1 ? ([...bases][0] as 'lsoa' | 'council') : 'mixed',
    decile1,
    decile1to2,
    decile1Share: share(decile1, total),
    decile1to2Share: share(decile1to2, total),
    coveredShare: share(covered, total),
  };
}
