import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchFile } from '../src/batch/run-batch.js';
import type { OrganisationYearOnYear, YearOnYear } from '../src/batch/year-on-year.js';
import { cli } from './cli-helper.js';
import { rowOf, sheet } from './workbook-helper.js';

/**
 * `batch --previous`: two hand-made batch years of small organisations (area HX; no payroll, no income, so
 * Round 1 is the spend and LM3 = 1 + local share), written here:
 *
 * | organisation (2023-24 → 2024-25)            | 2023-24                                 | 2024-25                                    |
 * | Hebden Bridge Hub                           | local 6,000.00 of 10,000.00             | local 7,500.25 of 10,000.25                |
 * | The Todmorden Pantry Ltd → … Pantry Limited | Calder Print Co's 3,000.00 has no postcode: 40% located | its postcode HX3 5AX: all local |
 * | Mytholmroyd Arts                            | area HX: 1,000.00 of 2,000.00 local     | area HX,OL14: all 2,000.00 local           |
 * | Ripponden Men's Shed → Ryburn Men's Shed    | 900.00, local (formerly)                | 900.00, local                              |
 * | Sowerby Youth Club                          | 500.00                                  | not in the batch                           |
 * | Luddenden Foot Library                      | not in the batch                        | 800.00                                     |
 */
let dir: string;
const HEADER = 'Date,Transaction ID,Supplier,Supplier ID,Category,Supplier Postcode,Amount';
const pay = (supplier: string, postcode: string, amount: string, n: number, year: string) => `01/06/${year},T${n},${supplier},,Goods,${postcode},${amount}`;

function batchYear(folder: string, year: string, organisations: { name: string; file: string; area: string; formerly?: string; lines: [string, string, string][] }[]) {
  mkdirSync(join(dir, folder), { recursive: true });
  const calendar = year.slice(0, 4);
  for (const o of organisations) writeFileSync(join(dir, folder, o.file), [HEADER, ...o.lines.map(([s, p, a], i) => pay(s, p, a, i + 1, calendar))].join('\n') + '\n');
  const rows = organisations.map((o) => `"${o.name}",${o.file},"${o.area}",${year},${o.formerly === undefined ? '' : `"${o.formerly}"`}`);
  writeFileSync(join(dir, folder, 'manifest.csv'), ['organisation,spend,area,period,formerly', ...rows].join('\n') + '\n');
}

