import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { resolveSettings } from '../src/config/settings.js';
import { STEPS } from '../src/framework/approach.js';
import { renderCheck, renderSteps, renderSummary } from '../src/report/terminal.js';
import { cli } from './cli-helper.js';

/** Far more than any line a person reads; before the cut, the damaged field printed as one cell of a megabyte. */
const LONGEST_LINE = 400;
const X114 = 'x'.repeat(114);

/**
 * A spend file of half a megabyte whose fifth row opens a quote in the amount that closes only at the end of the
 * file, so the field holds the rest of it (under limits.maxFieldBytes, and no line of it a row: not taken for damage);
 * and one whose supplier's quote closes five hundred lines on, so that payment is accepted, to a name of 0.5 MB.
 * (A quote that never closes, or runs past the limit, is damage the reader re-reads line by line: see hostile-spend.)
 */
let damaged: string;
let longName: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-damaged-'));
  const good = ['Date,Supplier,Amount', '01/04/2024,Acme Ltd,100.00', '02/04/2024,Bolt & Co,250.50', '03/04/2024,Calder Foods,75.25'];
  const kilobytes = Array.from({ length: 500 }, () => 'x'.repeat(1023));
  damaged = join(dir, 'damaged.csv');
  writeFileSync(damaged, `${[...good, '04/04/2024,Broken Supplier,"99.00', ...kilobytes, '"'].join('\n')}\n`);
  longName = join(dir, 'long-name.csv');
  writeFileSync(longName, `${[...good, '04/04/2024,"Long Name', ...kilobytes, '",999.00'].join('\n')}\n`);
});

function expectReadable(printed: string): void {
  const lines = printed.split('\n');
  expect(lines.filter((line) => line.length > LONGEST_LINE)).toEqual([]);
  expect(printed.length).toBeLessThan(10_000);
}

describe('a field that runs on for half a megabyte', () => {
  it('check prints it cut to one line, with its whole length, and --json keeps it whole', async () => {
    const json = await cli('check', '--spend', damaged, '--json');
    const finding = JSON.parse(json.stdout).findings.find((f: { code: string }) => f.code === 'AMOUNT_UNPARSEABLE');
    const value: string = finding.args.value;
    expect(value.startsWith(`99.00\n${'x'.repeat(1023)}\n`)).toBe(true);
    expect(value.length).toBeGreaterThan(512_000);
    expect(finding.message).toContain(value);

    const { code, stdout } = await cli('check', '--spend', damaged);
    expect(code).toBe(0);
    expectReadable(stdout);
    const inAll = `(${value.length.toLocaleString('en-GB')} characters in all)`;
    expect(stdout).toContain(`Amount "99.00⏎${X114}…" ${inAll} is not a number of pounds`);
    const raw = `04/04/2024,Broken Supplier,"99.00⏎${'x'.repeat(86)}… (${(value.length + 29).toLocaleString('en-GB')} characters in all)`;
    expect(stdout.split('\n')).toContain(`  damaged.csv:5 AMOUNT_UNPARSEABLE: ${raw}`);
  });

  it('run prints its warning cut, on the terminal and beside --json', async () => {
    const run = await cli('run', '--spend', damaged, '--area', 'HX', '--no-report');
    expectReadable(run.stdout);
    expect(run.stdout).toContain(`! AMOUNT_UNPARSEABLE: Amount "99.00⏎${X114}…" (`);

    const json = await cli('run', '--spend', damaged, '--area', 'HX', '--no-report', '--json');
    expectReadable(json.stderr);
    expect(json.stderr).toContain(`! AMOUNT_UNPARSEABLE: Amount "99.00⏎${X114}…" (`);
    expect(json.stdout.length).toBeGreaterThan(512_000);
  });

  it('stays bounded when the terminal is narrow enough to wrap the tables', async () => {
    const settings = resolveSettings(undefined, undefined, { spend: [damaged] });
    const printed = renderCheck(await analyse(settings, { allowNoArea: true }), new Chalk({ level: 0 }), { width: 100 });
    expectReadable(printed);
    expect(printed).toContain(`"99.00⏎${X114}…"`);
  });

  it("cuts a supplier's name of a megabyte in the tables of suppliers to locate", async () => {
    const settings = resolveSettings(undefined, undefined, { spend: [longName], area: 'HX' });
    const analysis = await analyse(settings);
    const name = analysis.suppliers.find((s) => s.name.startsWith('Long Name'))!.name;
    expect(name.length).toBeGreaterThan(512_000);
    const printed = renderSummary(analysis, new Chalk({ level: 0 }), null, { width: undefined });
    expectReadable(printed);
    expect(printed).toContain(`│ Long Name⏎${'x'.repeat(110)}… (${name.length.toLocaleString('en-GB')} characters in all) │ £999.00 │`);
    expectReadable(renderSummary(analysis, new Chalk({ level: 0 }), null, { width: 100 }));
  });

  it('is bounded by every table even where a renderer forgot to cut it', () => {
    const evidence = `${'line of text\n'.repeat(100_000)}`;
    const printed = renderSteps([{ ...STEPS[0]!, state: 'done', evidence, next: '' }], new Chalk({ level: 0 }), { width: undefined });
    // The table's own bound, 1,000 characters a cell, is wider than input text is cut to, but still one line.
    const lines = printed.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => line.length > 1_100)).toEqual([]);
    expect(printed).toContain(`line of text⏎line of text⏎`);
    expect(printed).toContain(`… (1,300,000 characters in all) │`);
  });
});
