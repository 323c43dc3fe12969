import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProjectFile } from '../src/config/settings.js';
import { UserError } from '../src/errors.js';
import { PAYROLL_FIELDS, REGISTER_FIELDS, SPEND_FIELDS } from '../src/ingest/columns.js';
import { openTable } from '../src/ingest/table.js';
import { cli, FIXTURE } from './cli-helper.js';

// An error never prints more than the header row of a file that is not a CSV, and that cut short.
let dir: string;
const SPEND = join(FIXTURE, 'payments-2024-25.csv');

/** Bytes that look random and are the same every run. */
function noise(length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash('sha256').update(String(i)).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

const rows = Array.from({ length: 300 }, (_, i) => ({ supplier: `Supplier ${i} Ltd`, amount: i * 3.5, postcode: 'HX1 1AA' }));
const FILES: Record<string, string | Buffer> = {
  'binary.csv': noise(20_000),
  'page.csv': `<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body>${'<p>Supplier, amount, paid</p>'.repeat(500)}</body></html>\n`,
  'commented-page.csv': `\ufeff<!-- saved from url=(0014)about:internet -->\n<html><body><table>${'<tr><td>Supplier</td><td>12.00</td></tr>'.repeat(500)}</table></body></html>\n`,
  'report.pdf.csv': `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n${'2 0 obj << /Length 44 >> stream, Supplier, 12.00 endstream\n'.repeat(200)}%%EOF\n`,
  'export.json.csv': JSON.stringify(rows, null, 2),
  'minified.json.csv': JSON.stringify(rows),
  'spreadsheet-2003.xml.csv': `\ufeff<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">${'<Row><Cell>Supplier,12</Cell></Row>'.repeat(500)}</Workbook>\n`,
  'one-long-line.csv': `${'field,'.repeat(20_000)}\n`,
  'one-long-sentence.csv': 'word '.repeat(30_000),
  'no-line-end.csv': 'x'.repeat(300 * 1024),
};

const EXPECTED: Record<string, string> = {
  'binary.csv': 'FILE_NOT_TEXT',
  'page.csv': 'FILE_NOT_CSV',
  'commented-page.csv': 'FILE_NOT_CSV',
  'report.pdf.csv': 'FILE_NOT_CSV',
  'export.json.csv': 'FILE_NOT_CSV',
  'minified.json.csv': 'FILE_NOT_CSV',
  'spreadsheet-2003.xml.csv': 'FILE_NOT_CSV',
  'one-long-line.csv': 'NOT_A_TABLE',
  'one-long-sentence.csv': 'NOT_A_TABLE',
  'no-line-end.csv': 'NOT_A_TABLE',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-hostile-'));
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(dir, name), content);
});

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw error;
  }
  return 'no error';
}

/** Short, without a stack trace, and nothing in it that would move a terminal's cursor or colour it. */
function expectShort(stderr: string): void {
  expect(stderr.length).toBeLessThan(500);
  expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(3);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
}

const ROLES = [
  { role: 'spend', fields: SPEND_FIELDS, args: (file: string) => ['--spend', file] },
  { role: 'payroll', fields: PAYROLL_FIELDS, args: (file: string) => ['--spend', SPEND, '--payroll', file] },
  { role: 'supplier register', fields: REGISTER_FIELDS, args: (file: string) => ['--spend', SPEND, '--suppliers', file] },
] as const;

describe.each(Object.keys(FILES))('%s, which is not a CSV', (name) => {
  it.each(ROLES)('as the $role: one short coded error, exit 1', async ({ role, fields, args }) => {
    const path = join(dir, name);
    expect(await codeOf(() => openTable({ path, role, fields, columnFlag: '--spend-column', requireData: true }))).toBe(EXPECTED[name]);
    const { code, stdout, stderr } = await cli('check', ...args(path));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expectShort(stderr);
  });
});

describe('the header row an error quotes', () => {
  it('is cut to 120 characters, with its full length, when it is one long line', async () => {
    const { stderr } = await cli('check', '--spend', join(dir, 'one-long-line.csv'));
    expect(stderr).toContain(`is ${'"field", '.repeat(13)}"fi… (120,000 characters in 20,001 columns).`);
    const sentence = await cli('check', '--spend', join(dir, 'one-long-sentence.csv'));
    expect(sentence.stderr).toContain(`"${'word '.repeat(23)}word… (150,000 characters in 1 column).`);
  });

  it('is whole for a real CSV, however many columns it has', async () => {
    const headers = Array.from({ length: 30 }, (_, i) => `Ledger Column Number ${i + 1}`);
    const path = join(dir, 'wide.csv');
    writeFileSync(path, `${headers.join(',')}\n${headers.map(() => 'x').join(',')}\n`);
    const error = await openTable({ path, role: 'spend', fields: SPEND_FIELDS, columnFlag: '--spend-column', requireData: true }).catch((e: UserError) => e);
    expect((error as UserError).code).toBe('COLUMN_MISSING');
    expect((error as UserError).options.hint).toContain(`Headers found: ${headers.map((h) => `"${h}"`).join(', ')}.`);
  });

  it('shows control and direction characters as codes, so a header cannot rewrite the terminal', async () => {
    const path = join(dir, 'escapes.csv');
    writeFileSync(path, `Payee,\u001b[2J\u001b[31mColour\u202e,Note\n${Array.from({ length: 60 }, (_, i) => `Acme ${i} Ltd,red,x${i}`).join('\n')}\n`);
    const missing = await cli('check', '--spend', path);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"Payee", "\\u001b[2J\\u001b[31mColour\\u202e", "Note"');
    expectShort(missing.stderr);
    const named = await cli('check', '--spend', path, '--spend-column', 'amount=Total');
    expect(named.stderr).toContain('Its columns are: "Payee", "\\u001b[2J\\u001b[31mColour\\u202e", "Note".');
    expectShort(named.stderr);
    expect(await codeOf(() => openTable({ path, role: 'spend', fields: SPEND_FIELDS, columnFlag: '--spend-column', explicit: { amount: 'Total' } }))).toBe('COLUMN_NOT_FOUND');
  });
});

describe('a project file that is not one', () => {
  it.each([['binary.csv'], ['page.csv'], ['one-long-sentence.csv'], ['report.pdf.csv']])('%s: PROJECT_NOT_JSON, quoting none of it', async (name) => {
    const path = join(dir, name);
    expect(await codeOf(() => loadProjectFile(path))).toBe('PROJECT_NOT_JSON');
    const { code, stderr } = await cli('run', path);
    expect(code).toBe(2);
    expectShort(stderr);
    expect(stderr).toContain('is not a project file');
  });

  it('JSON that breaks: the parser\'s few quoted characters are shown safely', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"area": "HX\u001b[2J", oops}');
    expect(await codeOf(() => loadProjectFile(path))).toBe('PROJECT_NOT_JSON');
    const { code, stderr } = await cli('run', path);
    expect(code).toBe(2);
    expectShort(stderr);
  });

  it('hundreds of settings it does not know: ten lines at most, each cut short', async () => {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`setting${i}`, { [`nested${i}`]: i }]))));
    expect(await codeOf(() => loadProjectFile(path))).toBe('PROJECT_INVALID');
    const { code, stderr } = await cli('run', path);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(1000);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
