import type { Analysis } from '../../analyse.js';
import { formatPounds } from '../../money.js';
import type { CellRange, ChartSpec } from '../xlsx-writer.js';
import { MONEY, SHARE, Sheet, calc, money, sheetRef } from './layout.js';

/** Colours that stay apart in greyscale: local dark blue, leaving orange, unknown light grey. */
const LOCAL = 'FF1F4E9A';
const LEAVING = 'FFE07B39';
const UNKNOWN = 'FFBFBFBF';
const CHART_NUMBER = '"£"#,##0';
/** Rows a chart and the table beside it take. */
const CHART_ROWS = 14;

const range = (sheet: string | undefined, firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): CellRange => ({
  ...(sheet === undefined ? {} : { sheet }),
  firstRow,
  firstColumn,
  lastRow,
  lastColumn,
});

/**
 * The charts a commissioner reads: each drawn by the spreadsheet over the workbook's own cells, so it follows
 * an edit. The small tables they read are here, as formulas over the sheets that hold the figures (the LM3
 * sheet's rounds, the Categories sheet's totals) where those are derived, and as the figures themselves where
 * they are inputs (the largest leaking suppliers). A figure withheld to keep staff pay private draws no chart.
 */
export function chartsSheet(analysis: Analysis, sources: { lm3: Sheet; categories: Sheet; geography: Sheet }): Sheet {
  const s = new Sheet('Charts');
  s.title('The money trail in charts', 'Each chart is drawn from the cells beside it, which follow the LM3, Categories and Geography sheets: change a figure there and the chart follows.');
  const charts: ChartSpec[] = [];
  const { lm3, categories, geography } = sources;
  const at = (sheet: Sheet, key: string) => `${sheetRef(sheet.name)}!$B$${sheet.marks.get(key)}`;
  const place = (top: number) => ({ from: { row: top + 1, column: 5 }, columns: 8, rows: CHART_ROWS - 1 });
  /** A block of this many rows leaves room for its chart beside it. */
  const block = () => {
    const top = s.row + 1;
    return {
      top,
      end: () => {
        // The section's heading (the block's second row) keeps the chart beside it on its page.
        s.keep.set(top + 1, CHART_ROWS);
        s.row = Math.max(s.row, top + CHART_ROWS);
      },
    };
  };

  // 1. The money trail: what stays local at each round, and what leaves it (or is of unknown location).
  const [r1, r2, r3] = ['r1', 'r2', 'r3'].map((key) => lm3.numberAt(key));
  if (r1 !== undefined && r2 !== undefined && r3 !== undefined) {
    const b = block();
    s.section('The money trail');
    const header = s.header(['', 'Stays local', 'Leaves, or location unknown']);
    let last = s.line(['Round 1 \u2192 Round 2', calc(at(lm3, 'r2'), r2, MONEY), calc(`${at(lm3, 'r1')}-${at(lm3, 'r2')}`, r1 - r2, MONEY)]);
    // Round 3 not traced is not Round 2 leaving: it is unknown, so it is not drawn.
    const traced = analysis.lm3?.round3Basis !== 'none';
    if (traced) last = s.line(['Round 2 \u2192 Round 3', calc(at(lm3, 'r3'), r3, MONEY), calc(`${at(lm3, 'r2')}-${at(lm3, 'r3')}`, r2 - r3, MONEY)]);
    else s.note('Round 3 is not traced, so Round 2 \u2192 3 is not drawn.');
    charts.push({
      type: 'column',
      grouping: 'stacked',
      title: 'The money trail: what stays local at each round',
      altText: `Of Round 1 (${formatPounds(Math.round(r1 * 100))}), ${formatPounds(Math.round(r2 * 100))} was spent locally (Round 2)${traced ? `; of that, ${formatPounds(Math.round(r3 * 100))} was re-spent locally (Round 3)` : '; Round 3 is not traced'}.`,
      series: [
        { name: { row: header, column: 2 }, categories: range(undefined, header + 1, 1, last, 1), values: range(undefined, header + 1, 2, last, 2), color: LOCAL },
        { name: { row: header, column: 3 }, categories: range(undefined, header + 1, 1, last, 1), values: range(undefined, header + 1, 3, last, 3), color: LEAVING },
      ],
      anchor: place(b.top),
      numFmt: CHART_NUMBER,
      legend: 'bottom',
    });
    b.end();
  }

  // 2. Where spend went: the Categories sheet's totals.
  const { spend } = analysis;
  const total = categories.marks.get('categoriesTotal');
  if (spend && total !== undefined) {
    const b = block();
    s.section('Where spend went');
    const spendHeader = s.header(['', 'Spend']);
    const ref = (column: string) => `${sheetRef(categories.name)}!$${column}$${total}`;
    s.line(['Local', calc(ref('E'), spend.local / 100, MONEY)]);
    s.line(['Not local', calc(ref('F'), spend.nonLocal / 100, MONEY)]);
    const last = s.line(['Location unknown', calc(ref('G'), spend.unknown / 100, MONEY)]);
    charts.push({
      type: 'doughnut',
      title: 'Where spend went',
      altText: `Spend ${formatPounds(spend.total)}: local ${formatPounds(spend.local)}, not local ${formatPounds(spend.nonLocal)}, location unknown ${formatPounds(spend.unknown)}.`,
      series: [{ name: 'Spend', categories: range(undefined, spendHeader + 1, 1, last, 1), values: range(undefined, spendHeader + 1, 2, last, 2), pointColors: [LOCAL, LEAVING, UNKNOWN] }],
      anchor: place(b.top),
      dataLabels: 'percent',
      legend: 'right',
    });
    b.end();

    // 3. The largest suppliers located outside the area: the spend that leaks.
    const leaking = analysis.suppliers.filter((x) => x.status === 'non-local').sort((a, b) => b.amount - a.amount).slice(0, 10);
    if (leaking.length > 0) {
      const c = block();
      s.section('Top leaking suppliers');
      const first = s.header(['Supplier (located outside the area)', 'Spend']) + 1;
      for (const x of leaking) s.line([x.name, money(x.amount)]);
      charts.push({
        type: 'bar',
        title: `The ${leaking.length} largest suppliers outside the area`,
        altText: `Largest suppliers located outside the area: ${leaking.slice(0, 3).map((x) => `${x.name} ${formatPounds(x.amount)}`).join(', ')}${leaking.length > 3 ? ', …' : ''}.`,
        series: [{ name: 'Spend', categories: range(undefined, first, 1, s.row, 1), values: range(undefined, first, 2, s.row, 2), color: LEAVING }],
        anchor: place(c.top),
        numFmt: CHART_NUMBER,
      });
      c.end();
    }

    // 4. Spend by category, split by where the supplier is: the Categories sheet's own rows (its ten largest).
    const header = categories.marks.get('categoriesHeader');
    const lastCategory = categories.marks.get('categoriesLast');
    if (header !== undefined && lastCategory !== undefined && lastCategory > header) {
      const last = Math.min(lastCategory, header + 10);
      const c = block();
      s.section('Spend by category');
      // Short enough to stay left of the chart beside it.
      s.note(`From the Categories sheet, rows ${header + 1}\u2013${last}: its ${last - header} largest categories.`);
      const series = (column: number, color: string) => ({
        name: { sheet: categories.name, row: header, column },
        categories: range(categories.name, header + 1, 1, last, 1),
        values: range(categories.name, header + 1, column, last, column),
        color,
      });
      charts.push({
        type: 'bar',
        grouping: 'stacked',
        title: 'Spend by category: local and not',
        altText: `Spend in the ${last - header} largest categories, each split into local, not local and location unknown (the Categories sheet).`,
        series: [series(5, LOCAL), series(6, LEAVING), series(7, UNKNOWN)],
        anchor: place(c.top),
        numFmt: CHART_NUMBER,
        legend: 'bottom',
      });
      c.end();
    }

    // 5. Spend by supplier type, when any type is known.
    const typesHeader = categories.marks.get('typesHeader');
    const typesLast = categories.marks.get('typesLast');
    if (typesHeader !== undefined && typesLast !== undefined && typesLast > typesHeader && spend.byType.some((t) => t.type !== 'not known')) {
      const c = block();
      s.section('Spend by supplier type');
      s.note('From the Categories sheet\u2019s "By supplier type" rows.');
      charts.push({
        type: 'bar',
        grouping: 'stacked',
        title: 'Spend by supplier type',
        altText: `Spend by supplier type: ${spend.byType.map((t) => `${t.type} ${formatPounds(t.total)}`).join(', ')}.`,
        series: [5, 6, 7].map((column, i) => ({
          name: { sheet: categories.name, row: typesHeader, column },
          categories: range(categories.name, typesHeader + 1, 1, typesLast, 1),
          values: range(categories.name, typesHeader + 1, column, typesLast, column),
          color: [LOCAL, LEAVING, UNKNOWN][i]!,
        })),
        anchor: place(c.top),
        numFmt: CHART_NUMBER,
        legend: 'bottom',
      });
      c.end();
    }
  }

  // 6. Local share by tier, when tiers are given: the Geography sheet's row of shares.
  const tiers = analysis.geography?.tiers ?? [];
  const tiersHeader = geography.marks.get('tiersHeader');
  const tiersShare = geography.marks.get('tiersShare');
  if (tiers.length > 0 && tiersHeader !== undefined && tiersShare !== undefined) {
    const c = block();
    s.section('Local share by tier');
    s.note('From the Geography sheet\u2019s "Local by tier" table.');
    s.note('Below the coverage rule a share is only the low end of a range.');
    charts.push({
      type: 'column',
      title: 'Local share of spend, by definition of local',
      altText: `Local share of spend: ${tiers.map((t) => `${t.label} ${(t.localShare * 100).toFixed(1)}%`).join(', ')}.`,
      series: [{ name: 'Local share', categories: range(geography.name, tiersHeader, 2, tiersHeader, tiers.length + 1), values: range(geography.name, tiersShare, 2, tiersShare, tiers.length + 1), color: LOCAL }],
      anchor: place(c.top),
      numFmt: SHARE,
      dataLabels: 'value',
    });
    c.end();
  }

  if (charts.length === 0) s.line(['No charts: no spend was analysed, or its figures are withheld.'], { overflow: [1] });
  s.charts = charts;
  s.fit({ 1: { min: 24, max: 40 }, 2: { min: 14 }, 3: { min: 14 } });
  return s;
}
