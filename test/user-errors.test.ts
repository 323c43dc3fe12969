import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { loadImd } from '../src/geo/imd.js';
import { importDirectory } from '../src/geo/import.js';
import { cli } from './cli-helper.js';

const FIXTURE = resolve('fixtures/calder-valley-trust');
const SPEND = join(FIXTURE, 'payments-2024-25.csv');

let dir: string;
const previousHome = process.env.LOCAL_IMPACT_HOME;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-errors-'));
  process.env.LOCAL_IMPACT_HOME = join(dir, 'home');
});
afterEach(() => {
  if (previousHome === undefined) delete process.env.LOCAL_IMPACT_HOME;
  else process.env.LOCAL_IMPACT_HOME = previousHome;
});

describe('--income', () => {
  const income = async (value: string) => cli('run', '--spend', SPEND, '--area', 'HX', '--income', value, '--out', join(dir, `${Math.random()}.xlsx`), '--json');

  it.each(['0', '0x10', '1e6', '-5', '12.345', 'ten', '£0.00', ''])('refuses %j with exit 2', async (value) => {
    const { code, stderr } = await income(value);
    expect(code).toBe(2);
    expect(stderr).toContain(`--income "${value}" is not an amount in pounds above £0`);
  });

  it.each([
    ['300000', 300000],
    ['£1,250,000', 1250000],
    ['1250000.5', 1250000.5],
  ])('reads %j as £%d', async (value, pounds) => {
    const { code, stdout } = await income(value);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).lm3.round1).toBe(pounds);
  });

  it('refuses 0 in the project file', async () => {
    const project = join(dir, 'project.json');
    writeFileSync(project, JSON.stringify({ income: 0, area: 'HX', inputs: { spend: [SPEND] } }));
    expect((await cli('run', project, '--out', join(dir, 'p.xlsx'))).code).toBe(2);
  });

  it('refuses an income below the money spent locally at the high end, and writes nothing', async () => {
    // With --area HX and no payroll, Round 2 at the high end is local supplier spend (£210,656.70) plus
    // spend of unknown location (£19,698.39, the £48.00 blank-payee payment among it): £230,355.09.
    const out = join(dir, 'refused.xlsx');
    const { code, stdout, stderr } = await cli('run', '--spend', SPEND, '--area', 'HX', '--income', '100000', '--out', out, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'local-impact: The income given as Round 1 (£100,000.00) is less than the money this run says was spent locally at the high end ' +
        '(£230,355.09: local suppliers and staff, with every unknown location counted as local), so LM3 would exceed 3: it cannot be the money followed. ' +
        'Give the income of the whole period (--income), match the period to it (--period), or leave out --income to follow the money spent.\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('warns, and still reports, when more is spent than an income above the money spent locally', async () => {
    // £300,000 is above £230,355.09 but below spend £470,722.58 (no excluded spend, no payroll).
    const { code, stdout, stderr } = await income('300000');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).lm3).toMatchObject({ round1: 300000, notSpent: -170722.58 });
    expect(stderr).toContain(
      '! SPENT_BEYOND_INCOME: More was spent (£470,722.58: spend, excluded spend and payroll cost) than the income given as Round 1 (£300,000.00); the R1 reconciliation shows £170,722.58 as spent beyond income.',
    );
  });
});

describe('run --json', () => {
  it('prints the warnings on stderr, none with --quiet', async () => {
    const loud = await cli('run', '--spend', SPEND, '--area', 'HX', '--out', join(dir, 'a.xlsx'), '--json');
    expect(loud.code).toBe(0);
    expect(JSON.parse(loud.stdout).schemaVersion).toBe(3);
    // Line 235 (blank payee, dated, PAY-005050) is now an unattributable payment, a note, not a warning. 3 of
    // 534 rows rejected is under 1% (no ROWS_REJECTED); 95.8% of spend is located (no SPEND_UNLOCATED).
    expect(loud.stderr.split('\n').filter((line) => line.startsWith('! '))).toEqual([
      '! AMOUNT_UNPARSEABLE: Amount "twelve pounds" is not a number of pounds; row not used. Correct it in the file and run again. (2 times, first at payments-2024-25.csv:107)',
      '! AMOUNT_MISSING: Amount is blank; row not used. (at payments-2024-25.csv:471)',
      '! ROUND3_NONE: No suppliers survey and no assumption: Round 3 suppliers is £0, so LM3 is understated. Add a survey or an assumption to the project file.',
    ]);
    const quiet = await cli('run', '--spend', SPEND, '--area', 'HX', '--out', join(dir, 'b.xlsx'), '--json', '--quiet');
    expect(quiet.stderr).toBe('');
  });
});

describe('a report that cannot be written', () => {
  it('exits 1, like a file that cannot be read', async () => {
    const { code, stderr } = await cli('run', '--spend', SPEND, '--area', 'HX', '--out', join(dir, 'missing', 'report.xlsx'));
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot write the report');
  });
});

describe('geo import of the wrong thing', () => {
  it('a folder is an input error, not a bug', async () => {
    const folder = join(dir, 'nspl');
    mkdirSync(folder);
    await expect(importDirectory(folder, { home: dir })).rejects.toBeInstanceOf(InputError);
    const { code, stderr } = await cli('geo', 'import', folder);
    expect(code).toBe(1);
    expect(stderr).toContain(`local-impact: ${folder} is a folder, not the postcode directory file.`);
    expect(stderr).toContain('Give the NSPL zip as downloaded');
  });

  it('a .gz that is not gzip is an input error, not a bug', async () => {
    const file = join(dir, 'notgzip.csv.gz');
    writeFileSync(file, 'pcds,laua\nHX1 1AA,E08000033\n');
    const { code, stderr } = await cli('geo', 'import', file);
    expect(code).toBe(1);
    expect(stderr).toContain(`local-impact: ${file} is not a readable gzip file (incorrect header check).`);
    expect(stderr).toContain('a file named .gz must be gzip');
  });
});

describe('a corrupt imported deprivation table', () => {
  it('is an input error naming the file and how to mend it', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, 'geo'), { recursive: true });
    writeFileSync(join(home, 'geo', 'imd-council.json'), '{"edition":"IoD2025","deci');
    expect(() => loadImd(home)).toThrow(InputError);
    const { code, stderr } = await cli('geo', 'status', '--json');
    expect(code).toBe(1);
    expect(stderr).toContain(`The imported deprivation table ${join(home, 'geo', 'imd-council.json')} cannot be read`);
    expect(stderr).toContain('local-impact geo import-imd <file>');
  });
});

describe('Round 1 of £0', () => {
  it('gives no score rather than a score of 0, and still writes the report', async () => {
    const spend = join(dir, 'nil.csv');
    writeFileSync(spend, 'Date,Supplier,Postcode,Amount\n01/04/2024,Acme Ltd,HX1 1AA,0.00\n');
    const out = join(dir, 'nil.xlsx');
    const { code, stdout, stderr } = await cli('run', '--spend', spend, '--area', 'HX', '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.lm3).toMatchObject({ round1: 0, score: null, scoreLow: null, scoreHigh: null });
    expect(stderr).toContain('! ROUND1_ZERO: Round 1 is £0.00');
    expect(existsSync(out)).toBe(true);
    const out2 = join(dir, 'nil2.xlsx');
    const text = await cli('run', '--spend', spend, '--area', 'HX', '--out', out2);
    expect(text.code).toBe(0);
    // The score column says "none"; why is in the note beside it.
    expect(text.stdout).toMatch(/LM3\s*│ none\s*│ no score: Round 1 is not above £0\s*│/);
    expect(existsSync(out2)).toBe(true);
  });
});
