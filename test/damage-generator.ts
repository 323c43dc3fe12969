import fc from 'fast-check';
import iconv from 'iconv-lite';

/** Damage done to clean ledgers the ways real ones arrive damaged: see damage-property.test.ts. */

/**
 * A line of the damaged file: its text, the clean line it came from (0: none), whether damage touched it, and the
 * clean line it is a copy of (a second table repeating rows of the first).
 */
export interface Line {
  text: string;
  origin: number;
  touched: boolean;
  copyOf?: number;
}

export type Damage =
  | { kind: 'strayQuote'; at: number; field: number }
  | { kind: 'dropQuote'; at: number }
  | { kind: 'extraDelimiter'; at: number; field: number }
  | { kind: 'dropDelimiter'; at: number }
  | { kind: 'truncate'; at: number; cut: number }
  | { kind: 'repeatHeader'; at: number }
  | { kind: 'lineEndings'; seed: number }
  | { kind: 'secondTable'; copy: boolean; rows: number }
  | { kind: 'encoding'; to: 'utf-16le' | 'windows-1252' };

export const damage: fc.Arbitrary<Damage> = fc.oneof(
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
export function damaged(header: string, lines: Line[], damages: Damage[]): Buffer {
  let eol: (i: number) => string = () => '\n';
  let encoding: 'utf-8' | 'utf-16le' | 'windows-1252' = 'utf-8';
  let truncateAt: number | undefined;
  const pick = (at: number) => 1 + (at % Math.max(1, lines.length - 1));
  // A file is cut off last: whatever else was done to it, it ends where it was cut.
  const ordered = [...damages.filter((d) => d.kind !== 'truncate'), ...damages.filter((d) => d.kind === 'truncate').slice(0, 1)];
  for (const d of ordered) {
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

