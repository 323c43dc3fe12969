import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isRejection } from '../src/findings.js';
import { type ReadRow, readSpend } from '../src/ingest/spend.js';
import { cli, FIXTURE } from './cli-helper.js';

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

/**
 * A line of the damaged file: its text, the clean line it came from (0: none), whether damage touched it, and the
 * clean line it is a copy of (a second table repeating rows of the first).
 */
interface Line {
  text: string;
  origin: number;
  touched: boolean;
  copyOf?: number;
}

type Damage =
  | { kind: 'strayQuote'; at: number; field: number }
  | { kind: 'dropQuote'; at: number }
  | { kind: 'extraDelimiter'; at: number; field: number }
  | { kind: 'dropDelimiter'; at: number }
  | { kind: 'truncate'; at: number; cut: number }
  | { kind: 'repeatHeader'; at: number }
  | { kind: 'lineEndings'; seed: number }
  | { kind: 'secondTable'; copy: boolean; rows: number }
  | { kind: 'encoding'; to: 'utf-16le' | 'windows-1252' };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('strayQuote' as const), at: fc.nat(), field: fc.nat(12) }),
  fc.record({ kind: fc.constant('dropQuote' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extraDelimiter' as const), at: fc.nat(), field: fc.nat(12) }),
  fc.record({ kind: fc.constant('dropDelimiter' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), cut: fc.nat(40) }),
  fc.record({ kind: fc.constant('repeatHeader' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('lineEndings' as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant('secondTable' as const), copy: fc.boolean(), rows: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constantFrom('encoding' as const), to: fc.constantFrom('utf-16le' as const, 'windows-1252' as const) }),
);

/** Applies the damages to the lines; returns the file's bytes. Line 0 is the header. */
function damaged(header: string, lines: Line[], damages: Damage[]): Buffer {
  let eol: (i: number) => string = () => '\n';
  let encoding: 'utf-8' | 'utf-16le' | 'windows-1252' = 'utf-8';
  let truncateAt: number | undefined;
  const pick = (at: number) => 1 + (at % Math.max(1, lines.length - 1));
  for (const d of damages) {
    if (lines.length < 3) break;
    const i = pick('at' in d ? d.at : 0);
    const line = lines[i]!;
    switch (d.kind) {
      case 'strayQuote': {
        const fields = line.text.split(',');
        const f = d.field % fields.length;
        fields[f] = `"${fields[f]}`;
        lines[i] = { ...line, text: fields.join(','), touched: true };
        break;
      }
      case 'dropQuote': {
        const q = line.text.lastIndexOf('"');
        if (q >= 0) lines[i] = { ...line, text: line.text.slice(0, q) + line.text.slice(q + 1), touched: true };
        break;
      }
      case 'extraDelimiter': {
        const fields = line.text.split(',');
        const f = d.field % fields.length;
        const text = fields[f]!;
        fields[f] = `${text.slice(0, Math.ceil(text.length / 2))},${text.slice(Math.ceil(text.length / 2))}`;
        lines[i] = { ...line, text: fields.join(','), touched: true };
        break;
      }
      case 'dropDelimiter': {
        const c = line.text.indexOf(',');
        if (c >= 0) lines[i] = { ...line, text: line.text.slice(0, c) + line.text.slice(c + 1), touched: true };
        break;
      }
      case 'truncate':
        truncateAt = i;
        lines[i] = { ...line, text: line.text.slice(0, Math.max(0, line.text.length - d.cut)), touched: true };
        lines.splice(i + 1);
        break;
      case 'repeatHeader':
        lines.splice(i, 0, { text: header, origin: 0, touched: true });
        break;
      case 'lineEndings': {
        const endings = ['\n', '\r\n', '\r'];
        eol = (k) => endings[(d.seed + k * 7) % 3]!;
        break;
      }
      case 'secondTable':
        if (d.copy) {
          const copies = lines.slice(1).filter((l) => l.origin > 0).map((l) => ({ text: l.text, origin: 0, touched: true, copyOf: l.origin }));
          lines.push({ text: header, origin: 0, touched: true }, ...copies);
        } else {
          const template = lines.find((l) => l.origin > 0 && !l.touched)?.text;
          if (template === undefined) break;
          lines.push({ text: header, origin: 0, touched: true });
          const origin = lines.find((l) => l.text === template)!.origin;
          for (let r = 0; r < d.rows; r++) lines.push({ text: template, origin: 0, touched: true, copyOf: origin });
        }
        break;
      case 'encoding':
        encoding = d.to;
        break;
    }
  }
  const text = [header, ...lines.slice(1).map((l) => l.text)].map((t, k, all) => (k === all.length - 1 && truncateAt !== undefined ? t : `${t}${eol(k)}`)).join('');
  lines[0] = { text: header, origin: 0, touched: false };
  if (encoding === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'windows-1252') return iconv.encode(text, 'win1252');
  return Buffer.from(text, 'utf8');
}

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
