import type { Analysis } from '../../analyse.js';
import { formatMilliPercent } from '../../domain/percent.js';
import { leakageHeadline, round2Note, leakageNote, lm3Headline, lm3Note, localShareHeadline, whyNot } from '../headlines.js';
import { formatPounds } from '../../money.js';
import { contractValuesNote, formatIsoDate, round1BasisLabel, round3BasisLabel, shownMessage, spendKindLabel, spendRowsNoun, WITHHELD_PAY } from '../format.js';
import { FTE, NOT_PROVIDED_PAYROLL, NOT_PROVIDED_SPEND, NO_SCORE, SCORE, Sheet, type Styled, type Value, bold, count, money, share, shownMoney, shownShare } from './layout.js';
import { analysedPayments, areaText, excludedPayments, lowEndNote, periodText, rulesText } from './text.js';

export function summarySheet(analysis: Analysis): Sheet {
  const { settings, spend, lm3, leakage, workforce, ledger, headlines } = analysis;
  const s = new Sheet('Summary');
  s.title(`Local economic impact: ${settings.organisation}`, `How much of the money stays local. Generated ${analysis.generatedAt} by ${analysis.tool.name} ${analysis.tool.version}.`);
  s.freeze(2);
  s.row++;
  s.line(['Organisation', settings.organisation]);
  s.line(['Period', periodText(analysis)], { overflow: [2] });
  if (ledger?.firstDate) s.line(['Payments dated', `${formatIsoDate(ledger.firstDate)} to ${formatIsoDate(ledger.lastDate ?? ledger.firstDate)}`], { overflow: [2] });
  const contracts = contractValuesNote(analysis.inputs, settings.period?.label);
  if (contracts && ledger) s.line(['Amounts are', bold(spendKindLabel(ledger.kind)), null, contracts], { note: 4 });
  s.line(['Local means', areaText(analysis)], { overflow: [2] });

  s.section('Spend');
  if (spend) {
    s.header(['', '£', 'Share of spend', 'Notes']);
    s.line([ledger?.kind === 'contracts' ? 'Total contract value analysed' : 'Total spend analysed', money(spend.total), share(spend.total === 0 ? 0 : 1), `${spend.suppliers} suppliers, ${analysedPayments(analysis)} ${spendRowsNoun(ledger?.kind ?? 'payments')}`], { note: 4 });
    const local = headlines?.localShare;
    if (!local || local.supported) s.line(['Local', money(spend.local), share(spend.localShare), `${spend.localSuppliers} suppliers`], { note: 4 });
    else s.line(['Local (known)', money(spend.local), null, `${spend.localSuppliers} suppliers; local share ${localShareHeadline(local)}, ${whyNot(local, headlines!)}`], { note: 4 });
    s.line(['Non-local', money(spend.nonLocal), share(spend.total === 0 ? 0 : spend.nonLocal / spend.total), `${spend.nonLocalSuppliers} suppliers`], { note: 4 });
    s.line(['Unknown location', money(spend.unknown), share(spend.unknownShare), `${spend.unknownSuppliers} suppliers; counted as non-local in the central figures, never as leaking${spend.unattributable > 0 ? `; ${formatPounds(spend.unattributable)} of it to redacted or placeholder payees` : ''}`], { note: 4 });
    if (headlines) {
      s.line(['Spend located', money(headlines.coverage.locatedSpend), share(headlines.coverage.spendLocatedShare), `${formatMilliPercent(headlines.coverage.threshold, 0)} needed for the local share, leakage and LM3 to be findings${headlines.coverage.spendMet ? ': met' : ': NOT met, so they are given as ranges'}`], { note: 4 });
    }
    s.line(['Top 10 suppliers', money(spend.top10Total), share(spend.top10Share), 'concentration'], { note: 4 });
    if (analysis.excluded.length > 0) {
      s.line(['Excluded by rule (not analysed)', money(ledger?.excludedTotal ?? 0), null, `${excludedPayments(analysis)} payments under the project file's ${rulesText(analysis.excluded.length)}; accepted, but not procurement, so outside the shares above (see Data quality)`], { note: 4 });
    }
  } else {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
  }

  s.section('Local Multiplier 3 (LM3)');
  const shown = analysis.published;
  if (lm3 && leakage && headlines) {
    s.header(['', 'Value', 'Share', 'Notes']);
    const supported = headlines.lm3.supported;
    const score = (value: number | null, extra: Partial<Styled> = {}): Value => (lm3.score === undefined ? NO_SCORE : value === null ? WITHHELD_PAY : { value, numFmt: SCORE, ...extra });
    s.line(
      [bold(supported ? 'LM3 score' : 'LM3 (range only)'), supported ? score(shown.lm3.score, { bold: true }) : bold(lm3Headline(lm3, shown.lm3, headlines.lm3)), null, lm3Note(lm3, shown.lm3, headlines.lm3, headlines)],
      { note: 4 },
    );
    s.line(['LM3 low end', score(shown.lm3.scoreLow), null, lowEndNote(lm3)], { note: 4 });
    s.line(['LM3 high end', score(shown.lm3.scoreHigh), null, 'unknown supplier and staff locations counted as local'], { note: 4 });
    s.line(['Round 1 (R1)', shownMoney(shown.lm3.round1), null, round1BasisLabel(lm3.round1Basis)], { note: 4 });
    if (supported) s.line(['Round 2 (R2): spent locally', shownMoney(shown.lm3.round2), shownShare(shown.lm3.round2Share), 'R2/R1: local suppliers + pay of staff living locally'], { note: 4 });
    else s.line(['Round 2 (R2): known to be spent locally', shownMoney(shown.lm3.round2), null, `${round2Note(lm3, shown.lm3, headlines.lm3, shown.percentDigits.rounds)}: local suppliers + pay of staff living locally`], { note: 4 });
    s.line(['Round 3 (R3): re-spent locally', shownMoney(shown.lm3.round3), shownShare(shown.lm3.round3Share), `R3/R2; basis: ${round3BasisLabel(lm3.round3Basis)}`], { note: 4 });
    if (headlines.leakage.supported) {
      s.line(['Spend leakage', shownMoney(shown.leakage.total), shownShare(shown.leakage.share), leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage)], { note: 4 });
    } else {
      s.line(['Spend leakage (range only)', leakageHeadline(shown.leakage, headlines.leakage, shown.percentDigits.leakage), null, leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage)], { note: 4 });
    }
    s.line(['Where R1 went', 'see the LM3 sheet', null, 'every part of Round 1, as formulas that add up to it'], { note: 4 });
  } else {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
  }

  s.section('Workforce');
  if (workforce) {
    s.header(['', 'Value', 'Share', 'Notes']);
    s.line(['Staff', count(workforce.staff), null, `${workforce.fte} FTE`], { note: 4 });
    s.line(['Staff living locally', count(workforce.localStaff), share(workforce.staff === 0 ? 0 : workforce.localStaff / workforce.staff), `${workforce.localFte} FTE (local jobs)`], { note: 4 });
    s.line(['Gross pay to staff living locally', shownMoney(shown.workforce.localGrossPay), shownShare(shown.workforce.localPayShare), 'share of gross pay'], { note: 4 });
    s.line(['Payroll cost', shownMoney(shown.workforce.payrollCost), null, 'gross pay + employer NI + employer pension'], { note: 4 });
    if (workforce.livingWage && shown.workforce.livingWage) {
      const lw = workforce.livingWage;
      s.line([`Paid at least the Living Wage (${formatPounds(lw.rate)}/h)`, count(lw.atOrAbove), share(lw.share), `of ${lw.withRate} staff with an hourly rate`], { note: 4 });
    }
  } else {
    s.line([NOT_PROVIDED_PAYROLL], { overflow: [1] });
  }
  for (const statement of analysis.disclosure.statements) s.line(['Withheld to keep staff pay private', null, null, statement], { note: 4 });

  s.section('Warnings');
  const warnings = analysis.findings.summary().filter((f) => f.severity !== 'info');
  if (warnings.length === 0) s.line(['None. Notes on the data are on the Data quality sheet.'], { overflow: [1] });
  else {
    s.header(['Warning', 'Count', '', 'First occurrence']);
    for (const w of warnings) s.line([w.code, count(w.count), null, shownMessage(w)], { note: 4 });
  }
  s.fit({ 1: { min: 30, max: 42 }, 2: { min: 16 }, 3: { min: 12 }, 4: { min: 20, max: 30 } });
  s.wrapNotes(4, 70);
  return s;
}
