import type { ChalkInstance } from 'chalk';
import type { Comparison } from '../compare/compare.js';
import { formatPounds } from '../money.js';
import { changeText, DIRECTION_NOTE, trendLine, differenceText, MEASURE_LABELS, moveText, statusText, TARGET_LABELS, targetText, topText, verdictText, yearText } from './compare-words.js';
import { shownInput } from './format.js';
import { fitLines, type Layout, table, terminalLayout } from './terminal.js';

const pounds = (amount: number) => formatPounds(Math.round(amount * 100));

/** `compare` in the terminal: the headlines year by year, then what moved, then the targets, then what differs. */
export function renderComparison(comparison: Comparison, c: ChalkInstance, { width }: Layout = terminalLayout()): string {
  const lines: string[] = [];
  const [now] = comparison.years;
  const periods = comparison.years.map((y, i) => y.period ?? `year ${i + 1}`);
  lines.push(c.bold(`${now!.organisation}: ${periods.join(' against ')}`));
  for (const d of comparison.differences) lines.push(c.yellow(`! ${differenceText(d, comparison)}`));

  const t = table(['Measure', ...periods, 'Change'], c, width);
  for (const m of comparison.measures) {
    const verdict = verdictText(m);
    const change = m.verdict === 'better' ? c.green(changeText(m)) : m.verdict === 'worse' ? c.red(changeText(m)) : m.verdict === 'not comparable' ? c.yellow(changeText(m)) : changeText(m);
    t.push([MEASURE_LABELS[m.measure], ...m.years.map((y) => yearText(m, y)), verdict === '' ? change : `${change} (${verdict})`]);
  }
  lines.push(t.toString());
  lines.push(c.dim(DIRECTION_NOTE));

  const [thisYear, lastYear] = periods as [string, string];
  if (comparison.moved.length > 0) {
    const moved = table([`Suppliers that moved (${lastYear} → ${thisYear})`, 'Spend now', 'Why'], c, width);
    for (const m of comparison.moved) moved.push([`${shownInput(m.name)}: ${statusText(m.from)} → ${statusText(m.to)}`, pounds(m.amountNow), moveText(m) || 'not recorded']);
    lines.push(moved.toString());
  } else {
    lines.push(`No supplier paid in both years moved between local, not local and unknown.`);
  }
  if (comparison.joinedTop.length > 0 || comparison.leftTop.length > 0) {
    const top = table(['Top 10 suppliers by spend', 'Now', 'Then'], c, width);
    for (const s of comparison.joinedTop) top.push([`+ ${shownInput(s.name)} (${statusText(s.status)}): ${topText(s, 'joined')}`, pounds(s.amountNow!), s.amountThen === null ? '—' : pounds(s.amountThen)]);
    for (const s of comparison.leftTop) top.push([`− ${shownInput(s.name)} (${statusText(s.status)}): ${topText(s, 'left')}`, s.amountNow === null ? '—' : pounds(s.amountNow), pounds(s.amountThen!)]);
    lines.push(top.toString());
  }
  if (comparison.targets.length > 0) {
    const targets = table(['Target', thisYear, lastYear], c, width);
    for (const x of comparison.targets) {
      const colour = x.now?.status === 'met' ? c.green : x.now?.status === 'missed' ? c.red : c.yellow;
      targets.push([TARGET_LABELS[x.measure], colour(targetText(x.now)), targetText(x.then)]);
    }
    lines.push(targets.toString());
  }
  return fitLines(lines.join('\n'), width);
}

/** After `run --previous`'s summary: the line of trend, what differs between the years, and where the rest is. */
export function renderTrend(comparison: Comparison, c: ChalkInstance): string[] {
  const trend = trendLine(comparison);
  const [, last] = comparison.years;
  return [
    trend ? `${trend}.` : `Compared with ${last?.period ?? 'last year'}: the local share is not a finding in one of the years, so no trend is given.`,
    ...comparison.differences.map((d) => c.yellow(`! ${differenceText(d, comparison)}`)),
    c.dim('Year on year: the Compare sheet, or `local-impact compare` for the suppliers that moved.'),
  ];
}
