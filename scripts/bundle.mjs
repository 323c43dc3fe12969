// Bundles the compiled program into dist/bundle/: the executable's entry and the spend worker,
// with shared code split into chunks beside them.
//
// Why: Node 20 loads an ES module graph file by file. The tool's ~60 modules and its dependencies'
// (zod alone is hundreds of small files) took ~250 ms to load before any work began, on a command
// whose whole budget for a million-row file is ~1.4 s (npm run bench). One bundle loads in a fraction.
// Tests keep running the sources; dist/ (tsc's output) stays for the tests that need compiled code.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names change with their content: old ones must not linger.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { main: 'src/cli/main.ts', 'spend-worker': 'src/ingest/spend-worker.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded on demand (spreadsheet inputs; Windows-1252 text): not worth parsing on every run, and large.
  external: ['exceljs', 'iconv-lite'],
  // CommonJS dependencies call require() for Node's built-in modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __localImpactRequire } from 'node:module'; const require = __localImpactRequire(import.meta.url);" },
  // Smaller to parse; names are kept, so a --debug stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
