import type { Comparison, MeasureChange, YearValue } from '../../compare/compare.js';
import type { Alignment, CellRange, ChartSpec } from '../xlsx-writer.js';
import { changeText, DIRECTION_NOTE, shownChange, differenceText, MEASURE_LABELS, moveText, statusText, TARGET_LABELS, targetText, topText, verdictText, yearText } from '../compare-words.js';
import { MONEY, MONEY_CHANGE, SCORE, SHARE, Sheet, type Value, bold } from './layout.js';

/** One colour per year, oldest lightest, that stay apart in greyscale. */
const YEAR_COLOURS = ['FF1F4E9A', 'FF6A8FCB', 'FFB4C7E7', 'FFD9D9D9'];
const CHART_ROWS = 14;
/** The headline shares drawn across the years (leakage as well: lower is better, said in the title). */
const CHARTED_SHARES = ['localShare', 'locatedShare', 'localStaffShare', 'leakageShare'] as const;

const RIGHT: Alignment = { horizontal: 'right', vertical: 'top', wrapText: true };
const FORMATS: Record<MeasureChange['unit'], string> = { share: SHARE, score: SCORE, pounds: MONEY };
/**
 * A change is signed and never red (a fall in leakage is good news). A change of shares is in percentage points, as
 * the terminal says: 42.9% to 72.4% is "+29.5 points", which "+29.5%" would misread as a relative rise.
 */
const CHANGE_FORMATS: Record<MeasureChange['unit'], string> = {
  share: '+0.0" points";-0.0" points";0.0" points"',
  score: '+0.00;-0.00;0.00',
  pounds: MONEY_CHANGE,
};

/** A year's figure as a cell: a number where it is a finding, its words (the range, "not measured") where not. */
function yearCell(m: MeasureChange, year: YearValue): Value {
  return year.value !== null && year.supported ? { value: year.value, numFmt: FORMATS[m.unit] } : yearText(m, year);
}

/**
 * The Compare sheet (`run --previous`, `compare --out`): the headlines year by year with the change and the
 * direction that is better, a chart of them across the years, the suppliers that moved, the top ten's comings
 * and goings, and the targets. A figure that is not a finding is written in words and drawn as no bar.
 */
