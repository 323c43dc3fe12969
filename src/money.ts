/**
 * Money is integer pence from the moment it is parsed until it is displayed.
 * A JS number holds every integer up to 2^53 exactly (about £90 trillion), so sums stay exact.
 */
export type Pence = number;

/** The share a part is of a whole, as a fraction 0–1; 0 when the whole is 0. */
export function share(part: Pence, whole: Pence): number {
  return whole === 0 ? 0 : part / whole;
}

/**
 * `pence × numerator / denominator`, rounded half away from zero to a whole penny,
 * computed exactly (BigInt) so a percentage of a large sum is never off by a float error.
 */
export function applyRatio(pence: Pence, numerator: number | bigint, denominator: number | bigint): Pence {
  const num = BigInt(numerator);
  const den = BigInt(denominator);
  if (den === 0n) throw new RangeError('applyRatio: zero denominator');
  const negative = pence < 0 !== num < 0n !== den < 0n;
  const n = BigInt(Math.abs(pence)) * (num < 0n ? -num : num);
  const d = den < 0n ? -den : den;
  const q = (n * 2n + d) / (2n * d);
  const result = Number(q);
  return negative && result !== 0 ? -result : result;
}

/** Pounds with 2 dp as a number, for JSON: exact because it comes from integer pence. */
export function toPounds(pence: Pence): number {
  return Number((pence / 100).toFixed(2));
}

/** Pounds given by a user (`--income 300000`, `12.60`) or read from a summary record (2 places) → pence, exactly. */
export function poundsToPence(pounds: number): Pence {
  return Math.round(pounds * 100);
}

const poundFormat = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholePoundFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** `£1,234.56`, `-£12.00`. */
export function formatPounds(pence: Pence, options: { whole?: boolean } = {}): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence) / 100;
  return `${sign}£${options.whole ? wholePoundFormat.format(abs) : poundFormat.format(abs)}`;
}

export function formatShare(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Pence as a plain decimal a spreadsheet reads exactly: 123456 → "1234.56", -5 → "-0.05". No float on the way. */
export function penceDecimal(pence: Pence): string {
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
