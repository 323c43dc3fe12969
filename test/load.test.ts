import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILT = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');

type Load = { loadBundle(options?: { useCache?: boolean }): { exports: { v: number }; script: { cachedDataRejected?: boolean }; cacheFile: string; cacheOf(): Buffer } };

/** bin/load.js in a package of its own, with a bundle of `source`. */
async function packageWith(source: string): Promise<{ load: Load; bundle: string }> {
  const root = mkdtempSync(join(tmpdir(), 'local-impact-load-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist', 'bundle'), { recursive: true });
  cpSync(join(__dirname, '..', 'bin', 'load.js'), join(root, 'bin', 'load.js'));
  const bundle = join(root, 'dist', 'bundle', 'main.cjs');
  writeFileSync(bundle, source);
  return { load: (await import(pathToFileURL(join(root, 'bin', 'load.js')).href)) as Load, bundle };
}

describe('the executable loads its bundle', () => {
  it('from the code cache made for it, and never from a cache made for other code of the same length', async () => {
    const { load, bundle } = await packageWith("'use strict'; module.exports = { v: 1 };");
    const first = load.loadBundle({ useCache: false });
    writeFileSync(first.cacheFile, first.cacheOf());
    const cached = load.loadBundle();
    expect(cached.exports.v).toBe(1);
    expect(cached.script.cachedDataRejected).toBe(false);
    // Same length, other code: V8 alone would accept the cache and run what it compiled before.
    writeFileSync(bundle, "'use strict'; module.exports = { v: 2 };");
    const changed = load.loadBundle();
    expect(changed.exports.v).toBe(2);
    expect(changed.script.cachedDataRejected).toBeUndefined();
  });

  it.skipIf(!existsSync(BUILT))('runs the built bundle in strict mode, as the tests run the sources', async () => {
    // A banner before esbuild's own "use strict" would leave it a mere statement, and the bundle sloppy.
    expect(readFileSync(BUILT, 'utf8')).toMatch(/^'use strict';/);
    const { load } = await packageWith(`${readFileSync(BUILT, 'utf8').slice(0, 14)} module.exports = { v: (function () { return this === undefined ? 1 : 0; })() };`);
    expect(load.loadBundle({ useCache: false }).exports.v).toBe(1);
  });
});
