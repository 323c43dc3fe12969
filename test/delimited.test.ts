import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { Interner, type RecordView, scanDelimited, sniffDelimited } from '../src/csv/delimited.js';
import { tokenizeStream, tokenizeText } from '../src/csv/stream.js';

const dir = mkdtempSync(join(tmpdir(), 'local-impact-delimited-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, chunkSize?: number) {
  const sniffed = await sniffDelimited(path);
  const records: { line: number; fields: string[]; raw: string }[] = [];
  await scanDelimited(path, {
    delimiter: sniffed.delimiter.charCodeAt(0),
    encoding: sniffed.encoding,
    skipBytes: sniffed.bomBytes,
    chunkSize,
    onRecord: (r) => {
      const fields: string[] = [];
      for (let i = 0; i < r.fieldCount; i++) fields.push(r.field(i));
      records.push({ line: r.line, fields, raw: r.raw() });
    },
  });
  return { sniffed, records };
}

/** A seeded generator of awkward CSV: quotes, doubled quotes, delimiters and newlines inside fields. */
function awkwardCsv(seed: number, rows: number): string {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pieces = ['plain', 'with, comma', 'say "hi"', 'line\nbreak', '', ' spaced ', 'Café £5', 'a""b', 'x\r\ny', '0'];
  const out: string[] = [];
  const eol = rand() < 0.5 ? '\r\n' : '\n';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 5; c++) {
      const value = pieces[Math.floor(rand() * pieces.length)]!;
      cells.push(/[",\r\n]/.test(value) || rand() < 0.2 ? `"${value.replaceAll('"', '""')}"` : value);
    }
    out.push(cells.join(','));
  }
  return `${out.join(eol)}${eol}`;
}

describe('the byte-level reader agrees with csv-parse (the reference)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`on awkward CSV, seed ${seed}, at every chunk size`, async () => {
      const text = awkwardCsv(seed, 300);
      const path = file(text);
      const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      for (const chunkSize of [7, 64, 1000, 1 << 20]) {
        const { records } = await read(path, chunkSize);
        expect(records.map((r) => r.fields)).toEqual(expected);
      }
    });
  }

  it('on an unterminated quote at the end of the file, and a delimiter before the end', async () => {
    for (const text of ['a,b\n1,"open\n2,3', 'a,b\n1,2,', 'a,"b" c,d\r\n\r\n"x""y",', '\n\n', 'x']) {
      const path = file(text);
      const { records } = await read(path, 3);
      expect(records, JSON.stringify(text)).toEqual((await read(path)).records); // chunk boundaries change nothing
      // csv-parse refuses an unterminated quote; this reader keeps the rest of the file as the field.
      if (text.includes('"open')) expect(records.at(-1)!.fields).toEqual(['1', 'open\n2,3']);
      // Text after a closing quote stays with the field, quote and all, as spreadsheets keep it; csv-parse differs.
      else if (!text.includes('" c')) expect(records.map((r) => r.fields), JSON.stringify(text)).toEqual(parse(text, { relax_column_count: true, skip_empty_lines: true, relax_quotes: true }));
    }
  });
});

describe('the stream reader (zip entries, gunzip, tables in memory)', () => {
  const collect = () => {
    const records: { line: number; fields: string[] }[] = [];
    const onRecord = (r: RecordView) => {
      const fields: string[] = [];
      for (let i = 0; i < r.fieldCount; i++) fields.push(r.field(i));
      records.push({ line: r.line, fields });
    };
    return { records, onRecord };
  };
  /** The bytes as a stream of chunks of `size` bytes, as a decompressor hands them over. */
  const chunked = (bytes: Buffer, size: number) =>
    Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

  for (const seed of [1, 2, 3]) {
    it(`agrees with csv-parse on awkward CSV, seed ${seed}, whatever the chunks`, async () => {
      const text = awkwardCsv(seed, 300);
      const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      for (const size of [1, 2, 7, 64, 1 << 20]) {
        const { records, onRecord } = collect();
        expect(await tokenizeStream(chunked(Buffer.from(text), size), { onRecord })).toBe(expected.length);
        expect(records.map((r) => r.fields)).toEqual(expected);
      }
      const { records, onRecord } = collect();
      tokenizeText(text, { onRecord });
      expect(records.map((r) => r.fields)).toEqual(expected);
    });
  }

  it('skips a byte-order mark split across chunks, and numbers lines across quoted newlines', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('pcds,laua\r\n"HX1\r\n1RE",E08000033\r\n\r\nHX1 2AB,"E0800""0033"\r\n')]);
    const { records, onRecord } = collect();
    await tokenizeStream(chunked(bytes, 1), { onRecord });
    expect(records).toEqual([
      { line: 1, fields: ['pcds', 'laua'] },
      { line: 2, fields: ['HX1\r\n1RE', 'E08000033'] },
      { line: 5, fields: ['HX1 2AB', 'E0800"0033'] },
    ]);
  });

  it('reads a table in memory with its own delimiter and no final newline', () => {
    const { records, onRecord } = collect();
    expect(tokenizeText('\uFEFFcode;name\nE06000023;"Bristol; City of"', { delimiter: ';', onRecord })).toBe(2);
    expect(records.map((r) => r.fields)).toEqual([['code', 'name'], ['E06000023', 'Bristol; City of']]);
  });

  it('reads Windows-1252 when told, a character split across chunks or not', async () => {
    const { records, onRecord } = collect();
    await tokenizeStream(chunked(iconv.encode('name\nCaf\u00e9 \u2013 O\u2019Neill\n', 'win1252'), 3), { encoding: 'windows-1252', onRecord });
    expect(records[1]!.fields).toEqual(['Café – O’Neill']);
    const utf8 = collect();
    await tokenizeStream(chunked(Buffer.from('name\nCaf\u00e9 \u2013 O\u2019Neill\n'), 1), { onRecord: utf8.onRecord });
    expect(utf8.records[1]!.fields).toEqual(['Café – O’Neill']);
  });
});

