import { describe, expect, it } from 'vitest';
import { parseAmount } from '../src/ingest/amount.js';
import { plainPence } from '../src/csv/delimited.js';

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
    ["'12,064.18", 1206418],
    ['GBP 12.50', 1250],
    ['12.50 gbp', 1250],
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

describe('parseAmount: a field is read only when it is an amount', () => {
  // A quote mark was once read as a blank: ` 24"""` became £24.00 with no finding.
  it.each([' 24"""', '"12,064.18"', '24"', "'12.00'", "12'000", '1"2'])('%j, with a quote mark that is not a text marker, is unparseable', (text) => {
    expect(parseAmount(text)).toEqual({ ok: false, reason: 'unparseable' });
  });

  it.each([
    ['$12.00', '$'],
    ['€1,234.56', '€'],
    ['-$5', '$'],
    ['USD 12.00', 'USD'],
    ['12.00 EUR', 'EUR'],
    ['¥1200', '¥'],
  ])('%j is another currency (%s), not pounds', (text, currency) => {
    expect(parseAmount(text)).toEqual({ ok: false, reason: 'currency', currency });
  });

  it('letters that are not a currency code stay unparseable', () => {
    expect(parseAmount('12 ABC')).toEqual({ ok: false, reason: 'unparseable' });
    expect(parseAmount('$ twelve').ok).toBe(false);
  });
});

describe('plainPence: the byte fast path for plain amounts', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  const fast = (text: string) => plainPence(bytes(text), 0, bytes(text).length);

  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,234,567.8', 123456780],
    ['-12', -1200],
    ['-0.00', 0],
    ['12.', 1200],
    ['0.07', 7],
    ['9999999999999.99', 999999999999999],
  ])('reads %s as %i pence', (text, expected) => {
    expect(fast(text)).toBe(expected);
  });

  it.each(['', '-', '.5', '12.345', '1,23', '1234,567', '12,34.5', '£1', ' 1', '1 ', '+1', '(1)', '1e3', '12.00 CR', '1.2.3', '0x10', '12-'])(
    'leaves %j to the full parser',
    (text) => {
      expect(fast(text)).toBeNaN();
    },
  );

  it('never disagrees with parseAmount, over 20,000 generated amounts', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['0', '1', '5', '9', ',', '.', '-', ' ', '£', '(', ')', 'C', 'R', '+'];
    let decided = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * (j === 0 ? alphabet.length : 6))];
      const quick = fast(text);
      if (Number.isNaN(quick)) continue;
      decided++;
      const full = parseAmount(text);
      expect(full.ok && !full.rounded && full.pence === quick, text).toBe(true);
    }
    expect(decided).toBeGreaterThan(2_000);
  });
});
