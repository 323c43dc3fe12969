import { Command } from 'commander';
import { analyse } from '../../analyse.js';
import { UsageError } from '../../errors.js';
import { toPounds } from '../../money.js';
import { fingerprint } from '../../disclosure/disclose.js';
import { refuseUnreportable } from '../../pipeline/headlines.js';
import { shownRowText } from '../../report/format.js';
import { withInputsNamed } from '../../report/paths.js';
import { makeChalk, renderCheck } from '../../report/terminal.js';
import { addInputOptions, type InputOptions, progressReporter, settingsFrom } from '../inputs.js';

export function checkCommand(): Command {
  return addInputOptions(new Command('check'))
    .description('read the inputs without writing a report: columns found, rows accepted and rejected, suppliers located')
    .option('--json', 'print what was found as JSON')
    .action(async (projectFile: string | undefined, raw: InputOptions & { json?: boolean }) => {
      const settings = await settingsFrom(projectFile, raw);
      if (settings.spend.length === 0 && !settings.payroll) {
        throw new UsageError('Nothing to check.', { hint: 'Give --spend and/or --payroll, or a project file.' });
      }
      // Without an area, still read the files: every supplier is then unplaced rather than the check refused.
      const analysis = withInputsNamed(await analyse(settings, { onProgress: progressReporter(!raw.json), allowNoArea: true }));
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
