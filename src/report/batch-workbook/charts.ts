import type { BatchRun } from '../../batch/run-batch.js';
import { formatPounds, formatShare } from '../../money.js';
import { columnLetter, type CellRange, type ChartSpec } from '../xlsx-writer.js';
import { MONEY, SCORE, SHARE, Sheet, calc, sheetRef } from '../workbook/layout.js';
import { poundsToPence as pence } from '../../money.js';
import { lm3Of, localShareOf } from './index.js';
import { column, orgMark } from './organisations.js';

const LOCAL = 'FF1F4E9A';
const LEAVING = 'FFE07B39';
const UNKNOWN = 'FFBFBFBF';
/** A chart is at least this many rows high, and grows with its organisations. */
const MIN_ROWS = 14;

const range = (firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): CellRange => ({ firstRow, firstColumn, lastRow, lastColumn });

/**
 * Charts comparing the organisations, each over a table beside it whose cells are formulas over the
 * Organisations sheet (edit a figure there and the chart follows). The local share and LM3 charts draw only the
 * organisations whose figure is a finding, highest first; where spend went draws every organisation measured.
 */
export function batchChartsSheet(batch: BatchRun, organisations: Sheet): Sheet {
  const s = new Sheet('Charts');
  s.title('The organisations compared', 'Each chart is drawn from the cells beside it, which refer to the Organisations sheet.');
  const charts: ChartSpec[] = [];
  const ref = (slug: string, name: Parameters<typeof column>[0]) => `${sheetRef(organisations.name)}!$${columnLetter(column(name))}$${organisations.marks.get(orgMark(slug))}`;
  const place = (top: number, rows: number) => ({ from: { row: top + 1, column: 5 }, columns: 9, rows });
  /** A section with its table and, beside it, its chart; the heading keeps the chart on its page. */
  const block = (title: string, n: number, draw: (top: number, rows: number) => void) => {
    const top = s.row + 1;
    s.section(title);
    const rows = Math.max(MIN_ROWS, Math.ceil(n * 1.2) + 4);
    draw(top, rows - 1);
    s.keep.set(top + 1, rows);
    s.row = Math.max(s.row, top + rows);
  };

  const figures = (pick: typeof localShareOf) =>
    batch.organisations
      .map((record) => ({ record, value: pick(record)?.value ?? null }))
      .filter((x): x is { record: (typeof batch.organisations)[number]; value: number } => x.value !== null)
      .sort((a, b) => b.value - a.value);

  const ranked = (title: string, name: 'Local share' | 'LM3', numFmt: string, shown: (v: number) => string, pick: typeof localShareOf) => {
    const rows = figures(pick);
    if (rows.length === 0) {
      s.section(title);
      s.note(`No organisation\u2019s ${name === 'LM3' ? 'LM3' : 'local share'} is a finding (the coverage rule), so none is drawn: see the ranges on the Organisations sheet.`);
      return;
    }
    block(title, rows.length, (top, height) => {
      const header = s.header(['Organisation', name]);
      for (const { record, value } of rows) s.line([record.organisation, calc(ref(record.slug, name), value, numFmt)]);
      charts.push({
        type: 'bar',
        title,
        altText: `${title}: ${rows.slice(0, 5).map(({ record, value }) => `${record.organisation} ${shown(value)}`).join(', ')}${rows.length > 5 ? ', \u2026' : ''}.`,
        series: [{ name: { row: header, column: 2 }, categories: range(header + 1, 1, header + rows.length, 1), values: range(header + 1, 2, header + rows.length, 2), color: LOCAL }],
        anchor: place(top, height),
        numFmt,
        dataLabels: 'value',
        // From 0 for a share, from 1 for LM3 (its least): bars in proportion, never a zoomed-in difference.
        valueAxisMin: name === 'LM3' ? 1 : 0,
      });
    });
  };

  ranked('Local share of spend, where it is a finding', 'Local share', SHARE, (v) => formatShare(v), localShareOf);
  ranked('LM3, where it is a finding', 'LM3', SCORE, (v) => v.toFixed(2), lm3Of);

  const measured = batch.organisations.filter((record) => record.summary?.spend);
  if (measured.length > 0) {
    block('Where each organisation\u2019s spend went', measured.length, (top, height) => {
      const header = s.header(['Organisation', 'Local', 'Not local', 'Location unknown']);
      for (const record of measured) {
        const spend = record.summary!.spend!;
        s.line([
          record.organisation,
          calc(ref(record.slug, 'Local'), pence(spend.local) / 100, MONEY),
          calc(ref(record.slug, 'Not local'), pence(spend.nonLocal) / 100, MONEY),
          calc(ref(record.slug, 'Location unknown'), pence(spend.unknown) / 100, MONEY),
        ]);
      }
      const last = header + measured.length;
      charts.push({
        type: 'bar',
        grouping: 'percentStacked',
        title: 'Where each organisation\u2019s spend went',
        altText: `Spend of ${measured.length} organisations split into local, not local and location unknown: ${measured
          .slice(0, 3)
          .map((r) => `${r.organisation} ${formatPounds(pence(r.summary!.spend!.local))} local of ${formatPounds(pence(r.summary!.spend!.total))}`)
          .join(', ')}${measured.length > 3 ? ', \u2026' : ''}.`,
        series: [2, 3, 4].map((c, i) => ({ name: { row: header, column: c }, categories: range(header + 1, 1, last, 1), values: range(header + 1, c, last, c), color: [LOCAL, LEAVING, UNKNOWN][i]! })),
        anchor: place(top, height),
        numFmt: '0%',
        legend: 'bottom',
      });
    });
  }
  s.charts = charts;
  s.fit({ 1: { min: 24, max: 40 }, 2: { min: 12 }, 3: { min: 12 }, 4: { min: 12 } });
  return s;
}
