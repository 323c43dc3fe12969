import { daysInMonth } from '../domain/calendar.js';
/** A calendar date as ISO `YYYY-MM-DD`: sorts and compares as text. */
export type IsoDate = string;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_FIRST = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/;
const NAMED_MONTH = /^(\d{1,2})[\s\-/]([A-Za-z]{3,9})[\s\-/,]+(\d{2}|\d{4})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;

/**
 * Reads a date the way UK ledgers write it, day first: ISO `2024-04-01`, `01/04/2024`, `1/4/24`,
 * `01.04.2024`, `01-Apr-24`, `09-Mar-2011`, `1 April 2024`, `20240401`, or an Excel serial (`45383`).
 * Returns null for anything else, including impossible dates (31/02/2024). Never guesses month-first.
 */
export function parseUkDate(input: string): IsoDate | null {
  const text = input.trim();
  if (text === '') return null;
  let m = ISO.exec(text);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!);
  m = DAY_FIRST.exec(text);
  if (m) return build(fullYear(m[3]!), +m[2]!, +m[1]!);
  m = NAMED_MONTH.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    return month === undefined ? null : build(fullYear(m[3]!), month, +m[1]!);
  }
  m = COMPACT.exec(text);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!);
  if (SERIAL.test(text)) return fromExcelSerial(Math.floor(Number(text)));
  return null;
}

/** Excel's day count (1900 date system, with its phantom 29 Feb 1900), for serials from 1955 to 2119. */
export function fromExcelSerial(serial: number): IsoDate | null {
  if (serial < 20000 || serial > 80000) return null;
  const ms = Date.UTC(1899, 11, 30) + serial * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  // Two-digit years in ledgers are this century unless that lands far in the future.
  return year <= 69 ? 2000 + year : 1900 + year;
}

function build(year: number, month: number, day: number): IsoDate | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

export { daysInMonth };

/** A date as the number yyyymmdd: compares as the ISO text does, and fits a typed array. */
export function dateNumber(date: IsoDate): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

export function dateFromNumber(n: number): IsoDate {
  return `${Math.floor(n / 10_000)}-${pad(Math.floor(n / 100) % 100)}-${pad(n % 100)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export interface Period {
  from: IsoDate;
  to: IsoDate;
  label: string;
}

/**
 * `2024-25` (UK financial year, 1 April to 31 March), `2024/25`, `FY2024-25`, a calendar year `2024`,
 * or `from..to` with any date form parseUkDate reads.
 */
export function parsePeriod(spec: string): Period | null {
  const text = spec.trim();
  const fy = /^(?:FY)?\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/i.exec(text);
  if (fy) {
    const start = Number(fy[1]);
    const endText = fy[2]!;
    const end = start + 1;
    if (endText.length === 2 ? end % 100 !== Number(endText) : end !== Number(endText)) return null;
    return { from: `${start}-04-01`, to: `${end}-03-31`, label: `${start}-${String(end).slice(2)}` };
  }
  if (/^\d{4}$/.test(text)) return { from: `${text}-01-01`, to: `${text}-12-31`, label: text };
  const range = text.split('..');
  if (range.length === 2) {
    const from = parseUkDate(range[0]!);
    const to = parseUkDate(range[1]!);
    if (from && to && from <= to) return { from, to, label: `${from} to ${to}` };
  }
  return null;
}
