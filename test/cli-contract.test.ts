import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { formatPounds } from '../src/money.js';
import { renderSummary, terminalLayout } from '../src/report/terminal.js';
import { TOOL } from '../src/version.js';
import { cli } from './cli-helper.js';
import { rowOf, sheet } from './workbook-helper.js';

/** The command line's contract: exit statuses, tier labels, and terminal output that fits the terminal. */
const FIXTURE = resolve('fixtures/calder-valley-trust');
const SPEND = join(FIXTURE, 'payments-2024-25.csv');
const PAYROLL = join(FIXTURE, 'payroll-2024-25.csv');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-contract-'));
});

const fixtureArgs = () => [
  '--spend', SPEND,
  '--payroll', PAYROLL,
  '--suppliers', join(FIXTURE, 'supplier-register.csv'),
  '--supplier-survey', join(FIXTURE, 'supplier-survey.csv'),
  '--staff-survey', join(FIXTURE, 'staff-survey.csv'),
  '--area', 'HX,OL14',
  '--income', '1250000',
];

describe('exit statuses', () => {
  it.each([
    ['an unknown option', ['run', '--bogus'], "error: unknown option '--bogus'"],
    ['an unknown command', ['bogus'], "error: unknown command 'bogus'"],
    ['a missing argument', ['geo', 'lookup'], "error: missing required argument 'postcode'"],
    ['an option without its value', ['run', '--spend'], "error: option '--spend <file>' argument missing"],
    ['too many arguments', ['steps', 'a.json', 'b.json'], "error: too many arguments for 'steps'. Expected 1 argument but got 2."],
  ])('%s is a command-line error: 2, with commander\'s one line', async (_, args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(message);
  });

  it('no command at all is a command-line error too: 2, with the usage on stderr', async () => {
    const { code, stderr } = await cli();
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: local-impact [options] [command]');
  });

  it('--help and --version exit 0', async () => {
    const help = await cli('run', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: local-impact run [options] [project-file]');
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(TOOL.version);
  });

  it.each([
    [['--spend-column', 'amount'], '--spend-column "amount" is not field=header (e.g. --spend-column amount="Net Amount")'],
    [['--spend-column', '=Net'], '--spend-column "=Net" is not field=header'],
    [['--spend-column', 'amount='], '--spend-column "amount=" is not field=header'],
    [['--spend-column', 'colour=X'], '--spend-column "colour=X": "colour" is not a field; the fields are supplier, amount, date,'],
    [['--spend-column', 'toString=X'], '--spend-column "toString=X": "toString" is not a field'],
    [['--payroll', PAYROLL, '--payroll-column', 'shoe=Size'], '--payroll-column "shoe=Size": "shoe" is not a field; the fields are employeeId,'],
    [['--payroll', PAYROLL, '--payroll-column', 'grossPay'], '--payroll-column "grossPay" is not field=header (e.g. --payroll-column grossPay="Total Gross")'],
  ])('a bad column mapping %j is a command-line error: 2, before any file is read', async (args, message) => {
    const out = join(dir, 'r.xlsx');
    const { code, stderr } = await cli('run', '--spend', SPEND, '--area', 'HX', ...args, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toContain(`local-impact: ${message}`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('a header the file does not have is about the file: 1, naming the file and its columns', async () => {
    const { code, stderr } = await cli('run', '--spend', SPEND, '--area', 'HX', '--spend-column', 'amount=Net Amount', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(1);
    expect(stderr).toContain('local-impact: payments-2024-25.csv has no column "Net Amount" (asked for by --spend-column amount=Net Amount).');
    expect(stderr).toContain('Its columns are: "Date", "Transaction ID", "Supplier", "Supplier ID", "Category", "Supplier Postcode", "Amount".');
  });
});

describe('named tiers', () => {
  const tierJson = async (...args: string[]) => {
    const { code, stdout, stderr } = await cli('run', ...fixtureArgs(), ...args, '--out', join(dir, `${Math.random()}.xlsx`), '--json', '--quiet');
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout).tiers as { spec: string; label: string; local: number }[];
  };

  it('label=spec names a tier in the JSON, the terminal and the workbook; the spec alone is its own label', async () => {
    const out = join(dir, 'tiers.xlsx');
    const { code, stdout } = await cli('run', ...fixtureArgs(), '--tier', 'Halifax=HX', '--tier', ' Calder = HX,OL14 ', '--tier', 'HX', '--out', out, '--json');
    expect(code).toBe(0);
    const { tiers } = JSON.parse(stdout);
    expect(tiers.map(({ spec, label, local }: { spec: string; label: string; local: number }) => ({ spec, label, local }))).toEqual([
      { spec: 'HX', label: 'Halifax', local: 217547.14 },
      { spec: 'HX,OL14', label: 'Calder', local: 245735.75 },
      { spec: 'HX', label: 'HX', local: 217547.14 },
    ]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const geography = sheet(book, 'Geography');
    const givenAs = rowOf(geography, 'Given as');
    const header = geography.getRow(givenAs.number - 1);
    expect([2, 3, 4].map((i) => header.getCell(i).text)).toEqual(['Halifax', 'Calder', 'HX']);
    expect([2, 3, 4].map((i) => givenAs.getCell(i).text)).toEqual(['HX', 'HX,OL14', 'HX']);
    const assumptions = sheet(book, 'Assumptions');
    expect([2, 3].map((i) => rowOf(assumptions, 'Tier 1: Halifax').getCell(i).text)).toEqual(['HX', 'HX (postcode area)']);
    expect(rowOf(assumptions, 'Tier 3').getCell(2).text).toBe('HX');

    const text = await cli('run', ...fixtureArgs(), '--tier', 'Halifax=HX', '--out', join(dir, 'text.xlsx'));
    expect(text.stdout).toMatch(/│ Halifax +│ £217,547\.14 │ 46\.2% │/);
  });

  it('the project file takes label=spec strings and { label, area } objects; flags replace the list', async () => {
    const project = join(dir, 'project.json');
    const base = JSON.parse(readFileSync(join(FIXTURE, 'project.json'), 'utf8'));
    const spend = base.inputs.spend.map((file: string) => join(FIXTURE, file));
    writeFileSync(project, JSON.stringify({ area: 'HX,OL14', inputs: { spend }, tiers: ['Halifax=HX', { label: 'Calder', area: 'HX,OL14' }] }));
    const { code, stdout, stderr } = await cli('run', project, '--out', join(dir, 'p.xlsx'), '--json', '--quiet');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).tiers.map((t: { spec: string; label: string }) => [t.label, t.spec])).toEqual([['Halifax', 'HX'], ['Calder', 'HX,OL14']]);
    expect((await tierJson('--tier', 'Todmorden=OL14')).map((t) => t.label)).toEqual(['Todmorden']);
  });

  it.each(['=Bolton', 'GM=', ' = '])('refuses the tier %j with exit 2, before reading anything', async (tier) => {
    const out = join(dir, 'r.xlsx');
    const { code, stderr } = await cli('run', ...fixtureArgs(), '--tier', tier, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toContain(`local-impact: The tier "${tier.trim()}" has no `);
    expect(stderr).toContain('--tier "Greater Manchester=Bolton,Bury,Manchester"');
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['=HX'], 'The tier "=HX" has no label before its "="'],
    [[{ label: 'A=B', area: 'HX' }], 'tiers.0.label: a label cannot contain "="'],
    [[{ label: '', area: 'HX' }], 'tiers.0.label: Too small'],
    [[{ label: 'Halifax' }], 'tiers.0: a tier is a string ("Halifax=HX") or { "label": "Halifax", "area": "HX" }'],
  ])('refuses the project file tiers %j with exit 2', async (tiers, message) => {
    const project = join(dir, 'bad.json');
    writeFileSync(project, JSON.stringify({ area: 'HX', inputs: { spend: [SPEND] }, tiers }));
    const { code, stderr } = await cli('run', project, '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('documents both forms in the JSON Schema', async () => {
    const schema = JSON.parse((await cli('schema')).stdout);
    const item = schema.properties.tiers.items;
    expect(item.anyOf.map((form: { type: string }) => form.type)).toEqual(['string', 'object']);
    expect(item.anyOf[1]).toMatchObject({ required: ['label', 'area'], additionalProperties: false });
    expect(schema.properties.tiers.description).toContain('label=spec');
  });
});

describe('terminal width', () => {
  const summary = async (width: number | undefined) => {
    const project = join(FIXTURE, 'project.json');
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, { tier: ['Halifax=HX', 'HX,OL14'] }));
    return { analysis, text: renderSummary(analysis, new Chalk({ level: 1 }), join(dir, 'report.xlsx'), { width }) };
  };

  it('at 80 columns no line is longer than 80, and every figure is whole', async () => {
    const { analysis, text } = await summary(80);
    const lines = stripVTControlCharacters(text).split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    const { spend, lm3, leakage } = analysis;
    const figures = [spend!.total, spend!.local, spend!.nonLocal, spend!.unknown, lm3!.round1, lm3!.round2, lm3!.round3, 21_754_714].map((pence) => formatPounds(pence));
    expect(figures).toContain('£1,250,000.00');
    for (const figure of figures) expect(lines.some((line) => line.includes(` ${figure} `)), figure).toBe(true);
    // Leakage in pounds (£367,888.27) would give the pay of the one member of staff with no usable postcode: it is
    // withheld, and its share of R1 (36,788,827 / 125,000,000 → 29%) stands whole in its place.
    expect(analysis.published.leakage.total).toBeNull();
    expect(text).not.toContain(formatPounds(leakage!.total));
    expect(lines.filter((line) => line.startsWith('│ Leakage '))).toEqual(['│ Leakage            │ 29%           │ 29% of R1 known to leave the area; up   │']);
    // A wrapped note continues in its own column, not under the figures.
    expect(lines.some((line) => /^│ +│ +│ \S/.test(line))).toBe(true);
  });

  it('a table wider than the terminal is wrapped, and narrower still it overflows rather than cut a figure', async () => {
    const { text } = await summary(40);
    expect(stripVTControlCharacters(text)).toContain('£1,250,000.00');
    expect(stripVTControlCharacters(text)).not.toContain('…');
  });

  it('fits the terminal, and does not wrap at all when piped', async () => {
    expect(terminalLayout({ isTTY: true, columns: 72 } as NodeJS.WriteStream)).toEqual({ width: 72 });
    expect(terminalLayout({ isTTY: false, columns: 72 } as unknown as NodeJS.WriteStream)).toEqual({ width: undefined });
    const { text } = await summary(undefined);
    const rows = stripVTControlCharacters(text).split('\n');
    const round3 = rows.find((line) => line.startsWith('│ Round 3'))!;
    expect(round3).toMatch(/basis: survey\s+│$/);
    expect(rows.filter((line) => line.startsWith('│ ')).every((line) => !/^│ +│/.test(line))).toBe(true);
  });
});
