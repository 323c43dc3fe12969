import type { Analysis } from '../../analyse.js';
import { shownMessage } from '../format.js';
import { COUNT, MONEY, Sheet, type Styled, bold, calc, count, money, shownMoney } from './layout.js';
import { excludedPayments } from './text.js';

export function dataQualitySheet(analysis: Analysis): Sheet {
  const { ledger, spend, findings } = analysis;
  const s = new Sheet('Data quality');
  s.title('Data quality', 'Every row read is either accepted or rejected; the Findings sheet lists each rejected row and other finding with its file and line.');
  s.freeze(2);

  s.section('Reconciliation');
  const header = s.header(['File', 'Role', 'Rows read', 'Rows accepted', 'Rows rejected', '£ accepted', 'Accepted + rejected = read']);
  const check = (row: number, ok: boolean): Styled => calc(`IF(D${row}+E${row}=C${row},"yes","NO")`, ok ? 'yes' : 'NO');
  for (const input of analysis.inputs) {
    const row = s.row + 1;
    const hasMoney = input.source.role === 'spend' || input.source.role === 'payroll';
    s.line([
      input.source.name,
      input.source.role,
      count(input.rowsRead),
      count(input.rowsAccepted),
      count(input.rowsRejected),
      // A payroll's total is the staff's gross pay: printed as the disclosure stage allows.
      input.source.role === 'payroll' ? shownMoney(analysis.published.workforce.grossPay) : hasMoney ? money(input.accepted) : null,
      check(row, input.rowsAccepted + input.rowsRejected === input.rowsRead),
    ]);
  }
  if (analysis.inputs.length === 0) s.line(['No input files were read.']);
  const last = s.row;
  let excludedRow: number | undefined;
  if (ledger && spend && analysis.inputs.length > 0) {
    const total = s.row + 1;
    const spendSum = (column: string, value: number): Styled =>
      calc(`SUMIF(B${header + 1}:B${last},"spend",${column}${header + 1}:${column}${last})`, value, column === 'F' ? MONEY : COUNT);
    s.line(
      [
        'All spend files',
        'spend',
        spendSum('C', ledger.rowsRead),
        spendSum('D', ledger.rowsAccepted),
        spendSum('E', ledger.rowsRejected),
        spendSum('F', ledger.total / 100),
        check(total, ledger.rowsAccepted + ledger.rowsRejected === ledger.rowsRead),
      ],
      { bold: true },
    );
    const agrees = ledger.total === spend.total + ledger.excludedTotal ? 'yes' : 'NO';
    if (analysis.excluded.length === 0) {
      const analysed = s.line(['Spend analysed (sum over suppliers)', null, null, null, null, money(spend.total), calc(`IF(ROUND(F${total}-F${total + 1},2)=0,"yes","NO")`, agrees)]);
      s.noteAt(analysed, 8, 'agrees with £ accepted');
    } else {
      s.line(['Spend analysed (sum over suppliers)', null, null, null, null, money(spend.total)]);
      excludedRow = s.line(['Spend excluded by rule (listed below)', null, null, null, null, null, calc(`IF(ROUND(F${total}-F${total + 1}-F${total + 2},2)=0,"yes","NO")`, agrees)]);
      s.noteAt(excludedRow, 8, 'analysed + excluded agrees with £ accepted');
    }
  }

  if (analysis.excluded.length > 0) {
    s.section('Spend excluded by rule');
    s.note("Accepted payments the project file's exclude rules take out of the analysis (not procurement): counted here once each, under the first rule that takes them.");
    const header = s.header(['Rule', 'Payments', 'Suppliers', '£ excluded', 'Reason']);
    for (const line of analysis.excluded) s.line([line.rule, count(line.payments), count(line.suppliers), money(line.amount), line.reason]);
    const last = s.row;
    const sum = (column: string, value: number, numFmt: string): Styled => calc(`SUM(${column}${header + 1}:${column}${last})`, value, numFmt);
    const excludedTotal = ledger?.excludedTotal ?? 0;
    const totalRow = s.line(['All rules', sum('B', excludedPayments(analysis), COUNT), null, sum('D', excludedTotal / 100, MONEY)], { bold: true });
    if (excludedRow !== undefined) s.set(excludedRow, 6, calc(`D${totalRow}`, excludedTotal / 100, MONEY));
  }

  s.section('Findings by kind');
  const summary = findings.summary();
  if (summary.length === 0) s.line(['No findings.']);
  else {
    s.note('Each one, with its file, line and row as read, is on the Findings sheet.');
    s.header(['Code', 'Severity', 'Count', 'First occurrence']);
    for (const f of summary) s.line([f.code, f.severity, count(f.count), shownMessage(f)], { note: 4 });
  }

  // The reconciliation's columns; a finding's wording and an exclusion's reason are prose over the columns beside them.
  s.fit({ 1: { min: 24, max: 30 }, 2: { min: 12, max: 18 }, 3: { min: 10, max: 12 }, 4: { min: 10, max: 14 }, 5: { min: 10, max: 12 }, 6: { min: 14, max: 16 }, 7: { min: 14, max: 14 } });
  return s;
}
