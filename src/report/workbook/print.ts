import type { Analysis } from '../../analyse.js';
import type { PageSetup } from '../xlsx-writer.js';
import { periodText } from './text.js';
import type { Sheet } from './layout.js';

/** Printed on A4 landscape, one page wide, with half-inch margins. */
const MARGIN = 0.5;
const PAGE_POINTS = { width: 842 - 2 * MARGIN * 72, height: 595 - 2 * 0.75 * 72 };
/** A column unit is about one digit of the default font (7 px) plus its padding, in points. */
const POINTS_PER_CHARACTER = 5.6;
const ROW_POINTS = 15;
/** A column's width in characters when the sheet does not set it. */
const DEFAULT_WIDTH = 8.43;
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
 * Rows that start a new printed page so that no heading is stranded at the foot of one: where a section's
 * heading would have fewer than a few rows of its table beneath it on its page, the page breaks before the
 * heading. Pages are estimated from the columns' widths (the sheet is scaled to one page wide) and the rows'
 * heights, as a spreadsheet lays them out.
 */
export function headingBreaks(sheet: Sheet): number[] {
  const width = printedCharacters(sheet) * POINTS_PER_CHARACTER;
  const scale = width > PAGE_POINTS.width ? PAGE_POINTS.width / width : 1;
  const pageHeight = PAGE_POINTS.height / scale;
  const breaks: number[] = [];
  const sections = new Set(sheet.sections);
  let used = 0;
  for (let row = 1; row <= sheet.row; row++) {
    const height = sheet.heights[row] ?? ROW_POINTS;
    if (sections.has(row) && used > 0 && used + ROW_POINTS * ((sheet.keep.get(row) ?? KEEP_WITH_HEADING) + 1) > pageHeight) {
      breaks.push(row);
      used = 0;
    } else if (used + height > pageHeight) used = 0;
    used += height;
  }
  return breaks;
}

/**
 * How wide the sheet prints, in characters: its columns, or further where text runs on past them (a note that
 * overflows the last column widens the printed page, and the page is scaled to fit it).
 */
function printedCharacters(sheet: Sheet): number {
  // The rows are sparse: a loop, not map, so that a hole counts as no cells rather than as NaN.
  let columns = Math.max(0, ...sheet.widths.keys());
  for (const cells of sheet.rows) if (cells) columns = Math.max(columns, cells.length - 1);
  const offsets = [0];
  for (let column = 1; column <= columns + 1; column++) offsets[column] = offsets[column - 1]! + (column === 1 ? 0 : (sheet.widths.get(column - 1) ?? DEFAULT_WIDTH));
  let widest = offsets[columns + 1]!;
  for (const cells of sheet.rows) {
    cells?.forEach((cell, column) => {
      if (typeof cell.value !== 'string' || cell.alignment?.wrapText) return;
      const own = sheet.widths.get(column) ?? DEFAULT_WIDTH;
      const longest = Math.max(...cell.value.split('\n').map((line) => line.length));
      const size = (cell.font?.size ?? 11) / 11;
      if (longest * size > own) widest = Math.max(widest, offsets[column]! + longest * size);
    });
  }
  return widest;
}
