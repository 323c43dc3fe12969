import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyse } from '../src/analyse.js';
import { buildProgram } from '../src/cli/main.js';
import { resolveSettings } from '../src/config/settings.js';
import { normaliseSupplierName } from '../src/domain/supplier.js';
import { isUnattributable, readSpend } from '../src/ingest/spend.js';

describe('supplier names, normalised for grouping', () => {
  it.each([
    ['Smith & Sons Ltd', 'SMITH AND SONS LIMITED'],
    ['The Smith and Sons Ltd.', 'smith & sons ltd'],
    ['*SMITH & SONS LTD', 'Smith  &  Sons,  Limited'],
    ["O'Brien's Cafe", 'OBRIENS CAFE'],
    ['Acme Plc', 'ACME P.L.C.'],
  ])('"%s" groups with "%s"', (a, b) => {
    expect(normaliseSupplierName(a)).toBe(normaliseSupplierName(b));
  });

  it.each([
    ['Theatre Royal Ltd', 'Atre Royal Ltd'], // "the" only as a whole leading word
    ['Andover Ltd', 'Over Ltd'], // "and" inside a word is not "&"
    ['Smith & Sons Ltd', 'Smith Ltd'],
    ['Total Gas & Power Ltd', 'Gas & Power Ltd'],
    ['ABC Ltd', 'ABC LLP'],
  ])('"%s" stays apart from "%s"', (a, b) => {
    expect(normaliseSupplierName(a)).not.toBe(normaliseSupplierName(b));
  });

  it('knows redacted payees, and not suppliers that merely sound like them', () => {
    for (const name of ['REDACTED PERSONAL DATA', 'Redacted Personal Information', 'REDACTED - Personal Information', 'REDACTED – PERSONAL DATA', 'Redacted']) {
      expect(isUnattributable(name)).toBe(true);
    }
    for (const name of ['REDACTIVE PUBLISHING LIMITED', 'GED LAING PERSONAL SAFETY TRAINING', 'Personal Budgets Team Ltd']) expect(isUnattributable(name)).toBe(false);
  });

  describe('in a ledger', () => {
    const dir = mkdtempSync(join(tmpdir(), 'li-names-'));
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('groups spellings of one supplier, and lists them', async () => {
      const path = write('spellings.csv', 'Supplier,Amount\nSmith & Sons Ltd,10.00\nSMITH AND SONS LIMITED,5.00\n*The Smith & Sons Ltd,1.00\nSmith Ltd,2.00\n');
      const ledger = await readSpend([path]);
      expect(ledger.suppliers.size).toBe(2);
      const smith = ledger.suppliers.get(`name:${normaliseSupplierName('Smith & Sons Ltd')}`)!;
      expect(smith.amount).toBe(1600);
      expect([...smith.spellings.keys()]).toEqual(['Smith & Sons Ltd', 'SMITH AND SONS LIMITED', '*The Smith & Sons Ltd']);
    });

    it('never merges two supplier ids, however alike the names', async () => {
      const path = write('ids.csv', 'Supplier,Supplier ID,Amount\nSmith & Sons Ltd,S1,10.00\nSMITH AND SONS LIMITED,S2,5.00\nSmith and Sons Limited,S1,1.00\n');
      const ledger = await readSpend([path]);
      expect([...ledger.suppliers.values()].map((s) => [s.key, s.amount])).toEqual([['id:S1', 1100], ['id:S2', 500]]);
    });

    it('never merges two company numbers, however alike the names', async () => {
      const path = write('companies.csv', 'Supplier,Company Number,Amount\nABC Ltd,01234567,10.00\nABC Limited,07654321,5.00\nabc ltd,01234567,1.00\n');
      const ledger = await readSpend([path]);
      expect([...ledger.suppliers.values()].map((s) => [s.companyNumber, s.amount])).toEqual([['01234567', 1100], ['07654321', 500]]);
    });

    it('puts every redacted payee on one unattributable line, counted in the total', async () => {
      const path = write('redacted.csv', 'Supplier,Amount\nREDACTED PERSONAL DATA,10.00\nRedacted Personal Information,5.00\nAcme Ltd,1.00\n');
      const ledger = await readSpend([path]);
      expect(ledger.total).toBe(1600);
      expect(ledger.suppliers.get('unattributable')!.amount).toBe(1500);
      expect(ledger.findings.count('SUPPLIER_UNATTRIBUTABLE')).toBe(1);
    });
  });
});

