import type { Analysis } from '../../analyse.js';
import type { PageSetup } from '../xlsx-writer.js';
import { periodText } from './text.js';
import { DEFAULT_COLUMN_WIDTH, TEXT_PER_CHARACTER, type Sheet } from './layout.js';

/** Printed on A4 landscape, one page wide, with half-inch margins. */
const MARGIN = 0.5;
const PAGE_POINTS = { width: 842 - 2 * MARGIN * 72, height: 595 - 2 * 0.75 * 72 };
/** A column `w` characters wide prints `7w + 5` pixels wide (Calibri 11's digit is 7 px, and its padding 5), 96 to the inch. */
const columnPoints = (width: number) => ((7 * width + 5) * 72) / 96;
/** A character of the default font's digits, in points; running text is narrower (TEXT_PER_CHARACTER). */
const DIGIT_POINTS = (7 * 72) / 96;
const ROW_POINTS = 15;
/** A heading with fewer than this many rows of its table under it on a page starts the next page instead. */
const KEEP_WITH_HEADING = 4;

/** Each sheet's print setup: A4 landscape one page wide, the organisation and period above, the sheet and "page N of M" below. */
export function pageSetup(analysis: Analysis): PageSetup {
  return printSetup(analysis.settings.organisation, `Period: ${periodText(analysis)}`, `${analysis.tool.name} ${analysis.tool.version}`);
}

/** The same for any workbook (`compare --out`): `left` and `right` above, `centre` below between the sheet and the page. */
export function printSetup(left: string, right: string, centre: string): PageSetup {
  return {
    landscape: true,
    paperSize: 9,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: MARGIN, right: MARGIN, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    centerHorizontally: true,
    header: { left: left.slice(0, 100), right: right.slice(0, 100) },
    footer: { left: [{ field: 'sheet' }], center: centre, right: ['Page ', { field: 'page' }, ' of ', { field: 'pages' }] },
  };
}

/**
 * Rows that start a new printed page, so that no page holds a stranded heading or a handful of rows that belong to
 * the page before:
 * - where a section's heading would have fewer than a few rows of its table beneath it on its page, the page breaks
 *   before the heading;
 * - where a block (a heading and its table) would run over onto the next page by fewer than `TAIL` rows' height,
 *   the page breaks earlier, so that that much goes over with it; or, when too little of it would then be left
 *   under its heading, before the heading, so that the block goes over whole (if a page can hold it).
 * Pages are estimated from the columns' widths (the sheet is scaled to one page wide) and the rows' heights, as a
 * spreadsheet lays them out, with the repeated header row on each page after the first: the scale rounded down and
 * running text taken at its narrowest, so that a page holds a little more than estimated (LibreOffice with Calibri's
 * metrics fits 34 rows where 32 are planned), never less. Every page's break is given, not only those moved, so
 * that a row out on each page of a long table cannot add up to a page breaking a dozen rows before the one placed.
 */
export function headingBreaks(sheet: Sheet): number[] {
  const width = printedPoints(sheet);
  // Spreadsheets scale to a whole percent, down.
  const scale = width > PAGE_POINTS.width ? Math.floor((100 * PAGE_POINTS.width) / width) / 100 : 1;
  const pageHeight = PAGE_POINTS.height / scale;
  const height = (row: number) => sheet.heights[row] ?? ROW_POINTS;
  const titles = sheet.printTitlesRow;
  // What a page holds before its first row: the header row printed again on every page after it.
  const topOf = (row: number) => (titles !== undefined && titles < row ? height(titles) : 0);
  const sections = new Set(sheet.sections);
  const blockOf = blockSpans(sheet);
  const heightOf = (first: number, last: number) => {
    let sum = 0;
    for (let row = first; row <= last; row++) sum += height(row);
    return sum;
  };
  const breaks: number[] = [];
  let pageStart = 1;
  let used = 0;
  const startPage = (at: number) => {
    breaks.push(at);
    pageStart = at;
    used = topOf(at);
  };
  for (let row = 1; row <= sheet.row; row++) {
    if (row > pageStart && sections.has(row) && used + ROW_POINTS * ((sheet.keep.get(row) ?? KEEP_WITH_HEADING) + 1) > pageHeight) startPage(row);
    else if (row > pageStart && used + height(row) > pageHeight) {
      const block = blockOf[row];
      // What of this block would start the next page: too little, and the break moves up.
      if (block !== undefined && row > block.start && heightOf(row, block.end) < TAIL * ROW_POINTS) {
        // Up to where a tail of TAIL rows' height begins.
        let at = row;
        while (at > block.start + 1 && heightOf(at, block.end) < TAIL * ROW_POINTS) at--;
        // Too little would stay under the heading: the block goes over whole, if a page can hold it.
        if (at - block.start < KEEP_WITH_HEADING + 1) at = block.start > pageStart && topOf(block.start) + heightOf(block.start, block.end) <= pageHeight ? block.start : pageStart;
        if (at > pageStart) {
          startPage(at);
          row = at - 1;
          continue;
        }
      }
      startPage(row);
    }
    used += height(row);
  }
  return breaks;
}

/** Fewer rows than this of a block running over onto a page is a tail that belongs with the rest of its table. */
const TAIL = 12;

/** For each row, the block it is in: from its heading's row to its last row with anything in it. */
function blockSpans(sheet: Sheet): ({ start: number; end: number } | undefined)[] {
  const starts = [...new Set(sheet.blocks.length > 0 ? sheet.blocks : sheet.sections)].sort((a, b) => a - b);
  const spans: ({ start: number; end: number } | undefined)[] = [];
  starts.forEach((start, i) => {
    const next = starts[i + 1] ?? sheet.row + 1;
    let end = next - 1;
    while (end > start && !(sheet.rows[end] ?? []).some((cell) => cell?.value !== null && cell?.value !== undefined)) end--;
    const span = { start, end };
    for (let row = start; row < next; row++) spans[row] = span;
  });
  return spans;
}

/**
 * How wide the sheet prints, in points: its columns, or further where text runs on past them (a note that
 * overflows the last column widens the printed page, and the page is scaled to fit it).
 */
function printedPoints(sheet: Sheet): number {
  // The rows are sparse: a loop, not map, so that a hole counts as no cells rather than as NaN.
  let columns = Math.max(0, ...sheet.widths.keys());
  for (const cells of sheet.rows) if (cells) columns = Math.max(columns, cells.length - 1);
  const offsets = [0];
  for (let column = 1; column <= columns + 1; column++) offsets[column] = offsets[column - 1]! + (column === 1 ? 0 : columnPoints(sheet.widths.get(column - 1) ?? DEFAULT_COLUMN_WIDTH));
  let widest = offsets[columns + 1]!;
  for (const cells of sheet.rows) {
    cells?.forEach((cell, column) => {
      if (typeof cell.value !== 'string' || cell.alignment?.wrapText) return;
      const own = columnPoints(sheet.widths.get(column) ?? DEFAULT_COLUMN_WIDTH);
      const longest = Math.max(...cell.value.split('\n').map((line) => line.length));
      // Text runs narrower than the digits a column's width counts: taken at its narrowest, the estimate errs
      // towards a page holding fewer rows than it does, and a break it places falls before the page's foot.
      const runs = (longest * TEXT_PER_CHARACTER * DIGIT_POINTS * (cell.font?.size ?? 11)) / 11;
      if (runs > own) widest = Math.max(widest, offsets[column]! + runs);
    });
  }
  return widest;
}
