import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLm3 } from '../src/measures/lm3.js';
import { staffLocalShare } from '../src/domain/staff-return.js';
import { cli, FIXTURE } from './cli-helper.js';

/** Opens a form, lets `fill` type into its cells as a person would, and saves it where the returns go. */
async function fillForm(from: string, to: string, fill: (sheet: ExcelJS.Worksheet) => void): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(from);
  fill(book.worksheets[0]!);
  await book.xlsx.writeFile(to);
}

/** Half up, to the penny: what a person working it by hand would write down. */
const penceOf = (pounds: number, percent: number) => Math.floor((Math.round(pounds * 100) * Math.round(percent * 1000) * 2 + 100_000) / 200_000);

const ANSWERS = [42.1, 50.5, 63.1, 37.8, 33.6];

describe('init --yes, survey forms out, returns in', () => {
  let folder: string;
  let project: string;

  beforeAll(async () => {
    folder = join(mkdtempSync(join(tmpdir(), 'local-impact-init-')), 'calder');
    project = join(folder, 'project.json');
    const result = await cli(
      'init', folder, '--yes',
      '--organisation', 'Calder Valley Community Trust', '--period', '2024-25', '--income', '1250000', '--area', 'HX,OL14',
      '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--payroll', join(FIXTURE, 'payroll-2024-25.csv'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('writes the project file, the register and the forms, then the walk', async () => {
    const json = JSON.parse(readFileSync(project, 'utf8'));
    expect(json).toMatchObject({ $schema: './project.schema.json', organisation: 'Calder Valley Community Trust', period: '2024-25', income: 1250000, area: 'HX,OL14' });
    expect(json.inputs).toMatchObject({ suppliers: 'suppliers.csv', supplierSurvey: 'surveys/supplier-returns', staffSurvey: 'surveys/staff-returns' });
    expect(existsSync(join(folder, 'project.schema.json'))).toBe(true);
    // Step 9's forms, blank, named where the project reads them; read blank they add nothing to mend.
    expect(json.inputs).toMatchObject({ framework: 'framework-questionnaire.xlsx', tenants: 'tenants-register.xlsx' });
    expect(existsSync(join(folder, 'framework-questionnaire.xlsx')) && existsSync(join(folder, 'tenants-register.xlsx'))).toBe(true);
    const fresh = JSON.parse((await cli('run', project, '--json', '--no-report')).stdout);
    expect(fresh.findings.filter((f: { file: string | null }) => /framework|tenants/.test(f.file ?? '')).map((f: { code: string }) => f.code)).toEqual([]);
    // The register exactly as `suppliers` writes it from the same ledger.
    const out = join(folder, '..', 'register-by-suppliers.csv');
    expect((await cli('suppliers', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'HX,OL14', '--period', '2024-25', '--income', '1250000', '--out', out)).code).toBe(0);
    expect(readFileSync(join(folder, 'suppliers.csv'), 'utf8')).toBe(readFileSync(out, 'utf8'));
    // One form per local supplier, ranked by spend; each names only its own supplier.
    const forms = readdirSync(join(folder, 'surveys', 'supplier-forms')).sort();
    expect(forms[0]).toBe('01-shibden-building-joinery-ltd.xlsx');
    const first = new ExcelJS.Workbook();
    await first.xlsx.readFile(join(folder, 'surveys', 'supplier-forms', forms[0]!));
    const sheet = first.worksheets[0]!;
    expect(sheet.getCell('B6').value).toBe('Shibden Building & Joinery Ltd');
    expect(sheet.getCell('B8').value).toBe(55876.25);
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts.join('\n')).not.toMatch(/Calder Staffing|Halifax Commercial Kitchens/);
    expect(sheet.getCell('B14').protection?.locked).toBe(false);
    // The staff form asks no name and no id.
    const staff = new ExcelJS.Workbook();
    await staff.xlsx.readFile(join(folder, 'surveys', 'staff-form.xlsx'));
    const labels: string[] = [];
    staff.worksheets[0]!.eachRow((row) => labels.push(String(row.getCell(1).value)));
    expect(labels).toContain('Rent or mortgage');
    expect(labels.join(' ')).not.toMatch(/\b(your name:|employee id|staff id)/i);
  });

  it('refuses to overwrite the project without --force', async () => {
    const again = await cli('init', folder, '--yes', '--organisation', 'X', '--period', '2024-25', '--area', 'HX', '--spend', join(FIXTURE, 'payments-2024-25.csv'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/project\.json already exists/);
  });

  it('reads the forms back filled in, and Round 3 follows NEF exactly', async () => {
    const forms = join(folder, 'surveys');
    const supplierForms = readdirSync(join(forms, 'supplier-forms')).sort();
    // Every local supplier answers: the odd ones 30% + 20%, the even ones 10% + 15%.
    let expectedSuppliers = 0;
    for (const [i, name] of supplierForms.entries()) {
      const [staffShare, supplierShare] = i % 2 === 0 ? [0.3, 0.2] : [0.1, 0.15];
      let spend = 0;
      await fillForm(join(forms, 'supplier-forms', name), join(forms, 'supplier-returns', name), (sheet) => {
        spend = sheet.getCell('B8').value as number;
        sheet.getCell('B14').value = staffShare;
        sheet.getCell('B15').value = supplierShare;
      });
      expectedSuppliers += penceOf(spend, i % 2 === 0 ? 50 : 25);
    }
    // NEF's averaging example: five staff whose returns come to 42.1, 50.5, 63.1, 37.8 and 33.6% local.
    for (const [i, answer] of ANSWERS.entries()) {
      await fillForm(join(forms, 'staff-form.xlsx'), join(forms, 'staff-returns', `return-${i + 1}.xlsx`), (sheet) => {
        sheet.getCell('B10').value = 400; // food, £400 a month
        sheet.getCell('D10').value = answer / 100;
        sheet.getCell('B24').value = 'Yes';
      });
    }
    const { code, stdout, stderr } = await cli('run', project, '--json', '--no-report');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.lm3.round3Basis).toBe('survey');
    expect(summary.findings.map((f: { code: string }) => f.code)).not.toContain('SURVEY_SUPPLIER_UNMATCHED');
    // Local staff pay £579,423.00 (EXPECTED.md) × the mean 45.42% = £263,173.93 (263,173.9266, half up).
    expect(summary.lm3.round3Staff).toBe(263173.93);
    // Each supplier's own answer times the spend its form showed, to the penny.
    expect(Math.round(summary.lm3.round3Suppliers * 100)).toBe(expectedSuppliers);
    expect(stderr).toMatch(/^$|SPENT_BEYOND_INCOME|warning/);
    // steps says Round 3 is traced, with its coverage.
    const steps = JSON.parse((await cli('steps', project, '--json')).stdout).steps;
    expect(steps[6]).toMatchObject({ state: 'done' });
    expect(steps[6].evidence).toContain(`${supplierForms.length} supplier and 5 staff responses; coverage 100.0% of local supplier spend, 5 responses from 31 local staff`);
  }, 120_000);

  it('refuses wrongly filled forms with a code naming the file and cell', async () => {
    const forms = join(folder, 'surveys');
    const bad = join(folder, '..', 'bad-returns');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bad, { recursive: true });
    const supplierForm = join(forms, 'supplier-forms', readdirSync(join(forms, 'supplier-forms')).sort()[0]!);
    await fillForm(supplierForm, join(bad, 'over.xlsx'), (s) => ((s.getCell('B14').value = 1.2), (s.getCell('B15').value = 0.1)));
    await fillForm(supplierForm, join(bad, 'blank.xlsx'), (s) => void (s.getCell('B14').value = 0.3));
    await fillForm(supplierForm, join(bad, 'edited.xlsx'), (s) => ((s.getCell('A14').value = 'What share of your costs is local?'), (s.getCell('B14').value = 0.3), (s.getCell('B15').value = 0.2)));
    await fillForm(supplierForm, join(bad, 'stranger.xlsx'), (s) => ((s.getCell('B6').value = 'Nobody We Paid Ltd'), (s.getCell('B7').value = 'S9999'), (s.getCell('B14').value = 0.3), (s.getCell('B15').value = 0.2)));
    copyFileSync(join(FIXTURE, 'README.md'), join(bad, 'notes.md'));
    const { stdout } = await cli('check', project, '--supplier-survey', bad, '--json');
    const found = (JSON.parse(stdout).findings as { code: string; file?: string; args: Record<string, unknown> }[]).map((f) => [f.code, f.file, f.args.cell]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['SURVEY_PERCENT_OUT_OF_RANGE', 'over.xlsx', 'B14'],
        ['SURVEY_ANSWER_BLANK', 'blank.xlsx', 'B15'],
        ['SURVEY_FORM_EDITED', 'edited.xlsx', 'A14'],
        ['SURVEY_SUPPLIER_UNMATCHED', 'stranger.xlsx', 'B6'],
        ['SURVEY_FILE_SKIPPED', 'bad-returns/notes.md', undefined],
      ]),
    );
  }, 60_000);
});

