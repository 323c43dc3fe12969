import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, FIXTURE, fixtureArgs } from './cli-helper.js';
import { rowOf, sheet } from './workbook-helper.js';

/**
 * Issue 8: every headline in every output is one the data supports. The council file carries no
 * postcodes, so with any area nothing is located: the case a new user meets first.
 */
const CALDERDALE = resolve('../shared/data/council-spend/calderdale_2022-08_clean.csv');
const CALDERDALE_TOTAL = 15_901_508.75;


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-headlines-'));
});

describe('below the coverage threshold, no headline is stated as a finding', () => {
  it('gives the JSON its support flags and ranges, never calls unknown spend leaking, and lists what to locate', async () => {
    const { code, stdout } = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--json', '--no-report');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schemaVersion).toBe(3);
    expect(json.report).toBeNull();
    expect(json.spend).toMatchObject({ total: CALDERDALE_TOTAL, local: 0, nonLocal: 0, unknown: CALDERDALE_TOTAL, locatedShare: 0, coverageThreshold: 0.8 });
    expect(json.spend).toMatchObject({ localShare: 0, localShareSupported: false, localShareReasons: ['SPEND_UNLOCATED'], localShareHigh: 1 });
    // The score stays a number for scripts, flagged as not a finding.
    expect(json.lm3).toMatchObject({ score: 1, scoreHigh: 2, supported: false, reasons: ['SPEND_UNLOCATED'] });
    expect(json.leakage).toEqual({ total: 0, share: 0, high: CALDERDALE_TOTAL, highShare: 1, supported: false, reasons: ['SPEND_UNLOCATED'] });
    expect(json.spend.topLeaking).toEqual([]);
    expect(json.spend.toLocate.slice(0, 3)).toEqual([
      { name: '2022:06LD Learning Disabilities', supplierId: 'Personal Budgets', amount: 1_983_403.47 },
      { name: 'John Sisk & Son (Holdings) Ltd', supplierId: 'S371170', amount: 1_223_560.55 },
      { name: 'Calder High School', supplierId: 'S693', amount: 642_606 },
    ]);
    const unlocated = json.findings.find((f: { code: string }) => f.code === 'SPEND_UNLOCATED');
    expect(unlocated).toMatchObject({ severity: 'warning', count: 1, args: { located: '0.0%', threshold: '80%', amount: '£15,901,508.75' } });
  });

  it('prints ranges, not a score, in the terminal, and names the unlocated suppliers apart from the leaking ones', async () => {
    const { code, stdout } = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--no-report');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const row = (label: string) => lines.find((line) => line.startsWith(`│ ${label} `)) ?? '';
    expect(row('LM3')).toMatch(/│ 1\.00–2\.00 +│ not a finding: only 0\.0% of spend is located \(80% needed\)/);
    expect(row('Local share')).toMatch(/│ 0\.0%–100\.0% +│ not a finding/);
    expect(row('Leakage')).toMatch(/│ £0\.00–£15,901,508\.75 +│ 0\.0%–100\.0% of R1; not a finding: only 0\.0% of spend is located \(80% needed\) +│$/);
    // The £0.00 local is only what is known to be local.
    expect(row('  local')).toMatch(/│ £0\.00 +│ 0\.0% known · 0 suppliers +│$/);
    expect(stdout).not.toContain('generates a further');
    expect(stdout).not.toContain('leaves the area');
    expect(stdout).not.toContain('Top leaking suppliers');
    expect(stdout).toMatch(/Largest suppliers of unknown location: locate these/);
    expect(stdout).toContain('Calder High School');
  });

  it('marks steps 4, 5 and 8 as needing data, with the next thing to do', async () => {
    const { code, stdout } = await cli('steps', '--spend', CALDERDALE, '--area', 'HX', '--json');
    expect(code).toBe(0);
    const steps: { number: number; state: string; next: string }[] = JSON.parse(stdout).steps;
    expect(steps.filter((s) => [4, 5, 8].includes(s.number)).map((s) => s.state)).toEqual(['needs data', 'needs data', 'needs data']);
    // By an independent sum over the file (suppliers by id, largest first): the 73 largest take located spend past 80%.
    expect(steps.find((s) => s.number === 4)!.next).toBe('Locate the 73 largest unlocated supplier(s) to reach 80%: local-impact suppliers --out register.csv, fill in postcodes, then run again with --suppliers register.csv.');
  });

  it('holds each tier to the same rule: a tier with nothing located is a range, not a share', async () => {
    const json = JSON.parse((await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--tier', 'Halifax=HX', '--json', '--no-report')).stdout);
    expect(json.tiers).toEqual([{ spec: 'HX', label: 'Halifax', local: 0, localShare: 0, nonLocal: 0, unknown: CALDERDALE_TOTAL, localShareSupported: false, localShareHigh: 1 }]);
    const { stdout } = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--tier', 'Halifax=HX', '--no-report');
    expect(stdout).toMatch(/│ Halifax +│ £0\.00 +│ 0\.0%–100\.0% \(not a finding\) │/);
  });

  it('lets the threshold be set: at 0% the same file states its headlines', async () => {
    const { stdout } = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--json', '--no-report', '--coverage-threshold', '0');
    const json = JSON.parse(stdout);
    expect([json.spend.localShareSupported, json.lm3.supported, json.leakage.supported]).toEqual([true, true, true]);
    expect((await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--no-report', '--coverage-threshold', '101')).code).toBe(2);
  });

  it('says on the workbook Summary that the score is a range only', async () => {
    const out = join(dir, 'c.xlsx');
    expect((await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--out', out, '--quiet')).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const summary = sheet(workbook, 'Summary');
    const lm3 = rowOf(summary, 'LM3 (range only)');
    expect(lm3.getCell(2).value).toBe('1.00–2.00');
    expect(String(lm3.getCell(4).value)).toMatch(/^not a finding: only 0\.0% of spend is located \(80% needed\)/);
    expect(rowOf(summary, 'Spend leakage (range only)').getCell(2).value).toBe('£0.00–£15,901,508.75');
    expect(() => rowOf(summary, 'LM3 score')).toThrow();
  });
});

describe('LM3 stays within its bounds', () => {
  it('refuses an income below what was spent locally at the high end, writing nothing', async () => {
    for (const income of ['300000', '100', '840187.80']) {
      const out = join(dir, `r${income}.xlsx`);
      const { code, stdout, stderr } = await cli('run', ...fixtureArgs(income), '--out', out, '--json');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      // R2 at the high end: £825,158.75 spent locally + £4,499.06 unknown suppliers + £10,530.00 unknown staff pay.
      expect(stderr).toContain('at the high end (£840,187.81');
      expect(stderr).toMatch(/--income|--period/);
      expect(existsSync(out)).toBe(false);
    }
    expect((await cli('run', ...fixtureArgs('840187.81'), '--out', join(dir, 'ok.xlsx'), '--quiet')).code).toBe(0);
  });

  it('goes on with a warning when the income is below money out but above local spend, and R1 reconciles', async () => {
    const out = join(dir, 'beyond.xlsx');
    const { code, stdout } = await cli('run', ...fixtureArgs('1000000'), '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    // Money out: £470,722.58 spend + £821,457.72 payroll cost = £1,292,180.30.
    expect(json.lm3.notSpent).toBe(-292_180.3);
    expect(json.findings.find((f: { code: string }) => f.code === 'SPENT_BEYOND_INCOME')).toMatchObject({
      severity: 'warning',
      args: { round1: '£1,000,000.00', spent: '£1,292,180.30', beyond: '£292,180.30' },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const lm3 = sheet(workbook, 'LM3');
    const beyond = rowOf(lm3, 'Spent beyond income (negative: more went out than the income)').getCell(2);
    expect((beyond.value as ExcelJS.CellFormulaValue).result).toBe(-292_180.3);
    const total = rowOf(lm3, 'Total: equals R1').getCell(2).value as ExcelJS.CellFormulaValue;
    expect(total.result).toBe(1_000_000);
  });
});

describe('the demo organisation: leakage is money known to leave, one named part of where R1 went', () => {
  it('gives leakage as non-local suppliers + pay of staff living outside, with the unknown as its high end: as shares of R1 when its pounds would show one person\'s pay', async () => {
    const out = join(dir, 'demo.xlsx');
    const { code, stdout } = await cli('run', join(FIXTURE, 'project.json'), '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    // £220,487.77 non-local suppliers + £147,400.50 pay of the 8 staff living outside (EXPECTED.md) = £367,888.27, and
    // £382,917.33 with the £4,499.06 unknown suppliers and the £10,530.00 pay of the one member of staff with no usable
    // postcode. The pounds would give that one person's pay: they are withheld, and the shares of R1 given to the
    // nearest 1%: 36,788,827 / 125,000,000 = 29.43% → 0.29; 38,291,733 / 125,000,000 = 30.63% → 0.31.
    expect(json.leakage).toEqual({ total: null, share: 0.29, high: null, highShare: 0.31, supported: true, reasons: [] });
    expect(json.withheld.filter((id: string) => id.startsWith('leakage.'))).toEqual(['leakage.total', 'leakage.high']);
    expect(json.rounded.filter((r: { figure: string }) => r.figure.startsWith('leakage.'))).toEqual([
      { figure: 'leakage.share', step: 0.01 },
      { figure: 'leakage.highShare', step: 0.01 },
    ]);
    expect(json.lm3).toMatchObject({ supported: true, reasons: [], notSpent: -42_180.3 });
    expect(json.spend.topLeaking[0]).toEqual({ name: 'Meridian Facilities Services Ltd', supplierId: 'S0012', amount: 52_412.3 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const lm3 = sheet(workbook, 'LM3');
    const cell = (label: string) => rowOf(lm3, label).getCell(2).value as ExcelJS.CellFormulaValue;
    const r1 = rowOf(lm3, 'R1: money in').number;
    expect(() => rowOf(lm3, 'Not spent in the period')).toThrow();
    const beyond = cell('Spent beyond income (negative: more went out than the income)');
    expect(beyond.formula).toMatch(new RegExp(`^B${r1}-SUM\\(`));
    expect(beyond.result).toBe(-42_180.3);
    expect(cell('Total: equals R1').result).toBe(1_250_000);
    expect(rowOf(lm3, 'Suppliers located outside the area (leakage)').getCell(2).value).toBe(220_487.77);
    expect(rowOf(lm3, 'Employer NI and pension (on-costs)').getCell(2).value).toBe(84_104.22);
    // One member of staff has no usable postcode: pay is not split by where staff live, so no group of one shows.
    expect(rowOf(lm3, 'Pay of staff (gross)').getCell(2).value).toBe(737_353.5);
    expect(() => rowOf(lm3, 'Pay of staff living outside the area (leakage)')).toThrow();
    // Of leakage, the part from suppliers stays in pounds, a live formula over the line above.
    const suppliers = rowOf(lm3, 'Suppliers located outside the area (leakage)').number;
    expect(cell('Spend leakage (suppliers)')).toEqual({ formula: `B${suppliers}`, result: 220_487.77 });
  });

  it('splits pay by where staff live when no group is under three, and names leakage as its two parts', async () => {
    const payroll = join(dir, 'payroll.csv');
    writeFileSync(
      payroll,
      [
        'Employee ID,Home Postcode,Gross Pay,Employer NI,Employer Pension',
        'A1,HX1 1AA,20000.00,1000.00,500.00',
        'A2,HX2 2BB,21000.00,1100.00,500.00',
        'A3,OL14 5CC,22000.00,1200.00,500.00',
        'B1,LS1 1DD,30000.00,2000.00,900.00',
        'B2,M1 1EE,31000.00,2100.00,900.00',
        'B3,BD1 1FF,32000.50,2200.00,900.00',
      ].join('\n'),
    );
    const out = join(dir, 'split.xlsx');
    const args = fixtureArgs('1250000').map((arg) => (arg.endsWith('payroll-2024-25.csv') ? payroll : arg));
    expect((await cli('run', ...args, '--out', out, '--quiet')).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const lm3 = sheet(workbook, 'LM3');
    const value = (label: string) => rowOf(lm3, label).getCell(2).value;
    const leakage = value('Spend leakage') as ExcelJS.CellFormulaValue;
    const nonLocalSuppliers = rowOf(lm3, 'Suppliers located outside the area (leakage)').number;
    const nonLocalPay = rowOf(lm3, 'Pay of staff living outside the area (leakage)').number;
    expect(leakage).toEqual({ formula: `B${nonLocalSuppliers}+B${nonLocalPay}`, result: 220_487.77 + 93_000.5 });
    expect(value('Pay of staff living outside the area (leakage)')).toBe(93_000.5);
    expect((value('Pay of staff living locally (in R2)') as ExcelJS.CellFormulaValue).result).toBe(63_000);
    // £1,250,000 − £470,722.58 spend − £156,000.50 pay − £13,800.00 on-costs (NI £9,600.00 + pension £4,200.00).
    expect((value('Not spent in the period') as ExcelJS.CellFormulaValue).result).toBe(609_476.92);
    expect((value('Total: equals R1') as ExcelJS.CellFormulaValue).result).toBe(1_250_000);
  });
});

describe('--strict for scripts', () => {
  it('fails with exit 1 and writes nothing on warnings that weaken a headline, unless each is allowed', async () => {
    const out = join(dir, 's.xlsx');
    const strict = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--out', out, '--strict');
    expect(strict.code).toBe(1);
    // Nothing is local, so there is no Round 3 to trace: coverage is the one weakening warning.
    expect(strict.stderr).toContain('--strict: 1 warning(s) weaken the headline figures, so no report was written:\n  SPEND_UNLOCATED: Only 0.0% of spend is located (80% needed)');
    expect(strict.stderr).toContain('--allow SPEND_UNLOCATED');
    expect(strict.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const allowed = await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--out', out, '--strict', '--allow', 'spend_unlocated', '--quiet');
    expect(allowed.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect((await cli('run', '--spend', CALDERDALE, '--area', 'HX', '--no-report', '--strict', '--allow', 'NOT_A_CODE')).code).toBe(2);
  });

  it('fails on more than 1% of rows rejected, and not at 1% or below', async () => {
    const rows = (bad: number) => ['Date,Supplier,Amount', ...Array.from({ length: 100 }, (_, i) => `01/05/2024,Supplier ${i},${i < bad ? 'twelve pounds' : '10.00'}`)].join('\n');
    const one = join(dir, 'one.csv');
    const two = join(dir, 'two.csv');
    writeFileSync(one, rows(1));
    writeFileSync(two, rows(2));
    const allow = ['--allow', 'SPEND_UNLOCATED'];
    expect((await cli('run', '--spend', one, '--area', 'HX', '--no-report', '--strict', ...allow)).code).toBe(0);
    const failed = await cli('run', '--spend', two, '--area', 'HX', '--no-report', '--strict', ...allow, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ROWS_REJECTED: 2 of 100 rows of two.csv (2.0%) could not be read');
  });
});

describe('the CLI contract mended on the way', () => {
  it('takes --organisation, and gives each finding its typed args and place in the JSON', async () => {
    const { stdout } = await cli('run', join(FIXTURE, 'project.json'), '--organisation', 'Hebden Hub', '--no-report', '--json');
    const json = JSON.parse(stdout);
    expect(json.organisation).toBe('Hebden Hub');
    expect(json.findings.find((f: { code: string }) => f.code === 'AMOUNT_UNPARSEABLE')).toMatchObject({
      count: 2,
      file: 'payments-2024-25.csv',
      line: 107,
      args: { value: 'twelve pounds' },
    });
  });
});
