import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What each file of a source folder imports from outside it: `../geo/postcode.js` → `geo`, `../money.js` → `money`. */
function importsOutside(folder: string): { file: string; from: string }[] {
  const dir = join('src', folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/^(?:import|export)[^;]*?from '\.\.\/([a-z-]+)/gm)].map((m) => ({ file: `${folder}/${file}`, from: m[1]! })),
    );
}

// The domain has a home: ingest, geo and measures share its types and import none of each other.
describe('the folders import one way', () => {
  it('domain imports nothing but money', () => {
    expect(importsOutside('domain').filter((i) => i.from !== 'money')).toEqual([]);
  });

  it('ingest and geo do not import each other, nor measures', () => {
    expect(importsOutside('ingest').filter((i) => ['geo', 'measures', 'pipeline', 'report'].includes(i.from))).toEqual([]);
    expect(importsOutside('geo').filter((i) => ['ingest', 'measures', 'pipeline', 'report'].includes(i.from))).toEqual([]);
  });

  it('the CSV reader stands alone: geo and ingest both read through it', () => {
    expect(importsOutside('csv').filter((i) => !['domain', 'money', 'errors', 'write-whole'].includes(i.from))).toEqual([]);
  });

  it('measures take their types from domain: no ingest, geo or I/O', () => {
    expect(importsOutside('measures').filter((i) => !['domain', 'money', 'findings'].includes(i.from))).toEqual([]);
  });
});
