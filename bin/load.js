// Loads the bundled program (dist/bundle/main.cjs, built by `npm run build`) with V8's code cache beside
// it, so starting up skips compiling it: see scripts/bundle.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle', 'main.cjs');

export function loadBundle({ useCache = true } = {}) {
  const cacheFile = `${file}.cache`;
  const cachedData = useCache && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const source = readFileSync(file, 'utf8');
  // The same wrapper Node's own CommonJS loader uses.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cacheFile };
}

/** With source maps wanted (--debug), Node's own loader: it reads the bundle's map, and stack traces name the sources. */
export function requireBundle() {
  return createRequire(import.meta.url)(file);
}
