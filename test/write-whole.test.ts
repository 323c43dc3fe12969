import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeStaleTemporaries, STALE_AFTER_MS, temporaryFor, writeWhole } from '../src/write-whole.js';
import { cli, FIXTURE } from './cli-helper.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-temporaries-'));
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

/** A file in `dir`, last written `ageMs` ago. */
function file(name: string, ageMs: number): string {
  const path = join(dir, name);
  writeFileSync(path, 'half a workbook');
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
  return name;
}

const TWO_HOURS = 2 * 60 * 60 * 1000;

describe('temporary files', () => {
  it('are named with the writer\'s process id, hidden, beside the file they become, with its extension', () => {
    const name = basename(temporaryFor(join(dir, 'report.xlsx')));
    expect(name).toMatch(new RegExp(`^\\.local-impact-tmp-${process.pid}-[0-9a-f]{12}\\.xlsx$`));
    expect(temporaryFor(join(dir, 'register.csv'))).toMatch(/^.*\/\.local-impact-tmp-\d+-[0-9a-f]+\.csv$/);
  });

  it('an old one whose writer is gone is removed; a young one, a live writer\'s, and anything else are kept', async () => {
    const dead = deadPid();
    const abandoned = file(`.local-impact-tmp-${dead}-0a1b2c3d4e5f.xlsx`, TWO_HOURS);
    const young = file(`.local-impact-tmp-${dead}-111111111111.xlsx`, STALE_AFTER_MS - 60_000);
    const live = file(`.local-impact-tmp-${process.pid}-222222222222.xlsx`, TWO_HOURS);
    const unrelated = [
      file('report.xlsx', TWO_HOURS),
      file('.local-impact-tmp-notes.txt', TWO_HOURS),
      // Written by an earlier version, without a pid: whose it was cannot be told.
      file('.local-impact-tmp-0a1b2c3d4e5f.xlsx', TWO_HOURS),
      file(`.local-impact-tmp-${dead}-0a1b2c3d4e5f.xlsx.bak`, TWO_HOURS),
    ];
    mkdirSync(join(dir, `.local-impact-tmp-${dead}-333333333333`));

    expect(await removeStaleTemporaries(dir)).toEqual([abandoned]);
    expect(readdirSync(dir).sort()).toEqual([young, live, ...unrelated, `.local-impact-tmp-${dead}-333333333333`].sort());
  });

  it('keeps one whose writer runs as another user (EPERM)', async () => {
    const name = file('.local-impact-tmp-4242-0a1b2c3d4e5f.xlsx', TWO_HOURS);
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    expect(await removeStaleTemporaries(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('a missing folder has nothing to remove', async () => {
    expect(await removeStaleTemporaries(join(dir, 'missing'))).toEqual([]);
  });

  it('writing a file removes the abandoned ones beside it, and leaves no temporary of its own', async () => {
    const dead = deadPid();
    file(`.local-impact-tmp-${dead}-0a1b2c3d4e5f.csv`, TWO_HOURS);
    const live = file(`.local-impact-tmp-${process.pid}-222222222222.csv`, TWO_HOURS);
    await writeWhole(join(dir, 'register.csv'), 'a,b\r\n');
    expect(readdirSync(dir).sort()).toEqual([live, 'register.csv'].sort());
    expect(readFileSync(join(dir, 'register.csv'), 'utf8')).toBe('a,b\r\n');
  });

  it('a run writing its report into the folder removes what a killed run left there', async () => {
    const dead = deadPid();
    const abandoned = file(`.local-impact-tmp-${dead}-0a1b2c3d4e5f.xlsx`, TWO_HOURS);
    const young = file(`.local-impact-tmp-${dead}-111111111111.xlsx`, 60_000);
    const out = join(dir, 'report.xlsx');
    const { code } = await cli('run', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'HX', '--out', out, '--quiet');
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([young, 'report.xlsx'].sort());
    expect(readdirSync(dir)).not.toContain(abandoned);
  });

  it('the supplier register does the same', async () => {
    const dead = deadPid();
    file(`.local-impact-tmp-${dead}-0a1b2c3d4e5f.csv`, TWO_HOURS);
    const out = join(dir, 'register.csv');
    const { code } = await cli('suppliers', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--out', out, '--json');
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual(['register.csv']);
  });
});
