// Compiles the WebAssembly part of the reader (src/ingest/scan.as.ts, AssemblyScript) into
// dist/wasm/scan.wasm, which src/ingest/scan-wasm.ts loads. Part of `npm run build`.
import { mkdirSync } from 'node:fs';
import asc from 'assemblyscript/asc';

mkdirSync('dist/wasm', { recursive: true });
const { error, stderr } = await asc.main([
  'src/ingest/scan.as.ts',
  '--outFile', 'dist/wasm/scan.wasm',
  '-O3',
  // No allocator or garbage collector: the module only reads and writes memory the caller lays out.
  '--runtime', 'stub',
  '--noAssert',
  '--enable', 'simd',
]);
if (error) {
  console.error(stderr.toString());
  process.exit(1);
}
