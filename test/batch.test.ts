import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchFile, type BatchRun, recordsOf, runBatch, slugs } from '../src/batch/run-batch.js';
import { readManifest } from '../src/batch/manifest.js';
import { lm3Of } from '../src/report/batch-workbook/index.js';
import { readYear } from '../src/compare/load.js';
import { cli, FIXTURE } from './cli-helper.js';
import { rowOf, sheet } from './workbook-helper.js';
import { parts } from './zip-parts.js';

/**
 * `local-impact batch` from the sources: the pool then runs each organisation in this thread, through the
 * same per-organisation function as `run` (the bundled pool of threads is tested in batch-councils.test.ts).
 */
let dir: string;
const batchFileAt = (out: string): BatchFile => JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8'));
const batchJson = (out: string): BatchRun => {
  const file = batchFileAt(out);
  return { ...file, organisations: recordsOf(file) };
};
const byName = (batch: BatchRun, slug: string) => batch.organisations.find((record) => record.slug === slug)!;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-batch-'));
  cpSync(FIXTURE, join(dir, 'cvt'), { recursive: true });
  // A second organisation: the bundled one's payments, split into a folder of "monthly" files.
  const lines = readFileSync(join(FIXTURE, 'payments-2024-25.csv'), 'utf8').split(/\r?\n/).filter((line) => line !== '');
  const [header, ...rows] = lines;
  const half = Math.floor(rows.length / 2);
  // Not its tables either: the fixture's framework questionnaire (.xlsx) in a spend folder is read as a ledger.
  cpSync(FIXTURE, join(dir, 'split'), { recursive: true, filter: (path) => !/\.(csv|xlsx)$/.test(path) });
  writeFileSync(join(dir, 'split', 'a-first.csv'), [header, ...rows.slice(0, half)].join('\n') + '\n');
  writeFileSync(join(dir, 'split', 'b-second.csv'), [header, ...rows.slice(half)].join('\n') + '\n');
  writeFileSync(join(dir, 'split', '.hidden.csv'), 'Supplier,Amount\nShould not be read,999999\n');
  writeFileSync(join(dir, 'outside.csv'), readFileSync(join(FIXTURE, 'payments-2024-25.csv')));
  cpSync(join(FIXTURE), join(dir, 'inner'), { recursive: true });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV = [
  'organisation,project,spend,payroll,suppliers,area,income,period',
  'Calder Valley Community Trust,cvt/project.json,,,,,,',
  'Calder Valley at 900k,cvt/project.json,,,,,900000,',
  'Split ledger,,split,cvt/payroll-2024-25.csv,cvt/supplier-register.csv,"HX,OL14",1250000,2024-25',
].join('\n');

describe('batch manifests', () => {
  it('reads a CSV manifest and a JSON manifest to the same entries', async () => {
    writeFileSync(join(dir, 'm.csv'), CSV);
    writeFileSync(
      join(dir, 'm.json'),
      JSON.stringify({
        organisations: [
          { organisation: 'Calder Valley Community Trust', project: 'cvt/project.json' },
          { organisation: 'Calder Valley at 900k', project: 'cvt/project.json', income: 900000 },
          { organisation: 'Split ledger', spend: 'split', payroll: 'cvt/payroll-2024-25.csv', suppliers: 'cvt/supplier-register.csv', area: 'HX,OL14', income: 1250000, period: '2024-25' },
        ],
      }),
    );
    const csv = await readManifest(join(dir, 'm.csv'));
    const json = await readManifest(join(dir, 'm.json'));
    expect(csv.entries.map((e) => e.entry)).toEqual(json.entries.map((e) => e.entry));
    expect(csv.entries[2]!.entry).toMatchObject({ spend: ['split'], income: 1250000, area: 'HX,OL14' });
  });

  it('fails a bad row alone, with its line, and refuses a manifest with an unknown column', async () => {
    writeFileSync(join(dir, 'bad-row.csv'), 'organisation,spend,income\nGood,cvt/payments-2024-25.csv,\n,cvt/payments-2024-25.csv,\nBad income,cvt/payments-2024-25.csv,lots\n');
    const manifest = await readManifest(join(dir, 'bad-row.csv'));
    expect(manifest.entries.map((e) => e.problem === undefined)).toEqual([true, false, false]);
    expect(manifest.entries[2]!.problem).toMatch(/^line 4: income "lots"/);
    writeFileSync(join(dir, 'bad-column.csv'), 'organisation,spending\nA,x.csv\n');
    await expect(readManifest(join(dir, 'bad-column.csv'))).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('publishes the JSON manifest schema', async () => {
    const { code, stdout } = await cli('schema', '--manifest');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'suppliers', 'organisations']);
    expect(Object.keys(schema.properties.organisations.items.properties)).toEqual(expect.arrayContaining(['organisation', 'project', 'spend', 'payroll', 'suppliers', 'area', 'income', 'period']));
  });

  it('gives each organisation a unique slug', () => {
    expect(slugs(['Calder Valley Trust', 'Calder Valley Trust', 'Batch', 'Ørsted & Co', ''])).toEqual(['calder-valley-trust', 'calder-valley-trust-2', 'batch-2', 'rsted-and-co', 'organisation']);
  });
});

