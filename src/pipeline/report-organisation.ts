import { type Analysis, analyse, type AnalyseHooks } from '../analyse.js';
import type { Settings } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { outputName, withInputsNamed } from '../report/paths.js';
import { type Comparison, compareRecords } from '../compare/compare.js';
import { trendLine } from '../report/compare-words.js';
import { summaryJson, type SummaryJson } from '../report/json.js';
import type { SummaryRecord } from '../report/record.js';
import { renderStatement } from '../report/statement.js';
import { writeWorkbook } from '../report/workbook/index.js';
import { writeWhole } from '../write-whole.js';
import { enforceStrict, refuseUnreportable } from './headlines.js';
import { mark } from '../timings.js';

export interface ReportOptions {
  /** The workbook to write (absolute); null: none (`--no-report`). */
  outPath: string | null;
  /** The HTML impact statement to write (absolute); null: none. */
  statementPath: string | null;
  strict: boolean;
  /** Weakening codes accepted knowingly under `strict`. */
  allow: readonly string[];
  /** Earlier years to compare with (`run --previous`), most recent first: a Compare sheet and a line of trend. */
  previous?: readonly SummaryRecord[];
  onProgress?: AnalyseHooks['onProgress'];
  onePass?: boolean;
}

export interface OrganisationReport {
  analysis: Analysis;
  /** The workbook as outputs name it (relative to the working folder); null when none was written. */
  reportName: string | null;
  /** The `--json` summary, as `run --json` prints it. */
  summary: SummaryJson;
  /** This year against `previous`, when given. */
  comparison: Comparison | undefined;
}

/** A report needs a spend file: refused before anything is read. */
export function requireSpend(settings: Settings): void {
  if (settings.spend.length === 0) {
    throw new UsageError('No spend file given.', { code: 'NO_SPEND', hint: 'Give --spend payments.csv (or "inputs.spend" in a project file). Try `local-impact demo` to see a finished report.' });
  }
}

/**
 * One organisation, measured and reported: what `run` does and what each of `batch`'s workers does, so the
 * two cannot drift apart. The caller has checked the outputs may be written; this refuses (a coded UserError)
 * before writing anything when the figures break the method's bounds or, under `strict`, are weakened.
 */
export async function reportOrganisation(settings: Settings, options: ReportOptions): Promise<OrganisationReport> {
  // Outputs name each input relative to the project folder, and the report relative to the working folder.
  const analysis = withInputsNamed(await analyse(settings, { onProgress: options.onProgress, onePass: options.onePass }));
  const reportName = options.outPath === null ? null : outputName(options.outPath);
  mark('analysed');
  // Nothing is written for figures that break the method's bounds, nor, under --strict, for weakened ones.
  refuseUnreportable(analysis.findings);
  if (options.strict) enforceStrict(analysis.findings, options.allow);
  const summary = summaryJson(analysis, reportName, options.statementPath === null ? null : outputName(options.statementPath));
  const comparison = options.previous && options.previous.length > 0 ? compareRecords([summary, ...options.previous]) : undefined;
  // Rendered before anything is written, so a fault in it leaves neither file half-done.
  const statement = options.statementPath === null ? null : renderStatement(analysis, { trend: comparison && trendLine(comparison) });
  if (options.outPath !== null) await writeWorkbook(analysis, options.outPath, { comparison });
  mark('workbook written');
  if (options.statementPath !== null && statement !== null) await writeWhole(options.statementPath, statement);
  return { analysis, reportName, summary, comparison };
}