let now: BatchFile;
let printed: string;
let y: YearOnYear;
const org = (name: string): OrganisationYearOnYear => y.organisations.find((o) => o.organisation === name)!;
const measure = (name: string, key: string) => org(name).comparison!.measures.find((m) => m.measure === key)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-batchprev-'));
  batchYear('2023-24', '2023-24', [
    { name: 'Hebden Bridge Hub', file: 'hebden.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '6000.00'], ['National Office Supplies', 'M1 1AE', '4000.00']] },
    { name: 'The Todmorden Pantry Ltd', file: 'pantry.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '2000.00'], ['Calder Print Co', '', '3000.00']] },
    { name: 'Mytholmroyd Arts', file: 'arts.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '1000.00'], ['Todmorden Joinery', 'OL14 5AA', '1000.00']] },
    { name: "Ripponden Men's Shed", file: 'shed.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '900.00']] },
    { name: 'Sowerby Youth Club', file: 'sowerby.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '500.00']] },
  ]);
  batchYear('2024-25', '2024-25', [
    { name: 'Hebden Bridge Hub', file: 'hebden.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '7500.25'], ['National Office Supplies', 'M1 1AE', '2500.00']] },
    { name: 'Todmorden Pantry Limited', file: 'pantry.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '2000.00'], ['Calder Print Co', 'HX3 5AX', '3000.00']] },
    { name: 'Mytholmroyd Arts', file: 'arts.csv', area: 'HX,OL14', lines: [['Halifax Bakery', 'HX1 1AA', '1000.00'], ['Todmorden Joinery', 'OL14 5AA', '1000.00']] },
    { name: "Ryburn Men's Shed", file: 'shed.csv', area: 'HX', formerly: "Ripponden Men's Shed", lines: [['Halifax Bakery', 'HX1 1AA', '900.00']] },
    { name: 'Luddenden Foot Library', file: 'library.csv', area: 'HX', lines: [['Halifax Bakery', 'HX1 1AA', '800.00']] },
  ]);
  const first = await cli('batch', join(dir, '2023-24', 'manifest.csv'), '--out', join(dir, 'out-2023-24'), '--jobs', '1');
  expect(first.code).toBe(0);
  const second = await cli('batch', join(dir, '2024-25', 'manifest.csv'), '--out', join(dir, 'out-2024-25'), '--jobs', '1', '--previous', join(dir, 'out-2023-24', 'batch.json'));
  expect(second.stderr).not.toMatch(/failed/);
  expect(second.code).toBe(0);
  printed = second.stdout;
  now = JSON.parse(readFileSync(join(dir, 'out-2024-25', 'batch.json'), 'utf8'));
  y = (now as BatchFile & { yearOnYear: YearOnYear }).yearOnYear;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('batch --previous', () => {
  it('gives then / now / change for an organisation in both, money exact to the penny', () => {
    expect(org('Hebden Bridge Hub')).toMatchObject({ status: 'compared', then: 'Hebden Bridge Hub', renamed: false });
    expect(measure('Hebden Bridge Hub', 'localSpend')).toMatchObject({ years: [{ value: 7500.25 }, { value: 6000 }], change: 1500.25, verdict: 'better' });
    expect(measure('Hebden Bridge Hub', 'spend')).toMatchObject({ years: [{ value: 10000.25 }, { value: 10000 }], change: 0.25, verdict: 'changed' });
    const local = measure('Hebden Bridge Hub', 'localShare');
    expect(local.years.map((v) => v.value)).toEqual([750025 / 1000025, 0.6]);
    expect(local.change).toBeCloseTo(750025 / 1000025 - 0.6, 12);
    expect(local.verdict).toBe('better');
    // LM3 = 1 + R2/R1 with Round 1 the spend and no Round 3: 1.75 (to 4 places) against 1.60.
    expect(measure('Hebden Bridge Hub', 'lm3')).toMatchObject({ years: [{ value: 1.75, supported: true }, { value: 1.6, supported: true }], verdict: 'better' });
    // Leakage: the non-local 2,500.00 of 10,000.25 against 4,000.00 of 10,000.00; lower is better.
    expect(measure('Hebden Bridge Hub', 'leakageShare')).toMatchObject({ years: [{ value: 250000 / 1000025 }, { value: 0.4 }], verdict: 'better' });
    expect(org('Hebden Bridge Hub').comparison!.differences).toEqual([]);
  });

  it('matches a name that differs only in "The" and Ltd / Limited, though its slug differs', () => {
    expect(org('Todmorden Pantry Limited')).toMatchObject({ status: 'compared', then: 'The Todmorden Pantry Ltd', slug: 'todmorden-pantry-limited' });
    expect(org('Todmorden Pantry Limited').comparison!.differences).toEqual([]);
  });

  it('shows a measure that was not a finding last year as such, never as a change', () => {
    const local = measure('Todmorden Pantry Limited', 'localShare');
    expect(local).toMatchObject({ change: null, verdict: 'not comparable', why: 'NOT_SUPPORTED_THEN', years: [{ value: 1, supported: true }, { value: 0.4, supported: false, high: 1 }] });
    expect(measure('Todmorden Pantry Limited', 'localSpend')).toMatchObject({ change: null, why: 'NOT_SUPPORTED_THEN' });
    // Spend located is always a figure: 100% against 2,000.00 of 5,000.00.
    expect(measure('Todmorden Pantry Limited', 'locatedShare')).toMatchObject({ years: [{ value: 1 }, { value: 0.4 }], verdict: 'better' });
    expect(measure('Todmorden Pantry Limited', 'locatedShare').change).toBeCloseTo(0.6, 12);
  });

  it('compares two different areas only with the warning compare gives', () => {
    const arts = org('Mytholmroyd Arts');
    expect(arts.status).toBe('compared');
    expect(arts.comparison!.differences.map((d) => d.code)).toEqual(['AREA_DIFFERS']);
    expect(measure('Mytholmroyd Arts', 'localSpend')).toMatchObject({ years: [{ value: 2000 }, { value: 1000 }], change: 1000 });
    expect(printed).toMatch(/^! Mytholmroyd Arts: AREA_DIFFERS: "local" means something else: HX \(postcode area\), OL14 \(postcode district\) this year, HX \(postcode area\) then/m);
  });

  it("matches a renamed organisation by the manifest's formerly, without calling it a different organisation", () => {
    expect(org("Ryburn Men's Shed")).toMatchObject({ status: 'compared', then: "Ripponden Men's Shed", renamed: true });
    expect(org("Ryburn Men's Shed").comparison!.differences).toEqual([]);
    expect(measure("Ryburn Men's Shed", 'localSpend')).toMatchObject({ change: 0, verdict: 'same' });
  });

  it('lists an organisation in only one year as new, or not in this batch', () => {
    expect(org('Luddenden Foot Library')).toMatchObject({ status: 'new', then: null, comparison: null });
    expect(org('Sowerby Youth Club')).toMatchObject({ status: 'not in this batch', slug: null, comparison: null });
    expect(y.counts).toMatchObject({ compared: 4, new: 1, 'not in this batch': 1, ambiguous: 0 });
    expect(y.previous).toMatch(/out-2023-24\/batch\.json$/);
    expect(printed).toMatch(/Year on year against .*batch\.json: 4 compared, 1 new, 1 not in this batch/);
    expect(printed).toMatch(/ {2}new: Luddenden Foot Library\n {2}not in this batch: Sowerby Youth Club/);
  });

  it('adds a Year on year sheet to the combined workbook with the same figures', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'out-2024-25', 'batch.xlsx'));
    expect(book.worksheets.map((w) => w.name)).toEqual(['Organisations', 'Year on year', 'Charts', 'Failures']);
    const ws = sheet(book, 'Year on year');
    const header = rowOf(ws, 'Organisation');
    const col = (name: string) => (header.values as unknown[]).indexOf(name);
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => void rows.push(row));
    const cell = (organisation: string, measure: string, name: string) => {
      const row = rows.find((r) => r.getCell(col('Organisation')).value === organisation && (r.getCell(col('Measure')).value ?? '') === measure);
      return row?.getCell(col(name)).value;
    };
    expect(cell('Hebden Bridge Hub', 'Local spend', 'Then')).toBe(6000);
    expect(cell('Hebden Bridge Hub', 'Local spend', 'Now')).toBe(7500.25);
    expect(cell('Hebden Bridge Hub', 'Local spend', 'Change')).toBe(1500.25);
    expect(cell('Hebden Bridge Hub', 'Local spend', 'Better?')).toBe('better');
    expect(cell('Hebden Bridge Hub', 'LM3', 'Now')).toBe(1.75);
    expect(cell('Hebden Bridge Hub', 'LM3', 'Years')).toBe('2023-24 to 2024-25');
    expect(cell('Todmorden Pantry Limited', 'Local share of spend', 'Last year as')).toBe('The Todmorden Pantry Ltd');
    expect(cell('Todmorden Pantry Limited', 'Local share of spend', 'Then')).toBe('40.0%–100.0% (not a finding)');
    expect(cell('Todmorden Pantry Limited', 'Local share of spend', 'Now')).toBe(1);
    expect(cell('Todmorden Pantry Limited', 'Local share of spend', 'Change')).toBe('none: not a finding last year');
    expect(cell('Todmorden Pantry Limited', 'Local share of spend', 'Better?')).toBeNull();
    expect(String(cell('Mytholmroyd Arts', 'Local share of spend', 'Notes'))).toMatch(/^Warning: AREA_DIFFERS: "local" means something else/);
    // Seven measures for each organisation compared; one row for each organisation not compared, saying why.
    expect(rows.filter((r) => r.getCell(col('Organisation')).value === 'Hebden Bridge Hub')).toHaveLength(7);
    expect(cell('Luddenden Foot Library', '', 'Notes')).toBe('new: not in the earlier batch');
    expect(cell('Sowerby Youth Club', '', 'Notes')).toBe('not in this batch');
  });

  it('leaves batch.json without a comparison when no --previous is given', () => {
    const first = JSON.parse(readFileSync(join(dir, 'out-2023-24', 'batch.json'), 'utf8'));
    expect(first.yearOnYear).toBeNull();
  });

  it('refuses a --previous that is not a batch.json before measuring anything', async () => {
    writeFileSync(join(dir, 'not-a-batch.json'), '{"schemaVersion": 3}');
    const { code, stderr } = await cli('batch', join(dir, '2024-25', 'manifest.csv'), '--out', join(dir, 'out-refused'), '--previous', join(dir, 'not-a-batch.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/not-a-batch\.json is not a batch\.json/);
    expect(() => readFileSync(join(dir, 'out-refused', 'batch.json'))).toThrow();
  });
});
