import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';

/** `42.1`, `42.1%`, ` 63 % ` → 42100; anything outside 0–100 or with more than 3 decimals → null. */
export function parsePercent(text: string): MilliPercent | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,3}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return value <= MILLI_PERCENT_WHOLE ? value : null;
}
