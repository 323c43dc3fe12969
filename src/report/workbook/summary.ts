import type { Analysis } from '../../analyse.js';
import { formatMilliPercent } from '../../domain/percent.js';
import { statementHeadline, leakageHeadline, round2Note, leakageNote, lm3Headline, lm3Note, localShareHeadline, whyNot } from '../headlines.js';
import { formatPounds, formatShare } from '../../money.js';
import { findingTitle } from '../../findings.js';
import { contractValuesNote, formatIsoDate, formatUkDateTime, round1BasisLabel, round3BasisLabel, readerMessage, spendKindLabel, spendRowsNoun, WITHHELD_PAY } from '../format.js';
import { FTE, NOT_PROVIDED_PAYROLL, NOT_PROVIDED_SPEND, NO_SCORE, SCORE, Sheet, type Styled, type Value, bold, count, money, share, shownMoney, shownShare , BOLD_FONT, HEADLINE_FONT, sheetRef } from './layout.js';
import { TARGET_LABELS, targetText } from '../compare-words.js';
import { SHARE as SHARE_FORMAT } from './layout.js';
import { analysedPayments, areaText, excludedPayments, lowEndNote, periodText, rulesText } from './text.js';

/**
 * The front page: the headline in words, large, then what it rests on. Every figure derived from others refers
 * to the LM3 sheet's cell (`lm3Sheet` is that sheet, already built), so editing an input there moves the
 * Summary, headline sentence included.
 */
