import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { cli } from './cli-helper.js';

const FIXTURE = resolve('fixtures/calder-valley-trust');
const SPEND = join(FIXTURE, 'payments-2024-25.csv');

async function allText(path: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out: string[] = [];
  for (const ws of book.worksheets) ws.eachRow((row) => row.eachCell((cell) => void out.push(cell.text)));
  return out.join('\n');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-personal-'));
});

const PAYROLL_HEADER = 'Employee ID,Name,Home Postcode,Gross Pay,Net Pay,Employer NI,Employer Pension,FTE';

describe('staff survey rows are personal data', () => {
  const JANE = 'Jane Smith,HX7 8QS,about half';
  const survey = () => {
    const path = join(dir, 'staff-survey.csv');
    writeFileSync(path, `Respondent,Home postcode,Local spend %\nR01,HX1 1AA,40\n${JANE}\nR03,HX2 2BB,50\n`);
    return path;
  };

  it('check names the rejected row by place, never by its text', async () => {
    const { code, stdout } = await cli('check', '--spend', SPEND, '--staff-survey', survey(), '--area', 'HX');
    expect(code).toBe(0);
    expect(stdout).toContain('staff-survey.csv:3 PERCENT_UNPARSEABLE: (withheld: personal data)');
    expect(stdout).not.toContain('Jane Smith');
    expect(stdout).not.toContain('HX7 8QS');
    // Rows of other files are still shown, to be corrected.
    expect(stdout).toContain('payments-2024-25.csv:107 AMOUNT_UNPARSEABLE: 13/06/2024,PAY-004922');
  });

  it('the workbook lists the finding without the row', async () => {
    const out = join(dir, 'report.xlsx');
    expect((await cli('run', '--spend', SPEND, '--staff-survey', survey(), '--area', 'HX', '--out', out, '--quiet')).code).toBe(0);
    const text = await allText(out);
    expect(text).toContain('PERCENT_UNPARSEABLE');
    expect(text).toContain('(withheld: personal data)');
    expect(text).not.toContain('Jane Smith');
    expect(text).not.toContain('HX7 8QS');
  });
});

