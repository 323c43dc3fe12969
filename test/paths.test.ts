import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputName, outputName, pathFrom } from '../src/report/paths.js';
import { cli } from './cli-helper.js';
import { sheet } from './workbook-helper.js';

const FIXTURE = resolve('fixtures/calder-valley-trust');
const INPUTS = ['payments-2024-25.csv', 'payroll-2024-25.csv', 'supplier-register.csv', 'supplier-survey.csv', 'staff-survey.csv', 'tenants.csv', 'gva-per-job.csv', 'framework-questionnaire.xlsx'];

describe('how outputs name a file', () => {
  it('is relative to the folder, with forward slashes, climbing out with ../', () => {
    expect(pathFrom('/home/ann/trust', '/home/ann/trust/2024/payments.csv', posix)).toBe('2024/payments.csv');
    expect(pathFrom('/home/ann/trust', '/home/ann/exports/payments.csv', posix)).toBe('../exports/payments.csv');
    expect(pathFrom('/home/ann/trust', 'payments.csv', posix)).toBe('payments.csv');
  });

  it('never carries a Windows user name: backslashes become slashes, another drive leaves the file name alone', () => {
    expect(pathFrom('C:\\Users\\ann\\Trust', 'C:\\Users\\ann\\Trust\\2024\\payments.csv', win32)).toBe('2024/payments.csv');
    expect(pathFrom('C:\\Users\\ann\\Trust', 'C:\\Users\\ann\\Downloads\\payments.csv', win32)).toBe('../Downloads/payments.csv');
    expect(pathFrom('C:\\Users\\ann\\Trust', 'D:\\exports\\payments.csv', win32)).toBe('payments.csv');
  });

  it('names inputs from the project file’s folder, else the working folder; what the tool wrote from the working folder', () => {
    expect(inputName(join(FIXTURE, 'sub', 'payments.csv'), join(FIXTURE, 'project.json'))).toBe('sub/payments.csv');
    expect(inputName(join(process.cwd(), 'data', 'payments.csv'), undefined)).toBe('data/payments.csv');
    expect(outputName(join(process.cwd(), 'out', 'report.xlsx'))).toBe('out/report.xlsx');
  });
});

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return [...Object.keys(value), ...Object.values(value).flatMap(strings)];
  return [];
}

/** Every cell of every sheet as text (formulas too), and the workbook's own properties. */
function workbookStrings(book: ExcelJS.Workbook): string[] {
  const texts = [book.creator, book.lastModifiedBy, book.title, book.subject, book.description, book.keywords, book.company].filter((t): t is string => typeof t === 'string');
  book.eachSheet((ws) => {
    texts.push(ws.name);
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        texts.push(cell.text);
        if (cell.formula) texts.push(cell.formula);
      }),
    );
  });
  return texts;
}

// The fixture project run from another working folder: no output may name either folder by its absolute path.
describe('a run from another working folder', () => {
  const home = process.cwd();
  let work: string;
  let forbidden: string[];
  let run: { code: number; stdout: string };
  let terminal: { code: number; stdout: string };
  let check: { code: number; stdout: string };
  let suppliers: { code: number; stdout: string };
  let book: ExcelJS.Workbook;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'local-impact-paths-'));
    forbidden = [...new Set([FIXTURE, realpathSync(FIXTURE), work, realpathSync(work), home])];
    process.chdir(work);
    mkdirSync(join(work, 'out'));
    try {
      const project = join(FIXTURE, 'project.json');
      run = await cli('run', project, '--out', 'report.xlsx', '--statement', 'out/impact.html', '--json');
      terminal = await cli('run', project, '--out', 'again.xlsx');
      check = await cli('check', project, '--json');
      suppliers = await cli('suppliers', project, '--out', 'register.csv', '--json');
      book = new ExcelJS.Workbook();
      await book.xlsx.readFile(join(work, 'report.xlsx'));
    } finally {
      process.chdir(home);
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const leaks = (texts: string[]) => texts.filter((text) => forbidden.some((folder) => text.includes(folder)));

  it('names the report and the statement from the working folder in the JSON and on the terminal', () => {
    expect([run.code, terminal.code, check.code, suppliers.code]).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(run.stdout).report).toBe('report.xlsx');
    expect(JSON.parse(run.stdout).statement).toBe('out/impact.html');
    expect(existsSync(join(work, 'out', 'impact.html'))).toBe(true);
    expect(terminal.stdout).toContain('Report written: again.xlsx');
    expect(JSON.parse(suppliers.stdout).register).toBe('register.csv');
  });

  it('puts no absolute path in any string of the JSON, the terminal summary or the register', () => {
    expect(leaks(strings(JSON.parse(run.stdout)))).toEqual([]);
    expect(leaks(strings(JSON.parse(check.stdout)))).toEqual([]);
    expect(leaks(strings(JSON.parse(suppliers.stdout)))).toEqual([]);
    expect(leaks([terminal.stdout, readFileSync(join(work, 'register.csv'), 'utf8')])).toEqual([]);
  });

  it('puts no absolute path in any cell of any sheet of the workbook', () => {
    const texts = workbookStrings(book);
    expect(texts.length).toBeGreaterThan(1000);
    expect(leaks(texts)).toEqual([]);
  });

  it('lists each input on the Assumptions sheet by its path from the project folder, with its SHA-256', () => {
    const ws = sheet(book, 'Assumptions');
    const listed: { path: string; sha256: string }[] = [];
    ws.eachRow((row) => {
      if (INPUTS.includes(row.getCell(9).text)) listed.push({ path: row.getCell(9).text, sha256: row.getCell(8).text });
    });
    // Files of personal data (payroll, staff survey) are named but not fingerprinted: a hash could confirm a guess at them.
    const personal = new Set(['payroll-2024-25.csv', 'staff-survey.csv']);
    const expected = INPUTS.map((file) => ({
      path: file,
      sha256: personal.has(file) ? 'withheld: a fingerprint of personal data could confirm a guess at it' : createHash('sha256').update(readFileSync(join(FIXTURE, file))).digest('hex'),
    }));
    expect(listed.sort((a, b) => a.path.localeCompare(b.path))).toEqual(expected.sort((a, b) => a.path.localeCompare(b.path)));
  });

  it('gives check --json each file’s path from the project folder and its SHA-256', () => {
    const files = JSON.parse(check.stdout).files as { role: string; path: string; sha256: string }[];
    expect(files.map((f) => f.path).sort()).toEqual([...INPUTS].sort());
    expect(files.filter((f) => f.sha256 === null).map((f) => f.role).sort()).toEqual(['payroll', 'staff survey']);
    const payments = files.find((f) => f.path === 'payments-2024-25.csv')!;
    expect(payments.sha256).toBe(createHash('sha256').update(readFileSync(join(FIXTURE, 'payments-2024-25.csv'))).digest('hex'));
  });
});
