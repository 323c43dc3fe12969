import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answersDisagree, firstAnswer } from '../src/ingest/stated-type.js';

/**
 * Large files are read as two halves at once (src/ingest/spend-parallel.ts). These tests force that
 * path on small files and require the result to be exactly what one pass in order gives: the same
 * suppliers, pence, counts, findings and line numbers. The worker runs compiled code, so this uses dist/
 * (npm test builds it first).
 */
const DIST = join(__dirname, '..', 'dist', 'ingest', 'spend.js');
const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');
const built = existsSync(DIST);

type ReadSpend = typeof import('../src/ingest/spend.js').readSpend;
const load = async (): Promise<ReadSpend> => ((await import(DIST)) as { readSpend: ReadSpend }).readSpend;

async function read(paths: string[], parallel: boolean, options: Parameters<ReadSpend>[1] = {}) {
  process.env.LOCAL_IMPACT_PARALLEL = parallel ? '1' : '0';
  process.env.LOCAL_IMPACT_PARALLEL_MIN_BYTES = '1';
  const ledger = await (await load())(paths, options);
  await ledger.checksums;
  readAs = ledger.files.map((f) => f.readAs);
  return {
    totals: { read: ledger.rowsRead, accepted: ledger.rowsAccepted, rejected: ledger.rowsRejected, total: ledger.total, excluded: ledger.excludedTotal },
    files: ledger.files.map(({ readAs: _, ...f }) => ({ ...f, source: { ...f.source } })),
    suppliers: [...ledger.suppliers.values()].map((s) => ({
      key: s.key,
      amount: s.amount,
      payments: s.payments,
      firstDate: s.firstDate,
      lastDate: s.lastDate,
      charityNumber: s.charityNumber,
      typeAnswers: s.typeAnswers,
      spellings: [...s.spellings.values()].map((sp) => [sp.text, sp.amount]),
      postcodes: [...s.postcodes.entries()],
    })),
    categories: [...ledger.categories.seqs].map((seq, i) => [
      ledger.categories.supplierKeys[seq],
      ledger.categories.texts[ledger.categories.ids[i]!],
      ledger.categories.amounts[i],
      ledger.categories.payments[i],
    ]),
    findings: ledger.findings.details.map((f) => [f.code, f.file, f.line, f.raw]),
    summary: ledger.findings.summary(),
  };
}

let readAs: (string | undefined)[] = [];

afterEach(() => {
  delete process.env.LOCAL_IMPACT_PARALLEL;
  delete process.env.LOCAL_IMPACT_PARALLEL_MIN_BYTES;
});

const dir = mkdtempSync(join(tmpdir(), 'local-impact-parallel-'));

function ledgerText(rows: number, middle = ''): string {
  const lines = ['Date,Supplier,Supplier ID,Category,Postcode,Amount'];
  for (let i = 0; i < rows; i++) {
    const amount = i % 97 === 0 ? 'n/a' : i % 89 === 0 ? '' : `${(i * 7919) % 100000}.${String(i % 100).padStart(2, '0')}`;
    const supplier = i % 113 === 0 ? '' : `"Supplier ${i % 37}, ${i % 5 === 0 ? 'Ltd' : 'Limited'}"`;
    lines.push(`${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/2024,${supplier},S${i % 37},Cat ${i % 6},${i % 3 ? 'HX1 1RE' : 'LS1 4DY '},${amount}`);
    if (i === Math.floor(rows / 2) && middle) lines.push(middle);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The rows `ledgerText(rows)` has rejected, in file order: [code, line], line i + 2 for row i (line 1 is the header). */
function rejections(rows: number): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i < rows; i++) {
    // A row with a bad amount and no supplier (row 0) is rejected for the amount. A dated row with a
    // blank supplier (every 113th) is a payment to no one named: accepted as unattributable, not rejected.
    if (i % 97 === 0) out.push(['AMOUNT_UNPARSEABLE', i + 2]);
    else if (i % 89 === 0) out.push(['AMOUNT_MISSING', i + 2]);
  }
  return out;
}