describe('the pay of one or two people is withheld', () => {
  // Two staff live locally (HX), three do not (LS): the local group's pay would show what two people earn.
  const payroll = () => {
    const path = join(dir, 'payroll.csv');
    writeFileSync(
      path,
      [
        PAYROLL_HEADER,
        'E1,Ann Local,HX1 1AA,30000.00,24000.00,3000.00,1500.00,1.0',
        'E2,Bob Local,HX7 8QS,20000.00,17000.00,2000.00,1000.00,1.0',
        'E3,Cat Away,LS6 3HN,25000.00,20000.00,2500.00,1250.00,1.0',
        'E4,Dan Away,LS6 3HN,25000.00,20000.00,2500.00,1250.00,1.0',
        'E5,Eve Away,LS1 1AA,25000.00,20000.00,2500.00,1250.00,1.0',
        '',
      ].join('\n'),
    );
    return path;
  };
  const args = () => ['--spend', SPEND, '--payroll', payroll(), '--staff-survey', join(FIXTURE, 'staff-survey.csv'), '--area', 'HX', '--income', '1000000'];

  it('is not in the JSON, nor anything that would give it by subtraction; the score is given to 1 decimal place', async () => {
    const { code, stdout } = await cli('run', ...args(), '--out', join(dir, 'r.xlsx'), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.workforce).toMatchObject({ staff: 5, localStaff: 2, grossPay: 125000, localGrossPay: null, localPayShare: null, payrollCost: 143750 });
    // R2 − R2 suppliers would be the two people's pay (£50,000), so R2 and R3 are withheld, not only R2 staff.
    expect(json.lm3).toMatchObject({ round2: null, round2Staff: null, round3: null, round3Staff: null, round2Suppliers: 210656.7 });
    // (R1 + R2 + R3) / R1 to 4 places would give R2 + R3 to ±£50; to 1 place, ±£50,000: as much as their pay.
    expect([json.lm3.score, json.lm3.scoreLow, json.lm3.scoreHigh]).toEqual([1.3, 1.3, 1.3]);
    expect(json.leakage).toMatchObject({ total: null, share: null, high: null, highShare: null });
    expect(json.withheld).toEqual(expect.arrayContaining(['workforce.localGrossPay', 'workforce.localPayShare', 'lm3.round2', 'lm3.round2Staff', 'lm3.round3', 'lm3.round3Staff', 'leakage.total', 'leakage.share']));
    expect(json.withheld).not.toContain('workforce.grossPay');
    expect(json.rounded).toEqual([{ figure: 'lm3.score', step: 0.1 }, { figure: 'lm3.scoreLow', step: 0.1 }, { figure: 'lm3.scoreHigh', step: 0.1 }]);
    expect(json.disclosure.statements).toEqual([
      'To keep the pay of fewer than 3 people private (two members of staff living locally), the report withholds staff pay split by where staff live; Rounds 2 and 3 in pounds; the high end of the range in pounds; spend leakage in pounds; the shares of Round 1 that each round and leakage are, and gives LM3 to 1 decimal place.',
    ]);
    expect(json.findings.find((f: { code: string }) => f.code === 'PAY_WITHHELD')).toMatchObject({ severity: 'info', count: 1, message: json.disclosure.statements[0] });
    // The two people's pay, £50,000.00, is no figure of the JSON, nor a difference of two of them.
    const numbers: number[] = [];
    const walk = (v: unknown): void => void (typeof v === 'number' ? numbers.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
    walk(json);
    for (const a of numbers) {
      expect(a).not.toBe(50000);
      for (const b of numbers) expect(Math.round((a - b) * 100)).not.toBe(5_000_000);
    }
  });

  it('is named as withheld in the terminal summary', async () => {
    const { stdout } = await cli('run', ...args(), '--out', join(dir, 't.xlsx'));
    expect(stdout).toContain('share of gross pay withheld (staff pay: see Assumptions)');
    expect(stdout).not.toContain('40.0% of gross pay');
    expect(stdout).toMatch(/│ Round 2 +│ withheld \(staff pay: see Assumptions\)/);
  });

  it('is not on the LM3 sheet, where the score is a plain figure to 1 decimal place, not a formula over withheld cells', async () => {
    const out = join(dir, 'w.xlsx');
    await cli('run', ...args(), '--out', out, '--quiet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const ws = book.getWorksheet('LM3')!;
    const row = (label: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((r) => void (!found && r.getCell(1).text === label && (found = r)));
      return found!;
    };
    const withheld = 'withheld (staff pay: see Assumptions)';
    expect(row('Pay of staff living locally (gross)').getCell(2).value).toBe(withheld);
    expect(row('R3 from staff').getCell(2).value).toBe(withheld);
    expect(row('R2: spent locally').getCell(2).value).toBe(withheld);
    expect(row('R3: re-spent locally').getCell(2).value).toBe(withheld);
    expect(row('LM3 = (R1 + R2 + R3) / R1').getCell(2).value).toBe(1.3);
    const assumptions = book.getWorksheet('Assumptions')!;
    let disclosure = '';
    assumptions.eachRow((r) => void (r.getCell(1).text === 'Disclosure control' && (disclosure = `${r.getCell(2).text} | ${r.getCell(3).text}`)));
    expect(disclosure).toMatch(/^figures withheld \| Every figure staff pay feeds was audited as a sum of the pay of groups of staff: 1 group\(s\) of fewer than 3 people to protect\. To keep the pay/);
  });

  it('is published with the consent the project file records, and the audit says what that shows', async () => {
    const project = join(dir, 'project.json');
    writeFileSync(project, JSON.stringify({ area: 'HX', income: 1000000, inputs: { spend: SPEND, payroll: payroll(), staffSurvey: join(FIXTURE, 'staff-survey.csv') }, disclosure: { publishPay: true, reason: 'both staff agreed in writing' } }));
    const json = JSON.parse((await cli('run', project, '--no-report', '--json')).stdout);
    expect(json.lm3.round2Staff).toBe(50000);
    expect(json.lm3.round2).toBe(260656.7);
    expect(json.withheld).toEqual([]);
    expect(json.disclosure).toEqual({ consent: 'both staff agreed in writing', statements: ['Published with consent (both staff agreed in writing), although it shows the pay of two members of staff living locally.'] });
  });

  it('shows the pay of three or more', async () => {
    const path = join(dir, 'payroll3.csv');
    writeFileSync(path, [PAYROLL_HEADER, 'E1,A,HX1 1AA,30000,24000,0,0,1', 'E2,B,HX1 1AA,20000,17000,0,0,1', 'E3,C,HX2 2BB,10000,9000,0,0,1', ''].join('\n'));
    const { stdout } = await cli('run', '--spend', SPEND, '--payroll', path, '--area', 'HX', '--out', join(dir, 'three.xlsx'), '--json');
    const json = JSON.parse(stdout);
    expect(json.workforce.localGrossPay).toBe(60000);
    expect(json.lm3.round2Staff).toBe(60000);
    expect(json.withheld).toEqual([]);
  });
});

describe('the net wages convention', () => {
  const PROJECT = join(FIXTURE, 'project.json');
  const run = async (rows: string[]) => {
    const path = join(dir, 'net.csv');
    writeFileSync(path, [PAYROLL_HEADER, ...rows, ''].join('\n'));
    const settings = resolveSettings(await loadProjectFile(PROJECT), PROJECT, {});
    return analyse({ ...settings, payroll: path, wages: 'net' });
  };

  it('uses net pay when every member of staff has it', async () => {
    const analysis = await run(['E1,A,HX1 1AA,30000,24000,0,0,1', 'E2,B,HX1 1AA,20000,17000,0,0,1', 'E3,C,HX2 2BB,10000,9000,0,0,1']);
    expect(analysis.lm3!.round2Staff).toBe(5_000_000);
    expect(analysis.lm3!.wages).toBe('net');
    expect(analysis.findings.count('NET_PAY_MISSING')).toBe(0);
  });

  it('falls back to gross for everyone, with a warning, when anyone lacks net pay', async () => {
    const analysis = await run(['E1,A,HX1 1AA,30000,24000,0,0,1', 'E2,B,HX1 1AA,20000,,0,0,1', 'E3,C,HX2 2BB,10000,9000,0,0,1']);
    // Gross for all three: £30,000 + £20,000 + £10,000, never £24,000 + £20,000 + £9,000.
    expect(analysis.lm3!.round2Staff).toBe(6_000_000);
    expect(analysis.lm3!.wages).toBe('gross');
    expect(analysis.findings.details.find((f) => f.code === 'NET_PAY_MISSING')).toEqual({ code: 'NET_PAY_MISSING', args: { count: 1 } });
  });
});
