import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from './cli-helper.js';

const FIXTURE = resolve('fixtures/calder-valley-trust');
const exec = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-cli-'));
});

const fixtureArgs = () => [
  '--spend', join(FIXTURE, 'payments-2024-25.csv'),
  '--payroll', join(FIXTURE, 'payroll-2024-25.csv'),
  '--suppliers', join(FIXTURE, 'supplier-register.csv'),
  '--supplier-survey', join(FIXTURE, 'supplier-survey.csv'),
  '--staff-survey', join(FIXTURE, 'staff-survey.csv'),
  '--area', 'HX,OL14',
  '--income', '1250000',
];

describe('local-impact run', () => {
  it('prints only the JSON contract on stdout with --json, and writes the workbook', async () => {
    const out = join(dir, 'report.xlsx');
    const { code, stdout } = await cli('run', ...fixtureArgs(), '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.spend).toMatchObject({ rowsRead: 534, rowsAccepted: 530, rowsRejected: 4, total: 470674.58, local: 245735.75, nonLocal: 220487.77, unknown: 4451.06, suppliers: 81, localSuppliers: 42 });
    expect(json.workforce).toMatchObject({ staff: 40, localStaff: 31, fte: 25.4, localFte: 20, grossPay: 737353.5, localGrossPay: 579423, payrollCost: 821457.72 });
    expect(json.lm3).toMatchObject({ round1: 1250000, round1Basis: 'income', round2: 825158.75, round2Suppliers: 245735.75, round2Staff: 579423, round3: 414963.79, round3Basis: 'survey' });
    expect(json.lm3.score).toBeCloseTo(1.9921, 4);
    expect(json.leakage.total).toBe(382869.33);
    expect(json.findings.find((f: { code: string }) => f.code === 'AMOUNT_UNPARSEABLE')).toMatchObject({ severity: 'warning', count: 2 });
    expect(json.report).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  it('reports each --tier in the JSON, with no deprivation and no estimate without the postcode directory', async () => {
    const { code, stdout } = await cli('run', ...fixtureArgs(), '--tier', 'HX', '--tier', 'HX,OL14', '--out', join(dir, 't.xlsx'), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.tiers).toEqual([
      { spec: 'HX', local: 217547.14, localShare: 21_754_714 / 47_067_458, nonLocal: 248676.38, unknown: 4451.06 },
      { spec: 'HX,OL14', local: 245735.75, localShare: json.spend.localShare, nonLocal: 220487.77, unknown: 4451.06 },
    ]);
    expect(json.spend).toMatchObject({ uncertain: 0, uncertainEstimatedLocal: null });
    expect(json.deprivation).toBeNull();
    expect(JSON.parse((await cli('run', ...fixtureArgs(), '--out', join(dir, 'u.xlsx'), '--json')).stdout).tiers).toEqual([]);
  });

  it('reads the project file, and the flags override it', async () => {
    const out = join(dir, 'p.xlsx');
    const { code, stdout } = await cli('run', join(FIXTURE, 'project.json'), '--income', '300000', '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.lm3.round1).toBe(300000);
    expect(json.organisation).toBe('Calder Valley Community Trust');
  });

  it('writes a workbook with the sheets, key cells and live LM3 formulas', async () => {
    const out = join(dir, 'report.xlsx');
    expect((await cli('run', join(FIXTURE, 'project.json'), '--out', out, '--quiet')).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Steps', 'LM3', 'Suppliers', 'Categories', 'Geography', 'Workforce', 'Data quality', 'Assumptions']);
    const lm3 = workbook.getWorksheet('LM3')!;
    const formulas: { formula: string; result: unknown }[] = [];
    lm3.eachRow((row) => row.eachCell((cell) => {
      if (cell.formula) formulas.push({ formula: cell.formula, result: cell.result });
    }));
    expect(formulas.length).toBeGreaterThanOrEqual(4);
    const results = formulas.map((f) => f.result);
    expect(results).toContain(825158.75);
    expect(results).toContain(414963.79);
    const suppliers = workbook.getWorksheet('Suppliers')!;
    expect(suppliers.rowCount).toBeGreaterThanOrEqual(82);
    const workforceText = JSON.stringify(workbook.getWorksheet('Workforce')!.getSheetValues());
    const payroll = readFileSync(join(FIXTURE, 'payroll-2024-25.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    for (const [id, name, postcode] of payroll) {
      expect(workforceText).not.toContain(id);
      expect(workforceText).not.toContain(name);
      if (postcode && postcode.includes(' ')) expect(workforceText).not.toContain(postcode);
    }
    for (const sheet of workbook.worksheets) {
      const text = JSON.stringify(sheet.getSheetValues());
      for (const [, name] of payroll) expect(text, `${name} in ${sheet.name}`).not.toContain(name);
    }
  });

  it('refuses to overwrite a report without --force', async () => {
    const out = join(dir, 'report.xlsx');
    writeFileSync(out, 'precious');
    const refused = await cli('run', ...fixtureArgs(), '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect((await cli('run', ...fixtureArgs(), '--out', out, '--force', '--quiet')).code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(1000);
  });

  it('names the file, the headers found and the flag to use when a required column is missing', async () => {
    const spend = join(dir, 'odd.csv');
    writeFileSync(spend, 'Paid On,Who,Invoice Value\n01/04/2024,Acme Ltd,12.00\n');
    const { code, stderr, stdout } = await cli('run', '--spend', spend, '--area', 'HX', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('odd.csv');
    expect(stderr).toContain('"Paid On", "Who", "Invoice Value"');
    expect(stderr).toContain('--spend-column');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'r.xlsx'))).toBe(false);
    const mapped = await cli('run', '--spend', spend, '--area', 'HX', '--spend-column', 'supplier=Who', '--spend-column', 'amount=Invoice Value', '--out', join(dir, 'r.xlsx'), '--json');
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.stdout).spend.total).toBe(12);
  });

  it('says clearly when a spend file does not exist', async () => {
    const { code, stderr } = await cli('run', '--spend', join(dir, 'nope.csv'), '--area', 'HX', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(1);
    expect(stderr).toContain('nope.csv');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('explains that council areas need the postcode directory', async () => {
    const { code, stderr } = await cli('run', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'Calderdale', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/postcode directory/i);
  });

  it('leaves no temporary files behind', async () => {
    await cli('run', ...fixtureArgs(), '--out', join(dir, 'r.xlsx'), '--quiet');
    expect(readdirSync(dir)).toEqual(['r.xlsx']);
  });
});

describe('local-impact check and steps', () => {
  it('check reports columns, rows and rejections, and writes nothing', async () => {
    const before = readdirSync(process.cwd()).length;
    const { code, stdout } = await cli('check', join(FIXTURE, 'project.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('supplier');
    expect(stdout).toContain('← "Supplier"');
    expect(stdout).toContain('rows read 534, accepted 530, rejected 4');
    expect(stdout).toContain('AMOUNT_UNPARSEABLE');
    expect(readdirSync(process.cwd()).length).toBe(before);
  });

  it('check exits 1 when an input is unusable', async () => {
    const spend = join(dir, 'bad.csv');
    writeFileSync(spend, 'Foo,Bar\n1,2\n');
    expect((await cli('check', '--spend', spend)).code).toBe(1);
  });

  it('steps lists the 10 steps with their status and the next thing to do', async () => {
    const { code, stdout } = await cli('steps', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'HX,OL14', '--json');
    expect(code).toBe(0);
    const { steps } = JSON.parse(stdout);
    expect(steps).toHaveLength(10);
    expect(steps[0]).toMatchObject({ number: 1, title: 'Scope', state: 'needs data' });
    expect(steps[5]).toMatchObject({ title: 'Analyse the workforce', state: 'not started' });
    const text = await cli('steps');
    expect(text.stdout).toContain('Next:');
  });

  it('schema prints the project file as JSON Schema', async () => {
    const { stdout } = await cli('schema');
    const schema = JSON.parse(stdout);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['organisation', 'income', 'area', 'inputs', 'period']));
  });
});

describe('the installed executable', () => {
  it('runs with plain node and prints no colour when piped', async () => {
    const out = join(dir, 'demo.xlsx');
    const { stdout, stderr } = await exec(process.execPath, ['bin/local-impact.js', 'demo', '--out', out], { env: { ...process.env, FORCE_COLOR: undefined } });
    expect(stdout).toContain('Calder Valley Community Trust');
    expect(stdout).not.toContain('\u001b[');
    expect(stderr).toBe('');
    expect(existsSync(out)).toBe(true);
  });

  it('prints a user error without a stack trace, and one with --debug', async () => {
    const failed = await exec(process.execPath, ['bin/local-impact.js', 'run', '--spend', 'missing.csv', '--area', 'HX']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('missing.csv');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    const debug = await exec(process.execPath, ['bin/local-impact.js', 'run', '--spend', 'missing.csv', '--area', 'HX', '--debug']).catch((e) => e);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // The executable runs a bundle; its source maps point the trace at the TypeScript sources.
    expect(debug.stderr).toMatch(/src\/[\w/-]+\.ts:\d+/);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