export function compareSheet(comparison: Comparison): Sheet {
  const s = new Sheet('Compare');
  const periods = comparison.years.map((y, i) => y.period ?? `Year ${i + 1}`);
  s.title(`Year on year: ${comparison.years[0]!.organisation}`, `${periods.join(' against ')}. A figure that is not a finding (below the coverage rule) is given as its range and never as a change.`);
  for (const d of comparison.differences) s.note(`Warning: ${differenceText(d, comparison)}.`);

  s.section('Headline measures');
  s.header(['Measure', ...periods, 'Change', 'Better?']);
  const rowOf = new Map<string, number>();
  for (const m of comparison.measures) {
    // As printed beside it: a share's change in points, from the figures as shown (see shownChange).
    const change: Value = m.change === null ? changeText(m) : { value: m.unit === 'share' ? Math.round(shownChange(m)! * 1000) / 10 : shownChange(m)!, numFmt: CHANGE_FORMATS[m.unit] };
    const row = s.line([MEASURE_LABELS[m.measure], ...m.years.map((y) => yearCell(m, y)), change, verdictText(m)], { note: m.years.length + 3 });
    // Words (a range, "not measured") stand right, under the year like its figures.
    for (let column = 2; column <= m.years.length + 2; column++) s.cell(row, column).alignment = RIGHT;
    rowOf.set(m.measure, row);
  }
  s.note(DIRECTION_NOTE);

  // The chart's own small table, oldest year first, from the cells above: a figure that is not a finding is left blank.
  const charts: ChartSpec[] = [];
  const years = comparison.years.length;
  const top = s.row + 2;
  s.section('Across the years');
  s.keep.set(top, CHART_ROWS);
  const chartHeader = s.header(['Year', ...CHARTED_SHARES.map((m) => MEASURE_LABELS[m]), 'LM3']);
  const oldestFirst = [...periods.keys()].reverse();
  const columnLetter = (i: number) => String.fromCharCode(66 + i);
  for (const i of oldestFirst) {
    const cells: Value[] = [periods[i]!];
    for (const key of [...CHARTED_SHARES, 'lm3' as const]) {
      const m = comparison.measures.find((x) => x.measure === key)!;
      const y = m.years[i]!;
      const source = rowOf.get(key)!;
      cells.push(y.value !== null && y.supported ? { value: { formula: `$${columnLetter(i)}$${source}`, result: y.value }, numFmt: FORMATS[m.unit] } : null);
    }
    s.line(cells);
  }
  const last = chartHeader + years;
  const range = (firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): CellRange => ({ firstRow, firstColumn, lastRow, lastColumn });
  charts.push({
    type: 'column',
    title: 'Headline shares, year by year (leakage: lower is better)',
    altText: `Local share, spend located, staff living locally and leakage for ${periods.slice().reverse().join(', ')}; a year whose figure is not a finding has no bar.`,
    series: CHARTED_SHARES.map((key, k) => ({
      name: { row: chartHeader, column: k + 2 },
      categories: range(chartHeader + 1, 1, last, 1),
      values: range(chartHeader + 1, k + 2, last, k + 2),
      color: YEAR_COLOURS[k % YEAR_COLOURS.length]!,
    })),
    anchor: { from: { row: last + 2, column: 1 }, columns: 5, rows: CHART_ROWS - 1 },
    numFmt: '0%',
    valueAxisMin: 0,
    legend: 'bottom',
  });
  charts.push({
    type: 'column',
    title: 'LM3, year by year',
    altText: `LM3 for ${periods.slice().reverse().join(', ')}; a year whose score is not a finding has no bar.`,
    series: [{ name: { row: chartHeader, column: CHARTED_SHARES.length + 2 }, categories: range(chartHeader + 1, 1, last, 1), values: range(chartHeader + 1, CHARTED_SHARES.length + 2, last, CHARTED_SHARES.length + 2), color: YEAR_COLOURS[0]! }],
    anchor: { from: { row: last + 2, column: 6 }, columns: 4, rows: CHART_ROWS - 1 },
    numFmt: '0.00',
    // From 1, LM3's least: a spreadsheet's own axis would start near the lowest year and exaggerate the change.
    valueAxisMin: 1,
    dataLabels: 'value',
  });
  s.charts = charts;
  s.row = last + 1 + CHART_ROWS;

  const [thisYear, lastYear] = periods as [string, string];
  s.section(`Suppliers that moved (${lastYear} to ${thisYear})`);
  if (comparison.moved.length === 0) s.line(['No supplier paid in both years moved between local, not local and unknown.'], { overflow: [1] });
  else {
    s.header(['Supplier', 'Was', 'Now', `Spend ${lastYear}`, `Spend ${thisYear}`, 'Why']);
    for (const m of comparison.moved) s.line([m.name, statusText(m.from), statusText(m.to), { value: m.amountThen, numFmt: MONEY }, { value: m.amountNow, numFmt: MONEY }, moveText(m) || 'not recorded'], { note: 6 });
  }

  s.section('Top 10 suppliers by spend: in and out');
  if (comparison.joinedTop.length === 0 && comparison.leftTop.length === 0) s.line(['The same ten suppliers both years.'], { overflow: [1] });
  else {
    s.header(['Supplier', 'Status', 'Top 10', `Spend ${lastYear}`, `Spend ${thisYear}`, 'What changed']);
    const amount = (pounds: number | null): Value => (pounds === null ? '—' : { value: pounds, numFmt: MONEY });
    const line = (t: (typeof comparison.joinedTop)[number], side: 'joined' | 'left') => {
      const row = s.line([t.name, statusText(t.status), side === 'joined' ? 'into the top 10' : 'out of the top 10', amount(t.amountThen), amount(t.amountNow), topText(t, side)], { note: 6 });
      for (const column of [4, 5]) s.cell(row, column).alignment = RIGHT;
    };
    for (const t of comparison.joinedTop) line(t, 'joined');
    for (const t of comparison.leftTop) line(t, 'left');
  }

  if (comparison.targets.length > 0) {
    s.section('Targets');
    s.header(['Target', thisYear, lastYear]);
    for (const t of comparison.targets) s.line([bold(TARGET_LABELS[t.measure]), targetText(t.now), targetText(t.then)]);
  }
  // Several tables share the columns: each wide enough for a year's figure or range, wrapping beyond.
  const figures = { min: 16, max: 24 };
  s.fit({ 1: { min: 28, max: 36 }, 2: figures, 3: figures, 4: figures, 5: figures, 6: { min: 16, max: 50 } });
  return s;
}
