import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpend } from '../src/ingest/spend.js';

/**
 * Real published council files, read with their columns named explicitly (--spend-column).
 * Expected totals were summed independently (Python's csv and Decimal) from the files as published.
 */
const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');
const present = existsSync(DATA);
if (!present) throw new Error(`${DATA} is absent: the tests read the shared council files from ../shared/data.`);

const cases = [
  { file: 'calderdale_2022-08_clean.csv', columns: { supplier: 'Supplier(Beneficiary) Name', amount: 'Net Amount' }, rows: 1956, total: 1_590_150_875 },
  { file: 'manchester_2022-05_clean.csv', columns: { supplier: 'Supplier Name', amount: 'Net Amount' }, rows: 3564, total: 9_740_022_710 },
  { file: 'cabinetoffice_2022-07_clean.csv', columns: { supplier: 'Supplier', amount: 'Amount' }, rows: 318, total: 4_377_652_232 },
  { file: 'harrogate_2022-08_clean.csv', columns: { supplier: 'Supplier Name', amount: 'Net Amount' }, rows: 1873, total: 538_527_074 },
  { file: 'gateshead_2022-08_clean.csv', columns: { supplier: 'Supplier ID(T)', amount: 'Amount' }, rows: 8053, total: 3_046_672_283 },
];

describe('real council files with their columns named', () => {
  for (const c of cases) {
    it(`${c.file}: every row accounted for, summed to the penny`, async () => {
      const ledger = await readSpend([join(DATA, c.file)], { columns: c.columns });
      expect(ledger.rowsRead).toBe(c.rows);
      expect(ledger.rowsAccepted + ledger.rowsRejected).toBe(ledger.rowsRead);
      expect(ledger.rowsAccepted).toBe(c.rows);
      expect(ledger.total).toBe(c.total);
      const bySupplier = [...ledger.suppliers.values()].reduce((sum, s) => sum + s.amount, 0);
      expect(bySupplier).toBe(c.total);
    });
  }
});
