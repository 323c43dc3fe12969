import type { MeasureChange, MeasureKey, YearValue } from '../../compare/compare.js';
import type { OrganisationYearOnYear, YearOnYear, YearOnYearStatus } from '../../batch/year-on-year.js';
import { changeText, DIRECTION_NOTE, differenceText, MEASURE_LABELS, verdictText, yearText } from '../compare-words.js';
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

/** The sheet's columns: one row per organisation and measure, so a filter on Measure ranks them by their change. */
export const YEAR_ON_YEAR_COLUMNS = ['Organisation', 'Last year as', 'Years', 'Measure', 'Then', 'Now', 'Change', 'Better?', 'Notes'] as const;

const yearCell = (m: MeasureChange, year: YearValue): Value => (year.value !== null && year.supported ? { value: year.value, numFmt: FORMATS[m.unit] } : yearText(m, year));

/**
 * The combined workbook's "Year on year" sheet (`batch --previous`): for each organisation in both batches, each
 * headline then / now / change from `compareTwo` (the figures and words `compare` gives), one row per measure. A
 * figure that is not a finding in a year is its range in words, and its change says so, never a number; what
 * differs between the years (the area, the period's length, the conventions) is the warning `compare` gives.
 * An organisation not compared has one row saying why.
 */
export function yearOnYearSheet(y: YearOnYear): Sheet {
  const s = new Sheet('Year on year');
  const { counts } = y;
  const notCompared = counts['failed now'] + counts['failed then'] + counts['unreadable then'] + counts.ambiguous;
  s.title(
    'Year on year: this batch against the earlier one',
    `Against ${y.previous}${y.previousGeneratedAt ? ` (${formatUkDateTime(y.previousGeneratedAt)})` : ''}: ${counts.compared} compared, ${counts.new} new, ${counts['not in this batch']} not in this batch${notCompared > 0 ? `, ${notCompared} not compared (see Notes)` : ''}.`,
  );
  s.note('Organisations are matched by name, ignoring case, spacing, punctuation, "&" or "and", a leading "The" and Ltd or Limited; a renamed one by the manifest\u2019s "formerly" column. A name two organisations share is matched to neither.');
  s.note('A figure that is not a finding (below the coverage rule) is given as its range and never as a change. Change: now less then (shares in percentage points).');
  s.note(DIRECTION_NOTE);
  const header = s.header(YEAR_ON_YEAR_COLUMNS);
  s.printTitlesRow = header;
  s.freeze(header);
  for (const row of y.organisations) lines(s, row);
  s.filter(header, s.row, YEAR_ON_YEAR_COLUMNS.length);
  s.fit({ 1: { min: 24, max: 32 }, 2: { max: 24 }, 3: { max: 20 }, 4: { max: 22 }, 5: { min: 14, max: 28 }, 6: { min: 14, max: 28 }, 7: { min: 28, max: 30 }, 9: { max: 60 } });
  return s;
}

function lines(s: Sheet, o: OrganisationYearOnYear): void {
  const then = o.then === null || o.then === o.organisation ? '' : o.then;
  const c = o.comparison;
  if (c === null) {
    s.line([o.organisation, then, '', '', '', '', '', '', o.problem ? `${STATUS_WORDS[o.status]} (${o.problem.code})` : STATUS_WORDS[o.status]], { note: 9 });
    return;
  }
  const years = `${c.years[1]?.period ?? '?'} to ${c.years[0]?.period ?? '?'}`;
  const warnings = c.differences.map((d) => `Warning: ${differenceText(d, c)}.`).join(' ');
  YEAR_ON_YEAR_MEASURES.forEach((key, i) => {
    const m = c.measures.find((x) => x.measure === key)!;
    const change: Value = m.change === null ? changeText(m) : { value: m.change, numFmt: CHANGE_FORMATS[m.unit] };
    const row = s.line([o.organisation, then, years, MEASURE_LABELS[key], yearCell(m, m.years[1]!), yearCell(m, m.years[0]!), change, verdictText(m), i === 0 ? warnings : ''], { note: 9 });
    // Words (a range, "none: not a finding last year") stand right, under the figures.
    for (const column of [5, 6, 7]) s.cell(row, column).alignment = RIGHT;
  });
}
