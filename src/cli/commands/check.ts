import { Command } from 'commander';
import { type Analysis, type AnalyseHooks, analyse } from '../../analyse.js';
import type { Settings } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { penceDecimal, toPounds } from '../../money.js';
import { CsvWriter } from '../../csv/write.js';
import { type Finding, isRejection } from '../../findings.js';
import type { ReadRow } from '../../ingest/spend.js';
import { fingerprint } from '../../disclosure/disclose.js';
import { refuseUnreportable } from '../../pipeline/headlines.js';
import { shownRowText } from '../../report/format.js';
import { withInputsNamed } from '../../report/paths.js';
import { makeChalk, renderCheck } from '../../report/terminal.js';
import { addInputOptions, type InputOptions, progressReporter, settingsFrom } from '../inputs.js';

/** What `check` reads and finds, for it and for init (which checks each file as it is named): no area needed. */
export async function checkInputs(settings: Settings, hooks: Omit<AnalyseHooks, 'allowNoArea'> = {}): Promise<Analysis> {
  return withInputsNamed(await analyse(settings, { ...hooks, allowNoArea: true }));
}

export function checkCommand(): Command {
  return addInputOptions(new Command('check'))
    .description('read the inputs without writing a report: columns found, rows accepted and rejected, suppliers located')
    .option('--json', 'print what was found as JSON')
    .option('--rows <file.csv>', 'write every accepted spend row as the tool understood it (file, line, supplier, amount, date, …) to a CSV')
    .option('--rejected <file.csv>', 'write every rejected or recovered row, with its code, line and raw text, to a CSV (payroll rows: line and code only)')
    .action(async (projectFile: string | undefined, raw: InputOptions & { json?: boolean; rows?: string; rejected?: string }) => {
      const settings = await settingsFrom(projectFile, raw);
      if (settings.spend.length === 0 && !settings.payroll) {
        throw new UsageError('Nothing to check.', { hint: 'Give --spend and/or --payroll, or a project file.' });
      }
      const tables = new RowTables(raw.rows, raw.rejected);
      // Without an area, still read the files: every supplier is then unplaced rather than the check refused.
      let analysis;
      try {
        analysis = await checkInputs(settings, { onProgress: progressReporter(!raw.json), onSpendRow: tables.onRow, onSpendRowsRestart: tables.restart });
        tables.addPayrollRejections(analysis);
        await tables.close();
      } catch (error) {
        await tables.abort();
        throw error;
      }
      if (raw.json) {
        const files = analysis.inputs.map((input) => ({
          role: input.source.role,
          file: input.source.name,
          path: input.source.path,
          // Null for payroll and staff survey files: their fingerprint could confirm a guess at personal data.
          sha256: fingerprint(input.source)?.sha256 ?? null,
          encoding: input.source.encoding,
          delimiter: input.source.delimiter,
          headerLine: input.source.headerLine,
          columns: Object.fromEntries(input.source.columns.map((c) => [c.field, c.header])),
          rowsRead: input.rowsRead,
          rowsAccepted: input.rowsAccepted,
          rowsRejected: input.rowsRejected,
          // A payroll's total is the staff's gross pay: as the disclosure stage allows it (null: withheld).
          acceptedTotal: input.source.role === 'payroll' ? (analysis.published.workforce.grossPay === null ? null : toPounds(analysis.published.workforce.grossPay)) : toPounds(input.accepted),
          bom: input.source.bom ?? null,
          columnChoices: input.source.columns,
          rejectedBy: input.rejectedBy ?? {},
          rowsBlank: input.rowsBlank ?? 0,
          rowsSubtotal: input.rowsSubtotal ?? 0,
          rowsRecovered: input.rowsRecovered ?? 0,
          format: input.source.format ?? 'csv',
          sheet: input.source.sheet ?? null,
          vat: input.vat ?? null,
          excluded: input.excludedRows ? { rows: input.excludedRows, total: toPounds(input.excluded ?? 0) } : null,
          unattributable: input.unattributableRows ? { rows: input.unattributableRows, total: toPounds(input.unattributable ?? 0) } : null,
          footer: input.source.footer ? { line: input.source.footer.line, raw: shownRowText(input.source.footer.raw, input.source.name, analysis.inputs), rows: input.footerRows ?? 0, statedTotal: input.statedTotal === undefined ? null : toPounds(input.statedTotal) } : null,
        }));
        process.stdout.write(`${JSON.stringify({ schemaVersion: 1, files, findings: analysis.findings.summary() }, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderCheck(analysis, makeChalk(process.stdout))}\n`);
      }
      // The files may be fine, but `run` would refuse these settings: say so now, with run's exit status.
      refuseUnreportable(analysis.findings);
    });
}

const ROWS_HEADER = ['file', 'line', 'supplier', 'amount', 'date', 'postcode', 'category', 'transaction_id', 'classed'];
const REJECTED_HEADER = ['file', 'line', 'status', 'code', 'amount', 'raw'];

/**
 * The table as the tool read it: `--rows` and `--rejected`, written as the rows arrive (a million-row file is
 * not held in memory), each whole or not at all. Amounts are exact pence as decimals; text a spreadsheet would
 * run as a formula is guarded, as in the supplier register.
 */
class RowTables {
  private rows: CsvWriter | undefined;
  private rejected: CsvWriter | undefined;

  constructor(
    private readonly rowsPath: string | undefined,
    private readonly rejectedPath: string | undefined,
  ) {
    this.open();
  }

  private open(): void {
    this.rows = this.rowsPath === undefined ? undefined : new CsvWriter(this.rowsPath, ROWS_HEADER);
    this.rejected = this.rejectedPath === undefined ? undefined : new CsvWriter(this.rejectedPath, REJECTED_HEADER);
  }

  get onRow(): ((row: ReadRow) => void) | undefined {
    if (this.rows === undefined && this.rejected === undefined) return undefined;
    return (row) => {
      if (row.kind === 'accepted') this.rows?.row([row.file, row.line, row.supplier, penceDecimal(row.amount), row.date, row.postcode, row.category, row.transaction, row.classed]);
      else this.rejected?.row([row.file, row.line, row.kind, row.code, row.amount === undefined ? '' : penceDecimal(row.amount), row.raw]);
    };
  }

  readonly restart = (): void => {
    void this.rows?.abort();
    void this.rejected?.abort();
    this.open();
  };

  /** Payroll rows are personal data: listed by file, line and code only. */
  addPayrollRejections(analysis: { inputs: { source: { role: string; name: string } }[]; findings: { details: readonly Finding[] } }): void {
    if (this.rejected === undefined) return;
    const payroll = new Set(analysis.inputs.filter((i) => i.source.role === 'payroll').map((i) => i.source.name));
    for (const finding of analysis.findings.details) {
      if (finding.file !== undefined && payroll.has(finding.file) && isRejection(finding)) this.rejected.row([finding.file, finding.line ?? '', 'rejected', finding.code, '', '']);
    }
  }

  async close(): Promise<void> {
    await this.rows?.close();
    await this.rejected?.close();
  }

  async abort(): Promise<void> {
    await this.rows?.abort();
    await this.rejected?.abort();
  }
}
