import type { Analysis } from '../analyse.js';
import { cellName, categoryRow, type FormCell, HOUSEHOLD_CATEGORIES, STAFF_FORM, SUPPLIER_CSV_HEADERS, SUPPLIER_FORM, staffCsvHeaders, staffFormTexts } from '../domain/survey-forms.js';
import type { Supplier } from '../domain/supplier.js';
import { csvCell, guardCell } from '../csv/write.js';
import { penceDecimal, share } from '../money.js';
import { type PageSetup, type Validation } from './xlsx-writer.js';
import { bookBytes } from './workbook/book.js';
import { BOLD_FONT, COUNT, HEADER_FILL, INPUT_FILL, INPUT_FONT, MONEY, NOTE_FONT, SHARE, Sheet, TITLE_FONT, TOP, cellText, wrapped, wrappedLines } from './workbook/layout.js';

/**
 * The survey forms that trace Round 3 (NEF): one per local supplier, ranked by spend, each showing only that
 * supplier's own name and spend; one anonymous staff form (and a printable page); a tracking sheet for the
 * organisation; and the same questions as CSV for survey platforms. Laid out by the report's layout layer,
 * written by its writer; where each answer sits is the shared definition in domain/survey-forms.
 */

export interface SurveyFormFile {
  /** Relative to the forms folder. */
  path: string;
  data: string | Uint8Array;
}

const PERCENT = '0.0%';
const PERCENT_RULE = { type: 'decimal', min: 0, max: 1, prompt: { title: 'A percentage', text: 'Type a percentage from 0% to 100%, e.g. 35%.' }, error: { title: 'Not a percentage', text: 'Type a percentage from 0% to 100%, e.g. 35%.' } } as const;

/** Printed A4 portrait on one page, the organisation above. */
function formPage(organisation: string): PageSetup {
  return {
    paperSize: 9,
    fitToWidth: 1,
    fitToHeight: 1,
    margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    header: { left: organisation.slice(0, 100) },
  };
}

/** The local suppliers a form goes to, largest spend first (placeholder payees are no one to ask). */
export function surveyedSuppliers(analysis: Pick<Analysis, 'suppliers'>): Supplier[] {
  return analysis.suppliers.filter((s) => s.status === 'local' && !s.unattributable).sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
}

/** `03-northgate-bakery-ltd.xlsx`: the rank keeps them in order and apart. */
export function supplierFormName(rank: number, count: number, supplier: Pick<Supplier, 'name'>): string {
  const slug = supplier.name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'supplier';
  return `${String(rank).padStart(String(count).length, '0')}-${slug}.xlsx`;
}

function areaText(analysis: Pick<Analysis, 'area'>): string {
  return analysis.area ? analysis.area.terms.join('; ') : '(not yet defined)';
}

function periodText(analysis: Pick<Analysis, 'settings'>): string {
  return analysis.settings.period?.label ?? 'your last financial year';
}

function put(s: Sheet, at: FormCell, value: string | number | null, look: { numFmt?: string; font?: typeof TITLE_FONT; fill?: string; wrap?: boolean } = {}) {
  const cell = s.cell(at.row, at.column);
  cell.value = typeof value === 'string' ? cellText(value) : value;
  if (look.numFmt) cell.numFmt = look.numFmt;
  if (look.font) cell.font = look.font;
  if (look.fill) cell.fill = look.fill;
  // Top-aligned, wrapped or not: a label and a value that wraps over several lines then start on the same line.
  cell.alignment = look.wrap ? wrapped(undefined) : TOP;
  s.row = Math.max(s.row, at.row);
  return cell;
}

/** Text across the form's columns, `first` to `last`, merged into one cell: prose reads at the page's width, not its first column's. */
function across(s: Sheet, at: FormCell, last: number): void {
  s.merges.push({ firstRow: at.row, firstColumn: at.column, lastRow: at.row, lastColumn: last });
}

