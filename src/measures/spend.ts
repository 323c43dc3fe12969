import { type Pence, share } from '../money.js';
import type { SupplierType } from '../ingest/register.js';
import type { Supplier } from './model.js';

export interface StatusSplit {
  total: Pence;
  local: Pence;
  nonLocal: Pence;
  unknown: Pence;
  localShare: number;
}

export interface SpendMeasures extends StatusSplit {
  unknownShare: number;
  /** Share of spend located (local or non-local). */
  locatedShare: number;
  suppliers: number;
  localSuppliers: number;
  nonLocalSuppliers: number;
  unknownSuppliers: number;
  /** Spend with the ten largest suppliers, and its share of spend. */
  top10Total: Pence;
  top10Share: number;
  /** Non-local and unlocated suppliers by spend: the switching opportunities. */
  topLeaking: Supplier[];
  byCategory: ({ category: string; suppliers: number; payments: number } & StatusSplit)[];
  byType: ({ type: SupplierType | 'not known'; suppliers: number } & StatusSplit)[];
}

export function emptySplit(): StatusSplit {
  return { total: 0, local: 0, nonLocal: 0, unknown: 0, localShare: 0 };
}

/** Adds spend to a split under its status. */
export function addToSplit(split: StatusSplit, status: Supplier['status'], amount: Pence): void {
  split.total += amount;
  if (status === 'local') split.local += amount;
  else if (status === 'non-local') split.nonLocal += amount;
  else split.unknown += amount;
}

/** Sets the local share once the split is complete. */
export function finishSplit<T extends StatusSplit>(split: T): T {
  split.localShare = share(split.local, split.total);
  return split;
}

/** Spend measures over located suppliers. Pure: exact pence in, exact pence out. */
export function measureSpend(suppliers: readonly Supplier[], options: { topLeaking?: number } = {}): SpendMeasures {
  const totals = emptySplit();
  const counts = { local: 0, 'non-local': 0, unknown: 0 };
  const categories = new Map<string, { category: string; suppliers: number; payments: number } & StatusSplit>();
  const types = new Map<string, { type: SupplierType | 'not known'; suppliers: number } & StatusSplit>();
  for (const supplier of suppliers) {
    addToSplit(totals, supplier.status, supplier.amount);
    counts[supplier.status]++;
    for (const line of supplier.categories) {
      const name = line.category === '' ? '(no category)' : line.category;
      let entry = categories.get(name);
      if (!entry) {
        entry = { category: name, suppliers: 0, payments: 0, ...emptySplit() };
        categories.set(name, entry);
      }
      entry.suppliers++;
      entry.payments += line.payments;
      addToSplit(entry, supplier.status, line.amount);
    }
    const typeName = supplier.type ?? 'not known';
    let typeEntry = types.get(typeName);
    if (!typeEntry) {
      typeEntry = { type: typeName, suppliers: 0, ...emptySplit() };
      types.set(typeName, typeEntry);
    }
    typeEntry.suppliers++;
    addToSplit(typeEntry, supplier.status, supplier.amount);
  }
  const bySpend = [...suppliers].sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
  const top10 = bySpend.slice(0, 10).reduce((sum, s) => sum + s.amount, 0);
  return {
    ...finishSplit(totals),
    unknownShare: share(totals.unknown, totals.total),
    locatedShare: share(totals.local + totals.nonLocal, totals.total),
    suppliers: suppliers.length,
    localSuppliers: counts.local,
    nonLocalSuppliers: counts['non-local'],
    unknownSuppliers: counts.unknown,
    top10Total: top10,
    top10Share: share(top10, totals.total),
    topLeaking: bySpend.filter((s) => s.status !== 'local' && s.amount > 0).slice(0, options.topLeaking ?? 10),
    byCategory: [...categories.values()].map(finishSplit).sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
    byType: [...types.values()].map(finishSplit).sort((a, b) => b.total - a.total),
  };
}
