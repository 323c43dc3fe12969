import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRejection } from '../src/findings.js';
import { type ReadRow, readSpend } from '../src/ingest/spend.js';
import { cli, FIXTURE } from './cli-helper.js';
import { damage, damaged, type Line } from './damage-generator.js';

/**
 * Clean files, damaged by a generator the ways real ledgers arrive damaged (extra or missing quotes, extra or missing
 * delimiters, truncation, repeated headers, mixed line endings, a second table, odd encodings), and on every damage:
 * - accepted + rejected = rows read, and each rejected row is listed with its code;
 * - every clean row is accepted with its exact amount, or rejected and listed, or flagged by a finding on its line;
 *   so the accepted total is the clean total minus the money of rows rejected or gone, plus the flagged differences;
 * - no payment is invented: a line that was no clean row (a header, a copy) is rejected or flagged, never summed in silence;
 * - through the CLI: exit 0, 1 or 2, never 70, and no stack trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'local-impact-damage-'));
const SOURCES = [
  join(FIXTURE, 'payments-2024-25.csv'),
  '../shared/data/council-spend/networkrail_2021-04_clean.csv',
  '../shared/data/council-spend/cabinetoffice_2022-07_clean.csv',
  '../shared/data/council-spend/darlington_2022-09_clean.csv',
];

async function readRows(path: string) {
  const accepted = new Map<number, number>();
  const rejected = new Set<number>();
  const recovered = new Set<number>();
  let accepting = true;
  const ledger = await readSpend([path], {
    onRow: (row: ReadRow) => {
      if (!accepting) return;
      if (row.kind === 'accepted') accepted.set(row.line, (accepted.get(row.line) ?? 0) + row.amount);
      else if (row.kind === 'rejected') rejected.add(row.line);
      else recovered.add(row.line);
    },
    onRowsRestart: () => {
      accepted.clear();
      rejected.clear();
      recovered.clear();
    },
  });
  accepting = false;
  return { ledger, accepted, rejected, recovered };
}

let n = 0;

describe('damaged files: nothing lost, nothing silent', () => {
  for (const source of SOURCES) {
    it(`${source.split('/').at(-1)}, damaged every way`, async () => {
      const text = readFileSync(source, 'utf8').replace(/^\ufeff/, '');
      const all = text.split(/\r?\n/);
      if (all.at(-1) === '') all.pop();
      // A slice keeps each run quick; the damages land anywhere in it.
      const cleanLines = all.slice(0, 120);
      const cleanPath = join(dir, `clean-${n++}.csv`);
      writeFileSync(cleanPath, `${cleanLines.join('\n')}\n`);
      const clean = await readRows(cleanPath);
      const cleanAmount = (line: number) => clean.accepted.get(line);

      await fc.assert(
        fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 4 }), async (damages) => {
          const lines: Line[] = cleanLines.map((t, i) => ({ text: t, origin: i + 1, touched: false }));
          const bytes = damaged(cleanLines[0]!, lines, damages);
          const path = join(dir, `damaged-${n++}.csv`);
          writeFileSync(path, bytes);
          let result: Awaited<ReturnType<typeof readRows>>;
          try {
            result = await readRows(path);
          } catch (error) {
            // A file with nothing usable is refused with one coded message; never a crash.
            expect((error as { exitCode?: number }).exitCode, String(error)).toBeDefined();
            return;
          }
          const { ledger, accepted, rejected, recovered } = result;
          expect(ledger.rowsAccepted + ledger.rowsRejected).toBe(ledger.rowsRead);
          const rejections = ledger.findings.details.filter(isRejection);
          expect(rejections.length).toBe(ledger.rowsRejected);
          expect(rejected.size).toBe(ledger.rowsRejected);
          expect([...accepted.values()].reduce((a, b) => a + b, 0)).toBe(ledger.total);
          // Flagged: a finding names the line, or it was re-read after damage and said so (QUOTE_DAMAGE, listed as recovered).
          const flagged = new Set([...ledger.findings.details.filter((f) => f.line !== undefined).map((f) => f.line!), ...recovered]);
          // Each clean row's money counts once, on its own line or on a copy of it.
          const counted = new Map<number, number>();
          // Lines as the damaged file numbers them (a CR-only or CRLF file numbers them alike).
          let expected = 0;
          let flaggedDifference = 0;
          lines.forEach((line, k) => {
            const at = k + 1;
            if (k === 0) return;
            const got = accepted.get(at);
            // A row cut away whole (the file cut off before it) is not in the file: nothing to read.
            if (line.text.trim() === '') return;
            if (line.origin > 0 && cleanAmount(line.origin) !== undefined) {
              const want = cleanAmount(line.origin)!;
              if (got !== undefined) counted.set(line.origin, (counted.get(line.origin) ?? 0) + 1);
              if (got === want) expected += want;
              else if (got !== undefined) {
                expect(flagged.has(at), `line ${at} (clean ${line.origin}) read as ${got}, not ${want}, with no finding`).toBe(true);
                expected += want;
                flaggedDifference += got - want;
              } else expect(rejected.has(at) || flagged.has(at), `clean line ${line.origin}, now ${at}, lost in silence`).toBe(true);
            } else if (got !== undefined && line.copyOf !== undefined && cleanAmount(line.copyOf) === got && !flagged.has(at)) {
              // A copy read in place of its original (rejected there): the payment once, not twice.
              counted.set(line.copyOf, (counted.get(line.copyOf) ?? 0) + 1);
              flaggedDifference += got;
            } else if (got !== undefined) {
              // A line that was no clean row (a header, a copy read as well as its original): flagged, or it is a payment invented.
              expect(flagged.has(at), `line ${at} ("${line.text.slice(0, 60)}") read as a payment of ${got}, with no finding`).toBe(true);
              flaggedDifference += got;
            }
          });
          for (const [origin, times] of counted) expect(times, `clean line ${origin} counted ${times} times`).toBe(1);
          expect(ledger.total).toBe(expected + flaggedDifference);
        }),
        { numRuns: 40, seed: 20261201 + n },
      );
    }, 120_000);
  }

  it('through the CLI, a damaged file exits 0, 1 or 2, never 70, and prints no stack trace', async () => {
    const text = readFileSync(SOURCES[0]!, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 5 }), async (damages) => {
        const cleanLines = text.split(/\r?\n/).filter((l) => l !== '').slice(0, 60);
        const lines: Line[] = cleanLines.map((t, i) => ({ text: t, origin: i + 1, touched: false }));
        const path = join(dir, `cli-${n++}.csv`);
        writeFileSync(path, damaged(cleanLines[0]!, lines, damages));
        const { code, stderr, stdout } = await cli('check', '--spend', path, '--area', 'HX');
        expect([0, 1, 2]).toContain(code);
        expect(`${stderr}${stdout}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: 25, seed: 7 },
    );
  }, 120_000);
});