const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');

describe.skipIf(!existsSync(DATA))('the supplier register round trip (suppliers --out, fill in, run again)', () => {
  const spend = join(DATA, 'calderdale_2022-08_clean.csv');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'li-register-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  const cli = (...args: string[]) => buildProgram().parseAsync(['node', 'local-impact', 'suppliers', ...args]);
  const readCsv = (path: string) =>
    readFileSync(path, 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');

  it('writes every supplier, unlocated first by spend, then moves exactly the filled-in spend out of unknown', async () => {
    const register = join(dir, 'register.csv');
    await cli('--spend', spend, '--area', 'HX', '--out', register);
    const lines = readCsv(register);
    expect(lines[0]).toBe(
      'Supplier,Supplier ID,Company Number,Charity Number,Postcode,Local,Reason,Type,Sector,Status,Spend,Payments,Share of spend,Located share if located down to here,Other spellings',
    );
    expect(lines).toHaveLength(1 + 431);
    expect(lines[2]).toMatch(/^John Sisk & Son \(Holdings\) Ltd,S371170,,,,,,,,unknown,1223560\.55,1,7\.69%,20\.17%,$/);

    const before = await analyse(resolveSettings(undefined, undefined, { spend: [spend], area: 'HX' }));
    // The user fills in a local postcode for John Sisk, an override for Calder High School, and a column of their own.
    const filled = lines.map((line, i) => {
      if (i === 0) return line.replace('Sector,', 'Sector,Contact,');
      const cells = line.split(',');
      if (line.startsWith('John Sisk')) cells[4] = 'HX1 1AA';
      if (line.startsWith('Calder High School')) [cells[5], cells[6]] = ['no', 'checked by phone'];
      cells.splice(9, 0, i === 2 ? 'Jo at Sisk' : '');
      return cells.join(',');
    });
    writeFileSync(register, `${filled.join('\r\n')}\r\n`);

    const after = await analyse(resolveSettings(undefined, undefined, { spend: [spend], area: 'HX', suppliers: register }));
    expect(after.spend!.total).toBe(before.spend!.total);
    expect(after.spend!.local - before.spend!.local).toBe(122_356_055);
    expect(after.spend!.nonLocal - before.spend!.nonLocal).toBe(64_260_600);
    expect(before.spend!.unknown - after.spend!.unknown).toBe(122_356_055 + 64_260_600);

    // Running again over the filled-in register keeps what the user wrote, and moves those rows below the unlocated.
    await cli('--spend', spend, '--area', 'HX', '--suppliers', register, '--out', register);
    const again = readCsv(register);
    expect(again[0]).toContain('Sector,Contact,Status');
    expect(again.find((l) => l.startsWith('John Sisk'))).toMatch(/^John Sisk & Son \(Holdings\) Ltd,S371170,,,HX1 1AA,,,,,Jo at Sisk,local,1223560\.55,/);
    expect(again.find((l) => l.startsWith('Calder High School'))).toMatch(/^Calder High School,S693,,,,no,checked by phone,,,,non-local,/);
    expect(again.findIndex((l) => l.startsWith('John Sisk'))).toBeGreaterThan(429 - 2);
    expect(again).toHaveLength(1 + 431);
  });

  it('refuses to overwrite a file that is not the register being updated', async () => {
    const out = join(dir, 'other.csv');
    writeFileSync(out, 'keep me');
    await expect(cli('--spend', spend, '--out', out)).rejects.toThrow(/already exists/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });
});
