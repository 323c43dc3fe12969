import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readSpend } from '../src/ingest/spend.js';
import { openSheet, WORKBOOK_LIMITS } from '../src/ingest/xlsx.js';
import { zip } from '../src/report/zip.js';
import { cli } from './cli-helper.js';

/**
 * Workbooks built by hand, part by part: the ones Excel would open that exceljs never writes (cells
 * without references), and the ones made to hurt (zip bombs, lying headers, XML entities).
 */

const dir = mkdtempSync(join(tmpdir(), 'local-impact-xlsx-hostile-'));
const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET = 'xl/worksheets/sheet1.xml';
const STRINGS = 'xl/sharedStrings.xml';

/**
 * The parts of a one-sheet workbook ("Payments"): `rows` its sheetData, `strings` its shared strings (each
 * an <si>'s text, or its content when it starts with a tag), and, if given, `styles` its cellXfs, on a workbook dated from 1900 or 1904.
 */
function workbookParts(rows: string, strings: readonly string[] = [], options: { styles?: string; date1904?: boolean } = {}): Record<string, string> {
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const styles: Record<string, string> = options.styles === undefined ? {} : { 'xl/styles.xml': `${xml}<styleSheet ${MAIN}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs>${options.styles}</cellXfs></styleSheet>` };
  return {
    ...styles,
    '[Content_Types].xml': `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/${SHEET}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/${STRINGS}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    '_rels/.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIP}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${xml}<workbook ${MAIN} xmlns:r="${RELATIONSHIP}">${options.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Payments" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELATIONSHIP}/sharedStrings" Target="sharedStrings.xml"/>${options.styles === undefined ? '' : `<Relationship Id="rId3" Type="${RELATIONSHIP}/styles" Target="/xl/styles.xml"/>`}</Relationships>`,
    [STRINGS]: `${xml}<sst ${MAIN} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => (s.startsWith('<') ? `<si>${s}</si>` : `<si><t>${s}</t></si>`)).join('')}</sst>`,
    [SHEET]: `${xml}<worksheet ${MAIN}><sheetData>${rows}</sheetData></worksheet>`,
  };
}

/** A well-formed workbook, written by the project's own zip writer. */
function writeWorkbook(name: string, parts: Record<string, string>): string {
  const path = join(dir, name);
  writeFileSync(path, zip(Object.entries(parts).map(([entry, data]) => ({ name: entry, data })), new Date(Date.UTC(2025, 2, 1))));
  return path;
}

interface RawEntry {
  name: string;
  deflated: Buffer;
  /** The uncompressed size the zip's headers declare: the true one, or a lie. */
  size: number;
  /** The CRC-32 they declare: 0 for a bomb, which is never read to its end, where it would be checked. */
  crc: number;
}

const deflated = (text: string): Omit<RawEntry, 'name'> => ({ deflated: deflateRawSync(text), size: Buffer.byteLength(text), crc: crc32(text) });

/**
 * A part of `head`, then `unit` `times` over, then `tail`, deflated in a few milliseconds whatever its size:
 * `unit` is deflated once with a full flush (which ends its blocks and forgets its window), so its bytes
 * can be repeated; `tail` ends the stream.
 */
function repeated(head: string, unit: string, times: number, tail: string): Omit<RawEntry, 'name'> {
  const flushed = (text: string) => deflateRawSync(text, { finishFlush: constants.Z_FULL_FLUSH });
  const block = flushed(unit);
  return {
    deflated: Buffer.concat([flushed(head), ...Array<Buffer>(times).fill(block), deflateRawSync(tail)]),
    size: Buffer.byteLength(head) + Buffer.byteLength(unit) * times + Buffer.byteLength(tail),
    crc: 0,
  };
}

/** A zip of already-deflated entries whose headers say what `size` and `crc` say. */
function writeRawZip(name: string, entries: readonly RawEntry[]): string {
  const files: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const fileName = Buffer.from(entry.name);
    const describe = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(8, at + 4);
      header.writeUInt32LE(entry.crc, at + 10);
      header.writeUInt32LE(entry.deflated.length, at + 14);
      header.writeUInt32LE(entry.size, at + 18);
      header.writeUInt16LE(fileName.length, at + 22);
      return header;
    };
    const local = describe(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const central = describe(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(offset, 42);
    files.push(local, fileName, entry.deflated);
    directory.push(central, fileName);
    offset += local.length + fileName.length + entry.deflated.length;
  }
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([...files, ...directory, end]));
  return path;
}

