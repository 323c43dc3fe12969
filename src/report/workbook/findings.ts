import type { Analysis } from '../../analyse.js';
import { severityOf } from '../../findings.js';
import { shownMessage, shownRaw } from '../format.js';
import { Sheet, count } from './layout.js';

/**
 * Every finding with its file, line and raw row: a list of its own (filtered, its header on every printed page),
 * on a sheet of its own, since its columns of prose share nothing with the Data quality sheet's reconciliation.
 */
export function findingsSheet(analysis: Analysis): Sheet {
  const { findings } = analysis;
  const s = new Sheet('Findings');
  s.title('Findings', 'Each finding in the order found, with the file, line and row as read; the Data quality sheet counts them by kind.');
  const header = s.header(['Code', 'Severity', 'File', 'Line', 'Message', 'Raw row']);
  s.freeze(header);
  for (const finding of findings.details) {
    const raw = shownRaw(finding, analysis.inputs) ?? '';
    s.line([finding.code, severityOf(finding.code), finding.file ?? '', finding.line === undefined ? null : count(finding.line), shownMessage(finding), raw]);
  }
  if (findings.details.length === 0) s.line(['No findings.']);
  s.filter(header, s.row, 6);
  s.printTitlesRow = header;
  for (const [code, omitted] of findings.omitted()) {
    s.line([`${omitted} more ${code} finding(s) are counted on the Data quality sheet but not listed, to keep the report a readable size.`], { overflow: [1] });
  }
  s.fit({ 1: { min: 24, max: 30 }, 2: { min: 10, max: 12 }, 3: { min: 12, max: 24 }, 4: { min: 8 }, 5: { min: 14, max: 50 }, 6: { min: 14, max: 50 } });
  return s;
}
