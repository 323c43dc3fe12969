import { describe, expect, it } from 'vitest';
import { parseAmount } from '../src/ingest/amount.js';

const pence = (text: string) => {
  const result = parseAmount(text);
  if (!result.ok) throw new Error(`${text} did not parse: ${result.reason}`);
  return result.pence;
};

describe('parseAmount: ledger amounts to integer pence', () => {
  it.each([
    ['£1,234.56', 123456],
    ['1234.5', 123450],
    ['1234', 123400],
    ['-12', -1200],
    ['(12.00)', -1200],
    ['(£2,000.00)', -200000],
    ['12.00 CR', -1200],
    ['12.00cr', -1200],
    ['12.00-', -1200],
    ['- £5.00', -500],
    ['-£5.00', -500],
    ['£-5.00', -500],
    [' 1,000,000.01 ', 100000001],
    ['"12,064.18"', 1206418],
    ['0.1', 10],
    ['.5', 50],
    ['0.07', 7],
    ['-0.00', 0],
    ['Â£12.50', 1250],
    ['1\u00a0234.00'.replace('\u00a0', ''), 123400],
  ])('%s → %i pence', (text, expected) => {
    expect(pence(text)).toBe(expected);
  });

  it('sums without float drift: 0.1 + 0.2 is 30 pence exactly', () => {
    expect(pence('0.1') + pence('0.2')).toBe(30);
    expect(['19.99', '0.01', '1234567.89'].map(pence).reduce((a, b) => a + b, 0)).toBe(123458789);
  });

  it('rounds sub-penny amounts half away from zero, and says so', () => {
    expect(parseAmount('1.005')).toEqual({ ok: true, pence: 101, rounded: true });
    expect(parseAmount('1.0049')).toEqual({ ok: true, pence: 100, rounded: true });
    expect(parseAmount('-1.005')).toEqual({ ok: true, pence: -101, rounded: true });
    expect(parseAmount('1.2300')).toEqual({ ok: true, pence: 123, rounded: false });
  });

  it('reads a lone dash as nil', () => {
    expect(parseAmount('-')).toEqual({ ok: true, pence: 0, rounded: false, nil: true });
  });

  it.each(['', '   ', '£'])('%j is empty or unparseable, never zero', (text) => {
    expect(parseAmount(text).ok).toBe(false);
  });

  it.each(['twelve pounds', '12..50', '1,23.00', '12,34', '1.2.3', '(12', '12)', '--5', '5 5', 'N/A', '1e5', '£12 CR CR', '(12.00) CR'])(
    '%j is unparseable',
    (text) => {
      expect(parseAmount(text)).toEqual({ ok: false, reason: 'unparseable' });
    },
  );
});
