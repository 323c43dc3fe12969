import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURE } from './cli-helper.js';
import { installed } from './programs.js';

// The guided conversation, typed into a pseudo-terminal (python3's pty) against the built executable: `npm test` builds first.
describe.skipIf(!installed('python3'))('init on a terminal', () => {
  it('asks each question, checks each file as it is named, asks for the column it cannot choose, and writes the project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-impact-tty-'));
    // "Paid" is no name the tool knows for an amount: it must ask.
    writeFileSync(join(dir, 'payments.csv'), 'Paid,Supplier,Date,Postcode\r\n120.00,Northgate Bakery Ltd,01/05/2024,HX1 2QN\r\n80.50,Kingsway Wholesale Ltd,02/05/2024,M17 1WA\r\n');
    const conversation = [
      ['Which organisation', 'Calder Valley Community Trust\r'],
      ['Which period', '2024-25\r'],
      ['income', '1250000\r'],
      ['What is local', 'HX,OL14\r'],
      ['payments export', `${join(dir, 'payments.csv')}\r`],
      ['Which column is the amount', '\r'],
      ['Another payments file', '\r'],
      ['payroll export', `${join(FIXTURE, 'payroll-2024-25.csv')}\r`],
      ['Write the project', '\r'],
    ];
    const run = spawnSync('python3', [resolve('test/tty-driver.py'), JSON.stringify(conversation), process.execPath, resolve('bin/local-impact.js'), 'init', join(dir, 'project')], {
      encoding: 'utf8',
      timeout: 120_000,
      // No postcode directory: local is given as postcode districts.
      env: { ...process.env, LOCAL_IMPACT_HOME: join(dir, 'home') },
    });
    const screen = stripVTControlCharacters(run.stdout);
    expect(run.status, `${screen}\n${run.stderr}`).toBe(0);
    // What check found, shown as each file was named.
    expect(screen).toContain('payments.csv: 2 rows read, 2 used, 0 not used');
    expect(screen).toContain('amount ← "Paid"');
    expect(screen).toContain('payroll-2024-25.csv: 40 rows read, 40 used, 0 not used');
    // Then the walk, with the next thing to do as a command.
    expect(screen).toMatch(/7 of 10 steps done\. Next, step 7/);
    const project = JSON.parse(readFileSync(join(dir, 'project', 'project.json'), 'utf8'));
    expect(project).toMatchObject({ organisation: 'Calder Valley Community Trust', period: '2024-25', income: 1250000, area: 'HX,OL14', columns: { spend: { amount: 'Paid' } } });
    expect(project.inputs.spend).toEqual(['../payments.csv']);
  }, 150_000);
});