/** A workbook whose part `part` is `replacement` and whose other parts are a small, good workbook's. */
function writeWithPart(name: string, part: string, replacement: Omit<RawEntry, 'name'>): string {
  const parts = workbookParts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ['Supplier']);
  return writeRawZip(
    name,
    Object.entries(parts).map(([entry, text]) => ({ name: entry, ...(entry === part ? replacement : deflated(text)) })),
  );
}

/** A row of 64 bytes, and 1 MiB of them, repeated to make a sheet of any size. */
const ROW = '<row><c t="inlineStr"><is><t>Acme Trading Ltd</t></is></c></row>';
const ROWS_MIB = ROW.repeat(2 ** 20 / ROW.length);
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${MAIN}><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

/** The error reading the whole of a workbook's first sheet ends in. */
async function refusal(path: string): Promise<InputError> {
  const error = await openSheet(path, { limit: 200 })
    .then((sheet) => sheet.scan(() => {}, { minWidth: 1 }))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('cells a workbook should not hold', () => {
  it('a cell given twice in a row, or a shared string that is not there, refuses the row with what it holds', async () => {
    const path = writeWorkbook(
      'twice.xlsx',
      workbookParts(
        [
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
          '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>100</v></c><c r="B2"><v>50</v></c></row>',
          '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>99</v></c></row>',
          '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><v>7</v></c></row>',
        ].join(''),
        ['Supplier', 'Amount', 'Acme Ltd'],
      ),
    );
    const ledger = await readSpend([path]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.total]).toEqual([3, 1, 700]);
    expect(ledger.findings.details.filter((f) => f.code === 'AMOUNT_UNPARSEABLE').map((f) => [f.line, f.args?.value])).toEqual([
      [2, '100 | 50'],
      [3, '#REF! (shared string 99 is missing)'],
    ]);
  });
});

describe('cells and rows without a reference', () => {
  it('are read where Excel puts them: a cell after the cell before, a row after the row before', async () => {
    const path = writeWorkbook(
      'positional.xlsx',
      workbookParts(
        [
          '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>',
          '<row><c t="s"><v>3</v></c><c><v>1234.56</v></c><c t="s"><v>5</v></c></row>',
          // A row with r jumps (row 3 is missing: blank); a cell without r follows the one that has it.
          '<row r="4"><c r="A4" t="s"><v>4</v></c><c><v>50</v></c><c r="C4" t="inlineStr"><is><t>04/03/2025</t></is></c></row>',
          // Empty cells still take their column; a reference may skip columns, and the next cell follows it.
          '<row><c/><c t="s"><v>3</v></c></row>',
          '<row><c r="B6"><v>7.5</v></c><c t="s"><v>5</v></c></row>',
          '<row/>',
          '<row><c t="s"><v>4</v></c><c r="C8" t="s"><v>5</v></c><c><v>99</v></c></row>',
          // An r that goes back cannot be: the row is the one after the row before.
          '<row r="2"><c t="s"><v>3</v></c><c><v>0.1</v></c><c t="s"><v>5</v></c></row>',
        ].join(''),
        ['Supplier', 'Amount', 'Date', 'Acme Ltd', 'Beta &amp; Sons &#163;&#xA3;', '03/03/2025'],
      ),
    );
    const sheet = await openSheet(path, { limit: 200 });
    sheet.close();
    expect(sheet.sheets).toEqual(['Payments']);
    expect(sheet.records).toEqual([
      { line: 1, fields: ['Supplier', 'Amount', 'Date'] },
      { line: 2, fields: ['Acme Ltd', '1234.56', '03/03/2025'] },
      { line: 4, fields: ['Beta & Sons ££', '50', '04/03/2025'] },
      { line: 5, fields: ['', 'Acme Ltd'] },
      { line: 6, fields: ['', '7.5', '03/03/2025'] },
      { line: 8, fields: ['Beta & Sons ££', '', '03/03/2025', '99'] },
      { line: 9, fields: ['Acme Ltd', '0.1', '03/03/2025'] },
    ]);

    const ledger = await readSpend([path]);
    expect(ledger.files[0]!.source.headerLine).toBe(1);
    expect(ledger.rowsRead).toBe(6);
    // Row 5 (a name in the amount column) and row 8 (no amount) are rejected; row 6, paid to no one named, is unattributable.
    expect(ledger.rowsAccepted).toBe(4);
    expect(ledger.total).toBe(123456 + 5000 + 750 + 10);
    expect(ledger.files[0]).toMatchObject({ unattributableRows: 1, unattributable: 750 });
  });

  it('refuses a cell past column XFD, by reference or by position', async () => {
    for (const [name, row] of [
      ['far.xlsx', '<row><c r="XFE1"><v>1</v></c></row>'],
      ['wide.xlsx', `<row>${'<c><v>1</v></c>'.repeat(16_385)}</row>`],
    ] as const) {
      const error = await refusal(writeWorkbook(name, workbookParts(row)));
      expect(error.code).toBe('XLSX_UNREADABLE');
      expect(error.message).toBe(`${name} starts like an Excel workbook (a zip file) but cannot be read as one: its part ${SHEET} has a cell in row 1 beyond column XFD, the last a sheet can have.`);
    }
  });
});

