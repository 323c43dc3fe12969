import { basename } from 'node:path';
import type { BatchRun, BatchRecord } from '../../batch/run-batch.js';
import { formatUkDateTime } from '../format.js';
import { COUNT, NOTE_ALIGNMENT, SCORE, SHARE, Sheet, type Value, bold, count, money, share } from '../workbook/layout.js';
import { poundsToPence as pence } from '../../money.js';
import { type Headline, leakageOf, lm3Of, localShareOf, ranks } from './index.js';

/** The columns, in order; charts and tests find them by these names. */
export const COLUMNS = [
  'Organisation',
  'Status',
  'Period',
  'Local means',
  'Spend analysed',
  'Local',
  'Not local',
  'Location unknown',
  'Spend located',
  'Local share',
  'Local share range',
  'Rank by local share',
  'LM3',
  'LM3 range',
  'Rank by LM3',
  'Leakage',
  'Leakage range',
  'Not a finding because',
  'Staff',
  'Staff living locally',
  'Payments',
  'Rows rejected',
  'Workbook',
] as const;

export const column = (name: (typeof COLUMNS)[number]): number => COLUMNS.indexOf(name) + 1;

const INDENTED = ['Local share range', 'Rank by local share', 'LM3 range', 'Rank by LM3', 'Leakage range', 'Not a finding because', 'Workbook'] as const;

/** Marks on the sheet: `org:<slug>` is the organisation's row (for the Charts sheet's formulas). */
export const orgMark = (slug: string) => `org:${slug}`;

/**
 * One row per organisation, in the manifest's order: its spend, coverage and headlines from its own summary JSON.
 * A headline that is not a finding (the coverage rule) is left out of its figure's column, shown as its range,
 * and not ranked; ranks are among the organisations whose figure is a finding.
 */
export function organisationsSheet(batch: BatchRun): Sheet {
  const s = new Sheet('Organisations');
  const { counts } = batch;
  s.title(
    `${counts.organisations} organisations compared`,
    `From ${batch.manifest}, ${formatUkDateTime(batch.generatedAt)}: ${counts.done} measured this run, ${counts.unchanged} unchanged since the last run, ${counts.failed} failed (see Failures).`,
  );
  s.note('Each row is the organisation\u2019s own report (its workbook is named on the right). A local share, LM3 or leakage below the coverage rule is not a finding: its range is shown instead, and it is not ranked.');
  s.note('Local share: of spend analysed, unknown locations counted as not local (the range counts them as local). Leakage: the share of Round 1 known to leave the area.');
  const header = s.header([...COLUMNS]);
  s.printTitlesRow = header;
  s.freeze(header);

  const measured = batch.organisations.map((record) => ({ record, local: localShareOf(record), lm3: lm3Of(record), leakage: leakageOf(record) }));
  const localRanks = ranks(measured.map((m) => m.local?.value ?? null));
  const lm3Ranks = ranks(measured.map((m) => m.lm3?.value ?? null));
  measured.forEach(({ record, local, lm3, leakage }, i) => {
    const row = s.line(rowOf(record, local, lm3, leakage, localRanks[i] ?? null, lm3Ranks[i] ?? null));
    // Text beside a figure stands a little apart from it.
    for (const name of INDENTED) s.cell(row, column(name)).alignment = NOTE_ALIGNMENT;
    s.mark(orgMark(record.slug), row);
  });
  const last = s.row;
  s.filter(header, last, COLUMNS.length);

  // Totals over the organisations measured, and the two averages a reader may mean (method: say which is shown).
  const withSpend = batch.organisations.filter((r) => r.summary?.spend);
  const sum = (pick: (r: BatchRecord) => number) => withSpend.reduce((total, r) => total + pence(pick(r)), 0);
  s.section('All organisations');
  s.line([
    bold(`${withSpend.length} with spend analysed`),
    '',
    '',
    '',
    money(sum((r) => r.summary!.spend!.total)),
    money(sum((r) => r.summary!.spend!.local)),
    money(sum((r) => r.summary!.spend!.nonLocal)),
    money(sum((r) => r.summary!.spend!.unknown)),
  ]);
  const supported = measured.filter((m) => m.local?.value !== null && m.local !== undefined && m.record.summary?.spend);
  const supportedTotal = supported.reduce((t, m) => t + pence(m.record.summary!.spend!.total), 0);
  const supportedLocal = supported.reduce((t, m) => t + pence(m.record.summary!.spend!.local), 0);
  if (supported.length > 0) {
    s.line([`Local share of the ${supported.length} supported organisations\u2019 spend together (weighted by spend)`, '', '', '', '', '', '', '', '', supportedTotal === 0 ? '' : share(supportedLocal / supportedTotal)], { overflow: [1] });
    const mean = supported.reduce((t, m) => t + m.local!.value!, 0) / supported.length;
    s.line([`Unweighted mean of their ${supported.length} local shares (each organisation counts once, as CLES\u2019s tables average)`, '', '', '', '', '', '', '', '', share(mean)], { overflow: [1] });
  } else {
    s.line(['No organisation\u2019s local share is a finding: no average is given.'], { overflow: [1] });
  }
  const ranges = Object.fromEntries(['Local share range', 'LM3 range', 'Leakage range'].map((name) => [column(name as (typeof COLUMNS)[number]), { min: 13 }]));
  s.fit({ 1: { min: 24, max: 40 }, ...ranges, [column('Not a finding because')]: { max: 40 }, [column('Local means')]: { max: 24 } });
  return s;
}

function rowOf(record: BatchRecord, local: Headline | undefined, lm3: Headline | undefined, leakage: Headline | undefined, localRank: number | null, lm3Rank: number | null): Value[] {
  const summary = record.summary;
  const status = record.status === 'failed' ? `failed: ${record.error?.code ?? ''}` : record.status === 'unchanged' ? 'unchanged since the last run' : 'measured';
  if (!summary) return [record.organisation, status];
  const spend = summary.spend;
  const rank = (value: number | null, headline: Headline | undefined): Value => (value !== null ? count(value) : headline ? 'not ranked' : '');
  const figure = (headline: Headline | undefined, numFmt: string): Value => (headline?.value === null || headline === undefined ? '' : { value: headline.value, numFmt });
  const why = [...new Set([local?.why, lm3?.why, leakage?.why].filter((text): text is string => text !== undefined && text !== ''))].join('; ');
  return [
    summary.organisation,
    status,
    summary.period?.label ?? '',
    summary.area?.spec ?? '',
    spend ? money(pence(spend.total)) : '',
    spend ? money(pence(spend.local)) : '',
    spend ? money(pence(spend.nonLocal)) : '',
    spend ? money(pence(spend.unknown)) : '',
    spend ? share(spend.locatedShare) : '',
    figure(local, SHARE),
    local?.range ?? '',
    rank(localRank, local),
    figure(lm3, SCORE),
    lm3?.range ?? '',
    rank(lm3Rank, lm3),
    figure(leakage, SHARE),
    leakage?.range ?? '',
    why,
    summary.workforce ? { value: summary.workforce.staff, numFmt: COUNT } : '',
    summary.workforce ? { value: summary.workforce.localStaff, numFmt: COUNT } : '',
    spend ? count(spend.rowsAccepted) : '',
    spend ? count(spend.rowsRejected) : '',
    // Beside this workbook, in the batch's folder.
    record.workbook === null ? '' : basename(record.workbook),
  ];
}

