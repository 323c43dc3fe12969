import { beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { buildSheets } from '../src/report/workbook/index.js';
import { HEADER_FILL, Sheet, money } from '../src/report/workbook/layout.js';
import { headingBreaks } from '../src/report/workbook/print.js';
import { FIXTURE } from './cli-helper.js';

/** A sheet's header rows: the layout gives each the header fill with a line below. */
function headerRows(sheet: Sheet): number[] {
  const rows: number[] = [];
  sheet.rows.forEach((cells, row) => cells?.some((cell) => cell.fill === HEADER_FILL && cell.underline) && rows.push(row));
  return rows;
}

const LONG = 'A sentence of prose in the second column, long enough that it once set that column to fifty characters';

describe('column widths per table', () => {
  it("are not driven by another table's long text: the text lies over the empty cells beside it, wrapped", () => {
    const s = new Sheet('Widths');
    s.title('Two tables');
    s.section('Figures');
    s.header(['Item', '£', 'Share']);
    s.line(['Rent', money(123_456), 0.5]);
    s.section('Basis');
    // Longer than the printed page is wide, so it cannot simply run on.
    const prose = s.line(['Basis', `${LONG}; ${LONG}`]);
    s.fit();
    s.layOut();
    // The £ column is as wide as "£1,234.56" and its padding, not as the sentence below it (which once made it 52).
    expect(s.widths.get(2)).toBe(12);
    expect(s.merges).toEqual([{ firstRow: prose, firstColumn: 2, lastRow: prose, lastColumn: 3 }]);
    expect(s.cell(prose, 2).alignment?.wrapText).toBe(true);
    expect(s.heights[prose]).toBeGreaterThan(15);
  });

  it('lets long text with no room beside it take its own column to its max, and wrap there', () => {
    const s = new Sheet('Crowded');
    s.title('One table');
    s.header(['Supplier', 'Spend']);
    const row = s.line([LONG, money(100)]);
    s.fit({ 1: { max: 40 } });
    s.layOut();
    expect(s.widths.get(1)).toBe(42);
    expect(s.merges).toEqual([]);
    expect(s.cell(row, 1).alignment?.wrapText).toBe(true);
  });

  it('lets a note run on past the tables when the printed page has room for it, widening nothing', () => {
    const s = new Sheet('Notes');
    s.title('A table and a note');
    s.header(['Item', '£']);
    const row = s.line(['Rent', money(100), 'a note beside the figure, short enough for the page'], { note: 3 });
    s.fit();
    s.layOut();
    expect(s.widths.has(3)).toBe(false);
    expect(s.merges).toEqual([]);
    expect(s.cell(row, 3).alignment?.wrapText).toBeUndefined();
  });
});

describe('the demo workbook', () => {
  let analysis: Analysis;
  let sheets: Sheet[];
  beforeAll(async () => {
    const project = `${FIXTURE}/project.json`;
    analysis = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    sheets = buildSheets(analysis);
  });
  const named = (name: string) => sheets.find((s) => s.name === name)!;

  it('puts every table in a block with a title, one table to a block', () => {
    for (const s of sheets) {
      const headers = headerRows(s);
      const blockOf = (row: number) => Math.max(...s.blocks.filter((start) => start <= row));
      for (const row of headers) expect(s.blocks.some((start) => start <= row), `${s.name} row ${row}`).toBe(true);
      expect(new Set(headers.map(blockOf)).size, s.name).toBe(headers.length);
    }
  });

  it("keeps the Data quality sheet's reconciliation narrow, though the findings' wording sits in its columns", () => {
    const s = named('Data quality');
    // Rows read, accepted, rejected, £ accepted: sized by their counts and money, not by a message of 300 characters.
    for (const column of [3, 4, 5, 6]) expect(s.widths.get(column), `column ${column}`).toBeLessThanOrEqual(16);
    expect(s.merges.length).toBeGreaterThan(3);
    // The list of every finding has a sheet of its own, with its own widths.
    expect(named('Findings').widths.get(5)).toBe(52);
  });

  it('stands every header on the foot of its row, a wrapped notes header too, so a header row reads as one line', () => {
    // The Summary's "Notes" and "What it means" headers once wrapped from the top while the others stood at the foot.
    for (const s of sheets) {
      for (const row of headerRows(s)) {
        s.rows[row]!.forEach((cell, column) => {
          if (typeof cell.value === 'string' && cell.value !== '') expect(cell.alignment?.vertical, `${s.name} ${row}:${column} "${cell.value}"`).toBe('bottom');
        });
      }
    }
  });

  it('names where spend went the same way on every sheet and chart: Local, Not local, Location unknown', () => {
    // The Summary and the Categories sheet once said "Non-local" and "Unknown location" beside a chart saying "Not local".
    const labels = sheets.flatMap((s) => s.rows.flatMap((cells) => (cells ?? []).map((c) => c.value))).filter((v) => typeof v === 'string');
    expect(labels.filter((v) => v === 'Non-local' || v === 'Unknown location')).toEqual([]);
    expect(labels.filter((v) => v === 'Not local').length).toBeGreaterThanOrEqual(3);
    // Supplier types as labels, capitalised like the categories.
    expect(labels).toEqual(expect.arrayContaining(['Not known', 'Large', 'Public body', 'SME', 'VCSE']));
  });

  it('indents a header over a column of notes as its notes are, off the figures to its left', () => {
    const s = new Sheet('Notes');
    s.title('Notes');
    const header = s.header(['Measure', 'Change', 'Better?']);
    s.line(['LM3', 0.17, 'better'], { note: 3 });
    s.fit();
    expect(s.cell(header, 2).alignment).toMatchObject({ horizontal: 'right' });
    expect(s.cell(header, 3).alignment).toMatchObject({ indent: 1, vertical: 'bottom' });
  });

  it("keeps the Summary's figure column the width of a figure", () => {
    expect(named('Summary').widths.get(2)).toBe(18);
  });
});

describe('printed pages', () => {
  /** A sheet of `before` rows, then a section of `rows` rows (all 15 points high). */
  function sheetWith(before: number, rows: number, height?: number): Sheet {
    const s = new Sheet('Print');
    s.title('Print');
    for (let i = 0; i < before; i++) s.line([`before ${i}`, 1]);
    s.section('The table');
    s.header(['Item', 'Value']);
    for (let i = 0; i < rows; i++) {
      const row = s.line([`row ${i}`, i]);
      if (height) s.heights[row] = height;
    }
    s.fit();
    return s;
  }

  it('breaks earlier rather than leave a handful of a table on the next page', () => {
    // A page holds 487 points: 32 rows of 15. The title, a line, a blank, the heading, the header, then the
    // table's 36 rows, to row 41: 9 would go over, so the break moves up to leave 12.
    const s = sheetWith(1, 36);
    const breaks = headingBreaks(s);
    expect(breaks).toHaveLength(1);
    // At least 12 rows go over with the table's end, and the break is before the foot of the first page.
    expect(s.row - breaks[0]! + 1).toBeGreaterThanOrEqual(12);
    expect(breaks[0]).toBe(30);
  });

  it('moves a short table whole to the next page rather than split it', () => {
    const s = sheetWith(25, 10);
    expect(headingBreaks(s)).toEqual([s.sections[0]]);
  });

  it('never leaves a heading alone on a page when a block of tall rows is longer than a page', () => {
    const s = sheetWith(0, 14, 45);
    for (const at of headingBreaks(s)) expect(at - s.sections[0]!).toBeGreaterThan(4);
  });

  it('breaks a table that fills its last page well where the page ends', () => {
    // 487 points: 32 rows of 15 on the page (rows 1 to 32); the table's 50 rows end at row 55.
    expect(headingBreaks(sheetWith(1, 50))).toEqual([33]);
  });

  it('gives every page of a long table its break, so that a row out on each page cannot add up', () => {
    const s = sheetWith(0, 200);
    const breaks = headingBreaks(s);
    expect(breaks.length).toBe(6);
    // Pages of 32 rows, and the last holds at least 12.
    expect(breaks.slice(0, 5)).toEqual([33, 65, 97, 129, 161]);
    expect(s.row - breaks.at(-1)! + 1).toBeGreaterThanOrEqual(12);
  });
});

describe("the reader's sheets", () => {
  it('speak to a commissioner, not to the command line: no flags or project-file keys where a figure is missing', async () => {
    // A council's published spend alone: no payroll, no tiers, no postcode directory, no workplace postcode.
    const settings = resolveSettings(undefined, undefined, { spend: [`${FIXTURE}/payments-2024-25.csv`], area: 'HX', period: '2024-25', organisation: 'Calder Council' });
    const sheets = buildSheets(await analyse(settings));
    const readers = ['Summary', 'Charts', 'Framework', 'Geography', 'Workforce', 'Categories', 'LM3'];
    const texts = sheets.filter((s) => readers.includes(s.name)).flatMap((s) => s.rows.flatMap((cells) => (cells ?? []).map((c) => c.value).filter((v): v is string => typeof v === 'string').map((v) => `${s.name}: ${v}`)));
    expect(texts.some((t) => t.startsWith('Summary: Not provided: no payroll'))).toBe(true);
    expect(texts.filter((t) => /--[a-z]|inputs\.|workplacePostcode|local-impact geo/.test(t))).toEqual([]);
  });
});
