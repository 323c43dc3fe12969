import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the tool's own package.json, found by walking up from this module: the same answer
 * whether the code runs from src/ (tests), dist/ (compiled) or dist/bundle/ (what the executable loads).
 */
export const PACKAGE_ROOT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`local-impact: no package.json above ${fileURLToPath(import.meta.url)}`);
  }
})();

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** The tool's name and version, as reports print them. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