describe('what Excel and other writers put in a sheet that exceljs never writes', () => {
  it('reads namespaced tags, 1904 dates, date styles, booleans, errors, rich and phonetic text and CDATA as a person sees them', async () => {
    const parts = workbookParts(
      [
        '<x:row r="1">',
        // Serial 44988 is 2023-03-03 counted from 1900, so 2027-03-04 from 1904; style 1 is built-in format 14, style 2 dd/mm/yyyy.
        '<x:c r="A1" s="1"><x:v>44988</x:v></x:c><x:c r="B1" s="2"><x:f>A1+1</x:f><x:v>44989</x:v></x:c><x:c r="C1" s="3"><x:v>0.5</x:v></x:c>',
        '<x:c r="D1" t="b"><x:v>1</x:v></x:c><x:c r="E1" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="F1" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>',
        '<x:c r="G1" t="s"><x:v>0</x:v></x:c><x:c r="H1" t="inlineStr"><x:is><x:t><![CDATA[<Ltd & Co>]]></x:t></x:is></x:c><x:c r="I1" t="d"><x:v>2025-03-04T00:00:00Z</x:v></x:c>',
        '<x:c r="J1"><x:v>1234.5599999999999</x:v></x:c><x:c r="K1" t="s"><x:v>9</x:v></x:c>',
        '</x:row>',
      ].join(''),
      ['<r><rPr><b/></rPr><t>Acme</t></r><r><t xml:space="preserve"> Ltd</t></r><rPh sb="0" eb="4"><t>akume</t></rPh>'],
      { styles: '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="20"/>', date1904: true },
    );
    parts[SHEET] = parts[SHEET]!.replace(`<worksheet ${MAIN}><sheetData>`, `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`).replace('</sheetData></worksheet>', '</x:sheetData></x:worksheet>');
    const sheet = await openSheet(writeWorkbook('other-writers.xlsx', parts), { limit: 10 });
    sheet.close();
    // An index past the shared strings is said in the cell's place (not read as blank), and a time-only format (h:mm) is a number, not a date.
    expect(sheet.records).toEqual([{ line: 1, fields: ['2027-03-04', '2027-03-05', '0.5', 'TRUE', '#DIV/0!', 'ab', 'Acme Ltd', '<Ltd & Co>', '2025-03-04', '1234.56', '#REF! (shared string 9 is missing)'] }]);
  });
});

describe('XML entities', () => {
  const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';

  it('are refused in the sheet and in the shared strings, naming the part', async () => {
    const inSheet = workbookParts('<row><c t="inlineStr"><is><t>&lol2;</t></is></c></row>');
    inSheet[SHEET] = inSheet[SHEET]!.replace('<worksheet', `${laughs}<worksheet`);
    const inStrings = workbookParts('<row><c t="s"><v>0</v></c></row>', ['&lol2;']);
    inStrings[STRINGS] = inStrings[STRINGS]!.replace('<sst', `${laughs}<sst`);
    for (const [name, parts, part] of [
      ['laughs-sheet.xlsx', inSheet, SHEET],
      ['laughs-strings.xlsx', inStrings, STRINGS],
    ] as const) {
      const error = await refusal(writeWorkbook(name, parts));
      expect(error.code).toBe('XLSX_XML_ENTITIES');
      expect(error.options.file).toBe(join(dir, name));
      expect(error.message).toBe(
        `${name} is refused: its part ${part} declares XML entities (it has a DOCTYPE). Excel and LibreOffice never write these; a file that has them can expand without limit or read other files.`,
      );
    }
  });

  it('are refused when used without a DOCTYPE too; the five XML defines and character references are read', async () => {
    const error = await refusal(writeWorkbook('entity.xlsx', workbookParts('<row><c t="inlineStr"><is><t>&xxe;</t></is></c></row>')));
    expect(error.code).toBe('XLSX_XML_ENTITIES');
    expect(error.message).toContain(`its part ${SHEET} refers to an XML entity (&xxe;) that only a DOCTYPE could declare.`);
    const sheet = await openSheet(writeWorkbook('predefined.xlsx', workbookParts('<row><c t="inlineStr"><is><t>&lt;A &amp; B&gt; &quot;&apos; &#8364;&#x20AC;</t></is></c></row>')), { limit: 10 });
    sheet.close();
    expect(sheet.records).toEqual([{ line: 1, fields: ['<A & B> "\' €€'] }]);
  });
});