describe('the reader at scale', () => {
  it('reads past a chunk of 300,000 records and a record of 300,000 fields', async () => {
    const text = `${'a\n'.repeat(150_000)}${'b,'.repeat(300_000)}c\n${'d\r\n'.repeat(150_000)}`;
    const { records } = await read(file(text), 4 << 20);
    expect(records.length).toBe(300_001);
    expect(records[150_000]!.fields.length).toBe(300_001);
    expect(records[150_000]!.fields.at(-1)).toBe('c');
    expect(records.at(-1)).toEqual({ line: 300_001, fields: ['d'], raw: 'd' });
  });

  it('gives each text one id in the interner, whichever column it is asked for from', async () => {
    const path = file(awkwardCsv(9, 2000));
    const interner = new Interner();
    const seen: [number, string][] = [];
    await scanDelimited(path, { delimiter: 44, encoding: 'utf-8', skipBytes: 0, hashColumns: [1, 3], onRecord: (r) => void seen.push([r.fieldId(1, interner), r.field(1)], [r.fieldId(3, interner), r.field(3)]) });
    expect(new Set(interner.texts).size).toBe(interner.texts.length);
    for (const [id, text] of seen) expect(interner.texts[id]).toBe(text);
  });
});

describe('scanDelimited', () => {
  it('numbers records by the physical line they start on, across quoted newlines and blank lines', async () => {
    const { records } = await read(file('a,b\n"x\ny",1\n\n2,3\r\n'));
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]!.raw).toBe('"x\ny",1');
  });

  it('reads a file without a final newline', async () => {
    const { records } = await read(file('a,b\n1,2'));
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('skips a UTF-8 byte-order mark, and a double-encoded one', async () => {
    for (const bom of [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ï»¿', 'utf8')]) {
      const { sniffed, records } = await read(file(Buffer.concat([bom, Buffer.from('Supplier,Amount\nA,1\n')])));
      expect(sniffed.bomBytes).toBe(bom.length);
      expect(records[0]!.fields).toEqual(['Supplier', 'Amount']);
    }
  });

  it('reads Windows-1252 text as such', async () => {
    const bytes = iconv.encode('Supplier,Amount\nCaf\u00e9 \u2013 O\u2019Neill,\u00a312.00\n', 'win1252');
    const { sniffed, records } = await read(file(bytes));
    expect(sniffed.encoding).toBe('windows-1252');
    expect(records[1]!.fields).toEqual(['Café – O’Neill', '£12.00']);
  });

  it('switches to Windows-1252 when a later chunk is not UTF-8', async () => {
    const head = 'Supplier,Amount\n' + 'A,1\n'.repeat(100_000);
    const bytes = Buffer.concat([Buffer.from(head), iconv.encode('Caf\u00e9,2\n', 'win1252')]);
    const path = file(bytes);
    const sniffed = await sniffDelimited(path);
    expect(sniffed.encoding).toBe('utf-8');
    const seen: string[] = [];
    let switched = 0;
    await scanDelimited(path, {
      delimiter: 44,
      encoding: 'utf-8',
      skipBytes: 0,
      chunkSize: 64 * 1024,
      onEncodingChange: () => switched++,
      onRecord: (r) => seen.push(r.field(0)),
    });
    expect(switched).toBe(1);
    expect(seen.at(-1)).toBe('Café');
  });

  it.each([
    [';', 'Supplier;Amount\nA;1,50\n'],
    ['\t', 'Supplier\tAmount\nA, Ltd\t1\n'],
    ['|', 'Supplier|Amount\nA|1\n'],
    [',', 'Supplier,Amount\n"A; B",1\n'],
  ])('detects the %j delimiter', async (delimiter, text) => {
    expect((await sniffDelimited(file(text))).delimiter).toBe(delimiter);
  });
});

describe('scanDelimited over byte ranges (for reading in parallel)', () => {
  async function fields(path: string, start: number, end?: number) {
    const out: string[][] = [];
    const result = await scanDelimited(path, {
      delimiter: 44,
      encoding: 'utf-8',
      skipBytes: 0,
      start,
      end,
      onRecord: (r) => {
        const f: string[] = [];
        for (let i = 0; i < r.fieldCount; i++) f.push(r.field(i));
        out.push(f);
      },
    });
    return { out, result };
  }

  it('reads two halves split at a record boundary as the whole', async () => {
    const text = awkwardCsv(7, 200);
    const path = file(text);
    const whole = await fields(path, 0);
    // Find a split that is a record boundary: the end of a record that csv-parse would also end there.
    const records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { info: { bytes: number } }[];
    const split = records[100]!.info.bytes;
    const first = await fields(path, 0, split);
    const second = await fields(path, split);
    expect(first.result.unconsumedBytes).toBe(0);
    expect([...first.out, ...second.out]).toEqual(whole.out);
  });

  it('says when a split falls inside a quoted field', async () => {
    const text = 'a,b\n"one\ntwo",1\n3,4\n';
    const path = file(text);
    const split = text.indexOf('two');
    const first = await fields(path, 0, split);
    expect(first.result.unconsumedBytes).toBe(split - text.indexOf('"one'));
    expect(first.out).toEqual([['a', 'b']]);
  });

  it('counts lines from where it is told to start', async () => {
    const path = file('a\nb\nc\n');
    const lines: number[] = [];
    const result = await scanDelimited(path, { delimiter: 44, encoding: 'utf-8', skipBytes: 0, start: 2, firstLine: 2, onRecord: (r) => lines.push(r.line) });
    expect(lines).toEqual([2, 3]);
    expect(result.nextLine).toBe(4);
  });
});

describe('Interner', () => {
  it('gives each distinct byte sequence one id, across table and arena growth', () => {
    const interner = new Interner();
    const ids = new Map<string, number>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5_000; i++) {
        const text = `Supplier number ${i} ${'x'.repeat(i % 40)}`;
        const bytes = Buffer.from(`,${text},`);
        let id = interner.find(bytes, 1, bytes.length - 1);
        if (id < 0) id = interner.add(bytes, 1, bytes.length - 1, text);
        if (round === 0) ids.set(text, id);
        else expect(id).toBe(ids.get(text));
        expect(interner.texts[id]).toBe(text);
      }
    }
    expect(new Set(ids.values()).size).toBe(5_000);
    expect(interner.idOf('Supplier number 7 xxxxxxx')).toBe(ids.get('Supplier number 7 xxxxxxx'));
    expect(interner.idOf('')).toBe(interner.emptyId());
  });

  it('keeps no more than its limit, and says so with -1', () => {
    const interner = new Interner(3);
    const add = (text: string) => {
      const bytes = Buffer.from(text);
      const found = interner.find(bytes, 0, bytes.length);
      return found >= 0 ? found : interner.add(bytes, 0, bytes.length, text);
    };
    expect(['a', 'b', 'c'].map(add)).toEqual([0, 1, 2]);
    expect(add('d')).toBe(-1);
    expect(add('b')).toBe(1);
  });
});

