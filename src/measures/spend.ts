import { type CategorySpend, type Supplier, SUPPLIER_TYPE_SOURCES, type SupplierType, type SupplierTypeSource } from '../domain/supplier.js';
import { type Pence, share } from '../money.js';

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
  /** Spend with redacted and placeholder payees ("Various"): part of `unknown`, never locatable. */
  unattributable: Pence;
  /** Suppliers located outside the area, by spend: the switching opportunities. Never an unlocated one. */
  topLeaking: Supplier[];
  /** Suppliers of unknown location that could be located, by spend: the ones to find postcodes for. */
  toLocate: Supplier[];
  byCategory: ({ category: string; suppliers: number; payments: number } & StatusSplit)[];
  byType: ({ type: SupplierType | 'not known'; suppliers: number } & StatusSplit)[];
  /** How many suppliers took their type from each source, in order of precedence, and how many have none. */
  typeSources: { source: SupplierTypeSource | 'not known'; suppliers: number }[];
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
export function measureSpend(suppliers: readonly Supplier[], options: { topLeaking?: number; categories?: CategorySpend } = {}): SpendMeasures {
  const totals = emptySplit();
  const counts = { local: 0, 'non-local': 0, unknown: 0 };
  const types = new Map<string, { type: SupplierType | 'not known'; suppliers: number } & StatusSplit>();
  const typeSources = new Map<SupplierTypeSource | 'not known', number>([...SUPPLIER_TYPE_SOURCES, 'not known' as const].map((source) => [source, 0]));
  for (const supplier of suppliers) {
    addToSplit(totals, supplier.status, supplier.amount);
    // The unattributable line is money, not a supplier: it is in the totals, never in the counts.
    if (!supplier.unattributable) counts[supplier.status]++;
    const typeName = supplier.type ?? 'not known';
    let typeEntry = types.get(typeName);
    if (!typeEntry) {
      typeEntry = { type: typeName, suppliers: 0, ...emptySplit() };
      types.set(typeName, typeEntry);
    }
    if (!supplier.unattributable) {
      typeEntry.suppliers++;
      const source = supplier.typeSource ?? 'not known';
      typeSources.set(source, typeSources.get(source)! + 1);
    }
    addToSplit(typeEntry, supplier.status, supplier.amount);
  }
  const bySpend = suppliers.filter((s) => !s.unattributable).sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
  const top10 = bySpend.slice(0, 10).reduce((sum, s) => sum + s.amount, 0);
  return {
    ...finishSplit(totals),
    unknownShare: share(totals.unknown, totals.total),
    locatedShare: share(totals.local + totals.nonLocal, totals.total),
    suppliers: counts.local + counts['non-local'] + counts.unknown,
    localSuppliers: counts.local,
    nonLocalSuppliers: counts['non-local'],
    unknownSuppliers: counts.unknown,
    top10Total: top10,
    top10Share: share(top10, totals.total),
    unattributable: suppliers.reduce((sum, s) => sum + (s.unattributable ? s.amount : 0), 0),
    topLeaking: bySpend.filter((s) => s.status === 'non-local' && s.amount > 0).slice(0, options.topLeaking ?? 10),
    toLocate: bySpend.filter((s) => s.status === 'unknown' && !s.unattributable && s.amount > 0).slice(0, options.topLeaking ?? 10),
    byCategory: options.categories ? measureCategories(suppliers, options.categories) : [],
    byType: [...types.values()].map(finishSplit).sort((a, b) => b.total - a.total),
    typeSources: [...typeSources].map(([source, suppliers]) => ({ source, suppliers })),
  };
}

/** Spend by category, each split by its suppliers' status: a supplier paid under several categories counts in each. */
function measureCategories(suppliers: readonly Supplier[], spend: CategorySpend): SpendMeasures['byCategory'] {
  const byKey = new Map(suppliers.map((supplier) => [supplier.key, supplier]));
  const statusOf = spend.supplierKeys.map((key) => byKey.get(key)?.status);
  // Categories by name: '' is shown as "(no category)", and a ledger that writes that itself is the same line.
  const lines = new Map<string, { category: string; suppliers: number; payments: number } & StatusSplit>();
  const lineOf = spend.texts.map((text) => {
    const name = text === '' ? '(no category)' : text;
    let line = lines.get(name);
    if (!line) lines.set(name, (line = { category: name, suppliers: 0, payments: 0, ...emptySplit() }));
    return line;
  });
  for (let i = 0; i < spend.seqs.length; i++) {
    const status = statusOf[spend.seqs[i]!];
    // A supplier every row of which was excluded is not among the suppliers, and has no categories either.
    if (status === undefined) continue;
    const line = lineOf[spend.ids[i]!]!;
    line.suppliers++;
    line.payments += spend.payments[i]!;
    addToSplit(line, status, spend.amounts[i]!);
  }
  return [...lines.values()]
    .filter((line) => line.suppliers > 0)
    .map(finishSplit)
    .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category));
}