describe('zip bombs', () => {
  it('refuses a sheet that unpacks to more than 1 GiB before inflating any of it', async () => {
    const bomb = repeated(SHEET_HEAD, ROWS_MIB, 1536, SHEET_TAIL);
    expect(bomb.deflated.length).toBeLessThan(8 * 2 ** 20);
    const error = await refusal(writeWithPart('huge.xlsx', SHEET, bomb));
    expect(error.code).toBe('XLSX_PART_TOO_LARGE');
    expect(error.message).toBe(`huge.xlsx is too large to read: its part ${SHEET} unpacks to 1.5 GB, over the 1 GB this tool reads from one part of a workbook.`);
    expect(error.options.hint).toBe('Check that it is the file you meant. If it is, export the sheet as CSV, which is read without this limit.');
  });

  it('holds the shared strings, which stay in memory, to 256 MiB', async () => {
    const bomb = repeated(`<sst ${MAIN}><si><t>Supplier</t></si>`, `<si><t>${'x'.repeat(2 ** 20 - 16)}</t></si>`, 300, '</sst>');
    const error = await refusal(writeWithPart('strings.xlsx', STRINGS, bomb));
    expect(error.code).toBe('XLSX_PART_TOO_LARGE');
    expect(error.message).toBe(`strings.xlsx is too large to read: its part ${STRINGS} unpacks to 300 MB, over the 256 MB this tool reads from one part of a workbook.`);
  });

  it(`refuses a part over 32 MiB compressed more than ${WORKBOOK_LIMITS.ratio}:1, and reads a smaller one however compressed`, async () => {
    const bomb = repeated(SHEET_HEAD, ROWS_MIB, 64, SHEET_TAIL);
    const ratio = Math.round(bomb.size / bomb.deflated.length);
    expect(ratio).toBeGreaterThan(300);
    const error = await refusal(writeWithPart('ratio.xlsx', SHEET, bomb));
    expect(error.code).toBe('XLSX_COMPRESSION_RATIO');
    expect(error.message).toBe(
      `ratio.xlsx looks like a zip bomb: its part ${SHEET} unpacks from ${(bomb.deflated.length / 1024).toFixed(1).replace(/\.0$/, '')} KB to 64 MB, ${ratio}:1, where a workbook's parts compress about 5-20:1 and this tool reads up to 100:1.`,
    );

    const head = `${SHEET_HEAD}<row><c t="inlineStr"><is><t>Supplier</t></is></c></row>`;
    const small = repeated(head, ROWS_MIB, 2, SHEET_TAIL);
    expect(small.size / small.deflated.length).toBeGreaterThan(300);
    const crc = crc32(SHEET_TAIL, crc32(ROWS_MIB, crc32(ROWS_MIB, crc32(head))));
    const sheet = await openSheet(writeWithPart('small-ratio.xlsx', SHEET, { ...small, crc }), { limit: 1 });
    let rows = 0;
    await sheet.scan(() => rows++, { minWidth: 1 });
    expect(rows).toBe(1 + 2 * 16_384);
  });

  it('stops a part whose header lies about its size as soon as it inflates past what it declared', async () => {
    const bomb = repeated(SHEET_HEAD, ROWS_MIB, 1536, SHEET_TAIL);
    const error = await refusal(writeWithPart('liar.xlsx', SHEET, { ...bomb, size: 1000 }));
    expect(error.code).toBe('XLSX_SIZE_MISMATCH');
    const stopped = /^liar\.xlsx is damaged or made to mislead: its part xl\/worksheets\/sheet1\.xml says it unpacks to 1,000 bytes but holds more \((\d+) KB read when it was stopped\)\.$/.exec(error.message);
    expect(stopped).not.toBeNull();
    expect(Number(stopped![1])).toBeLessThanOrEqual(64);
    expect(error.options.hint).toBe('Open it in Excel or LibreOffice and save it again as .xlsx (or export the sheet as CSV), then use that file.');

    const short = deflated(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>Supplier</t></is></c></row>${SHEET_TAIL}`);
    const shortError = await refusal(writeWithPart('short.xlsx', SHEET, { ...short, size: short.size + 1 }));
    expect(shortError.code).toBe('XLSX_SIZE_MISMATCH');
    expect(shortError.message).toBe(`short.xlsx is damaged or made to mislead: its part ${SHEET} says it unpacks to ${short.size + 1} bytes but holds only ${short.size} bytes.`);
  });

  it('refuses a zip of more files than any workbook has', async () => {
    const parts = workbookParts('<row><c t="s"><v>0</v></c></row>', ['Supplier']);
    for (let i = 0; i < WORKBOOK_LIMITS.parts; i++) parts[`xl/media/image${i}.png`] = '';
    const error = await refusal(writeWorkbook('many.xlsx', parts));
    expect(error.code).toBe('XLSX_UNREADABLE');
    expect(error.message).toBe('many.xlsx starts like an Excel workbook (a zip file) but cannot be read as one: it holds over 10,000 files, where a workbook holds a few dozen.');
  });
});

describe('a damaged part', () => {
  it('is refused by its checksum, even where its bytes would otherwise read as something else wrong', async () => {
    const good = deflated(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>Supplier</t></is></c></row>${SHEET_TAIL}`);
    const error = await refusal(writeWithPart('crc.xlsx', SHEET, { ...good, crc: (good.crc ^ 1) >>> 0 }));
    expect(error.code).toBe('XLSX_CRC_MISMATCH');
    expect(error.message).toBe(`crc.xlsx is damaged: its part ${SHEET} does not match the checksum (CRC-32) its zip directory gives it.`);
    // Garbled bytes that happen to read as an entity are damage, not an attack: the checksum says so.
    const garbled = deflated(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>&x#q;</t></is></c></row>${SHEET_TAIL}`);
    expect((await refusal(writeWithPart('garbled.xlsx', SHEET, { ...garbled, crc: (garbled.crc ^ 1) >>> 0 }))).code).toBe('XLSX_CRC_MISMATCH');
    expect((await refusal(writeWithPart('entity-intact.xlsx', SHEET, garbled))).code).toBe('XLSX_XML_ENTITIES');
  });
});

describe('through the command line', () => {
  const bad = () => [
    writeWithPart('cli-huge.xlsx', SHEET, repeated(SHEET_HEAD, ROWS_MIB, 1100, SHEET_TAIL)),
    writeWithPart('cli-ratio.xlsx', SHEET, repeated(SHEET_HEAD, ROWS_MIB, 40, SHEET_TAIL)),
    writeWithPart('cli-liar.xlsx', SHEET, { ...repeated(SHEET_HEAD, ROWS_MIB, 40, SHEET_TAIL), size: 4096 }),
    writeWorkbook('cli-entities.xlsx', workbookParts('<row><c t="inlineStr"><is><t>&xxe;</t></is></c></row>')),
    writeWorkbook('cli-wide.xlsx', workbookParts('<row><c r="XFE1"><v>1</v></c></row>')),
    writeWithPart('cli-crc.xlsx', STRINGS, { ...deflated(`<sst ${MAIN}><si><t>Supplier</t></si></sst>`), crc: 1 }),
    // Found only at the end of the sheet, in the scan after the first rows chose the columns.
    writeWithPart('cli-crc-late.xlsx', SHEET, {
      ...deflated(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>Supplier</t></is></c><c t="inlineStr"><is><t>Amount</t></is></c></row>${'<row><c t="inlineStr"><is><t>Acme Ltd</t></is></c><c><v>12.5</v></c></row>'.repeat(5000)}${SHEET_TAIL}`),
      crc: 1,
    }),
  ];

  it('each bad workbook is one clear message naming it and exit 1 (an input that cannot be used), never a bug', async () => {
    for (const path of bad()) {
      const expected = await refusal(path);
      for (const args of [
        ['check', '--spend', path],
        ['run', '--spend', path, '--area', 'HX', '--out', `${path}.report.xlsx`],
      ]) {
        const { code, stdout, stderr } = await cli(...args);
        expect({ args, code, stdout, stderr }).toEqual({ args, code: 1, stdout: '', stderr: `local-impact: ${expected.message}\n${expected.options.hint}\n` });
      }
      expect(existsSync(`${path}.report.xlsx`)).toBe(false);
    }
  });

  it('a workbook without cell references checks like any other', async () => {
    const path = writeWorkbook(
      'cli-positional.xlsx',
      workbookParts('<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row><row><c t="s"><v>3</v></c><c><v>1234.56</v></c><c t="s"><v>4</v></c></row>', [
        'Supplier',
        'Amount',
        'Date',
        'Acme Ltd',
        '03/03/2025',
      ]),
    );
    const { code, stdout } = await cli('check', '--spend', path, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).files[0]).toMatchObject({ format: 'xlsx', sheet: 'Payments', headerLine: 1, rowsRead: 1, rowsAccepted: 1, acceptedTotal: 1234.56 });
  });
});