describe('staff returns converted as NEF does', () => {
  it('averages the answers unweighted and applies the mean to local staff pay: 40% of £200,000 is £80,000', () => {
    const base = { income: undefined, spendTotal: 0, payrollCost: 20_000_000, localSuppliers: [], unknownSuppliers: [], localStaffPay: 20_000_000, localStaff: 10, unknownStaffPay: 0, assumptions: {}, averaging: 'unweighted' as const };
    expect(computeLm3({ ...base, staffAnswers: [40_000] }).round3Staff).toBe(8_000_000);
    // 42.1, 50.5, 63.1, 37.8, 33.6 → 45.42%, NEF's 45.4%.
    const nef = computeLm3({ ...base, staffAnswers: ANSWERS.map((a) => Math.round(a * 1000)) });
    expect(nef.staffMean!.percent).toBe(45.42);
    expect(nef.round3Staff).toBe(9_084_000);
  });

  it('normalises one return\'s amounts by their sum (worked by hand)', () => {
    // £300 income tax at 0%, £400 food at 60%, £800 rent at 50%, £100 transport at 30%, £200 savings at 0%:
    // (0 + 240 + 400 + 30 + 0) / 1,800 = 37.2222…% → 37.222%.
    const lines = [
      { weight: 30_000, local: 0 },
      { weight: 40_000, local: 60_000 },
      { weight: 80_000, local: 50_000 },
      { weight: 10_000, local: 30_000 },
      { weight: 20_000, local: 0 },
    ];
    expect(staffLocalShare(lines)).toBe(37_222);
    expect(staffLocalShare([])).toBeUndefined();
  });

  it('reads that return from the staff form, and refuses a mixed or blank one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-impact-staff-'));
    expect((await cli('survey', 'forms', join(FIXTURE, 'project.json'), '--out', folder)).code).toBe(0);
    const returns = join(folder, 'staff-returns');
    await fillForm(join(folder, 'staff-form.xlsx'), join(returns, 'a.xlsx'), (s) => {
      for (const [cell, value] of [['B9', 300], ['D9', 0], ['B10', 400], ['D10', 0.6], ['B16', 800], ['D16', 0.5], ['B14', 100], ['D14', 0.3], ['B20', 200], ['D20', 0]] as const) s.getCell(cell).value = value;
      s.getCell('B24').value = 'Yes';
    });
    await fillForm(join(folder, 'staff-form.xlsx'), join(returns, 'mixed.xlsx'), (s) => ((s.getCell('B10').value = 400), (s.getCell('C11').value = 0.1), (s.getCell('D10').value = 0.5), (s.getCell('B24').value = 'Yes')));
    await fillForm(join(folder, 'staff-form.xlsx'), join(returns, 'nolocal.xlsx'), (s) => ((s.getCell('B10').value = 400), (s.getCell('B24').value = 'Yes')));
    const { stdout } = await cli('run', join(FIXTURE, 'project.json'), '--staff-survey', returns, '--json', '--no-report');
    const summary = JSON.parse(stdout);
    const codes = (summary.findings as { code: string; file?: string; args: Record<string, unknown> }[]).map((f) => [f.code, f.file, f.args.cell]);
    expect(codes).toEqual(expect.arrayContaining([['STAFF_RETURN_MIXED', 'staff-returns/, file 2 of 3 in name order', 'C11'], ['SURVEY_ANSWER_BLANK', 'staff-returns/, file 3 of 3 in name order', 'D10'], ['STAFF_SURVEY_FEW', undefined, undefined]]));
    // One return: its answer (37.222%) is used, but neither it nor Round 3 from staff is published.
    expect(summary.lm3.round3Staff).toBeNull();
    expect(summary.withheld).toContain('lm3.round3Staff');
  }, 60_000);
});
