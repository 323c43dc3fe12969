import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { Interner, type RecordView, type Recovery, scanDelimited, sniffDelimited } from '../src/csv/delimited.js';
import { tokenizeStream, tokenizeText } from '../src/csv/stream.js';

const dir = mkdtempSync(join(tmpdir(), 'local-impact-delimited-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, chunkSize?: number, options: { expectedFields?: number; maxFieldBytes?: number } = {}) {
  const sniffed = await sniffDelimited(path);
  const records: { line: number; fields: string[]; raw: string; recovery?: Recovery }[] = [];
  await scanDelimited(path, {
    expectedFields: options.expectedFields,
    maxFieldBytes: options.maxFieldBytes,
    delimiter: sniffed.delimiter.charCodeAt(0),
    encoding: sniffed.encoding,
    skipBytes: sniffed.bomBytes,
    chunkSize,
    onRecord: (r) => {
      const fields: string[] = [];
      for (let i = 0; i < r.fieldCount; i++) fields.push(r.field(i));
      records.push({ line: r.line, fields, raw: r.raw(), ...(r.recovery ? { recovery: { ...r.recovery } } : {}) });
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
      // csv-parse refuses an unterminated quote; this reader re-reads its lines, the quote taken as a character.
      if (text.includes('"open')) expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '"open'], ['2', '3']]);
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

describe('damage: a stray quote, an unclosed quote, a line with no end', () => {
  const fieldsOf = (records: { fields: string[] }[]) => records.map((r) => r.fields);

  it('a stray quote that swallows whole rows until a later quote: the lines are re-read, each a row, and flagged', async () => {
    const text = 'Date,Supplier,Amount\n01/04/2024,"Smith & Sons,10.00\n02/04/2024,Jones,20.00\n03/04/2024,"Brown",30.00\n04/04/2024,Green,40.00\n';
    const path = file(text);
    for (const chunkSize of [5, 64, 1 << 20]) {
      const { records } = await read(path, chunkSize, { expectedFields: 3 });
      expect(fieldsOf(records)).toEqual([
        ['Date', 'Supplier', 'Amount'],
        ['01/04/2024', '"Smith & Sons', '10.00'],
        ['02/04/2024', 'Jones', '20.00'],
        ['03/04/2024', 'Brown', '30.00'],
        ['04/04/2024', 'Green', '40.00'],
      ]);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
      expect(records.map((r) => r.recovery?.code)).toEqual([undefined, 'QUOTE_SPANS_ROWS', 'QUOTE_SPANS_ROWS', 'QUOTE_SPANS_ROWS', undefined]);
      expect(records[1]!.recovery).toMatchObject({ firstLine: 2, lastLine: 4 });
    }
  });

  it('a real field with a line break in it (an address) is one field, not damage', async () => {
    const text = 'Date,Supplier,Amount\n01/04/2024,"Smith & Sons\nUnit 4, High St",10.00\n02/04/2024,Jones,20.00\n';
    const { records } = await read(file(text), 7, { expectedFields: 3 });
    expect(fieldsOf(records)).toEqual([['Date', 'Supplier', 'Amount'], ['01/04/2024', 'Smith & Sons\nUnit 4, High St', '10.00'], ['02/04/2024', 'Jones', '20.00']]);
    expect(records.every((r) => r.recovery === undefined)).toBe(true);
    expect(records[2]!.line).toBe(4);
  });

  it('a quote that never closes: each line after it is still read, and flagged', async () => {
    const text = 'Date,Supplier,Amount\n01/04/2024,"Smith,10.00\r\n02/04/2024,Jones,20.00\r\n03/04/2024,Brown,30.00';
    for (const chunkSize of [3, 1 << 20]) {
      const { records } = await read(file(text), chunkSize, { expectedFields: 3 });
      expect(fieldsOf(records).slice(1)).toEqual([['01/04/2024', '"Smith', '10.00'], ['02/04/2024', 'Jones', '20.00'], ['03/04/2024', 'Brown', '30.00']]);
      expect(records.slice(1).map((r) => r.recovery?.code)).toEqual(['QUOTE_UNCLOSED', 'QUOTE_UNCLOSED', 'QUOTE_UNCLOSED']);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    }
  });

  it('a quote open past the field limit: the lines it ran over are re-read, and the rows after it read normally', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `0${(i % 9) + 1}/04/2024,Supplier ${i},${i}.00`);
    const text = `Date,Supplier,Amount\n01/04/2024,"Smith,10.00\n${rows.join('\n')}\n05/04/2024,"Quoted, Ltd",5.00\n`;
    const { records } = await read(file(text), 64, { expectedFields: 3, maxFieldBytes: 1000 });
    expect(records).toHaveLength(1 + 1 + 200 + 1);
    expect(records.at(-1)!.fields).toEqual(['05/04/2024', 'Quoted, Ltd', '5.00']);
    expect(records.at(-1)!.line).toBe(203);
    expect(records[1]!.recovery?.code).toBe('QUOTE_UNCLOSED');
    expect(records.slice(1, -1).every((r, i) => r.line === i + 2 && r.fields.length === 3)).toBe(true);
  });

  it('a line longer than the limit is skipped to its end, its length said, and reading goes on', async () => {
    const text = `a,b\n1,2\n3,${'x'.repeat(5000)}\n5,6\n`;
    for (const chunkSize of [100, 1 << 20]) {
      const { records } = await read(file(text), chunkSize, { expectedFields: 2, maxFieldBytes: 1000 });
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4]);
      expect(records[2]!.recovery).toMatchObject({ code: 'FIELD_TOO_LONG', firstLine: 3 });
      expect(records[2]!.recovery!.bytes).toBeGreaterThan(1000);
      expect(records[2]!.raw.length).toBeLessThanOrEqual(240);
      expect(records[3]!.fields).toEqual(['5', '6']);
    }
  });
});

