import { execFileSync } from 'node:child_process';

/** Whether a program the tests drive (LibreOffice, Chromium) is installed: `.ci/run` installs them in CI. */
export function installed(program: string, versionFlag = '--version'): boolean {
  try {
    execFileSync(program, [versionFlag], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
