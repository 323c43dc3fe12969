import { describe, expect, it } from 'vitest';
import { fromExcelSerial, parsePeriod, parseUkDate } from '../src/ingest/date.js';
import { plainDate } from '../src/csv/delimited.js';

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

describe('plainDate: the byte fast path for the usual date forms', () => {
  const code = (iso: string | null) => (iso === null ? 0 : Number(iso.replaceAll('-', '')));
  const fast = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    return plainDate(bytes, 0, bytes.length);
  };

  it.each([
    ['01/04/2024', 20240401],
    ['31.12.1999', 19991231],
    ['29-02-2024', 20240229],
    ['2024-04-01', 20240401],
    ['2199-12-31', 21991231],
  ])('reads %s as %i', (text, expected) => {
    expect(fast(text)).toBe(expected);
  });

  it.each(['29/02/2023', '29/02/1900', '31/04/2024', '00/01/2024', '01/13/2024', '01/04/1899', '01/04/2200', '1/4/2024', '01/04/24', ' 01/04/2024', '2024/04/01', '01/04/2024 10:00', '45383', '', 'x1/04/2024'])(
    'leaves %j to the full parser',
    (text) => {
      expect(fast(text)).toBe(0);
    },
  );

  it('never disagrees with parseUkDate, over every day from 1899 to 2201 in each ten-byte form', () => {
    let decided = 0;
    for (let ms = Date.UTC(1899, 0, 1); ms <= Date.UTC(2201, 0, 1); ms += 86_400_000 * 3) {
      const iso = new Date(ms).toISOString().slice(0, 10);
      const [y, m, d] = iso.split('-');
      for (const text of [iso, `${d}/${m}/${y}`, `${d}.${m}.${y}`, `${d}-${m}-${y}`, `${m}/${d}/${y}`, `${d}/${m}-${y}`]) {
        const quick = fast(text);
        if (quick !== 0) decided++;
        // Decided only where the full parser agrees; left alone only what the full parser must judge.
        if (quick !== 0) expect(quick, text).toBe(code(parseUkDate(text)));
        else expect(parseUkDate(text) === null || !/^\d{4}-\d\d-\d\d$|^\d\d[/.-]\d\d[/.-]\d{4}$/.test(text), text).toBe(true);
      }
    }
    expect(decided).toBeGreaterThan(100_000);
  });
});
