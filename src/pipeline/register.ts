import { type Supplier, SupplierIndex } from '../domain/supplier.js';
import { parsePostcode } from '../geo/postcode.js';
import type { RegisterEntry, RegisterPlan, RegisterRow } from '../ingest/register.js';
import { share } from '../money.js';

/**
 * The supplier register to write back: every supplier of the ledger, the unlocated ones first, each part
 * ranked by spend, then register entries no ledger supplier matched (kept, never dropped). An entry named
 * for no one ("Various") matches no supplier: its spend is on the unattributable line, which is not located.
 * A supplier counts as located when the register overrides it or it has a usable postcode.
 */
export function planRegister(
  suppliers: readonly Supplier[],
  entries: readonly RegisterEntry[],
  /** `placed`: suppliers were placed against an area, so "located" is their status, as the coverage rule counts it. */
  options: { placed: boolean; threshold: number } = { placed: false, threshold: 0.8 },
): RegisterPlan {
  const index = new SupplierIndex<RegisterEntry>();
  for (const entry of entries) if (!entry.unattributable) index.add(entry.supplierId, entry.supplier, entry);
  const used = new Set<RegisterEntry>();
  let unattributable = 0;
  const rows: RegisterRow[] = [];
  for (const supplier of suppliers) {
    if (supplier.unattributable) {
      unattributable += supplier.amount;
      continue;
    }
    const entry = index.find(supplier.supplierId, supplier.spellings.map((s) => s.text));
    if (entry) used.add(entry);
    const kind = parsePostcode(supplier.postcode).kind;
    const located = options.placed ? supplier.status !== 'unknown' : supplier.basis === 'REGISTER_OVERRIDE' || kind === 'full' || kind === 'district';
    rows.push({ supplier, entry, located, locatedShareIfDone: undefined });
  }
  const attributable = rows.reduce((sum, r) => sum + r.supplier!.amount, 0);
  const located = rows.filter((r) => r.located).reduce((sum, r) => sum + r.supplier!.amount, 0);
  rows.sort((a, b) => Number(a.located) - Number(b.located) || b.supplier!.amount - a.supplier!.amount || a.supplier!.name.localeCompare(b.supplier!.name));
  let running = located;
  // Shares of all spend, as the coverage rule counts them: unattributable spend can never be located.
  const whole = attributable + unattributable;
  const targets = [...new Set([options.threshold, 0.8, 0.9, 0.95])].sort((a, b) => a - b);
  const toReach = targets.map((target) => ({ target, suppliers: share(located, whole) >= target ? 0 : (undefined as number | undefined) }));
  rows.forEach((row, i) => {
    if (row.located) return;
    running += row.supplier!.amount;
    row.locatedShareIfDone = share(running, whole);
    for (const t of toReach) if (t.suppliers === undefined && row.locatedShareIfDone >= t.target) t.suppliers = i + 1;
  });
  for (const entry of entries) if (!used.has(entry)) rows.push({ supplier: undefined, entry, located: false, locatedShareIfDone: undefined });
  return { rows, attributable, located, unattributable, toReach };
}