describe('local-impact batch', () => {
  let out: string;
  let first: BatchRun;

  beforeAll(async () => {
    out = join(dir, 'out');
    const { code, stderr } = await cli('batch', join(dir, 'm.csv'), '--out', out, '--jobs', '2');
    expect(stderr).not.toMatch(/failed/);
    expect(code).toBe(0);
    first = batchJson(out);
  });

  it('measures each organisation exactly as run does', async () => {
    const { stdout } = await cli('run', join(FIXTURE, 'project.json'), '--json', '--no-report');
    const own = JSON.parse(stdout);
    const batched = byName(first, 'calder-valley-community-trust').summary!;
    // Everything but where the report and statement went (and, in a summary that has it, when): the same figures, findings and disclosure.
    expect({ ...batched, report: null, statement: null, generatedAt: null }).toEqual({ ...own, report: null, statement: null, generatedAt: null });
    expect(batched.report).toBe(relative(process.cwd(), join(out, 'calder-valley-community-trust.xlsx')));
    expect(batched.statement).toBe(relative(process.cwd(), join(out, 'calder-valley-community-trust.html')));
    expect(batched.spend!.total).toBe(470_722.58);
    expect(batched.lm3!.score).toBe(1.9921);
    // batch.json holds it as the summary itself (what compare --organisation reads), with the batch's own under `batch`.
    const { batch, ...entry } = batchFileAt(out).organisations[0]!;
    expect(entry).toEqual(batched);
    expect(batch).toMatchObject({ slug: 'calder-valley-community-trust', status: 'done', error: null });
  });

  it('lets a row override its project file', () => {
    const overridden = byName(first, 'calder-valley-at-900k').summary!;
    expect(overridden.organisation).toBe('Calder Valley at 900k');
    expect(overridden.lm3!.round1).toBe(900_000);
    // The rest is the project file's: its register, surveys and area.
    expect(overridden.spend!.local).toBe(byName(first, 'calder-valley-community-trust').summary!.spend!.local);
  });

  it('reads a folder of spend files, not its hidden files', () => {
    const split = byName(first, 'split-ledger').summary!;
    expect(split.spend!.rowsRead).toBe(534);
    expect(split.spend!.total).toBe(470_722.58);
  });

  it('is read back by compare --organisation as the summary run --json prints', async () => {
    const slug = 'calder-valley-community-trust';
    expect(await readYear(join(out, 'batch.json'), { organisation: 'Calder Valley Community Trust' })).toEqual(JSON.parse(readFileSync(join(out, `${slug}.json`), 'utf8')));
    const { code, stdout } = await cli('compare', join(out, 'batch.json'), join(FIXTURE, 'project.json'), '--organisation', 'Calder Valley Community Trust', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).measures.find((m: { measure: string }) => m.measure === 'spend').change).toBe(0);
  });

  it('writes each organisation\'s workbook and statement under its slug', () => {
    for (const record of first.organisations) {
      expect(readFileSync(join(out, `${record.slug}.xlsx`)).subarray(0, 2).toString()).toBe('PK');
      expect(readFileSync(join(out, `${record.slug}.html`), 'utf8')).toMatch(/^<!DOCTYPE html>/);
      // Its whole summary as <slug>.json, which batch.json is made from one organisation at a time.
      const { batch: _, ...entry } = batchFileAt(out).organisations.find((o) => o.batch.slug === record.slug)! as Record<string, unknown> & { batch: unknown };
      expect(JSON.parse(readFileSync(join(out, `${record.slug}.json`), 'utf8'))).toEqual(entry);
      expect((entry as { suppliers: unknown[] }).suppliers.length).toBeGreaterThan(50);
    }
  });

  it('puts each organisation\'s own figures in the combined workbook, with ranks among the supported', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'batch.xlsx'));
    const ws = sheet(book, 'Organisations');
    const header = rowOf(ws, 'Organisation');
    const col = (name: string) => (header.values as unknown[]).indexOf(name);
    for (const record of first.organisations) {
      const row = rowOf(ws, record.summary!.organisation);
      const s = record.summary!;
      expect(row.getCell(col('Spend analysed')).value).toBe(s.spend!.total);
      expect(row.getCell(col('Local')).value).toBe(s.spend!.local);
      expect(row.getCell(col('Location unknown')).value).toBe(s.spend!.unknown);
      expect(row.getCell(col('Local share')).value).toBe(s.spend!.localShare);
      expect(row.getCell(col('LM3')).value).toBe(s.lm3!.score);
    }
    // LM3 at £900,000 of income is higher than at £1,250,000; the split ledger equals the trust's without surveys.
    const rank = (name: string) => rowOf(ws, name).getCell(col('Rank by LM3')).value;
    expect([rank('Calder Valley at 900k'), rank('Calder Valley Community Trust'), rank('Split ledger')]).toEqual([1, 2, 3]);
    expect(sheet(book, 'Charts').getCell('A1').text).toBe('The organisations compared');
    // Three native charts; the LM3 bars start at 1 (LM3's least) and the local shares at 0, never zoomed in.
    const charts = [...(await parts(readFileSync(join(out, 'batch.xlsx')))).entries()].filter(([name]) => /charts\/chart\d+\.xml$/.test(name)).map(([, xml]) => xml);
    expect(charts).toHaveLength(3);
    expect(charts.find((xml) => xml.includes('LM3, where it is a finding'))).toContain('<c:min val="1"/>');
    expect(charts.find((xml) => xml.includes('Local share of spend, where it is a finding'))).toContain('<c:min val="0"/>');
    expect(sheet(book, 'Failures').getCell('A1').text).toBe('No organisation failed');
  });

  it('skips organisations whose inputs, settings and tool version are unchanged, unless --force', async () => {
    const again = await runBatch(join(dir, 'm.csv'), { out, jobs: 2, strict: false, allow: [], force: false });
    expect(again.organisations.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // Unchanged keeps the summary: the combined workbook still has every organisation.
    expect(again.organisations.map((r) => r.summary?.spend?.total)).toEqual(first.organisations.map((r) => r.summary?.spend?.total));
    const forced = await runBatch(join(dir, 'm.csv'), { out, jobs: 2, strict: false, allow: [], force: true });
    expect(forced.organisations.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });

  it('measures again an organisation whose setting or input changed, and all of them under a new tool version', async () => {
    writeFileSync(join(dir, 'm.csv'), CSV.replace('Calder Valley at 900k,cvt/project.json,,,,,900000,', 'Calder Valley at 900k,cvt/project.json,,,,,950000,'));
    const changed = await runBatch(join(dir, 'm.csv'), { out, jobs: 2, strict: false, allow: [], force: false });
    expect(changed.organisations.map((r) => r.status)).toEqual(['unchanged', 'done', 'unchanged']);
    expect(byName(changed, 'calder-valley-at-900k').summary!.lm3!.round1).toBe(950_000);

    writeFileSync(join(dir, 'split', 'b-second.csv'), readFileSync(join(dir, 'split', 'b-second.csv'), 'utf8') + 'Late Supplier Ltd,S9999,HX1 1AA,Other,10.00,2025-01-01,T9999\n');
    const edited = await runBatch(join(dir, 'm.csv'), { out, jobs: 2, strict: false, allow: [], force: false });
    expect(edited.organisations.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'done']);

    const upgraded = await runBatch(join(dir, 'm.csv'), { out, jobs: 2, strict: false, allow: [], force: false, toolVersion: '99.0.0' });
    expect(upgraded.organisations.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('batch isolation and confinement', () => {
  it('fails an organisation whose path leaves the manifest folder, and only that one; exit 1 with the failures last', async () => {
    const manifest = join(dir, 'inner', 'm.csv');
    writeFileSync(
      manifest,
      ['organisation,spend,area', 'Inside,payments-2024-25.csv,"HX,OL14"', 'Outside,../outside.csv,"HX,OL14"', 'Missing,no-such.csv,"HX,OL14"', 'Unknown area,payments-2024-25.csv,Atlantis'].join('\n'),
    );
    symlinkSync(join(dir, 'outside.csv'), join(dir, 'inner', 'link.csv'));
    writeFileSync(manifest, `${readFileSync(manifest, 'utf8')}\nThrough a symlink,link.csv,"HX,OL14"\n`);
    const out = join(dir, 'out-isolation');
    const { code, stdout, stderr } = await cli('batch', manifest, '--out', out);
    expect(code).toBe(1);
    const batch = batchJson(out);
    expect(batch.organisations.map((r) => [r.slug, r.status, r.error?.code ?? null])).toEqual([
      ['inside', 'done', null],
      ['outside', 'failed', 'PATH_OUTSIDE_INPUTS'],
      ['missing', 'failed', 'FILE_UNREADABLE'],
      ['unknown-area', 'failed', expect.any(String)],
      ['through-a-symlink', 'failed', 'PATH_OUTSIDE_INPUTS'],
    ]);
    expect(byName(batch, 'inside').summary!.spend!.total).toBe(470_722.58);
    expect(stdout).toMatch(/^5 organisations: 1 measured, 0 unchanged, 4 failed/);
    // The failures are the last thing said, before the exit status's one line.
    const tail = stderr.slice(stderr.lastIndexOf('Failed (4):'));
    expect(tail).toMatch(/^Failed \(4\):\n {2}Outside \(outside\): PATH_OUTSIDE_INPUTS\n/);
    expect(tail.trimEnd().split('\n').at(-1)).toBe('local-impact: 4 of 5 organisations failed (listed above); the others were measured.');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'batch.xlsx'));
    expect(sheet(book, 'Failures').getCell('A1').text).toBe('4 of 5 organisations failed');
    expect(rowOf(sheet(book, 'Failures'), 'Outside').getCell(2).text).toBe('PATH_OUTSIDE_INPUTS');

    // --inputs-root allows the folder above: the same manifest then reads them.
    const wider = await runBatch(manifest, { out: join(dir, 'out-wider'), inputsRoot: dir, jobs: 1, strict: false, allow: [], force: false });
    expect(wider.organisations.map((r) => r.status)).toEqual(['done', 'done', 'failed', 'failed', 'done']);
  });

  it('holds a project file\'s own inputs to the manifest\'s folder too', async () => {
    writeFileSync(join(dir, 'inner', 'escape.json'), JSON.stringify({ area: 'HX', inputs: { spend: ['../outside.csv'] } }));
    writeFileSync(join(dir, 'inner', 'escape.csv'), 'organisation,project\nEscaping project,escape.json\n');
    const batch = await runBatch(join(dir, 'inner', 'escape.csv'), { out: join(dir, 'out-escape'), jobs: 1, strict: false, allow: [], force: false });
    expect(batch.organisations[0]!.error?.code).toBe('PATH_OUTSIDE_INPUTS');
  });

  it('never writes a report over a file it reads, and fingerprints a folder of returns and the step-9 tables', async () => {
    // --out is the inputs' own folder, and the organisation's slug is its spend file's name.
    const own = join(dir, 'own');
    cpSync(FIXTURE, own, { recursive: true });
    cpSync(join(own, 'framework-questionnaire.xlsx'), join(own, 'trust.xlsx'));
    writeFileSync(join(own, 'm.csv'), 'organisation,spend,area\nTrust,trust.xlsx,"HX,OL14"\n');
    const before = readFileSync(join(own, 'trust.xlsx'));
    const clash = await runBatch(join(own, 'm.csv'), { out: own, jobs: 1, strict: false, allow: [], force: false });
    expect(clash.organisations[0]!.error?.code).toBe('OUTPUT_IS_INPUT');
    expect(readFileSync(join(own, 'trust.xlsx')).equals(before)).toBe(true);

    // The project file reads a folder of staff returns and the tenants table: a changed return or tenant reruns it.
    writeFileSync(join(own, 'returns.csv'), 'organisation,project\nWith returns,project.json\n');
    const project = JSON.parse(readFileSync(join(own, 'project.json'), 'utf8'));
    cpSync(join(own, 'staff-survey.csv'), join(own, 'staff-returns', 'all.csv'));
    writeFileSync(join(own, 'project.json'), JSON.stringify({ ...project, inputs: { ...project.inputs, staffSurvey: 'staff-returns' } }));
    const options = { out: join(own, 'reports'), jobs: 1, strict: false, allow: [], force: false };
    const status = async () => (await runBatch(join(own, 'returns.csv'), options)).organisations[0]!.status;
    expect(await status()).toBe('done');
    expect(await status()).toBe('unchanged');
    writeFileSync(join(own, 'staff-returns', 'all.csv'), `${readFileSync(join(own, 'staff-survey.csv'), 'utf8')}R99,40\n`);
    expect(await status()).toBe('done');
    writeFileSync(join(own, 'tenants.csv'), `${readFileSync(join(own, 'tenants.csv'), 'utf8').trimEnd()}\n`);
    expect(await status()).toBe('unchanged');
    writeFileSync(join(own, 'tenants.csv'), readFileSync(join(own, 'tenants.csv'), 'utf8').replace(/\n(?=[^\n]*$)/, '\n').replace(/,(\d+),/, (_, n) => `,${Number(n) + 1},`));
    expect(await status()).toBe('done');
  });

  it('applies --strict to each organisation alone', async () => {
    // The whole project spends beyond its income, accepted knowingly; payments alone also leave Round 3 untraced (ROUND3_NONE).
    writeFileSync(join(dir, 'inner', 'strict.csv'), 'organisation,project,spend,area\nWhole,project.json,,\nPayments only,,payments-2024-25.csv,"HX,OL14"\n');
    const batch = await runBatch(join(dir, 'inner', 'strict.csv'), { out: join(dir, 'out-strict'), jobs: 2, strict: true, allow: ['SPENT_BEYOND_INCOME'], force: false });
    expect(batch.organisations.map((r) => [r.status, r.error?.code ?? null])).toEqual([['done', null], ['failed', 'STRICT']]);
  });

  it('shares a manifest-level supplier register, which a row\'s own overrides', async () => {
    writeFileSync(
      join(dir, 'inner', 'shared.json'),
      JSON.stringify({
        suppliers: 'supplier-register.csv',
        organisations: [
          { organisation: 'Shared register', spend: 'payments-2024-25.csv', area: 'HX,OL14' },
          { organisation: 'No register', spend: 'payments-2024-25.csv', area: 'HX,OL14', suppliers: 'empty-register.csv' },
        ],
      }),
    );
    writeFileSync(join(dir, 'inner', 'empty-register.csv'), 'Supplier,Postcode\nNobody Ltd,HX1 1AA\n');
    const batch = await runBatch(join(dir, 'inner', 'shared.json'), { out: join(dir, 'out-shared'), jobs: 2, strict: false, allow: [], force: false });
    const { stdout } = await cli('run', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--suppliers', join(FIXTURE, 'supplier-register.csv'), '--area', 'HX,OL14', '--json', '--no-report');
    expect(batch.organisations[0]!.summary!.spend!.local).toBe(JSON.parse(stdout).spend.local);
    expect(batch.organisations[1]!.summary!.spend!.local).toBeLessThan(batch.organisations[0]!.summary!.spend!.local);

    // The manifest's register is held to its folder; one given on the command line is the user's own choice.
    writeFileSync(join(dir, 'inner', 'shared-outside.json'), JSON.stringify({ suppliers: '../outside.csv', organisations: [{ organisation: 'A', spend: 'payments-2024-25.csv', area: 'HX,OL14' }] }));
    const outside = await runBatch(join(dir, 'inner', 'shared-outside.json'), { out: join(dir, 'out-shared-2'), jobs: 1, strict: false, allow: [], force: false });
    expect(outside.organisations[0]!.error?.code).toBe('PATH_OUTSIDE_INPUTS');
    const flag = await runBatch(join(dir, 'inner', 'shared-outside.json'), { out: join(dir, 'out-shared-3'), suppliers: join(FIXTURE, 'supplier-register.csv'), jobs: 1, strict: false, allow: [], force: false });
    expect(flag.organisations[0]!.summary!.spend!.local).toBe(batch.organisations[0]!.summary!.spend!.local);
  });
});

describe('the README\'s For consultants section', () => {
  it('runs its manifest as written, to the combined workbook it describes', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## For consultants'));
    const manifest = /```csv\n([\s\S]*?)```/.exec(section)![1]!;
    const shown = /```\n(done[\s\S]*?)```/.exec(section)![1]!.trimEnd().split('\n');
    const root = mkdtempSync(join(tmpdir(), 'local-impact-readme-batch-'));
    try {
      cpSync(FIXTURE, join(root, 'fixtures', 'calder-valley-trust'), { recursive: true });
      writeFileSync(join(root, 'clients.csv'), manifest);
      const { code, stdout, stderr } = await cli('batch', join(root, 'clients.csv'), '--out', join(root, 'clients-report'));
      expect(code).toBe(0);
      // The same organisations, rows and totals (times differ), and the same summary's shape.
      const strip = (line: string) => line.replace(/\(\d+\.\d s\)/, '(… s)').replace(/\d+\.\d s\)\.$/, '… s).');
      expect(stderr.trimEnd().split('\n').map(strip).sort()).toEqual(shown.filter((line) => line.startsWith('done')).map(strip).sort());
      expect(stdout.trimEnd().split('\n')[0]!.replace(/\d+\.\d s/, '… s')).toBe(shown.find((line) => line.startsWith('3 organisations'))!.replace(/\d+\.\d s/, '… s'));
      const batch = batchJson(join(root, 'clients-report'));
      expect(batch.organisations.map((r) => r.slug)).toEqual(['calder-valley-community-trust', 'calder-valley-at-900k', 'trust-payments-only']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the combined workbook', () => {
  it('gives an LM3 range to the places the disclosure stage published it to', () => {
    const record = (rounded: { figure: string; step: number }[]) =>
      ({ organisation: 'Small', slug: 'small', status: 'done', summary: { lm3: { score: 1.3, scoreLow: 1.3, scoreHigh: 1.4, supported: true, reasons: [] }, rounded } }) as unknown as BatchRun['organisations'][number];
    // Published to 1 place to keep pay private: "1.30–1.40" would claim a precision the report withheld.
    expect(lm3Of(record([{ figure: 'lm3.score', step: 0.1 }]))!.range).toBe('1.3–1.4');
    expect(lm3Of(record([]))!.range).toBe('1.30–1.40');
  });
});