export function summarySheet(analysis: Analysis, lm3Sheet: Sheet): Sheet {
  const { settings, spend, lm3, leakage, workforce, ledger, headlines } = analysis;
  const s = new Sheet('Summary');
  s.title(`Local economic impact: ${settings.organisation}`);
  // Each line short enough to print within the page's width: text that runs on past the tables widens the printed
  // page and shrinks everything on it.
  const headline = headlineLines(analysis, lm3Sheet);
  headline.lines.forEach((line, i) => {
    const large = i < headline.large;
    for (const part of typeof line === 'string' ? wrapWords(line, large ? 60 : 110) : [line]) {
      const cell = s.set(++s.row, 1, part);
      cell.font = large ? HEADLINE_FONT : BOLD_FONT;
      cell.unsized = true;
    }
  });
  s.note(`Generated ${formatUkDateTime(analysis.generatedAt)} by ${analysis.tool.name} ${analysis.tool.version}.`);
  s.freeze(1);
  s.row++;
  s.line(['Organisation', settings.organisation]);
  s.line(['Period', periodText(analysis)], { overflow: [2] });
  if (ledger?.firstDate) s.line(['Payments dated', `${formatIsoDate(ledger.firstDate)} to ${formatIsoDate(ledger.lastDate ?? ledger.firstDate)}`], { overflow: [2] });
  const contracts = contractValuesNote(analysis.inputs, settings.period?.label);
  if (contracts && ledger) s.line(['Amounts are', bold(spendKindLabel(ledger.kind)), null, contracts], { note: 4 });
  s.line(['Local means', areaText(analysis)], { overflow: [2] });
  s.line(['Data quality', dataQualityLine(analysis)], { overflow: [2] });

  s.section('What the figures mean');
  for (const text of EXPLANATION) s.note(text);

  s.section('Spend');
  if (spend) {
    s.header(['', '£', 'Share of spend', 'Notes']);
    s.line([ledger?.kind === 'contracts' ? 'Total contract value analysed' : 'Total spend analysed', money(spend.total), share(spend.total === 0 ? 0 : 1), `${spend.suppliers} suppliers, ${analysedPayments(analysis)} ${spendRowsNoun(ledger?.kind ?? 'payments')}`], { note: 4 });
    const local = headlines?.localShare;
    if (!local || local.supported) s.line(['Local', money(spend.local), share(spend.localShare), `${spend.localSuppliers} suppliers`], { note: 4 });
    else s.line(['Local (known)', money(spend.local), null, `${spend.localSuppliers} suppliers; local share ${localShareHeadline(local)}, ${whyNot(local, headlines!)}`], { note: 4 });
    s.line(['Not local', money(spend.nonLocal), share(spend.total === 0 ? 0 : spend.nonLocal / spend.total), `${spend.nonLocalSuppliers} suppliers`], { note: 4 });
    s.line(['Location unknown', money(spend.unknown), share(spend.unknownShare), `${spend.unknownSuppliers} suppliers; counted as non-local in the central figures, never as leaking${spend.unattributable > 0 ? `; ${formatPounds(spend.unattributable)} of it to redacted or placeholder payees` : ''}`], { note: 4 });
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
    // The LM3 sheet's own cells, referred to: a figure there is live or published as the disclosure stage allows.
    const at = (key: string, fallback: Value, extra: Partial<Styled> = {}): Value => lm3Sheet.refTo(key, extra) ?? fallback;
    s.line(
      [bold(supported ? 'LM3 score' : 'LM3 (range only)'), supported ? at('score', score(shown.lm3.score, { bold: true }), { bold: true }) : bold(lm3Headline(lm3, shown.lm3, headlines.lm3)), null, lm3Note(lm3, shown.lm3, headlines.lm3, headlines)],
      { note: 4 },
    );
    s.line(['LM3 low end', at('low', score(shown.lm3.scoreLow)), null, lowEndNote(lm3)], { note: 4 });
    s.line(['LM3 high end', at('high', score(shown.lm3.scoreHigh)), null, 'unknown supplier and staff locations counted as local'], { note: 4 });
    s.line(['Round 1 (R1)', at('r1', shownMoney(shown.lm3.round1)), null, round1BasisLabel(lm3.round1Basis)], { note: 4 });
    if (supported) s.line(['Round 2 (R2): spent locally', at('r2', shownMoney(shown.lm3.round2)), at('r2Share', shownShare(shown.lm3.round2Share)), 'R2/R1: local suppliers + pay of staff living locally'], { note: 4 });
    else s.line(['Round 2 (R2): known to be spent locally', at('r2', shownMoney(shown.lm3.round2)), null, `${round2Note(lm3, shown.lm3, headlines.lm3, shown.percentDigits.rounds)}: local suppliers + pay of staff living locally`], { note: 4 });
    s.line(['Round 3 (R3): re-spent locally', at('r3', shownMoney(shown.lm3.round3)), at('r3Share', shownShare(shown.lm3.round3Share)), `R3/R2; basis: ${round3BasisLabel(lm3.round3Basis)}`], { note: 4 });
    s.line(['R2 at the high end', at('r2High', shownMoney(shown.lm3.highRound2)), null, 'unknown locations counted as local'], { note: 4 });
    s.line(['R3 at the high end', at('r3High', shownMoney(shown.lm3.highRound3)), null, 'unknown locations counted as local'], { note: 4 });
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

  if (analysis.targets.length > 0) {
    // Step 10: each headline against what the organisation aims for (the project file's targets).
    s.section('Targets');
    s.header(['Target', 'Aim', 'This year', 'Status']);
    for (const t of analysis.targets) {
      const format = t.measure === 'lm3' ? SCORE : SHARE_FORMAT;
      s.line([TARGET_LABELS[t.measure], { value: t.target, numFmt: format }, t.value === null ? 'not measured' : { value: t.value, numFmt: format }, targetText(t)], { note: 4 });
    }
  }

  s.section('Warnings');
  const warnings = analysis.findings.summary().filter((f) => f.severity !== 'info');
  if (warnings.length === 0) s.line(['None. Notes on the data are on the Data quality sheet.'], { overflow: [1] });
  else {
    // In a reader's words: the codes, with every occurrence and what to mend, are on the Data quality sheet.
    s.header(['Warning', 'Times', '', 'What it means (first occurrence)']);
    for (const w of warnings) s.line([findingTitle(w.code), count(w.count), null, readerMessage(w)], { note: 4 });
  }
  s.fit({ 1: { min: 30, max: 42 }, 2: { min: 16, max: 16 }, 3: { min: 12, max: 12 }, 4: { min: 20, max: 30 } });
  s.wrapNotes(4, 70);
  return s;
}

/** LM3 and leakage for a reader who has never met them (NEF's method, as method.md states it). */
const EXPLANATION = [
  'LM3 (Local Multiplier 3, from the New Economics Foundation\u2019s "The Money Trail", 2002) follows money through three rounds: Round 1 is the money coming in;',
  'Round 2 is what the organisation spends with local suppliers and pays to staff who live locally; Round 3 is what those suppliers and staff spend locally in turn.',
  'LM3 = (R1 + R2 + R3) / R1, between 1 (nothing stays) and 3 (everything stays, twice). Leakage is money known to leave the area: spend with suppliers located',
  'outside it and pay to staff who live outside it. Spend whose location is unknown is never counted as leaking; it widens the range instead.',
];

/**
 * The headline sentence (worded once, in report/headlines.ts), in a few lines: live formulas over the LM3
 * sheet where the score is a finding and published, so an edit there moves it; else its words.
 */
function headlineLines(analysis: Analysis, lm3Sheet: Sheet): { lines: Value[]; large: number } {
  const { lm3, headlines, settings } = analysis;
  if (!lm3 || !headlines) return { lines: ['No spend was analysed, so there is no headline yet: give the spend file (--spend).'], large: 1 };
  const shown = analysis.published.lm3;
  const h = statementHeadline(settings.organisation, lm3, shown, headlines.lm3, headlines);
  const [score, further, low, high] = ['score', 'further', 'low', 'high'].map((key) => lm3Sheet.numberAt(key));
  if (!h.supported || score === undefined || further === undefined || low === undefined || high === undefined) {
    const colon = h.lead.indexOf(': ');
    const lead = colon < 0 ? [h.lead] : [h.lead.slice(0, colon + 1), h.lead.slice(colon + 2)];
    return { lines: [...lead, h.detail, ...h.missing], large: lead.length };
  }
  const ref = (key: string) => `${sheetRef(lm3Sheet.name)}!$B$${lm3Sheet.marks.get(key)}`;
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const split = h.lead.indexOf(' generated a further ');
  const lines: Value[] = [
    h.lead.slice(0, split),
    { value: { formula: `"generated a further £"&TEXT(${ref('further')},"0.00")&" for the local economy"`, result: h.lead.slice(split + 1) } },
    {
      value: {
        formula: `"(LM3 "&TEXT(${ref('score')},"0.00")&", range "&TEXT(${ref('low')},"0.00")&"\u2013"&TEXT(${ref('high')},"0.00")&${quoted(`${h.qualifier ?? ''})`)}`,
        result: h.detail,
      },
    },
  ];
  return { lines, large: lines.length };
}

/** Data quality as one line: how much spend is located, how many rows were rejected. */
function dataQualityLine(analysis: Analysis): string {
  const parts: string[] = [];
  const coverage = analysis.headlines?.coverage;
  if (coverage && analysis.spend) parts.push(`${formatShare(coverage.spendLocatedShare)} of spend located`);
  const rejected = analysis.inputs.reduce((sum, input) => sum + input.rowsRejected, 0);
  parts.push(rejected === 0 ? 'no rows rejected' : `${rejected.toLocaleString('en-GB')} row${rejected === 1 ? '' : 's'} rejected`);
  return `${parts.join('; ')} \u2014 see Data quality`;
}


/** Text in lines of at most `width` characters, broken at spaces. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
