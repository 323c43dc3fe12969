import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchFile, recordsOf } from '../src/batch/run-batch.js';
import { rowOf, sheet } from './workbook-helper.js';

const exec = promisify(execFile);

/**
 * Councils as organisations: the 13 shared published spend files, each one organisation with its own council
 * as local, batched by the executable (the bundle, with its pool of worker threads) as a consultant would, and
 * each total checked to the penny against `run` on the same file and against the independent totals of
 * council-files.test.ts. One deliberately broken entry fails alone.
 */
const SHARED = resolve('..', 'shared');
const DATA = join(SHARED, 'data', 'council-spend');
const GEO = join(SHARED, 'data', 'uk-geo');
if (!existsSync(DATA)) throw new Error(`${DATA} is absent: the tests read the shared council files from ../shared/data.`);

/** File, the council taken as local, and the accepted total in pence that council-files.test.ts holds (Python's Decimal). */
const COUNCILS: [file: string, area: string, total: number][] = [
  ['cabinetoffice_2022-07_clean.csv', 'Westminster', 4_377_652_232],
  ['calderdale_2022-08_clean.csv', 'Calderdale', 1_590_150_875],
  ['darlington_2022-09_clean.csv', 'Darlington', 1_128_165_447],
  ['gateshead_2022-08_clean.csv', 'Gateshead', 3_046_672_283],
  ['harrogate_2022-08_clean.csv', 'Harrogate', 538_527_074],
  ['isleofwight_2014-01_raw_cp1252.csv', 'Isle of Wight', 1_327_722_645],
  ['lambeth_2012-06_raw_with_preamble.csv', 'Lambeth', 3_977_594_053],
  ['leeds_2020-06_raw_cp1252.csv', 'Leeds', 10_444_572_745],
  ['manchester_2022-05_clean.csv', 'Manchester', 9_740_022_710],
  ['networkrail_2021-04_clean.csv', 'Milton Keynes', 41_047_606_355],
  ['newcastle_2022-08_clean.csv', 'Newcastle upon Tyne', 4_801_302_497],
  ['salford_contracts_register_2022-07_with_supplier_postcodes.csv', 'Salford', 20_851_595_129],
  ['wakefield_2021-Q4_clean.csv', 'Wakefield', 72_349_826],
];

