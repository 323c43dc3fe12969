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

  it('is null in the JSON, named in "withheld", while the score and rounds stay', async () => {
    const { code, stdout } = await cli('run', ...args(), '--out', join(dir, 'r.xlsx'), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.workforce).toMatchObject({ staff: 5, localStaff: 2, grossPay: 125000, localGrossPay: null, localPayShare: null });
    expect(json.lm3.round2Staff).toBeNull();
    expect(json.lm3.round3Staff).toBeNull();
    // R2 = local suppliers £210,656.70 (no register here) + local pay £50,000.
    expect(json.lm3.round2).toBe(260656.7);
    expect(json.lm3.round2Suppliers).toBe(210656.7);
    expect(typeof json.lm3.score).toBe('number');
    expect(json.withheld).toEqual(['workforce.localGrossPay', 'workforce.localPayShare', 'lm3.round2Staff', 'lm3.round3Staff']);
    expect(json.findings.find((f: { code: string }) => f.code === 'PAY_WITHHELD')).toMatchObject({ severity: 'info', count: 1 });
  });

  it('is named as withheld in the terminal summary', async () => {
    const { stdout } = await cli('run', ...args(), '--out', join(dir, 't.xlsx'));
    expect(stdout).toContain('share of gross pay withheld: fewer than 3 people');
    expect(stdout).not.toContain('40.0% of gross pay');
  });

  it('is not on the LM3 sheet; R2 and R3 are shown as figures', async () => {
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
    expect(row('Pay of staff living locally (gross)').getCell(2).value).toBe('withheld: fewer than 3 people');
    expect(row('R3 from staff').getCell(2).value).toBe('withheld: fewer than 3 people');
    expect(row('R2: spent locally').getCell(2).value).toBe(260656.7);
    const score = row('LM3 = (R1 + R2 + R3) / R1').getCell(2);
    // Still the live formula over the rounds (R1 in the same cell both times), with a score cached.
    expect(score.formula).toMatch(/^IF\(B(\d+)>0,\(B\1\+B\d+\+B\d+\)\/B\1,/);
    expect(score.result).toBeGreaterThan(1);
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
