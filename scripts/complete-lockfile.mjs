#!/usr/bin/env node
/**
 * Adds to package-lock.json the platform-specific optional packages it lacks (rollup's and DuckDB's
 * builds for other systems), so that `npm ci` accepts the lockfile.
 *
 * Why: the npm registry mirror this project is developed against serves only the packages for the
 * machine's own platform, and npm 11 then leaves the others out of the lockfile, after which `npm ci`
 * refuses it ("Missing: @rollup/rollup-darwin-x64 from lock file"). Each entry added names its version,
 * os, cpu (and libc) as the parent package declares them, so npm skips it on every other platform.
 * Run after any `npm install` that changes the lockfile: `npm run lock:complete`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'];
const SYSTEMS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'openharmony', 'netbsd', 'sunos', 'aix'];

let added = 0;
for (const [where, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = where === '' ? `node_modules/${name}` : `${where}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').at(-1).split('-');
    const os = SYSTEMS.find((s) => parts.includes(s));
    const cpu = CPUS.find((c) => parts.includes(c));
    if (!os || !cpu) {
      console.error(`complete-lockfile: cannot tell the platform of ${name}; add it to the lockfile by hand.`);
      process.exitCode = 1;
      continue;
    }
    const entry = { version };
    if (meta.dev) entry.dev = true;
    entry.optional = true;
    entry.os = [os];
    entry.cpu = [cpu];
    if (parts.includes('musl')) entry.libc = ['musl'];
    else if (os === 'linux' && parts.some((p) => p.startsWith('gnu'))) entry.libc = ['glibc'];
    packages[`node_modules/${name}`] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