describe('line endings and encodings the sniffer must see at any size', () => {
  it('a CR-only file over 256 KB is read, not refused as empty', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},Supplier ${i},1.00`);
    const path = file(`Id,Supplier,Amount\r${rows.join('\r')}\r`);
    const sniffed = await sniffDelimited(path);
    expect(sniffed.records.length).toBeGreaterThan(1);
    expect(sniffed.delimiter).toBe(',');
    const { records } = await read(path);
    expect(records).toHaveLength(20_001);
    expect(records.at(-1)!.line).toBe(20_001);
  });

  it('a header followed by a million bare CRs is a header and no data, read to the end', async () => {
    const path = file(`Id,Supplier,Amount\r\n${'\r'.repeat(1_000_000)}`);
    const sniffed = await sniffDelimited(path);
    expect(sniffed.records.map((r) => r.fields)).toEqual([['Id', 'Supplier', 'Amount']]);
    const { records } = await read(path);
    expect(records).toHaveLength(1);
  });

  it.each(['utf-16le', 'utf-16be'] as const)('a %s file with its byte-order mark is decoded', async (encoding) => {
    const text = '\ufeffDate,Supplier,Amount\r\n01/04/2024,Café Ltd,"1,234.50"\r\n02/04/2024,Jones £,20.00\r\n';
    const bytes = iconv.encode(text, encoding === 'utf-16le' ? 'utf16le' : 'utf16be');
    const path = file(encoding === 'utf-16le' ? bytes : Buffer.concat([Buffer.from([]), bytes]));
    const sniffed = await sniffDelimited(path);
    expect(sniffed.encoding).toBe(encoding);
    expect(sniffed.bomBytes).toBe(2);
    for (const chunkSize of [3, 1 << 20]) {
      const { records } = await read(path, chunkSize);
      expect(records.map((r) => r.fields)).toEqual([['Date', 'Supplier', 'Amount'], ['01/04/2024', 'Café Ltd', '1,234.50'], ['02/04/2024', 'Jones £', '20.00']]);
    }
  });
});