let dir: string;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  exec(process.execPath, ['bin/local-impact.js', ...args], { env, maxBuffer: 64 * 1024 * 1024 }).then(
    (done) => ({ code: 0, ...done }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

beforeAll(async () => {
  if (!existsSync('dist/bundle/batch-worker.js')) throw new Error('Run `npm run build` first: this test runs the bundled executable.');
  dir = mkdtempSync(join(tmpdir(), 'local-impact-batch-councils-'));
  env = { ...process.env, LOCAL_IMPACT_HOME: join(dir, 'home'), FORCE_COLOR: undefined };
  const imported = await exec(process.execPath, ['bin/local-impact.js', 'geo', 'import', join(GEO, 'nspl_style_gb.csv.gz'), '--lad-names', join(GEO, 'lad.csv')], { env });
  expect(imported.stderr).toBe('');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('councils as organisations', () => {
  it('batches the 13 council files, each with its own council as local, every total to the penny as run gives it; a broken entry fails alone; a re-run skips them until the reference data changes', async () => {
    const rows = COUNCILS.map(([file, area]) => `"${file.replace(/_.*/, '')}",${join(DATA, file)},"${area}"`);
    // The broken one: a real CSV of the shared data that is not a spend file (no supplier, no amount).
    rows.splice(5, 0, `Broken entry,${join(GEO, 'lad.csv')},Calderdale`);
    const manifest = join(dir, 'councils.csv');
    writeFileSync(manifest, ['organisation,spend,area', ...rows].join('\n'));
    const out = join(dir, 'out');
    const result = await cli('batch', manifest, '--out', out, '--inputs-root', '../shared', '--jobs', '2');
    expect(result.code).toBe(1);
    const file: BatchFile = JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8'));
    const batch = { ...file, organisations: recordsOf(file) };
    expect(batch.counts).toEqual({ organisations: 14, done: 13, unchanged: 0, failed: 1 });
    const broken = batch.organisations.find((r) => r.status === 'failed')!;
    expect([broken.organisation, broken.error!.code]).toEqual(['Broken entry', 'COLUMN_MISSING']);
    // Not a terminal: one plain line per organisation, then the failures, last.
    expect(result.stderr.split('\n').filter((line) => /^(done|failed) /.test(line))).toHaveLength(14);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('local-impact: 1 of 14 organisations failed (listed above); the others were measured.');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'batch.xlsx'));
    const organisations = sheet(book, 'Organisations');
    const header = rowOf(organisations, 'Organisation').values as unknown[];
    for (const [file, area, total] of COUNCILS) {
      const name = file.replace(/_.*/, '');
      const record = batch.organisations.find((r) => r.organisation === name)!;
      expect(record.status).toBe('done');
      const own = await cli('run', '--spend', join(DATA, file), '--area', area, '--json', '--no-report');
      const run = JSON.parse(own.stdout);
      expect(record.summary!.spend!.total).toBe(run.spend.total);
      expect(record.summary!.spend!.local).toBe(run.spend.local);
      expect(record.summary!.area).toEqual(run.area);
      // The independent totals (accepted payments, Python's Decimal).
      expect(Math.round(run.spend.total * 100) + Math.round(run.spend.excluded * 100)).toBe(total);
      expect(rowOf(organisations, name).getCell(header.indexOf('Spend analysed')).value).toBe(run.spend.total);
    }
    // Without supplier postcodes a council's spend is not located: its local share is a range, never ranked.
    const calderdale = rowOf(organisations, 'calderdale');
    expect(calderdale.getCell(header.indexOf('Local share')).value).toBeNull();
    expect(calderdale.getCell(header.indexOf('Rank by local share')).value).toBe('not ranked');
    expect(calderdale.getCell(header.indexOf('Local share range')).text).toMatch(/^0\.0%–100\.0%$/);
    expect(rowOf(sheet(book, 'Failures'), 'Broken entry').getCell(2).text).toBe('COLUMN_MISSING');

    // Run again: nothing changed, nothing is measured again (the broken entry is tried again, and fails again).
    const again = await cli('batch', manifest, '--out', out, '--inputs-root', '../shared', '--json', '--quiet');
    expect(JSON.parse(again.stdout).counts).toEqual({ organisations: 14, done: 0, unchanged: 13, failed: 1 });
    // New reference data (the Indices of Deprivation imported): every council, whose area needs the directory, again.
    await exec(process.execPath, ['bin/local-impact.js', 'geo', 'import-imd', join(SHARED, 'data', 'imd', 'imd2025_ltla24_summary.csv')], { env });
    const refreshed = await cli('batch', manifest, '--out', out, '--inputs-root', '../shared', '--json', '--quiet');
    expect(JSON.parse(refreshed.stdout).counts).toEqual({ organisations: 14, done: 13, unchanged: 0, failed: 1 });
  }, 300_000);

  it('reads each file in one pass in a pool thread, where run would read it as two halves', async () => {
    const manifest = join(dir, 'one-pass.csv');
    writeFileSync(manifest, `organisation,spend,area\nCalderdale,${join(DATA, 'calderdale_2022-08_clean.csv')},HX\nLeeds,${join(DATA, 'leeds_2020-06_raw_cp1252.csv')},LS\n`);
    // Any file of 1,000 bytes or more would be split between two threads by run: the phases say whether it was.
    const split = { LOCAL_IMPACT_PARALLEL_MIN_BYTES: '1000', LOCAL_IMPACT_TIMINGS: '1' };
    const run = await exec(process.execPath, ['bin/local-impact.js', 'run', '--spend', join(DATA, 'calderdale_2022-08_clean.csv'), '--area', 'HX', '--no-report', '--quiet'], { env: { ...env, ...split } });
    expect(run.stderr).toContain('worker started');
    const batch = await exec(process.execPath, ['bin/local-impact.js', 'batch', manifest, '--out', join(dir, 'out-one-pass'), '--inputs-root', SHARED, '--quiet'], { env: { ...env, ...split } });
    expect(batch.stderr.match(/start reading spend/g)).toHaveLength(2);
    expect(batch.stderr).not.toContain('worker started');
  }, 120_000);
});