/** Each row as tall as its wrapped text needs (over its merged width): neither Excel nor LibreOffice grows a row on opening. */
function fitHeights(s: Sheet): void {
  const widthOf = (row: number, column: number) => {
    const merge = s.merges.find((m) => m.firstRow === row && m.firstColumn === column);
    let width = 0;
    for (let c = column; c <= (merge?.lastColumn ?? column); c++) width += s.widths.get(c) ?? 10;
    return width;
  };
  s.rows.forEach((cells, row) => {
    let lines = 1;
    cells?.forEach((cell, column) => {
      if (cell.alignment?.wrapText && typeof cell.value === 'string') lines = Math.max(lines, wrappedLines(cell.value, widthOf(row, column)));
    });
    if (lines > 1) s.heights[row] = 15 * lines;
  });
}

function answerCell(s: Sheet, at: FormCell, numFmt: string | undefined) {
  const cell = put(s, at, null, { numFmt, font: INPUT_FONT, fill: INPUT_FILL });
  cell.unlocked = true;
}

function rule(at: FormCell, last: FormCell, spec: Omit<Validation, 'range'>): Validation {
  return { range: { firstRow: at.row, firstColumn: at.column, lastRow: last.row, lastColumn: last.column }, ...spec };
}

export function supplierFormSheet(analysis: Pick<Analysis, 'settings' | 'area'>, supplier: Pick<Supplier, 'name' | 'supplierId' | 'amount'>): Sheet {
  const s = new Sheet(SUPPLIER_FORM.sheet);
  const { identity, answers } = SUPPLIER_FORM;
  for (const [at, text] of SUPPLIER_FORM.texts) put(s, at, text, { font: at.row === 1 ? TITLE_FONT : at.row === 13 ? BOLD_FONT : undefined, wrap: at.row === 11 || at.row === 18 || at.row >= 14 });
  put(s, { row: 2, column: 1 }, SUPPLIER_FORM.mark, { font: NOTE_FONT });
  put(s, identity.organisation, analysis.settings.organisation);
  put(s, identity.period, periodText(analysis));
  put(s, identity.supplier, supplier.name, { font: BOLD_FONT });
  put(s, identity.supplierId, supplier.supplierId);
  // Left, under the other answers to "who, when, how much", not off at the column's far edge.
  put(s, identity.spend, supplier.amount / 100, { numFmt: MONEY }).alignment = { vertical: 'top', horizontal: 'left' };
  put(s, identity.area, areaText(analysis), { wrap: true });
  answerCell(s, answers.staff, PERCENT);
  answerCell(s, answers.suppliers, PERCENT);
  const staff = cellName(answers.staff);
  const suppliers = cellName(answers.suppliers);
  put(s, SUPPLIER_FORM.computed[0]!, null, { numFmt: PERCENT, font: BOLD_FONT }).value = { formula: `IF(COUNT(${staff},${suppliers})=2,${staff}+${suppliers},"")`, result: '' };
  s.cell(13, 1).fill = HEADER_FILL;
  s.cell(13, 2).fill = HEADER_FILL;
  s.validations.push(rule(answers.staff, answers.suppliers, PERCENT_RULE));
  s.protect = true;
  s.widths.set(1, 62);
  s.widths.set(2, 34);
  for (const row of [11, 18]) across(s, { row, column: 1 }, 2);
  fitHeights(s);
  return s;
}