describe('reading a spend file in two halves at once', () => {
  beforeAll(() => {
    // Fail, not skip: a skipped file would pass CI without testing the parallel path at all.
    if (!built) throw new Error(`${DIST} is missing: the parallel reader's worker runs the compiled code in dist/. Run \`npm run build\` first (npm test does).`);
  });

  it('gives exactly the one-pass result, rejected rows and their line numbers included', async () => {
    const path = join(dir, 'plain.csv');
    writeFileSync(path, ledgerText(4000));
    const parallel = await read([path], true);
    expect(readAs).toEqual(['two halves']);
    const sequential = await read([path], false);
    expect(readAs).toEqual([undefined]);
    expect(parallel).toEqual(sequential);
    // Not a vacuous match: 86 rows rejected, 22 of them past line 3000, in the second half; the 35 dated
    // blank-payee rows with a good amount are accepted into the unattributable line (£1,853,626.90).
    expect(sequential.totals).toEqual({ read: 4000, accepted: 3914, rejected: 86, total: 19_564_972_273, excluded: 0 });
    expect(sequential.files[0]).toMatchObject({ unattributableRows: 35, unattributable: 185_362_690 });
    expect(sequential.findings.map(([code, , line]) => [code, line])).toEqual([...rejections(4000), ['SUPPLIER_UNATTRIBUTABLE', undefined]]);
  });

  it('falls back to reading in order when the split lands inside a quoted field with newlines', async () => {
    const path = join(dir, 'quoted.csv');
    // A multi-line quoted supplier name large enough that the middle of the file falls inside it.
    const long = `01/04/2024,"Long name${'\r\nline'.repeat(20000)}",S1,Cat 1,HX1 1RE,10.00`;
    writeFileSync(path, ledgerText(200, long));
    const parallel = await read([path], true);
    expect(readAs).toEqual(['two halves, finished in order']);
    const sequential = await read([path], false);
    expect(parallel).toEqual(sequential);
  });

  it('reads the second half in order once the first turns out to be Windows-1252, as one pass would decode it', async () => {
    // UTF-8 in the head the sniffer reads (256 KB), a Windows-1252 byte after it in the first half, and UTF-8 "é" in the second.
    const head = Buffer.from(ledgerText(12_000));
    const cp1252 = Buffer.from('01/04/2024,Caf\xe9 Noir,S1,Cat 1,HX1 1RE,1.00\r\n', 'latin1');
    const tail = Buffer.from(ledgerText(2000).split('\r\n').slice(1).join('\r\n').replaceAll('Supplier 3,', 'Café Rouge,'));
    const path = join(dir, 'mixed-encoding.csv');
    writeFileSync(path, Buffer.concat([head.subarray(0, head.length >> 1), cp1252, head.subarray(head.length >> 1), tail]));
    const parallel = await read([path], true);
    expect(readAs).toEqual(['two halves, finished in order']);
    const sequential = await read([path], false);
    expect(parallel).toEqual(sequential);
    // Read as Windows-1252, UTF-8's "é" is "Ã©": a payee, not a footer because it holds "©".
    expect(sequential.findings.some(([code]) => code === 'FOOTER_NOT_READ')).toBe(false);
    expect(sequential.suppliers.some((s) => s.spellings.some(([text]) => String(text).startsWith('CafÃ©')))).toBe(true);
  });

  it('treats a totals line in either half as it would in one pass (payments follow it, so reading goes on)', async () => {
    for (const at of [0.3, 0.8]) {
      const path = join(dir, `footer-${at}.csv`);
      const text = ledgerText(3000).split('\r\n');
      text.splice(Math.floor(text.length * at), 0, 'Grand Total,,,,,123456.78', ',,© Copyright Somebody,,,');
      writeFileSync(path, text.join('\r\n'));
      const parallel = await read([path], true);
      expect(readAs).toEqual(['two halves']);
      expect(parallel).toEqual(await read([path], false));
      expect(parallel.totals.read).toBe(3000);
    }
  });

  it('takes a charity number first given on a later row, and sets subtotal lines aside, the same way', async () => {
    const lines = ['Date,Supplier,Charity Number,Amount'];
    for (let i = 0; i < 3000; i++) {
      // Charity A's number appears only on its rows in the second half of the file; Charity B's only in the first.
      const charity = i % 2 === 0 ? 'Charity A' : 'Charity B';
      const number = charity === 'Charity A' ? (i > 2500 ? '1234567' : '') : i === 11 ? '7654321' : '';
      lines.push(`${String(1 + (i % 28)).padStart(2, '0')}/04/2024,${charity},${number},${(i % 50) + 1}.00`);
      if (i % 400 === 399) lines.push(',Sub Total,,999.00', `,Month ${Math.floor(i / 400) + 1} Total,,999.00`);
    }
    const path = join(dir, 'charity.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const parallel = await read([path], true);
    expect(readAs).toEqual(['two halves']);
    const sequential = await read([path], false);
    expect(parallel).toEqual(sequential);
    expect(sequential.suppliers.map((s) => [s.key, s.charityNumber])).toEqual([
      ['name:charity a', '1234567'],
      ['name:charity b', '7654321'],
    ]);
    expect(sequential.files[0]!.rowsSubtotal).toBe(14);
    expect(sequential.totals.accepted).toBe(3000);
  });

  it('takes the first SME and VCSE answers, and finds rows that disagree, across the halves as one pass does', async () => {
    const lines = ['Date,Supplier,SME Supplier?,VCSE,Amount'];
    for (let i = 0; i < 3000; i++) {
      // A answers only in the second half; B says no in the first half and yes in the second; C yes then no, both in the second.
      const supplier = ['A', 'B', 'C'][i % 3]!;
      const sme = supplier === 'A' ? (i > 2500 ? 'Yes' : '') : supplier === 'B' ? (i === 10 ? 'No' : i > 2600 ? 'Yes' : '') : i === 2702 ? 'Yes' : i > 2800 ? 'No' : '';
      const vcse = supplier === 'A' && i === 3 ? 'Y' : '';
      lines.push(`${String(1 + (i % 28)).padStart(2, '0')}/04/2024,Supplier ${supplier},${sme},${vcse},${(i % 50) + 1}.00`);
    }
    const path = join(dir, 'types.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const parallel = await read([path], true);
    expect(readAs).toEqual(['two halves']);
    const sequential = await read([path], false);
    expect(parallel).toEqual(sequential);
    expect(
      sequential.suppliers.map((s) => [s.key, firstAnswer(s.typeAnswers, 'SME'), answersDisagree(s.typeAnswers, 'SME'), firstAnswer(s.typeAnswers, 'VCSE')]),
    ).toEqual([
      ['name:supplier a', true, false, true],
      ['name:supplier b', false, true, undefined],
      ['name:supplier c', true, true, undefined],
    ]);
  });

  it('applies exclude rules the same way', async () => {
    const path = join(dir, 'exclude.csv');
    writeFileSync(path, ledgerText(3000));
    const options = { exclude: [{ category: 'Cat 2', reason: 'test' }, { pattern: 'Supplier 3\\b', reason: 'test' }] };
    const parallel = await read([path], true, options);
    expect(parallel).toEqual(await read([path], false, options));
    // 555 of the 2,936 accepted rows are in Cat 2 or paid to "Supplier 3, …": accepted, and set aside.
    // 4 of them (rows 452, 1130, 1808, 2486) are blank-payee rows in Cat 2: the category rule takes those too.
    expect(parallel.totals).toEqual({ read: 3000, accepted: 2936, rejected: 64, total: 14_684_870_666, excluded: 2_785_741_397 });
    expect(parallel.files[0]).toMatchObject({ excludedRows: 555, excluded: 2_785_741_397 });
  });

  it('gives the one-pass result on every shared council file', async () => {
    for (const file of readdirSync(DATA).filter((f) => f.endsWith('.csv'))) {
      const path = join(DATA, file);
      expect(await read([path], true), file).toEqual(await read([path], false));
    }
  });
});
