// Runs the demo through dist/bundle/main.cjs in this fresh process, then saves V8's code for the bundle,
// compiled functions included, as dist/bundle/main.cjs.cache (see scripts/bundle.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../bin/load.js';

const { exports, cacheFile, cacheOf } = loadBundle({ useCache: false });
const dir = mkdtempSync(join(tmpdir(), 'local-impact-cache-'));
const write = process.stdout.write;
process.stdout.write = () => true;
try {
  const code = await exports.main(['node', 'local-impact', 'demo', '--out', join(dir, 'demo.xlsx'), '--force', '--quiet']);
  if (code !== 0) throw new Error(`the demo exited with ${code}`);
} finally {
  process.stdout.write = write;
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(cacheFile, cacheOf());