export function staffFormSheet(analysis: Pick<Analysis, 'settings' | 'area'>): Sheet {
  const s = new Sheet(STAFF_FORM.sheet);
  for (const [at, text] of staffFormTexts()) put(s, at, text, { font: at.row === 1 ? TITLE_FONT : at.row === 8 ? BOLD_FONT : undefined, wrap: at.row === 6 || at.row === 8 || at.row === 26 });
  put(s, { row: 2, column: 1 }, STAFF_FORM.mark, { font: NOTE_FONT });
  put(s, STAFF_FORM.identity.organisation, analysis.settings.organisation);
  put(s, STAFF_FORM.identity.area, areaText(analysis), { wrap: true });
  for (let column = 1; column <= 4; column++) s.cell(8, column).fill = HEADER_FILL;
  const { amount, share: payShare, local } = STAFF_FORM.columns;
  const first = categoryRow(0);
  const last = categoryRow(HOUSEHOLD_CATEGORIES.length - 1);
  for (let row = first; row <= last; row++) {
    answerCell(s, { row, column: amount }, MONEY);
    answerCell(s, { row, column: payShare }, PERCENT);
    answerCell(s, { row, column: local }, PERCENT);
  }
  const [amountTotal, shareTotal] = STAFF_FORM.computed;
  put(s, amountTotal!, null, { numFmt: MONEY, font: BOLD_FONT }).value = { formula: `SUM(${cellName({ row: first, column: amount })}:${cellName({ row: last, column: amount })})`, result: 0 };
  put(s, shareTotal!, null, { numFmt: PERCENT, font: BOLD_FONT }).value = { formula: `SUM(${cellName({ row: first, column: payShare })}:${cellName({ row: last, column: payShare })})`, result: 0 };
  answerCell(s, STAFF_FORM.livesLocally, undefined);
  s.validations.push(
    rule({ row: first, column: amount }, { row: last, column: amount }, {
      type: 'decimal', min: 0, max: 1_000_000,
      prompt: { title: 'Pounds a month', text: 'What you spend on this in a typical month, e.g. 250. Or leave it and give a share of your pay instead.' },
      error: { title: 'Not an amount', text: 'Type an amount in pounds, e.g. 250.' },
    }),
    rule({ row: first, column: payShare }, { row: last, column: payShare }, { ...PERCENT_RULE, prompt: { title: 'Share of your pay', text: 'Instead of an amount: the share of your pay it takes, e.g. 20%.' } }),
    rule({ row: first, column: local }, { row: last, column: local }, { ...PERCENT_RULE, prompt: { title: 'Spent in the area', text: 'Roughly how much of this you spend in the area, e.g. 60%. Income tax and savings are usually 0%.' } }),
    rule(STAFF_FORM.livesLocally, STAFF_FORM.livesLocally, { type: 'list', list: ['Yes', 'No'], error: { title: 'Yes or No', text: 'Choose Yes or No.' } }),
  );
  s.protect = true;
  s.widths.set(1, 34);
  for (const column of [2, 3, 4]) s.widths.set(column, 16);
  // The organisation and what local means read on one line each, the instructions across the page.
  across(s, STAFF_FORM.identity.organisation, 4);
  across(s, STAFF_FORM.identity.area, 4);
  for (const row of [6, 26]) across(s, { row, column: 1 }, 4);
  fitHeights(s);
  return s;
}

/** Points: a tracking row is written in by hand once printed. */
export const TRACKING_ROW_HEIGHT = 18;

/** The organisation's own list: who was sent a form, for how much spend, and who has replied. */
export function trackingSheet(analysis: Pick<Analysis, 'suppliers' | 'settings'>, names: readonly string[]): Sheet {
  const s = new Sheet('Tracking');
  const suppliers = surveyedSuppliers(analysis);
  const local = suppliers.reduce((sum, x) => sum + x.amount, 0);
  s.title('Supplier survey: forms sent and returned', `${suppliers.length} local suppliers, largest spend first. Ask the largest first: coverage is surveyed spend / local supplier spend.`);
  // Above the list, not after it, where it would print alone on a last page under a repeated header.
  s.note('Staff: one anonymous form for every member of staff (staff-form.xlsx, or print staff-form.html). Collect them in a folder without names; answers are reported only as the mean of three or more.');
  const header = s.header(['Rank', 'Supplier', 'Supplier ID', 'Spend', 'Share of local spend', 'Cumulative share', 'Form', 'Sent (date)', 'Returned (date)', 'Notes']);
  s.freeze(header);
  s.printTitlesRow = header;
  let cumulative = 0;
  suppliers.forEach((supplier, i) => {
    cumulative += supplier.amount;
    const row = s.line([{ value: i + 1, numFmt: COUNT }, supplier.name, supplier.supplierId, { value: supplier.amount / 100, numFmt: MONEY }, { value: share(supplier.amount, local), numFmt: SHARE }, { value: share(cumulative, local), numFmt: SHARE }, `supplier-forms/${names[i]}`]);
    // The organisation's own cells, blue as on the forms; a row tall enough to write a date in by hand.
    for (const column of [8, 9, 10]) Object.assign(s.cell(row, column), { unlocked: true, fill: INPUT_FILL, font: INPUT_FONT });
    s.heights[row] = TRACKING_ROW_HEIGHT;
  });
  s.filter(header, s.row, 10);
  // The shares' headers on two lines, not three.
  s.fit({ 2: { max: 40 }, 5: { min: 12 }, 6: { min: 12 }, 7: { max: 48 }, 8: { min: 12 }, 9: { min: 12 }, 10: { min: 20 } });
  return s;
}

