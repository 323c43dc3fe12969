import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readSpend } from '../src/ingest/spend.js';
import { openSheet } from '../src/ingest/xlsx.js';
import { zip } from '../src/report/zip.js';

/**
 * Workbooks built by hand, part by part: the ones Excel would open that exceljs never writes (cells
 * without references), and the ones made to hurt (XML entities).
 */

const dir = mkdtempSync(join(tmpdir(), 'local-impact-xlsx-hostile-'));
const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET = 'xl/worksheets/sheet1.xml';
const STRINGS = 'xl/sharedStrings.xml';

/** The parts of a one-sheet workbook ("Payments"), `rows` its sheetData and `strings` its shared strings. */
function workbookParts(rows: string, strings: readonly string[] = []): Record<string, string> {
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  return {
    '[Content_Types].xml': `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/${SHEET}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/${STRINGS}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    '_rels/.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIP}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${xml}<workbook ${MAIN} xmlns:r="${RELATIONSHIP}"><sheets><sheet name="Payments" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELATIONSHIP}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    [STRINGS]: `${xml}<sst ${MAIN} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
    [SHEET]: `${xml}<worksheet ${MAIN}><sheetData>${rows}</sheetData></worksheet>`,
  };
}

/** A well-formed workbook, written by the project's own zip writer. */
function writeWorkbook(name: string, parts: Record<string, string>): string {
  const path = join(dir, name);
  writeFileSync(path, zip(Object.entries(parts).map(([entry, data]) => ({ name: entry, data })), new Date(Date.UTC(2025, 2, 1))));
  return path;
}

async function refusal(path: string): Promise<InputError> {
  const error = await openSheet(path, { limit: 200 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

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
