import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from './cli-helper.js';

/**
 * `run --json-out FILE`: the record a script keeps, written whole and only when the run succeeds, so the
 * README's yearly script leaves nothing behind when `--strict` fails (a shell redirect leaves an empty file).
 * fixtures/year-on-year: 2024-25 passes --strict; 2022-23 is below the coverage rule (SPEND_UNLOCATED).
 */
const YEARS = resolve('fixtures/year-on-year');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-json-out-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('run --json-out', () => {
  it('writes the summary record, the same as --json prints, when the run succeeds', async () => {
    const record = join(dir, 'summary-2025-04-30.json');
    const { code, stdout } = await cli('run', join(YEARS, 'project-2024-25.json'), '--strict', '--json', '--json-out', record, '--out', join(dir, 'report.xlsx'));
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(record, 'utf8'));
    expect(written).toEqual(JSON.parse(stdout));
    expect(written.spend.local).toBe(19000.5);
    // Only the outputs asked for: no temporary file is left beside them.
    expect(readdirSync(dir).sort()).toEqual(['report.xlsx', 'summary-2025-04-30.json']);
  });

  it('writes nothing at all when --strict fails', async () => {
    const record = join(dir, 'summary-2023-04-30.json');
    const { code, stdout, stderr } = await cli('run', join(YEARS, 'project-2022-23.json'), '--strict', '--json-out', record, '--out', join(dir, 'report.xlsx'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/SPEND_UNLOCATED/);
    expect(stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps an existing record unless --force, and refuses before measuring', async () => {
    const record = join(dir, 'summary.json');
    writeFileSync(record, 'last year\n');
    const refused = await cli('run', join(YEARS, 'project-2024-25.json'), '--json-out', record, '--no-report');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/summary\.json already exists/);
    expect(readFileSync(record, 'utf8')).toBe('last year\n');
    const forced = await cli('run', join(YEARS, 'project-2024-25.json'), '--json-out', record, '--no-report', '--force', '--quiet');
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(record, 'utf8')).organisation).toBe('Ryburn Valley Community Hub');
  });

  it('refuses a file name that is not .json', async () => {
    const { code, stderr } = await cli('run', join(YEARS, 'project-2024-25.json'), '--json-out', join(dir, 'summary.txt'), '--no-report');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--json-out writes the summary record/);
    expect(existsSync(join(dir, 'summary.txt'))).toBe(false);
  });
});
