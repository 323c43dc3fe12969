import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, fixtureArgs } from './cli-helper.js';

// The statement in a real browser: Chromium renders it, prints it to A4, and the figures are on the page.
// CI installs Chromium (.ci/run); elsewhere the test is skipped, saying so, when it is missing.
const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(has);
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (!chromium && !inCi) console.warn('statement-browser.test.ts skipped: no chromium on PATH (apt-get install chromium); in CI it runs.');

function headless(out: string, ...args: string[]): string {
  // Its own profile folder, so runs in parallel (or a desktop Chromium left open) do not lock each other out.
  return execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(out, 'profile')}`, '--no-pdf-header-footer', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 32 * 1024 * 1024,
  });
}

function pdfPages(pdf: string): number {
  if (has('pdfinfo')) return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return (readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(!chromium && !inCi)('the statement in a headless browser', () => {
  it('renders, and prints to one or two A4 pages carrying the figures', async () => {
    expect(chromium, 'CI must have chromium: see .ci/run').toBeDefined();
    const out = mkdtempSync(join(tmpdir(), 'local-impact-browser-'));
    const html = join(out, 'statement.html');
    const run = await cli('run', ...fixtureArgs(), '--organisation', 'Calder Valley Community Trust', '--period', '2024-25', '--no-report', '--quiet', '--statement', html);
    expect(run.code, run.stderr).toBe(0);
    const url = pathToFileURL(html).href;

    const screenshot = join(out, 'statement.png');
    headless(out, `--screenshot=${screenshot}`, '--window-size=900,2400', '--hide-scrollbars', url);
    expect(existsSync(screenshot)).toBe(true);
    // A PNG of some size: a blank or failed render is a few hundred bytes.
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(screenshot).length).toBeGreaterThan(20_000);

    const pdf = join(out, 'statement.pdf');
    headless(out, `--print-to-pdf=${pdf}`, url);
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);

    // The page as the browser built it: the headline and the figures are there, and nothing ran.
    const dom = headless(out, '--dump-dom', url);
    const text = dom.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<\/?(cite|span)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
    expect(text).toContain('Every £1 of income to Calder Valley Community Trust generated a further £0.99 for the local economy (LM3 1.99, range 1.99–2.01)');
    for (const figure of ['£1,250,000.00 income', '£825,158.75 spent locally', '£414,963.79 re-spent locally', '£245,735.75 local (52.2%, 42 suppliers)', 'Meridian Facilities Services Ltd £52,412.30', 'in pounds withheld to keep staff pay private']) {
      expect(text).toContain(figure);
    }
    if (has('pdftotext')) {
      const printed = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(printed).toContain('generated a further £0.99 for the local economy');
      expect(printed).toContain('£825,158.75');
      expect(printed).toContain('Based on Keep it Local');
    }
    console.info(`statement rendered: ${screenshot}, ${pdf} (${pages} page${pages === 1 ? '' : 's'})`);
  });
});
