import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { resolveSettings } from '../src/config/settings.js';
import { renderSummary } from '../src/report/terminal.js';

/** The README's examples print what the README shows. */
describe('the README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('shows the summary its quick-start command prints at 80 columns', async () => {
    const block = /At 80\ncolumns it begins:\n\n```\n([\s\S]*?)\n```/.exec(readme)![1]!.split('\n');
    const fixture = (file: string) => resolve('fixtures/calder-valley-trust', file);
    // The README's command: --spend, --payroll, --area "HX,OL14", --income 1250000, --period, --organisation.
    const settings = resolveSettings(undefined, undefined, {
      spend: [fixture('payments-2024-25.csv')],
      payroll: fixture('payroll-2024-25.csv'),
      area: 'HX,OL14',
      income: 1_250_000,
      period: '2024-25',
      organisation: 'Calder Valley Community Trust',
    });
    const printed = renderSummary(await analyse(settings), new Chalk({ level: 0 }), null, { width: 80 }).split('\n');
    expect(printed.slice(0, block.length)).toEqual(block);
  });

  it('gives the JSON contract the schema version the tool prints', () => {
    expect(readme).toContain('"schemaVersion": 3,');
  });
});
