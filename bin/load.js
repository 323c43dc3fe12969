// Loads the bundled program (dist/bundle/main.cjs, built by `npm run build`) with V8's code cache beside
// it, so starting up skips compiling it: see scripts/bundle.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle', 'main.cjs');
const cacheFile = `${file}.cache`;
const DIGEST_BYTES = 32;

/**
 * The cache file is the SHA-256 of the source it was made from, then V8's data. V8 checks only that the
 * source is as long as it was, so the digest is what keeps a cache from running code the bundle no longer has.
 */
function cachedDataFor(source) {
  if (!existsSync(cacheFile)) return undefined;
  const cache = readFileSync(cacheFile);
  return cache.subarray(0, DIGEST_BYTES).equals(digest(source)) ? cache.subarray(DIGEST_BYTES) : undefined;
}

function digest(source) {
  return createHash('sha256').update(source).digest();
}

export function loadBundle({ useCache = true } = {}) {
  const source = readFileSync(file, 'utf8');
  const cachedData = useCache ? cachedDataFor(source) : undefined;
  // The wrapper Node's own CommonJS loader uses.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cacheFile, cacheOf: () => Buffer.concat([digest(source), script.createCachedData()]) };
}

/** With source maps wanted (--debug), Node's own loader: it reads the bundle's map, and stack traces name the sources. */
export function requireBundle() {
  return createRequire(import.meta.url)(file);
}
