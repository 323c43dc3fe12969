import type { MeasureChange, MeasureKey, YearValue } from '../../compare/compare.js';
import type { OrganisationYearOnYear, YearOnYear, YearOnYearStatus } from '../../batch/year-on-year.js';
import { changeText, DIRECTION_NOTE, differenceText, MEASURE_LABELS, yearText } from '../compare-words.js';
import { formatUkDateTime } from '../format.js';
import type { Alignment } from '../xlsx-writer.js';
import { MONEY, SCORE, SHARE, Sheet, type Value } from '../workbook/layout.js';

/** The measures, in the order the sheet gives them (compare's own order). */
export const YEAR_ON_YEAR_MEASURES: readonly MeasureKey[] = ['localShare', 'lm3', 'leakageShare', 'locatedShare', 'localStaffShare', 'localSpend', 'spend'];

const FORMATS: Record<MeasureChange['unit'], string> = { share: SHARE, score: SCORE, pounds: MONEY };
const CHANGE_FORMATS: Record<MeasureChange['unit'], string> = { share: '+0.0%;-0.0%;0.0%', score: '+0.00;-0.00;0.00', pounds: MONEY };
const RIGHT: Alignment = { horizontal: 'right', vertical: 'top', wrapText: true };

export const STATUS_WORDS: Record<YearOnYearStatus, string> = {
  compared: 'compared',
  new: 'new: not in the earlier batch',
  'not in this batch': 'not in this batch',
  'failed now': 'failed this year: nothing to compare',
  'failed then': 'failed in the earlier batch: nothing to compare',
  'unreadable then': 'its earlier summary cannot be compared',
  ambiguous: 'not matched: its name is shared by two organisations',
};

/** The sheet's columns: who, which years, then each measure's then / now / change, then what differs. */
export const YEAR_ON_YEAR_COLUMNS = [
  'Organisation',
  'Last year as',
  'Comparison',
  'Then',
  'Now',
  ...YEAR_ON_YEAR_MEASURES.flatMap((m) => [`${MEASURE_LABELS[m]} then`, `${MEASURE_LABELS[m]} now`, `${MEASURE_LABELS[m]} change`]),
  'Warnings',
];

const yearCell = (m: MeasureChange, year: YearValue): Value => (year.value !== null && year.supported ? { value: year.value, numFmt: FORMATS[m.unit] } : yearText(m, year));

/**
 * The combined workbook's "Year on year" sheet (`batch --previous`): one row per organisation, then / now /
 * change for each headline, from `compareTwo` (the figures and words `compare` gives). A figure that is not a
 * finding in a year is its range in words, and its change says so, never a number; what differs between the
 * years (the area, the period's length, the conventions) is the same warning `compare` gives.
 */
export function yearOnYearSheet(y: YearOnYear): Sheet {
  const s = new Sheet('Year on year');
  const { counts } = y;
  s.title(
    'Year on year: this batch against the earlier one',
    `Against ${y.previous}${y.previousGeneratedAt ? ` (${formatUkDateTime(y.previousGeneratedAt)})` : ''}: ${counts.compared} compared, ${counts.new} new, ${counts['not in this batch']} not in this batch${
      counts['failed now'] + counts['failed then'] + counts['unreadable then'] + counts.ambiguous > 0 ? `, ${counts['failed now'] + counts['failed then'] + counts['unreadable then'] + counts.ambiguous} not compared (see Comparison)` : ''
    }.`,
  );
  s.note('Organisations are matched by name, ignoring case, spacing, punctuation, "&" or "and", a leading "The" and Ltd or Limited; a renamed one by the manifest\u2019s "formerly" column. A name two organisations share is matched to neither.');
  s.note(`A figure that is not a finding (below the coverage rule) is given as its range and never as a change. Change: now less then (shares in percentage points). ${DIRECTION_NOTE}`);
  const header = s.header(YEAR_ON_YEAR_COLUMNS);
  s.printTitlesRow = header;
  s.freeze(header);
  for (const row of y.organisations) line(s, row);
  s.filter(header, s.row, YEAR_ON_YEAR_COLUMNS.length);
  const figures = Object.fromEntries(YEAR_ON_YEAR_MEASURES.flatMap((_, k) => [6 + 3 * k, 7 + 3 * k, 8 + 3 * k].map((column) => [column, { min: 11, max: 22 }])));
  s.fit({ 1: { min: 24, max: 36 }, 2: { max: 30 }, 3: { max: 26 }, ...figures, [YEAR_ON_YEAR_COLUMNS.length]: { max: 60 } });
  return s;
}

function line(s: Sheet, o: OrganisationYearOnYear): void {
  const c = o.comparison;
  const cells: Value[] = [o.organisation, o.then === null || o.then === o.organisation ? '' : o.then, o.problem ? `${STATUS_WORDS[o.status]} (${o.problem.code})` : STATUS_WORDS[o.status]];
  if (c === null) {
    s.line(cells, { note: 3 });
    return;
  }
  cells.push(c.years[1]?.period ?? '', c.years[0]?.period ?? '');
  for (const key of YEAR_ON_YEAR_MEASURES) {
    const m = c.measures.find((x) => x.measure === key)!;
    cells.push(yearCell(m, m.years[1]!), yearCell(m, m.years[0]!), m.change === null ? changeText(m) : { value: m.change, numFmt: CHANGE_FORMATS[m.unit] });
  }
  cells.push(c.differences.map((d) => differenceText(d, c)).join('; '));
  const row = s.line(cells, { note: cells.length });
  // Words (a range, "none: not a finding last year") stand right, under the figures.
  for (let column = 4; column < cells.length; column++) s.cell(row, column).alignment = RIGHT;
}
