import { describe, expect, it } from 'vitest';
import { fromExcelSerial, parsePeriod, parseUkDate } from '../src/ingest/date.js';

describe('parseUkDate: day first, never guessed month first', () => {
  it.each([
    ['2024-04-01', '2024-04-01'],
    ['2024-04-01T00:00:00', '2024-04-01'],
    ['2024-04-01 13:45:00', '2024-04-01'],
    ['01/04/2024', '2024-04-01'],
    ['1/4/2024', '2024-04-01'],
    ['01/04/24', '2024-04-01'],
    ['29.01.2014', '2014-01-29'],
    ['29-01-2014', '2014-01-29'],
    ['09-Mar-2011', '2011-03-09'],
    ['9-Mar-11', '2011-03-09'],
    ['01-APR-24', '2024-04-01'],
    ['1 April 2024', '2024-04-01'],
    ['20240401', '2024-04-01'],
    ['45383', '2024-04-01'],
    ['45383.5', '2024-04-01'],
    ['29/02/2024', '2024-02-29'],
    ['25/06/2012 00:00', '2012-06-25'],
  ])('%s → %s', (text, iso) => {
    expect(parseUkDate(text)).toBe(iso);
  });

  it.each(['13/13/2024', '31/02/2024', '29/02/2023', '2024-13-01', '25/06/2012900', 'Mar 9 2011', '', 'yesterday', '12345'])('%j is not a date', (text) => {
    expect(parseUkDate(text)).toBeNull();
  });

  it('reads Excel serials with the 1900 leap-year bug accounted for', () => {
    expect(fromExcelSerial(43831)).toBe('2020-01-01');
    expect(fromExcelSerial(45747)).toBe('2025-03-31');
  });
});

describe('parsePeriod', () => {
  it('reads a UK financial year as 1 April to 31 March', () => {
    expect(parsePeriod('2024-25')).toEqual({ from: '2024-04-01', to: '2025-03-31', label: '2024-25' });
    expect(parsePeriod('2024/2025')).toEqual({ from: '2024-04-01', to: '2025-03-31', label: '2024-25' });
    expect(parsePeriod('FY1999-00')).toEqual({ from: '1999-04-01', to: '2000-03-31', label: '1999-00' });
  });
  it('reads a calendar year and an explicit range', () => {
    expect(parsePeriod('2024')).toEqual({ from: '2024-01-01', to: '2024-12-31', label: '2024' });
    expect(parsePeriod('01/04/2024..30/09/2024')).toEqual({ from: '2024-04-01', to: '2024-09-30', label: '2024-04-01 to 2024-09-30' });
  });
  it('refuses what is not a period', () => {
    expect(parsePeriod('2024-26')).toBeNull();
    expect(parsePeriod('2025-01-01..2024-01-01')).toBeNull();
    expect(parsePeriod('last year')).toBeNull();
  });
});
