import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Cell, type CellStyle, columnLetter, type Workbook, type Worksheet, xlsx } from '../src/report/xlsx-writer.js';
import { tableCrc32, zip } from '../src/report/zip.js';
import { unzip } from './zip-parts.js';

const CREATED = new Date('2025-04-07T09:30:14Z');

async function readBack(book: Workbook): Promise<ExcelJS.Workbook> {
  const read = new ExcelJS.Workbook();
  // exceljs types its argument as an ArrayBuffer; it takes a Node Buffer.
  await read.xlsx.load(xlsx(book) as unknown as ArrayBuffer);
  return read;
}

async function part(book: Workbook, name: string): Promise<string> {
  const entry = (await unzip(xlsx(book))).find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name}`);
  return entry.data.toString('utf8');
}

function bookOf(...sheets: Worksheet[]): Workbook {
  return { creator: 'local-impact test', created: CREATED, title: 'A test', sheets };
}

/** One column of cells from row 1 down. */
function column(values: readonly Cell[]): Worksheet['rows'] {
  const rows: Cell[][] = [];
  values.forEach((cell, i) => (rows[i + 1] = [, cell] as Cell[]));
  return rows;
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('zip', () => {
  it('is read back by an independent reader: names in order, contents inflate to what was written, CRCs and UTF-8 names', async () => {
    const big = Buffer.from('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'.repeat(20_000));
    const written = [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/worksheets/sheet1.xml', data: big },
      { name: 'données/café £.txt', data: 'Crème brûlée — £12' },
      { name: 'empty.txt', data: '' },
    ];
    const entries = await unzip(zip(written, CREATED));
    expect(entries.map((e) => e.name)).toEqual(written.map((e) => e.name));
    entries.forEach((entry, i) => {
      const expected = Buffer.from(written[i]!.data);
      expect(entry.data.equals(expected)).toBe(true);
      expect(entry.crc32).toBe(zlib.crc32(expected));
      expect(entry.flags & 0x0800).toBe(0x0800);
      // DOS time has two-second steps.
      expect(entry.modified.toISOString()).toBe('2025-04-07T09:30:14.000Z');
    });
  });

  it('compresses: a repetitive sheet shrinks to a small part of its size', () => {
    const big = Buffer.from('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'.repeat(20_000));
    expect(zip([{ name: 'a.xml', data: big }], CREATED).length).toBeLessThan(big.length / 50);
  });

  it('refuses more entries than a zip without zip64 can count', () => {
    const entries = Array.from({ length: 65_535 }, (_, i) => ({ name: `${i}.txt`, data: '' }));
    expect(() => zip(entries, CREATED)).toThrow(/at most 65534 entries/);
  });

  it('computes the CRC-32 of the zip format without Node (for Node 20 before 20.15)', () => {
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.alloc(0))).toBe(0);
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    expect(tableCrc32(bytes)).toBe(zlib.crc32(bytes));
  });
});

describe('xlsx writer', () => {
  it('writes a package whose parts an independent zip reader finds, workbook before sheets', async () => {
    const names = (await unzip(xlsx(bookOf({ name: 'One', rows: column([{ value: 'x' }]) })))).map((e) => e.name);
    expect(names).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'docProps/app.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('keeps XML special characters, line breaks, tabs and leading and trailing spaces in text', async () => {
    const texts = [
      '  Tom & "Jerry" <tom@example.org>  ',
      "O'Brien's ]]> & <![CDATA[ x ]]>",
      'first line\r\nsecond line\nthird\tcolumn',
      ' ',
      '_x0041_ is not an A',
      '=SUM(A1:A2)',
      'emoji 😀 and £ — ü',
    ];
    const sheetName = "Tom's & <Co>";
    const book = bookOf({ name: sheetName, rows: column(texts.map((value) => ({ value }))) });
    // exceljs keeps edge spaces either way; Excel drops them unless told to keep them.
    const strings = await part(book, 'xl/sharedStrings.xml');
    expect(strings).toContain('<si><t xml:space="preserve">  Tom &amp; &quot;Jerry&quot; &lt;tom@example.org&gt;  </t></si>');
    expect(strings).toContain('<si><t xml:space="preserve"> </t></si>');
    expect(strings).toContain('<si><t>_x005F_x0041_ is not an A</t></si>');
    const read = await readBack(book);
    const ws = read.getWorksheet(sheetName)!;
    expect(ws).toBeDefined();
    texts.forEach((text, i) => {
      const cell = ws.getRow(i + 1).getCell(1);
      expect(cell.value).toBe(text);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
    });
  });

  it('writes numbers that read back exactly, and refuses NaN and infinities', async () => {
    const numbers = [0.1 + 0.2, 1e-7, 123_456_789.123, -0.5, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, 0];
    const ws = (await readBack(bookOf({ name: 'N', rows: column(numbers.map((value) => ({ value }))) }))).getWorksheet('N')!;
    expect(numbers.map((_, i) => ws.getRow(i + 1).getCell(1).value)).toEqual(numbers);

    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => xlsx(bookOf({ name: 'N', rows: column([{ value: bad }]) }))).toThrow(/Sheet N, A1: (NaN|-?Infinity) cannot be written/);
      expect(() => xlsx(bookOf({ name: 'N', rows: column([{ value: { formula: 'A2*2', result: bad } }]) }))).toThrow(/cannot be written/);
    }
    expect(() => xlsx(bookOf({ name: 'N', rows: column([{ value: 1 }]), heights: [, Number.NaN] }))).toThrow(/row 1: NaN/);
  });

  it('writes formulas with their cached results, a string result as a string', async () => {
    const rows = column([
      { value: 2.5 },
      { value: { formula: 'A1*2', result: 5 } },
      { value: { formula: 'IF(A1>2,"big & bold","small")', result: 'big & bold' } },
    ]);
    const xml = await part(bookOf({ name: 'F', rows }), 'xl/worksheets/sheet1.xml');
    expect(xml).toContain('<c r="A3" t="str"><f>IF(A1&gt;2,&quot;big &amp; bold&quot;,&quot;small&quot;)</f><v>big &amp; bold</v></c>');
    const ws = (await readBack(bookOf({ name: 'F', rows }))).getWorksheet('F')!;
    const number = ws.getCell('A2');
    expect(number.type).toBe(ExcelJS.ValueType.Formula);
    expect(number.formula).toBe('A1*2');
    expect(number.result).toBe(5);
    const text = ws.getCell('A3');
    expect(text.type).toBe(ExcelJS.ValueType.Formula);
    expect(text.formula).toBe('IF(A1>2,"big & bold","small")');
    expect(text.result).toBe('big & bold');
  });

  it('writes one style record per distinct look, however many cells and style objects share it', async () => {
    const rows: Cell[][] = [];
    for (let r = 1; r <= 5000; r++) {
      // Fresh, equal objects for every cell: alike by content, not by identity.
      const money: CellStyle = { numFmt: '"£"#,##0.00', font: { bold: true }, fill: 'FFDDE4EE', alignment: { vertical: 'top' } };
      const note: CellStyle = { font: { italic: true, color: 'FF555555' }, borderBottom: true, alignment: { wrapText: true, vertical: 'top' } };
      rows[r] = [, { value: r, style: money }, { value: `note ${r % 10}`, style: note }] as Cell[];
    }
    const xml = await part(bookOf({ name: 'S', rows }), 'xl/styles.xml');
    const cellXfs = /<cellXfs count="(\d+)">(.*)<\/cellXfs>/.exec(xml)!;
    expect(cellXfs[1]).toBe('3'); // the default and the two looks
    expect(count(cellXfs[2]!, /<xf /g)).toBe(3);
    expect(/<fonts count="(\d+)"/.exec(xml)![1]).toBe('3');
    // The two fills every workbook starts with, then the one solid fill.
    expect(/<fills count="(\d+)">/.exec(xml)![1]).toBe('3');
    expect(xml).toMatch(/<fills count="3"><fill><patternFill patternType="none"\/><\/fill><fill><patternFill patternType="gray125"\/><\/fill>/);
    expect(count(xml, /<numFmt /g)).toBe(1);
    expect(xml).toContain('<numFmt numFmtId="164" formatCode="&quot;£&quot;#,##0.00"/>');
  });

  it('shares each distinct string once and counts every use', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => ({ value: ['Local', 'Non-local', 'Unknown'][i % 3]! }));
    const xml = await part(bookOf({ name: 'T', rows: column(values) }), 'xl/sharedStrings.xml');
    expect(xml).toContain('count="10000" uniqueCount="3"');
    expect(count(xml, /<si>/g)).toBe(3);
  });

  it('gives cells their look, and the sheet its widths, heights, frozen rows, filter and print setup', async () => {
    const header: CellStyle = { font: { bold: true, size: 12 }, fill: 'FFDDE4EE', borderBottom: true, alignment: { wrapText: true, vertical: 'bottom' } };
    const rows: Cell[][] = [];
    rows[1] = [, { value: 'Report', style: { font: { bold: true, size: 14 } } }] as Cell[];
    rows[2] = [, { value: 'Supplier', style: header }, { value: 'Share', style: header }, { value: null, style: header }] as Cell[];
    rows[3] = [, { value: 'Acme', style: { alignment: { indent: 1, vertical: 'top' } } }, { value: 0.25, style: { numFmt: '0.0%' } }] as Cell[];
    rows[4] = [, { value: 'Beta' }, { value: 1234.5, style: { numFmt: '#,##0.00' } }] as Cell[];
    const sheet: Worksheet = {
      name: 'Suppliers',
      rows,
      heights: [, , 30],
      widths: new Map([
        [2, 12],
        [1, 40],
      ]),
      frozenRows: 2,
      autoFilter: { headerRow: 2, lastRow: 4, columns: 3 },
      printTitlesRow: 2,
      pageSetup: { landscape: true, paperSize: 9, fitToWidth: 1, fitToHeight: 0 },
    };
    const read = await readBack(bookOf({ name: 'First', rows: column([{ value: 1 }]) }, sheet));
    expect(read.creator).toBe('local-impact test');
    expect(read.title).toBe('A test');
    expect(read.created.toISOString()).toBe('2025-04-07T09:30:14.000Z');
    expect(read.worksheets.map((ws) => ws.name)).toEqual(['First', 'Suppliers']);
    const ws = read.getWorksheet('Suppliers')!;
    expect(ws.getColumn(1).width).toBe(40);
    expect(ws.getColumn(2).width).toBe(12);
    expect(ws.getRow(2).height).toBe(30);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, topLeftCell: 'A3' });
    expect(ws.autoFilter).toBe('A2:C4');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' });
    const name = ws.getCell('A2');
    expect(name.font).toMatchObject({ bold: true, size: 12 });
    expect(name.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE4EE' } });
    expect(name.border.bottom).toMatchObject({ style: 'thin' });
    expect(name.alignment).toMatchObject({ wrapText: true, vertical: 'bottom' });
    // An empty cell keeps its look: the header's fill runs on over it.
    expect(ws.getCell('C2').fill).toMatchObject({ fgColor: { argb: 'FFDDE4EE' } });
    expect(ws.getCell('A3').alignment).toMatchObject({ indent: 1, vertical: 'top' });
    expect(ws.getCell('B3').numFmt).toBe('0.0%');
    expect(ws.getCell('B4').numFmt).toBe('#,##0.00');
    expect(ws.getCell('A1').font).toMatchObject({ bold: true, size: 14 });

    const workbook = await part(bookOf(sheet), 'xl/workbook.xml');
    expect(workbook).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Suppliers'!$A$2:$C$4</definedName>`);
    expect(workbook).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="0">'Suppliers'!$2:$2</definedName>`);
  });

  it('merges cells where asked, after the filter as the schema orders them', async () => {
    const rows = column([{ value: 'A long note that spans three columns' }, { value: 2 }]);
    const sheet: Worksheet = { name: 'M', rows, autoFilter: { headerRow: 1, lastRow: 2, columns: 1 }, merges: [{ firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 3 }] };
    const xml = await part(bookOf(sheet), 'xl/worksheets/sheet1.xml');
    expect(xml).toContain('<autoFilter ref="A1:A2"/><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>');
    const ws = (await readBack(bookOf(sheet))).getWorksheet('M')!;
    expect(ws.getCell('C1').isMerged).toBe(true);
    expect(ws.getCell('C1').master.address).toBe('A1');
    expect(ws.getCell('A2').isMerged).toBe(false);
  });

  it('refuses what a spreadsheet program would reject or repair', () => {
    const rows = column([{ value: 1 }]);
    for (const name of ['', 'a/b', 'what?', '[x]', "'quoted'", 'x'.repeat(32)]) expect(() => xlsx(bookOf({ name, rows }))).toThrow(/cannot name a sheet/);
    expect(() => xlsx(bookOf({ name: 'Data', rows }, { name: 'DATA', rows }))).toThrow(/Two sheets are named "DATA"/);
    expect(() => xlsx(bookOf())).toThrow(/at least one sheet/);
    expect(() => xlsx(bookOf({ name: 'X', rows: column([{ value: 'bell \u0007' }]) }))).toThrow(/character XML cannot hold/);
    expect(() => xlsx(bookOf({ name: 'X', rows: column([{ value: 'x'.repeat(32_768) }]) }))).toThrow(/Sheet X, A1: 32768 characters/);
    expect(() => xlsx(bookOf({ name: 'X', rows: column([{ value: 1, style: { fill: 'red' } }]) }))).toThrow(/not ARGB/);
  });

  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 702, 703, 16_384].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
  });
});
