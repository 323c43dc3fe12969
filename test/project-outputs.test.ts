import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { UserError } from '../src/errors.js';
import { cli, FIXTURE } from './cli-helper.js';

// A project file may come from someone else: it reads its inputs from anywhere, but writes only inside its own folder.
let dir: string;
let project: string;
let folder: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-outputs-'));
  folder = join(dir, 'project');
  mkdirSync(folder);
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'elsewhere'));
  copyFileSync(join(FIXTURE, 'payments-2024-25.csv'), join(dir, 'data', 'payments.csv'));
  project = join(folder, 'project.json');
});

/** A project file whose spend lies outside its folder (allowed), writing to `out`. */
function projectWriting(out: string, at = project): string {
  writeFileSync(at, JSON.stringify({ area: 'HX', inputs: { spend: '../data/payments.csv' }, out }));
  return at;
}

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

async function runRefused(out: string) {
  const result = await cli('run', projectWriting(out), '--quiet');
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  // It names the setting, the path as written, and the flag to use instead; no stack trace.
  expect(result.stderr).toContain(`"out": "${out}"`);
  expect(result.stderr).toContain('--out');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

describe('an output named in a project file', () => {
  it('is refused, with its code, when it climbs out of the project folder', async () => {
    await runRefused('../elsewhere/report.xlsx');
    expect(existsSync(join(dir, 'elsewhere', 'report.xlsx'))).toBe(false);
    const settings = await loadProjectFile(projectWriting('../elsewhere/report.xlsx'));
    const error = thrown(() => resolveSettings(settings, project, {}));
    expect([error.code, error.exitCode, error.options.file]).toEqual(['OUTPUT_OUTSIDE_PROJECT', 2, project]);
  });

  it('is refused when absolute and elsewhere', async () => {
    await runRefused(join(dir, 'elsewhere', 'report.xlsx'));
    expect(existsSync(join(dir, 'elsewhere', 'report.xlsx'))).toBe(false);
  });

  it('is refused when it climbs out and back in through .. (sub/../../)', async () => {
    mkdirSync(join(folder, 'sub'));
    await runRefused('sub/../../elsewhere/report.xlsx');
  });

  it('is refused when a folder inside the project is a symlink to elsewhere', async () => {
    symlinkSync(join(dir, 'elsewhere'), join(folder, 'reports'));
    await runRefused('reports/report.xlsx');
    expect(existsSync(join(dir, 'elsewhere', 'report.xlsx'))).toBe(false);
  });

  it('is refused under a symlinked folder that does not exist yet beyond it', async () => {
    symlinkSync(join(dir, 'elsewhere'), join(folder, 'reports'));
    await runRefused('reports/2025/report.xlsx');
  });

  it('is written when it stays inside, however it is spelled', async () => {
    mkdirSync(join(folder, 'reports'));
    for (const [out, written] of [
      ['report.xlsx', 'report.xlsx'],
      ['reports/../report2.xlsx', 'report2.xlsx'],
      ['reports/report.xlsx', 'reports/report.xlsx'],
      [join(folder, 'reports', 'absolute.xlsx'), 'reports/absolute.xlsx'],
      ['..report.xlsx', '..report.xlsx'],
    ] as const) {
      const { code, stderr } = await cli('run', projectWriting(out), '--quiet');
      expect({ out, code, stderr }).toEqual({ out, code: 0, stderr: '' });
      expect(existsSync(join(folder, written))).toBe(true);
    }
  });

  it('is judged from the real project folder, when the project is reached through a symlink', async () => {
    symlinkSync(folder, join(dir, 'shortcut'));
    const { code } = await cli('run', projectWriting('report.xlsx', join(dir, 'shortcut', 'project.json')), '--quiet');
    expect(code).toBe(0);
    expect(existsSync(join(folder, 'report.xlsx'))).toBe(true);
  });

  it('may go anywhere when given on the command line instead', async () => {
    const out = join(dir, 'elsewhere', 'report.xlsx');
    const { code } = await cli('run', projectWriting('../elsewhere/ignored.xlsx'), '--out', out, '--quiet');
    expect(code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('is refused by check too, which says what run would refuse', async () => {
    const { code, stderr } = await cli('check', projectWriting('../elsewhere/report.xlsx'));
    expect(code).toBe(2);
    expect(stderr).toContain('"out": "../elsewhere/report.xlsx"');
  });
});
