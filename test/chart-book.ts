import type { Cell, ChartSpec, Workbook, Worksheet } from '../src/report/xlsx-writer.js';

/**
 * A workbook with each kind of chart over its own cells and every print setting: an LM3 sheet of three
 * rounds, a sheet with a space and a quote in its name ("Spend by area"), and a long table that prints
 * on several pages with its header repeated and a heading kept with its table.
 */

export const CREATED = new Date('2025-04-07T09:30:14Z');
export const AREA_SHEET = "Spend by area's";
export const LONG_ROWS = 120;

const MONEY = '"£"#,##0';
const bold: Cell['style'] = { font: { bold: true } };
const money: Cell['style'] = { numFmt: MONEY };

/** `round1` changes the LM3 sheet's first round, to show that the chart follows its cells. */
export function chartBook(round1 = 1_000_000): Workbook {
  const lm3: Worksheet = {
    name: 'LM3',
    rows: [
      undefined,
      [, { value: 'LM3 by round', style: { font: { bold: true, size: 14 } } }],
      undefined,
      [, { value: 'Round', style: bold }, { value: 'Money (£)', style: bold }],
      [, { value: 'Round 1' }, { value: round1, style: money }],
      [, { value: 'Round 2' }, { value: 400_000, style: money }],
      [, { value: 'Round 3' }, { value: { formula: 'B5*0.5', result: 200_000 }, style: money }],
    ],
    widths: new Map([[1, 14], [2, 14]]),
    pageSetup: { paperSize: 9, landscape: true, fitToWidth: 1, fitToHeight: 0 },
    charts: [
      {
        type: 'column',
        title: 'Money at each round',
        altText: 'Columns: round 1 £1,000,000, round 2 £400,000, round 3 £200,000',
        series: [{ name: { row: 3, column: 2 }, categories: range(4, 1, 6, 1), values: range(4, 2, 6, 2), color: 'FF1F4E9A' }],
        anchor: { from: { row: 2, column: 4 }, to: { row: 16, column: 10 } },
        dataLabels: 'value',
        numFmt: MONEY,
      },
      {
        type: 'pie',
        title: 'Share of LM3',
        altText: 'Pie of the three rounds',
        series: [{ categories: range(4, 1, 6, 1), values: range(4, 2, 6, 2), pointColors: ['FF1F4E9A', 'FF5B9BD5', 'FFA5C8ED'] }],
        anchor: { from: { row: 18, column: 4 }, columns: 7, rows: 15 },
        dataLabels: 'percent',
      },
      {
        type: 'doughnut',
        title: 'Local suppliers by area',
        altText: 'Doughnut of local spend by area',
        // Over another sheet's cells.
        series: [{ name: 'Local', categories: { sheet: AREA_SHEET, ...range(2, 1, 5, 1) }, values: { sheet: AREA_SHEET, ...range(2, 2, 5, 2) } }],
        anchor: { from: { row: 34, column: 4 }, columns: 7, rows: 15 },
        legend: 'bottom',
      },
    ],
  };

  const areas = ['Leeds', 'Bradford', 'Wakefield', 'Elsewhere'];
  const local = [520_000, 180_000, 95_000, 0];
  const outside = [80_000, 60_000, 40_000, 310_000];
  const area: Worksheet = {
    name: AREA_SHEET,
    rows: [
      undefined,
      [, { value: 'Area', style: bold }, { value: 'Local suppliers', style: bold }, { value: 'Others', style: bold }],
      ...areas.map((name, i): Cell[] => [, { value: name }, { value: local[i]!, style: money }, { value: outside[i]!, style: money }] as Cell[]),
    ],
    widths: new Map([[1, 14], [2, 16], [3, 12]]),
    pageSetup: { paperSize: 9, landscape: true, fitToWidth: 1, fitToHeight: 0 },
    charts: [
      barChart('bar', 'clustered', 'Spend by area, side by side', { row: 1, column: 5 }),
      barChart('bar', 'percentStacked', 'Spend by area, shares', { row: 17, column: 5 }),
      barChart('column', 'stacked', 'Spend by area, stacked', { row: 33, column: 5 }),
    ],
  };

  // Three sections on one sheet, the second heading forced onto a new page so it is printed with its table.
  const rows: Worksheet['rows'][number][] = [undefined];
  rows[1] = [, { value: 'Payments & receipts', style: { font: { bold: true, size: 14 } } }];
  rows[3] = [, { value: 'Supplier', style: bold }, { value: 'Amount', style: bold }];
  for (let i = 0; i < LONG_ROWS; i++) rows[4 + i] = [, { value: `Supplier ${i + 1}` }, { value: (i + 1) * 100, style: money }];
  const second = 4 + LONG_ROWS + 1;
  rows[second] = [, { value: 'Second table', style: { font: { bold: true, size: 14 } } }];
  rows[second + 1] = [, { value: 'Total' }, { value: { formula: `SUM(B4:B${3 + LONG_ROWS})`, result: (LONG_ROWS * (LONG_ROWS + 1) * 100) / 2 }, style: money }];
  const payments: Worksheet = {
    name: 'Payments',
    rows,
    widths: new Map([[1, 20], [2, 12]]),
    printTitleRows: { first: 3, last: 3 },
    printArea: { firstRow: 1, firstColumn: 1, lastRow: second + 1, lastColumn: 2 },
    rowBreaks: [second],
    pageSetup: {
      paperSize: 9,
      fitToWidth: 1,
      fitToHeight: 0,
      centerHorizontally: true,
      margins: { left: 0.5, right: 0.5, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
      header: { left: 'Payments & receipts', right: ['Sheet ', { field: 'sheet' }] },
      footer: { center: ['Page ', { field: 'page' }, ' of ', { field: 'pages' }] },
    },
  };
  return { creator: 'local-impact test', created: CREATED, title: 'Charts and print', sheets: [lm3, area, payments] };

  function barChart(type: 'bar' | 'column', grouping: NonNullable<ChartSpec['grouping']>, title: string, from: { row: number; column: number }): ChartSpec {
    return {
      type,
      grouping,
      title,
      altText: `${title}: local suppliers and others in Leeds, Bradford, Wakefield and elsewhere`,
      series: [
        { name: { row: 1, column: 2 }, categories: range(2, 1, 5, 1), values: range(2, 2, 5, 2), color: 'FF2E7D32' },
        { name: { row: 1, column: 3 }, categories: range(2, 1, 5, 1), values: range(2, 3, 5, 3), color: 'FFBDBDBD' },
      ],
      anchor: { from, columns: 8, rows: 15 },
      numFmt: grouping === 'percentStacked' ? '0%' : MONEY,
      legend: 'bottom',
    };
  }
}

function range(firstRow: number, firstColumn: number, lastRow: number, lastColumn: number) {
  return { firstRow, firstColumn, lastRow, lastColumn };
}
