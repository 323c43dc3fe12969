import type { Analysis } from '../../analyse.js';
import { MILLI_PERCENT_WHOLE } from '../../domain/percent.js';
import type { Supplier } from '../../domain/supplier.js';
import { isExact } from '../../disclosure/disclose.js';
import { whyNot } from '../headlines.js';
import { formatPounds, type Pence } from '../../money.js';
import { round1BasisLabel, round3BasisLabel, spendKindLabel, spendRowsNoun, WITHHELD_PAY, WITHHELD_SURVEY } from '../format.js';
import { COUNT, MONEY, NOT_PROVIDED_SPEND, NO_SCORE, SCORE, SHARE, Sheet, type Styled, type Value, bold, calc, money, percentOf, share } from './layout.js';
import { lowEndNote } from './text.js';
import { lm3Formulas as F } from './lm3-formulas.js';

export function lm3Sheet(analysis: Analysis): Sheet {
  const { lm3, spend, settings, suppliers } = analysis;
  const s = new Sheet('LM3');
  s.title(
    `LM3: Local Multiplier 3 — ${settings.organisation}`,
    'LM3 = (R1 + R2 + R3) / R1 (NEF, The Money Trail, 2002). Blue cells are inputs from the files; the others are live formulas over them: change an input and the rounds recalculate.',
  );
  s.freeze(2);
  if (!lm3 || !spend) {
    s.row++;
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const local = suppliers.filter((x) => x.status === 'local');
  const unknown = suppliers.filter((x) => x.status === 'unknown');
  const { supplierMean, staffMean } = lm3;
  const assumed = settings.assumptions;
  // computeLm3 was given the local and unknown suppliers in this order, so its terms line up with these rows.
  const ownTotal = local.reduce((sum, x, i) => sum + (x.surveyPercent === undefined ? 0 : lm3.supplierRound3[i]!), 0);
  const atRateTotal = lm3.round3Suppliers - ownTotal;
  const unknownSpend = unknown.reduce((sum, x) => sum + x.amount, 0);
  const unknownRespend = lm3.unknownSupplierRound3.reduce((sum, r3) => sum + r3, 0);
  // Figures staff pay feeds as the disclosure stage publishes them: a live formula only where every cell it
  // reads and the figure itself are published as they are; else the published value, or "withheld".
  const shown = analysis.published;
  const d = analysis.disclosure;
  const localPayWithheld = shown.lm3.round2Staff === null;
  const unknownPayWithheld = shown.lm3.unknownStaffPay === null;
  const B = (row: number) => `B${row}`;
  const input = (pence: Pence): Styled => money(pence, { input: true });
  const pay = (pence: Pence | null): Value => (pence === null ? WITHHELD_PAY : input(pence));
  const moneyCell = (formula: string, pence: number | null, live: boolean): Value => (pence === null ? WITHHELD_PAY : live ? calc(formula, pence / 100, MONEY) : input(pence));
  const ratioCell = (formula: string, value: number | null | undefined, live: boolean, numFmt: string, extra: Partial<Styled> = {}): Value =>
    value === undefined ? NO_SCORE : value === null ? WITHHELD_PAY : live ? { ...calc(formula, value, numFmt), ...extra } : { value, numFmt, ...extra };
  const supported = analysis.headlines?.lm3.supported ?? true;
  const centralNote = (note: string) => (supported || !analysis.headlines ? note : `central figure only, ${whyNot(analysis.headlines.lm3, analysis.headlines)}`);
  const wagesWord = lm3.wages;
  const withheldNote = (withheld: boolean, note: string) => (withheld ? `${note}${note ? '; ' : ''}staff pay in it withheld (see Assumptions)` : note);

  s.section('Inputs');
  s.line(['Round 1 basis', round1BasisLabel(lm3.round1Basis)], { overflow: [2] });
  let r1Formula: string;
  let r1Live = true;
  if (lm3.round1Basis === 'income') {
    const income = s.line(['Income followed', input(lm3.round1), 'the income or contract value given'], { note: 3 });
    r1Formula = B(income);
  } else {
    const kind = analysis.ledger?.kind ?? 'payments';
    const spendRow = s.line(['Spend analysed', input(spend.total), kind === 'payments' ? 'all supplier payments accepted' : `all ${spendRowsNoun(kind)} accepted (${spendKindLabel(kind)})`], { note: 3 });
    const payrollRow = s.line(['Payroll cost', pay(shown.workforce.payrollCost), 'gross pay + employer NI + employer pension'], { note: 3 });
    r1Formula = F.round1FromSpend(B(spendRow), B(payrollRow));
    r1Live = shown.workforce.payrollCost !== null;
  }
  const localSpendRow = s.line(['Local supplier spend', null, `sum of the ${local.length} local suppliers listed below`], { note: 3 });
  const localPayRow = s.line([`Pay of staff living locally (${wagesWord})`, pay(shown.lm3.round2Staff), 'home postcode inside the area'], { note: 3 });
  const supplierRateRow = s.line(['Re-spend rate of unsurveyed local suppliers', null, ''], { note: 3 });
  let staffRateFormula: Styled;
  let staffRateNote: string;
  if (staffMean && !shown.staffSurveyShown) {
    s.line(['Staff survey responses', { value: staffMean.respondents, numFmt: COUNT }, 'anonymous returns'], { note: 3 });
    staffRateFormula = { value: WITHHELD_SURVEY };
    staffRateNote = 'the mean of fewer than 3 returns is used but not shown (it would show their answers)';
  } else if (staffMean) {
    const responses = s.line(['Staff survey responses', { value: staffMean.respondents, numFmt: COUNT, input: true }, 'anonymous returns'], { note: 3 });
    const total = s.line(['Sum of staff survey answers', { value: Number(staffMean.numerator) / MILLI_PERCENT_WHOLE, numFmt: SHARE, input: true }, 'each answer: share of pay spent locally'], { note: 3 });
    staffRateFormula = calc(F.staffRate(B(responses), B(total)), staffMean.percent / 100, SHARE);
    staffRateNote = 'unweighted mean of the staff answers';
  } else if (assumed.staffPercent !== undefined) {
    staffRateFormula = { value: percentOf(assumed.staffPercent), numFmt: SHARE, input: true };
    staffRateNote = `assumed${assumed.source ? `: ${assumed.source}` : ''}`;
  } else {
    staffRateFormula = { value: 0, numFmt: SHARE, input: true };
    staffRateNote = 'no staff survey and no assumption: Round 3 staff is £0';
  }
  const staffRateRow = s.line(['Local-spend rate of staff', staffRateFormula, staffRateNote], { note: 3 });
  const unknownSpendRow = s.line(['Spend with suppliers of unknown location', null, `sum of the ${unknown.length} suppliers listed at the end`], { note: 3 });
  const unknownPayRow = s.line([`Pay of staff with no usable home postcode (${wagesWord})`, pay(shown.lm3.unknownStaffPay), 'counted only at the high end'], { note: 3 });

  s.section('Rounds');
  const r1 = s.mark('r1', s.line(['R1: money in', moneyCell(r1Formula, shown.lm3.round1, r1Live), round1BasisLabel(lm3.round1Basis)], { note: 3 }));
  const r2Live = !localPayWithheld && isExact(d, 'lm3.round2');
  const r2 = s.mark('r2', s.line(['R2: spent locally', moneyCell(F.round2(B(localSpendRow), B(localPayRow)), shown.lm3.round2, r2Live), withheldNote(localPayWithheld, 'local supplier spend + pay of staff living locally')], { note: 3 }));
  const ownRow = s.line(['R3 from surveyed local suppliers (own answers)', null, 'each surveyed supplier × its own answer'], { note: 3 });
  const atRateRow = s.line(['R3 from unsurveyed local suppliers (at the rate)', null, 'each unsurveyed supplier × the re-spend rate'], { note: 3 });
  const staffR3 = s.line(['R3 from staff', moneyCell(F.staffRound3(B(localPayRow), B(staffRateRow)), shown.lm3.round3Staff, !localPayWithheld), 'pay of staff living locally × their local-spend rate'], { note: 3 });
  const r3Live = shown.lm3.round3Staff !== null && isExact(d, 'lm3.round3');
  const r3 = s.mark('r3', s.line(['R3: re-spent locally', moneyCell(F.round3(B(ownRow), B(atRateRow), B(staffR3)), shown.lm3.round3, r3Live), withheldNote(shown.lm3.round3Staff === null, `basis: ${round3BasisLabel(lm3.round3Basis)}`)], { note: 3 }));
  const scoreLive = r1Live && r2Live && r3Live && isExact(d, 'lm3.score');
  const score = s.mark('score', s.line([bold('LM3 = (R1 + R2 + R3) / R1'), ratioCell(F.score(B(r1), [B(r2), B(r3)]), lm3.score === undefined ? undefined : shown.lm3.score, scoreLive, SCORE, { bold: true }), centralNote('between 1 and 3')], { note: 3 }));
  const further = lm3.score === undefined ? 0 : shown.lm3.score === null ? null : shown.lm3.score - 1;
  s.mark('further', s.row + 1);
  s.line(['Each £1 of R1 generates a further', further === null ? WITHHELD_PAY : scoreLive ? calc(F.further(B(r1), B(score)), further, MONEY) : { value: further, numFmt: MONEY }, centralNote('locally')], { note: 3 });
  s.mark('r2Share', s.row + 1);
  s.line(['R2 / R1', ratioCell(F.share(B(r2), B(r1)), shown.lm3.round2Share, r1Live && r2Live && isExact(d, 'lm3.round2Share'), SHARE), centralNote('share of R1 spent locally')], { note: 3 });
  s.mark('r3Share', s.row + 1);
  s.line(['R3 / R2', ratioCell(F.share(B(r3), B(r2)), shown.lm3.round3Share, r2Live && r3Live && isExact(d, 'lm3.round3Share'), SHARE), 'share of R2 re-spent locally'], { note: 3 });

  s.section('Range');
  const r2HighLive = r2Live && !unknownPayWithheld && isExact(d, 'lm3.high.round2');
  const r2High = s.line(['R2 at the high end', moneyCell(F.round2High(B(r2), B(unknownSpendRow), B(unknownPayRow)), shown.lm3.highRound2, r2HighLive), withheldNote(shown.lm3.highRound2 === null, 'unknown locations counted as local')], { note: 3 });
  const unknownR3Row = s.line(['R3 from suppliers of unknown location (at the rate)', null, 'high end only'], { note: 3 });
  const staffHighLive = !localPayWithheld && !unknownPayWithheld;
  const staffHighRow = s.line(['R3 from staff at the high end', moneyCell(F.staffRound3High(B(localPayRow), B(unknownPayRow), B(staffRateRow)), shown.lm3.highRound3Staff, staffHighLive), 'staff with no usable postcode counted as local'], { note: 3 });
  const r3HighLive = shown.lm3.highRound3Staff !== null && staffHighLive && isExact(d, 'lm3.high.round3');
  const r3High = s.line(['R3 at the high end', moneyCell(F.round3High(B(ownRow), B(atRateRow), B(unknownR3Row), B(staffHighRow)), shown.lm3.highRound3, r3HighLive), withheldNote(shown.lm3.highRound3 === null, '')], { note: 3 });
  s.mark('r2High', r2High);
  s.mark('r3High', r3High);
  s.mark('high', s.row + 1);
  s.line([bold('LM3 high end'), ratioCell(F.score(B(r1), [B(r2High), B(r3High)]), lm3.scoreHigh === undefined ? undefined : shown.lm3.scoreHigh, r1Live && r2HighLive && r3HighLive && isExact(d, 'lm3.scoreHigh'), SCORE, { bold: true }), ''], { note: 3 });
  // The low end drops only the assumed parts of Round 3; what the surveys found stays.
  const suppliersAssumed = lm3.round3SuppliersBasis === 'assumed';
  const staffAssumed = lm3.round3StaffBasis === 'assumed';
  const lowValue = lm3.scoreLow === undefined ? undefined : shown.lm3.scoreLow;
  const lowLive = scoreLive && isExact(d, 'lm3.scoreLow');
  if (!suppliersAssumed && !staffAssumed) {
    s.mark('low', s.row + 1);
    s.line([bold('LM3 low end'), ratioCell(B(score), lowValue, lowLive, SCORE, { bold: true }), lowEndNote(lm3)], { note: 3 });
  } else {
    const dropped = [...(suppliersAssumed ? [B(ownRow), B(atRateRow)] : []), ...(staffAssumed ? [B(staffR3)] : [])];
    s.mark('low', s.row + 1);
    s.line([bold('LM3 low end'), ratioCell(F.score(B(r1), [B(r2), B(r3)], dropped), lowValue, lowLive && !(staffAssumed && localPayWithheld), SCORE, { bold: true }), lowEndNote(lm3)], { note: 3 });
  }

  roundOneReconciliation(s, analysis, { r1, localSpendRow, localPayRow, unknownSpendRow, unknownPayRow });

  s.section('Round 3 basis');
  s.line(['Round 3 as a whole', round3BasisLabel(lm3.round3Basis)], { note: 3 });
  s.line(['Suppliers', round3BasisLabel(lm3.round3SuppliersBasis)], { note: 3 });
  s.line(['Staff', round3BasisLabel(lm3.round3StaffBasis)], { note: 3 });
  const c = lm3.coverage;
  if (supplierMean) {
    s.line(['Supplier survey mean', share(supplierMean.percent / 100), `${supplierMean.respondents} local suppliers answered; ${settings.supplierAveraging} mean`], { note: 3 });
  }
  s.line(['Supplier survey coverage (by spend)', share(c.supplierSpendShare), `${formatPounds(c.surveyedSupplierSpend)} of ${formatPounds(c.localSupplierSpend)}; ${c.surveyedSuppliers} of ${c.localSuppliers} local suppliers`], { note: 3 });
  if (staffMean && shown.staffSurveyShown) s.line(['Staff survey mean', share(staffMean.percent / 100), `${staffMean.respondents} responses; unweighted mean`], { note: 3 });
  s.line(['Staff survey coverage (responses / local staff)', share(c.localStaff === 0 ? 0 : c.staffResponses / c.localStaff), `${c.staffResponses} responses; ${c.localStaff} staff living locally`], { note: 3 });
  if (assumed.supplierPercent !== undefined) s.line(['Assumed supplier re-spend', share(percentOf(assumed.supplierPercent)), supplierMean ? 'not used: the survey is' : 'used for every local supplier'], { note: 3 });
  if (assumed.staffPercent !== undefined) s.line(['Assumed staff local spend', share(percentOf(assumed.staffPercent)), staffMean ? 'not used: the survey is' : 'used for staff living locally'], { note: 3 });
  if (assumed.source) s.line(['Source of the assumptions', assumed.source], { overflow: [2] });

  s.section('Round 3 workings: local suppliers');
  const localHeader = s.header(['Supplier', 'Supplier ID', 'Spend', 'Survey answer', 'R3 from own answer', 'R3 at the rate']);
  const first = localHeader + 1;
  local.forEach((x, i) => {
    const row = s.row + 1;
    const r3 = lm3.supplierRound3[i]! / 100;
    s.line([
      x.name,
      x.supplierId,
      input(x.amount),
      x.surveyPercent === undefined ? null : { value: percentOf(x.surveyPercent), numFmt: SHARE, input: true },
      calc(F.ownRespend(`C${row}`, `D${row}`), x.surveyPercent === undefined ? 0 : r3, MONEY),
      calc(F.atRateRespend(`C${row}`, `D${row}`, `$B$${supplierRateRow}`), x.surveyPercent === undefined ? r3 : 0, MONEY),
    ]);
  });
  const last = s.row;
  if (local.length === 0) s.line(['No local suppliers.']);
  const range = (column: string) => `${column}${first}:${column}${last}`;
  const sumOrZero = (column: string, result: Pence): Styled => (local.length === 0 ? money(0) : calc(`SUM(${range(column)})`, result / 100, MONEY));
  s.set(localSpendRow, 2, sumOrZero('C', lm3.round2Suppliers));
  s.set(ownRow, 2, sumOrZero('E', ownTotal));
  s.set(atRateRow, 2, sumOrZero('F', atRateTotal));
  if (supplierMean && local.length > 0) {
    const answers = range('D');
    const spendRange = range('C');
    const weight = `SUMPRODUCT(ISNUMBER(${answers})*${spendRange})`;
    const formula =
      settings.supplierAveraging === 'unweighted' ? `AVERAGE(${answers})` : `IF(${weight}=0,AVERAGE(${answers}),SUMPRODUCT(${spendRange},${answers})/${weight})`;
    s.set(supplierRateRow, 2, calc(formula, supplierMean.percent / 100, SHARE));
    s.noteAt(supplierRateRow, 3, `${settings.supplierAveraging} mean of the survey answers below`);
  } else if (assumed.supplierPercent !== undefined) {
    s.set(supplierRateRow, 2, { value: percentOf(assumed.supplierPercent), numFmt: SHARE, input: true });
    s.noteAt(supplierRateRow, 3, `assumed${assumed.source ? `: ${assumed.source}` : ''}`);
  } else {
    s.set(supplierRateRow, 2, { value: 0, numFmt: SHARE, input: true });
    s.noteAt(supplierRateRow, 3, 'no supplier survey and no assumption: their Round 3 is £0');
  }

  s.section('Suppliers of unknown location (counted only at the high end)');
  const unknownHeader = s.header(['Supplier', 'Supplier ID', 'Spend', '', '', 'R3 at the rate']);
  unknown.forEach((x, i) => {
    const row = s.row + 1;
    s.line([x.name, x.supplierId, input(x.amount), null, null, calc(F.unknownRespend(`C${row}`, `$B$${supplierRateRow}`), lm3.unknownSupplierRound3[i]! / 100, MONEY)]);
  });
  if (unknown.length === 0) {
    s.line(['None: every supplier is located.']);
    s.set(unknownSpendRow, 2, money(0));
    s.set(unknownR3Row, 2, money(0));
  } else {
    s.set(unknownSpendRow, 2, calc(`SUM(C${unknownHeader + 1}:C${s.row})`, unknownSpend / 100, MONEY));
    s.set(unknownR3Row, 2, calc(`SUM(F${unknownHeader + 1}:F${s.row})`, unknownRespend / 100, MONEY));
  }
  s.fit({ 1: { min: 44, max: 52 }, 2: { min: 16, max: 18 }, 3: { min: 16, max: 16 }, 4: { min: 10, max: 10 }, 5: { min: 14, max: 14 }, 6: { min: 14, max: 14 } });
  return s;
}

/**
 * Where Round 1 went, as formulas over the sheet's input cells that add up to R1 (method.md, "R1 reconciles").
 * Spend leakage is one named part of it. Pay split by where staff live appears only when no group is withheld.
 */
export function roundOneReconciliation(
  s: Sheet,
  analysis: Analysis,
  at: { r1: number; localSpendRow: number; localPayRow: number; unknownSpendRow: number; unknownPayRow: number },
): void {
  const rec = analysis.reconciliation;
  if (!rec) return;
  const shown = analysis.published;
  const B = (row: number) => `B${row}`;
  const input = (pence: Pence): Styled => money(pence, { input: true });
  const pay = (pence: Pence | null): Value => (pence === null ? WITHHELD_PAY : input(pence));
  const p = shown.reconciliation;
  // Pay split by where staff live, where the disclosure stage publishes each part; else one line, or none.
  const splitPay = p.localPay !== null && p.nonLocalPay !== null && p.unknownPay !== null && shown.lm3.round2Staff !== null && shown.lm3.unknownStaffPay !== null;
  s.section('Where Round 1 went (it adds up to R1)');
  const parts: number[] = [];
  let complete = true;
  const part = (label: string, value: Value, note: string) => {
    const row = s.line([label, value, note], { note: 3 });
    parts.push(row);
    if (value === WITHHELD_PAY) complete = false;
    return row;
  };
  part('Local suppliers (in R2)', calc(B(at.localSpendRow), rec.localSuppliers / 100, MONEY), 'from Inputs');
  if (splitPay) part('Pay of staff living locally (in R2)', calc(B(at.localPayRow), rec.localPay / 100, MONEY), 'from Inputs');
  const nonLocalSuppliers = part('Suppliers located outside the area (leakage)', input(rec.nonLocalSuppliers), 'spend with suppliers placed outside the area');
  let nonLocalPay: number | undefined;
  if (splitPay) nonLocalPay = part('Pay of staff living outside the area (leakage)', input(rec.nonLocalPay), 'home postcode outside the area');
  part('Suppliers of unknown location (neither local nor leakage)', calc(B(at.unknownSpendRow), rec.unknownSuppliers / 100, MONEY), 'from Inputs; never counted as leaking');
  if (splitPay) part('Pay of staff of unknown location', calc(B(at.unknownPayRow), rec.unknownPay / 100, MONEY), 'from Inputs');
  else if (analysis.workforce && analysis.workforce.staff > 0) {
    part(`Pay of staff (${analysis.lm3?.wages ?? 'gross'})`, pay(p.pay), 'all staff together: split by where they live withheld (see Assumptions)');
  }
  if (rec.payDeductions !== 0) part('Deductions from pay (gross − net)', pay(p.payDeductions), 'income tax, employee NI and the like: in R1 but not in net pay');
  part('Employer NI and pension (on-costs)', pay(p.onCosts), 'in R1 as payroll cost, never in R2');
  part(
    'Excluded spend',
    input(rec.excluded),
    analysis.lm3?.round1Basis === 'income'
      ? 'taken out by the exclude rules: paid from the income, outside the local share'
      : `outside R1 here: with no income given, R1 is the money analysed${(analysis.ledger?.excludedTotal ?? 0) > 0 ? ` (${formatPounds(analysis.ledger!.excludedTotal)} excluded)` : ''}`,
  );
  const others = parts.map(B).join(',');
  const notSpentLabel = rec.notSpent < 0 ? 'Spent beyond income (negative: more went out than the income)' : 'Not spent in the period';
  const r1Shown = shown.lm3.round1 !== null;
  const notSpent = s.line([notSpentLabel, shown.lm3.notSpent === null || !complete || !r1Shown ? WITHHELD_PAY : calc(`${B(at.r1)}-SUM(${others})`, rec.notSpent / 100, MONEY), 'R1 less every part above'], { note: 3 });
  s.line([bold('Total: equals R1'), complete && r1Shown && shown.lm3.notSpent !== null ? { ...calc(`SUM(${others},${B(notSpent)})`, rec.round1 / 100, MONEY), bold: true } : WITHHELD_PAY, r1Shown ? `check: R1 is ${formatPounds(rec.round1)}` : 'R1 withheld (see Assumptions)'], { note: 3 });
  if (nonLocalPay !== undefined && shown.leakage.total !== null) {
    s.line([bold('Spend leakage'), calc(`${B(nonLocalSuppliers)}+${B(nonLocalPay)}`, (rec.nonLocalSuppliers + rec.nonLocalPay) / 100, MONEY), 'the two leakage parts above: money known to leave the area'], { note: 3 });
  } else {
    s.line([bold('Spend leakage (suppliers)'), calc(B(nonLocalSuppliers), rec.nonLocalSuppliers / 100, MONEY), 'staff pay leaving the area is in the pay line above; in pounds it is withheld (see Assumptions)'], { note: 3 });
  }
}
