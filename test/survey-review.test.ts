import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discloseFigures, staffMeanPinned } from '../src/disclosure/disclose.js';
import { computeLm3 } from '../src/measures/lm3.js';
import { cli, FIXTURE } from './cli-helper.js';

async function fillForm(from: string, to: string, fill: (sheet: ExcelJS.Worksheet) => void): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(from);
  fill(book.worksheets[0]!);
  await book.xlsx.writeFile(to);
}

/** A return that gives £400 on food, 60% of it local, living locally. */
const good = (local: number) => (s: ExcelJS.Worksheet) => ((s.getCell('B10').value = 400), (s.getCell('D10').value = local), (s.getCell('B24').value = 'Yes'));

describe('staff returns in a folder, as a review found them', () => {
  let returns: string;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'local-impact-surveyfix-'));
    expect((await cli('survey', 'forms', join(FIXTURE, 'project.json'), '--out', folder)).code).toBe(0);
    returns = join(folder, 'staff-returns');
    const form = join(folder, 'staff-form.xlsx');
    // Files named after the people who filled them in; one answer of 140%, one workbook cut short.
    await fillForm(form, join(returns, 'zzq-alice-archer.xlsx'), good(0.6));
    await fillForm(form, join(returns, 'zzq-bob-baker.xlsx'), good(0.5));
    await fillForm(form, join(returns, 'zzq-carol-cooper.xlsx'), good(0.4));
    await fillForm(form, join(returns, 'zzq-jane-smith.xlsx'), (s) => ((s.getCell('B10').value = 400), (s.getCell('D10').value = 1.4), (s.getCell('B24').value = 'Yes')));
    writeFileSync(join(returns, 'zzq-dave-dyer.xlsx'), readFileSync(join(returns, 'zzq-bob-baker.xlsx')).subarray(0, 3000));
    copyFileSync(join(returns, 'zzq-bob-baker.xlsx'), join(returns, '~$zzq-jane-smith.xlsx'));
    writeFileSync(join(returns, 'zzq-notes-for-erin-evans.txt'), 'who has replied');
    mkdirSync(join(returns, 'zzq-frank-fox'));
  }, 60_000);

  it('names no staff return by its file and shows no answer, in the terminal, the JSON or the workbook', async () => {
    const out = join(folder, 'report.xlsx');
    const terminal = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--out', out);
    expect(terminal.code).toBe(0);
    const json = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--json', '--no-report');
    const summary = JSON.parse(json.stdout);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const cells: string[] = [];
    book.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.text)))));
    const names = /zzq|archer|cooper/i;
    for (const [where, text] of [['terminal', terminal.stdout + terminal.stderr], ['json', json.stdout], ['workbook', cells.join('\n')]] as const) {
      expect(text, where).not.toMatch(names);
      expect(text, where).not.toMatch(/140 ?%|\b1\.4\b/);
    }
    // Each still named, by its place in the folder: the 140% is file 7 of 8 in name order.
    const found = (summary.findings as { code: string; file?: string; line?: number; args: Record<string, unknown> }[]).filter((f) => f.file?.startsWith('staff-returns/'));
    expect(found.map((f) => [f.code, f.file, f.args.cell])).toEqual(
      expect.arrayContaining([
        ['SURVEY_FILE_NOT_READ', 'staff-returns/, file 5 of 8 in name order', undefined],
        ['SURVEY_FOLDER_SKIPPED', 'staff-returns/, file 6 of 8 in name order', undefined],
        ['SURVEY_PERCENT_OUT_OF_RANGE', 'staff-returns/, file 7 of 8 in name order', 'D10'],
        ['SURVEY_FILE_SKIPPED', 'staff-returns/, file 8 of 8 in name order', undefined],
        ['SURVEY_LOCK_FILE_SKIPPED', 'staff-returns/, file 1 of 8 in name order', undefined],
      ]),
    );
    expect(found.find((f) => f.code === 'SURVEY_PERCENT_OUT_OF_RANGE')!.args).not.toHaveProperty('value');
    // The folder is one input, counted: 5 returns read (the damaged one too), 3 used.
    expect(summary.inputs.filter((i: { role: string }) => i.role === 'staff survey')).toEqual([
      expect.objectContaining({ rowsRead: 5, rowsAccepted: 3, rowsRejected: 2, sha256: null }),
    ]);
    // (60 + 50 + 40) / 3 = 50% of local staff pay; the damaged return did not stop the run.
    expect(summary.lm3.round3Staff).not.toBeNull();
  }, 120_000);

  it('gives distinct reasons distinct codes, so the summary does not mislead', async () => {
    const { stdout } = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--json', '--no-report');
    const findings = JSON.parse(stdout).findings as { code: string; args: Record<string, unknown> }[];
    const count = (code: string) => findings.filter((f) => f.code === code).length;
    // The damaged workbook, the .txt, the folder and the lock file: four reasons, four codes, one each.
    expect([count('SURVEY_FILE_NOT_READ'), count('SURVEY_FILE_SKIPPED'), count('SURVEY_FOLDER_SKIPPED'), count('SURVEY_LOCK_FILE_SKIPPED')]).toEqual([1, 1, 1, 1]);
    expect(findings.find((f) => f.code === 'SURVEY_FILE_NOT_READ')!.args).toMatchObject({ role: 'staff survey' });
  }, 60_000);

  it('fails --strict with a survey code, not ROWS_REJECTED, and --allow accepts it', async () => {
    const strict = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--strict', '--no-report', '--allow', 'SPENT_BEYOND_INCOME');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('SURVEY_RETURNS_REJECTED');
    expect(strict.stderr).not.toContain('ROWS_REJECTED:');
    const allowed = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--strict', '--no-report', '--allow', 'SURVEY_RETURNS_REJECTED', '--allow', 'SPENT_BEYOND_INCOME');
    expect(allowed.stderr).not.toContain('SURVEY_RETURNS_REJECTED');
  }, 60_000);
});

