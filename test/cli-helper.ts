import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import { main } from '../src/cli/main.js';

/** Runs the CLI in-process, as `local-impact <args>`, capturing what it prints and its exit status. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'local-impact', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export const FIXTURE = resolve('fixtures/calder-valley-trust');

/** The bundled organisation's inputs as flags, with the income followed (the project file's by default). */
export const fixtureArgs = (income = '1250000') => [
  '--spend', join(FIXTURE, 'payments-2024-25.csv'),
  '--payroll', join(FIXTURE, 'payroll-2024-25.csv'),
  '--suppliers', join(FIXTURE, 'supplier-register.csv'),
  '--supplier-survey', join(FIXTURE, 'supplier-survey.csv'),
  '--staff-survey', join(FIXTURE, 'staff-survey.csv'),
  '--area', 'HX,OL14',
  '--income', income,
];
