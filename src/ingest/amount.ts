import type { Pence } from '../money.js';

export type AmountResult =
  | { ok: true; pence: Pence; rounded: boolean; nil?: boolean }
  | { ok: false; reason: 'empty' | 'unparseable' }
  /** A sum in another currency (`$12`, `€12`, `12 EUR`): not pounds, so not read as pounds. */
  | { ok: false; reason: 'currency'; currency: string };

const enum Ch {
  Space = 32, Tab = 9, Nbsp = 0xa0, Comma = 44, Dot = 46, Minus = 45, Plus = 43,
  Open = 40, Close = 41, Zero = 48, Nine = 57, Pound = 0xa3, Apos = 39,
}

/** Currency signs that are not the pound. */
const OTHER_CURRENCY = /[$\u20ac\u00a5\u20b9\u20a3\u20a9\u20bd\u20ba\u00a2]/u;
/** ISO codes written beside an amount: GBP is read (it is pounds), the others are another currency. */
const CURRENCY_CODE = /^\s*([A-Za-z]{3})\s*(?=[-+(\d.£])|(?<=[\d.)])\s*([A-Za-z]{3})\s*$/;
const OTHER_CODES = new Set(['USD', 'EUR', 'AUD', 'CAD', 'NZD', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'INR', 'CNY', 'HKD', 'SGD', 'ZAR']);

/**
 * Parses an amount as UK ledgers write it into integer pence:
 * `1234.5`, `£1,234.56`, `GBP 12`, `-12`, `(12.00)`, `(£2,000.00)`, `12.00 CR`, `12.00-`, `- £5`, `-` (nil),
 * and `'12.00` (a spreadsheet's text marker, at the very start only).
 * More than two decimal places are rounded half away from zero to the penny, and say so.
 * Anything else is not an amount: a quote mark elsewhere (` 24"""` is damage, not £24), letters, a second
 * number. Another currency's sign or code is its own reason, `currency`: dollars are not pounds.
 * Scans characters once and builds no intermediate strings on the usual path: this runs once per input row.
 */
export function parseAmount(text: string): AmountResult {
  const result = parseSterling(text);
  if (result.ok || result.reason !== 'unparseable') return result;
  const sign = OTHER_CURRENCY.exec(text);
  if (sign) return { ok: false, reason: 'currency', currency: sign[0] };
  const code = CURRENCY_CODE.exec(text);
  if (code) {
    const iso = (code[1] ?? code[2])!.toUpperCase();
    if (iso === 'GBP') return parseSterling(text.replace(/[A-Za-z]{3}/, ' '));
    if (OTHER_CODES.has(iso)) return { ok: false, reason: 'currency', currency: iso };
  }
  return result;
}

function parseSterling(text: string): AmountResult {
  let i = 0;
  let end = text.length;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  // A leading apostrophe is how a spreadsheet keeps a number as text ('0123): the only quote mark allowed.
  if (text.charCodeAt(i) === Ch.Apos) i++;
  while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
  if (i === end) return { ok: false, reason: 'empty' };

  let negative = false;
  // Trailing credit markers: "CR" (credit) and a trailing minus ("12.00-", SAP style).
  const last = text.charCodeAt(end - 1);
  if ((last === 82 || last === 114) && end - i >= 3) {
    const prev = text.charCodeAt(end - 2);
    if (prev === 67 || prev === 99) {
      negative = true;
      end -= 2;
      while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
    }
  } else if (last === Ch.Minus && end - i > 1) {
    negative = true;
    end--;
  }
  if (text.charCodeAt(i) === Ch.Open) {
    if (text.charCodeAt(end - 1) !== Ch.Close) return { ok: false, reason: 'unparseable' };
    if (negative) return { ok: false, reason: 'unparseable' };
    negative = true;
    i++;
    end--;
  }

  let whole = 0;
  let fraction = 0; // in units of the digits seen after the point
  let fractionDigits = 0;
  let extraNonZero = false; // digits past the second decimal place
  let thirdDigit = -1;
  let digits = 0;
  let seenPoint = false;
  let seenSign = false;
  let seenCurrency = false;
  let lastComma = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= Ch.Zero && c <= Ch.Nine) {
      const d = c - Ch.Zero;
      digits++;
      if (!seenPoint) {
        whole = whole * 10 + d;
      } else if (fractionDigits < 2) {
        fraction = fraction * 10 + d;
        fractionDigits++;
      } else {
        if (thirdDigit < 0) thirdDigit = d;
        else if (d !== 0) extraNonZero = true;
        fractionDigits++;
      }
    } else if (c === Ch.Comma) {
      // Thousands separators only: "1,234" not "12,34" (a decimal comma) nor ",5".
      if (seenPoint || digits === 0) return { ok: false, reason: 'unparseable' };
      if (lastComma >= 0 && i - lastComma !== 4) return { ok: false, reason: 'unparseable' };
      lastComma = i;
    } else if (c === Ch.Dot) {
      if (seenPoint) return { ok: false, reason: 'unparseable' };
      if (lastComma >= 0 && i - lastComma !== 4) return { ok: false, reason: 'unparseable' };
      seenPoint = true;
    } else if (c === Ch.Minus || c === Ch.Plus) {
      if (digits > 0 || seenSign || seenPoint) return { ok: false, reason: 'unparseable' };
      seenSign = true;
      if (c === Ch.Minus) {
        if (negative) return { ok: false, reason: 'unparseable' };
        negative = true;
      }
    } else if (c === 0xc2 && text.charCodeAt(i + 1) === Ch.Pound) {
      // "Â£": a pound sign whose UTF-8 bytes were read as Windows-1252 somewhere upstream.
      continue;
    } else if (c === Ch.Pound) {
      if (digits > 0 || seenCurrency) return { ok: false, reason: 'unparseable' };
      seenCurrency = true;
    } else if (isBlank(c)) {
      if (digits > 0) return { ok: false, reason: 'unparseable' };
    } else {
      return { ok: false, reason: 'unparseable' };
    }
  }
  if (lastComma >= 0 && !seenPoint && i - lastComma !== 4) return { ok: false, reason: 'unparseable' };
  if (digits === 0) {
    // A lone dash is how accountants write nil.
    if (seenSign && !seenPoint && !seenCurrency && negative) return { ok: true, pence: 0, rounded: false, nil: true };
    return { ok: false, reason: 'unparseable' };
  }
  if (!Number.isSafeInteger(whole * 100)) return { ok: false, reason: 'unparseable' };
  if (fractionDigits === 1) fraction *= 10;
  let pence = whole * 100 + fraction;
  let rounded = false;
  if (thirdDigit > 0 || extraNonZero) {
    rounded = true;
    if (thirdDigit >= 5) pence += 1;
  }
  if (pence === 0) negative = false;
  return { ok: true, pence: negative ? -pence : pence, rounded };
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Nbsp;
}