describe('Interner and the empty text', () => {
  it('keeps every text after a blank cell takes an id at a size boundary', () => {
    const interner = new Interner();
    for (let i = 0; i < 256; i++) interner.idOf(`Supplier ${i}`);
    const blank = interner.emptyId();
    // The 258th text must be found again, not given a new id each time (the table would then only grow).
    const acme = interner.idOf('ACME');
    expect(interner.idOf('ACME')).toBe(acme);
    expect(interner.idOf('ACME')).toBe(acme);
    expect(interner.texts.length).toBe(258);
    expect([blank, acme]).toEqual([256, 257]);
  });
});

describe('the encoding check', () => {
  it('finds Windows-1252 bytes in files whose lines end in CR alone, chunk by chunk', async () => {
    const bytes = Buffer.concat([Buffer.from('Supplier,Amount\r'), iconv.encode('Caf\u00e9,1\r', 'win1252'), Buffer.from('B,2\r'.repeat(100))]);
    const seen: string[] = [];
    let switched = 0;
    await scanDelimited(file(bytes), { delimiter: 44, encoding: 'utf-8', skipBytes: 0, chunkSize: 64, onEncodingChange: () => switched++, onRecord: (r) => void seen.push(r.field(0)) });
    expect(switched).toBe(1);
    expect(seen[1]).toBe('Café');
  });
});