describe('one or two staff returns: LM3 to 1 decimal place must not give their mean away', () => {
  const lm3For = (localStaffPay: number) =>
    computeLm3({ income: 10_000_000, spendTotal: 1_000_000, payrollCost: localStaffPay, localSuppliers: [], unknownSuppliers: [], localStaffPay, localStaff: 3, unknownStaffPay: 0, assumptions: {}, averaging: 'unweighted', staffAnswers: [60_000, 60_000] });
  const disclose = (lm3: ReturnType<typeof computeLm3>) => discloseFigures({ staff: [], workforce: undefined, lm3, leakage: undefined, consent: undefined, staffResponses: 2 });

  it('withholds LM3 when local staff pay is most of Round 1 (worked by hand)', () => {
    // R1 £100,000, R2 = local staff pay £90,000, R3 = 60% of it = £54,000: LM3 2.44, shown 2.4. A reader who knows
    // R1 and R2 learns 2.35 ≤ 1.9 + 0.9 × mean ≤ 2.45, so the mean is 50.0%–61.1%: ±5.6 points of 60%, within 10%.
    const lm3 = lm3For(9_000_000);
    expect(lm3.score).toBeCloseTo(2.44, 10);
    expect(staffMeanPinned(lm3, new Map([['lm3.score', { kind: 'rounded', step: 0.1 }], ['lm3.scoreLow', { kind: 'rounded', step: 0.1 }], ['lm3.scoreHigh', { kind: 'rounded', step: 0.1 }]]))).toBe(true);
    const d = disclose(lm3);
    expect(['lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh'].map((id) => d.publication.get(id as never))).toEqual([{ kind: 'withheld' }, { kind: 'withheld' }, { kind: 'withheld' }]);
    expect(d.statements.join(' ')).toContain('withholds LM3 as well');
  });

  it('gives LM3 to 1 decimal place when that leaves the mean open', () => {
    // Local staff pay £45,000: LM3 1.72, shown 1.7, puts the mean between 44.4% and 66.7%: ±11 points, not within 10% of 60%.
    const d = disclose(lm3For(4_500_000));
    expect(d.publication.get('lm3.score')).toEqual({ kind: 'rounded', step: 0.1 });
    expect(d.statements.join(' ')).toContain('gives LM3 to 1 decimal place');
  });
});
