// Bundles the program into dist/bundle/, and records V8's compiled code for it.
//
// Why: on a command whose whole budget for a million-row file is ~1.4 s (npm run bench), starting up
// was the largest fixed cost. Node 20 loads an ES module graph file by file: the tool's ~60 modules
// and its dependencies' (zod alone is hundreds of small files) took ~250 ms before any work began.
// - main.cjs: the command, one CommonJS bundle, which bin/local-impact.js compiles with the code cache
//   below (Node 20 has no compile cache of its own for modules): it loads in ~45 ms instead of ~270.
// - spend-worker.js: the worker thread that reads the second half of a large file (small; no cache).
// - main.cjs.cache: V8's code for main.cjs after running the demo (so the functions a run needs are in
//   it). A Node whose V8 differs rejects it and compiles as usual: slower, never wrong.
// Tests run the sources; dist/ (tsc's output) stays for the tests that need compiled code.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Loaded on demand (spreadsheet inputs; Windows-1252 text): not worth parsing on every run, and large.
  // piscina (batch's pool) starts its threads from its own worker file, which must stay beside it in node_modules.
  external: ['iconv-lite', 'piscina'],
  // Smaller to parse; names are kept, so a --debug stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // The sources are ES modules: import.meta.url (used to find package.json and the worker) is this file's URL.
  define: { 'import.meta.url': '__localImpactUrl' },
  // "use strict" first: a banner goes before esbuild's own, which would then be only a statement.
  banner: { js: "'use strict'; const __localImpactUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// - batch-worker.js: batch's pool thread (piscina loads it once per thread): one organisation per task, through
//   the same per-organisation code as `run`.
await build({
  ...common,
  entryPoints: { 'spend-worker': 'src/ingest/spend-worker.ts', 'batch-worker': 'src/batch/batch-worker.ts' },
  outdir: 'dist/bundle',
  format: 'esm',
  // CommonJS dependencies call require() for Node's built-in modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __localImpactRequire } from 'node:module'; const require = __localImpactRequire(import.meta.url);" },
});

execFileSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: 'inherit' });
