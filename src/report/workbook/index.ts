import type { Analysis } from '../../analyse.js';
import { UserError } from '../../errors.js';
import { writeWhole } from '../../write-whole.js';
import type { Comparison } from '../../compare/compare.js';
import type { PageSetup } from '../xlsx-writer.js';
import { bookBytes } from './book.js';
import { compareSheet } from './compare.js';
import { assumptionsSheet } from './assumptions.js';
import { categoriesSheet } from './categories.js';
import { dataQualitySheet } from './data-quality.js';
import { findingsSheet } from './findings.js';
import { geographySheet } from './geography.js';
import { Sheet, cellText } from './layout.js';
import { lm3Sheet } from './lm3.js';
import { chartsSheet } from './charts.js';
import { pageSetup } from './print.js';
import { stepsSheet } from './steps.js';
import { summarySheet } from './summary.js';
import { suppliersSheet } from './suppliers.js';
import { workforceSheet } from './workforce.js';
import { scenariosSheet } from './scenarios.js';
import { enabledSheet } from './enabled.js';
import { frameworkSheet } from './framework.js';

/**
 * The workbook a finance lead opens: one sheet per question, money as numbers in pounds, and LM3 as
 * live formulas over its inputs (with cached results equal to the analysis's own figures) so it can be audited.
 *
 * One module per sheet over a small layout layer (layout.ts); the writer behind a narrow interface (xlsx-writer.ts).
 */

export { cellText };

export async function writeWorkbook(analysis: Analysis, outPath: string, extra: SheetExtras = {}): Promise<void> {
  await writeSheets(buildSheets(analysis, extra), {
    creator: `${analysis.tool.name} ${analysis.tool.version}`,
    created: new Date(analysis.generatedAt),
    title: `Local economic impact: ${cellText(analysis.settings.organisation)}`,
    setup: pageSetup(analysis),
  }, outPath);
}

/** What a run adds beyond its own analysis: the years it is compared with (`run --previous`). */
export interface SheetExtras {
  comparison?: Comparison;
}

/** Built sheets as a workbook, written whole (`run`'s report, and `compare --out`). */
export async function writeSheets(sheets: Sheet[], meta: { creator: string; created: Date; title: string; setup: PageSetup }, outPath: string): Promise<void> {
  try {
    const bytes = bookBytes(sheets, meta);
    // Never half a report: written beside it, then renamed into place.
    await writeWhole(outPath, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT' || code === 'ENOTDIR') {
      // Exit 1, like a file that cannot be read: the command line itself was valid.
      throw new UserError(`Cannot write the report ${outPath}: ${(error as Error).message}`, {
        exitCode: 1,
        file: outPath,
        hint:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? 'Check that the folder exists, or give another path with --out.'
            : 'If the workbook is open in Excel, close it and run again; or give another path with --out.',
      });
    }
    throw error;
  }
}

/** The sheets in order, built in memory. */
export function buildSheets(analysis: Analysis, extra: SheetExtras = {}): Sheet[] {
  // The sheets others refer to first: the Summary's figures are references to the LM3 sheet's cells, the
  // charts' tables to the LM3, Categories and Geography sheets'.
  const lm3 = lm3Sheet(analysis);
  const categories = categoriesSheet(analysis);
  const geography = geographySheet(analysis);
  const scenarios = scenariosSheet(analysis, lm3);
  const enabled = enabledSheet(analysis);
  const sheets = [
    summarySheet(analysis, lm3),
    chartsSheet(analysis, { lm3, categories, geography }),
    // How the year compares with the years before (`run --previous`), beside the charts a commissioner reads.
    ...(extra.comparison ? [compareSheet(extra.comparison)] : []),
    stepsSheet(analysis),
    lm3,
    ...(scenarios ? [scenarios] : []),
    frameworkSheet(analysis),
    ...(enabled ? [enabled] : []),
    suppliersSheet(analysis),
    categories,
    geography,
    workforceSheet(analysis),
    dataQualitySheet(analysis),
    findingsSheet(analysis),
    assumptionsSheet(analysis),
  ];
  // Prose laid over the cells beside it once every width is known: done here, so that every sheet gets it.
  for (const sheet of sheets) sheet.layOut();
  return sheets;
}