function book(analysis: Pick<Analysis, 'settings' | 'tool' | 'generatedAt'>, title: string, sheet: Sheet, setup: PageSetup): Uint8Array {
  return bookBytes([sheet], { creator: `${analysis.tool.name} ${analysis.tool.version}`, created: new Date(analysis.generatedAt), title, setup, breaks: false });
}

/** The staff form as a page to print and fill in by hand. */
export function staffFormPage(analysis: Pick<Analysis, 'settings' | 'area'>): string {
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const text = new Map(staffFormTexts().map(([at, t]) => [cellName(at), t]));
  const rows = HOUSEHOLD_CATEGORIES.map((c) => `<tr><th scope="row">${esc(c.label)}</th><td>£</td><td>%</td><td>%</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${esc(text.get('A1')!)}</title>
<style>
@page { size: A4 portrait; margin: 18mm; }
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 46em; margin: 1em auto; }
h1 { font-size: 16pt; margin: 0 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #888; padding: .45em .5em; text-align: left; }
td { width: 18%; color: #888; text-align: right; }
thead th { background: #dde4ee; }
.box { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #333; vertical-align: middle; margin: 0 .3em 0 1em; }
</style></head><body>
<h1>${esc(text.get('A1')!)}</h1>
<p>${esc(text.get('A4')!)} <strong>${esc(analysis.settings.organisation)}</strong>. ${esc(text.get('A5')!)}: ${esc(areaText(analysis))}.</p>
<p>${esc(text.get('A6')!)}</p>
<table><thead><tr><th scope="col">${esc(text.get('A8')!)}</th><th scope="col">${esc(text.get('B8')!)}</th><th scope="col">${esc(text.get('C8')!)}</th><th scope="col">${esc(text.get('D8')!)}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><strong>${esc(text.get('A24')!)}</strong><span class="box"></span>Yes<span class="box"></span>No</p>
<p>${esc(text.get('A26')!)}</p>
</body></html>
`;
}

function csv(rows: readonly (readonly string[])[]): string {
  return `\ufeff${rows.map((row) => row.map((cell) => csvCell(guardCell(cell))).join(',')).join('\r\n')}\r\n`;
}

/**
 * Every file `survey forms` writes, relative to the forms folder: a list, so that one more form is one more entry.
 */
export function surveyFormFiles(analysis: Analysis): SurveyFormFile[] {
  const suppliers = surveyedSuppliers(analysis);
  const names = suppliers.map((supplier, i) => supplierFormName(i + 1, suppliers.length, supplier));
  const page = formPage(analysis.settings.organisation);
  return [
    ...suppliers.map((supplier, i) => ({ path: `supplier-forms/${names[i]}`, data: book(analysis, `Local re-spend survey: ${cellText(supplier.name)}`, supplierFormSheet(analysis, supplier), page) })),
    { path: 'staff-form.xlsx', data: book(analysis, 'Household spending survey', staffFormSheet(analysis), page) },
    { path: 'staff-form.html', data: staffFormPage(analysis) },
    {
      path: 'survey-tracking.xlsx',
      // Its header repeated and its pages numbered: a list kept by hand over the weeks the forms come back.
      data: book(analysis, 'Supplier survey tracking', trackingSheet(analysis, names), {
        landscape: true, paperSize: 9, fitToWidth: 1, fitToHeight: 0,
        header: { left: analysis.settings.organisation.slice(0, 100) },
        footer: { left: 'Supplier survey tracking', right: ['Page ', { field: 'page' }, ' of ', { field: 'pages' }] },
      }),
    },
    { path: 'supplier-survey.csv', data: csv([[...SUPPLIER_CSV_HEADERS], ...suppliers.map((s) => [s.name, s.supplierId, penceDecimal(s.amount), '', ''])]) },
    { path: 'staff-survey.csv', data: csv([staffCsvHeaders()]) },
  ];
}
