import { type PageSetup, xlsx } from '../xlsx-writer.js';
import { type Sheet, Styles } from './layout.js';
import { headingBreaks } from './print.js';

export interface BookMeta {
  creator: string;
  created: Date;
  title: string;
  setup: PageSetup;
  /** Page breaks before headings (a report's sheets); false for a one-page form. */
  breaks?: boolean;
}

/** Laid-out sheets as the bytes of an .xlsx file: the one way a report, a combined workbook or a form becomes a file. */
export function bookBytes(sheets: readonly Sheet[], meta: BookMeta): Buffer {
  const styles = new Styles();
  return xlsx({
    creator: meta.creator,
    created: meta.created,
    title: meta.title,
    sheets: sheets.map((sheet) => ({
      name: sheet.name,
      // map keeps the holes: an empty row or cell stays empty.
      // Each cell takes its style in place rather than as a copy: a workbook of thousands of suppliers has
      // a hundred thousand cells, and copying them cost more garbage collection than anything else here.
      rows: sheet.rows.map((cells) => {
        cells.forEach((cell) => void (cell.style = styles.of(cell)));
        return cells;
      }),
      heights: sheet.heights,
      widths: sheet.widths,
      merges: sheet.merges,
      frozenRows: sheet.frozen,
      autoFilter: sheet.autoFilter,
      printTitlesRow: sheet.printTitlesRow,
      pageSetup: meta.setup,
      rowBreaks: meta.breaks === false ? undefined : headingBreaks(sheet),
      charts: sheet.charts,
      protect: sheet.protect,
      validations: sheet.validations,
    })),
  });
}
