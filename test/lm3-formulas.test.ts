import { describe, expect, it } from 'vitest';
import { lm3Formulas as F, NO_SCORE } from '../src/report/workbook/lm3-formulas.js';

/**
 * The LM3 sheet's formula algebra on its own: each formula evaluated, as a spreadsheet would, over the bundled
 * organisation's inputs (fixtures/calder-valley-trust/EXPECTED.md), gives NEF's rounds and score to the penny.
 */
type Cells = Record<string, number | string>;

/** A small evaluator for the formulas the algebra writes: numbers, text, cells, + - * /, > =, IF, ROUND, ISNUMBER. */
function evaluate(formula: string, cells: Cells): number | string {
  let at = 0;
  const peek = () => formula[at];
  const skip = (text: string) => {
    if (!formula.startsWith(text, at)) throw new Error(`expected ${text} at ${at} in ${formula}`);
    at += text.length;
  };
  const args = (): (number | string)[] => {
    skip('(');
    const out = [comparison()];
    while (peek() === ',') {
      at++;
      out.push(comparison());
    }
    skip(')');
    return out;
  };
  const primary = (): number | string => {
    if (peek() === '(') {
      at++;
      const value = comparison();
      skip(')');
      return value;
    }
    if (peek() === '-') {
      at++;
      return -Number(primary());
    }
    if (peek() === '"') {
      const end = formula.indexOf('"', at + 1);
      const text = formula.slice(at + 1, end);
      at = end + 1;
      return text;
    }
    const number = /^\d+(\.\d+)?/.exec(formula.slice(at));
    if (number) {
      at += number[0].length;
      return Number(number[0]);
    }
    const name = /^\$?[A-Z]+\$?\d*/.exec(formula.slice(at))![0];
    at += name.length;
    if (name === 'IF') {
      skip('(');
      const test = comparison();
      skip(',');
      const yes = comparison();
      skip(',');
      const no = comparison();
      skip(')');
      return test ? yes : no;
    }
    if (name === 'ROUND') {
      const [value, digits] = args() as number[];
      return Math.round(value! * 10 ** digits!) / 10 ** digits!;
    }
    if (name === 'ISNUMBER') return typeof args()[0] === 'number' ? 1 : 0;
    const cell = cells[name.replaceAll('$', '')];
    if (cell === undefined) throw new Error(`no cell ${name}`);
    return cell;
  };
  const term = (): number | string => {
    let value = primary();
    while (peek() === '*' || peek() === '/') {
      const op = formula[at++];
      const right = Number(primary());
      value = op === '*' ? Number(value) * right : Number(value) / right;
    }
    return value;
  };
  const expression = (): number | string => {
    let value = term();
    while (peek() === '+' || peek() === '-') {
      const op = formula[at++];
      const right = Number(term());
      value = op === '+' ? Number(value) + right : Number(value) - right;
    }
    return value;
  };
  const comparison = (): number | string => {
    const left = expression();
    if (peek() === '>') {
      at++;
      return Number(left) > Number(expression()) ? 1 : 0;
    }
    if (peek() === '=') {
      at++;
      return Number(left) === Number(expression()) ? 1 : 0;
    }
    return left;
  };
  const value = comparison();
  if (at !== formula.length) throw new Error(`left over: ${formula.slice(at)}`);
  return value;
}

describe('the LM3 formula algebra', () => {
  // The fixture's inputs: income £1,250,000; local suppliers £245,735.75; pay of staff living locally £579,423.00.
  const cells: Cells = { B1: 1_250_000, B2: 245_735.75, B3: 579_423 };

  it('gives R2 as local supplier spend plus local pay', () => {
    expect(F.round2('B2', 'B3')).toBe('B2+B3');
    expect(evaluate(F.round2('B2', 'B3'), cells)).toBeCloseTo(825_158.75, 6);
  });

  it('gives LM3 = (R1 + R2 + R3) / R1, and says so when R1 is not above £0', () => {
    const withRounds = { ...cells, B4: 825_158.75, B5: 414_963.79 };
    expect(F.score('B1', ['B4', 'B5'])).toBe(`IF(B1>0,(B1+B4+B5)/B1,"${NO_SCORE}")`);
    // (1,250,000 + 825,158.75 + 414,963.79) / 1,250,000 = 1.992098032
    expect(evaluate(F.score('B1', ['B4', 'B5']), withRounds)).toBeCloseTo(1.992098032, 9);
    expect(evaluate(F.score('B1', ['B4', 'B5']), { ...withRounds, B1: 0 })).toBe(NO_SCORE);
    expect(evaluate(F.further('B1', 'B6'), { ...withRounds, B6: 1.992098032 })).toBeCloseTo(0.992098032, 9);
  });

  it('drops the assumed parts of Round 3 for the low end, and adds the unknowns for the high end', () => {
    const c = { B1: 1000, B2: 300, B3: 100, B4: 40, B5: 60, B6: 50, B7: 20, B8: 0.5 };
    // Low end: R3 from suppliers at an assumed rate (B4, B5) dropped: (1000 + 300 + 100 - 40 - 60) / 1000.
    expect(evaluate(F.score('B1', ['B2', 'B3'], ['B4', 'B5']), c)).toBe(1.3);
    // High end R2: 300 + 50 + 20; staff R3 at the high end: (B3 + B7) × 0.5, to the penny.
    expect(evaluate(F.round2High('B2', 'B6', 'B7'), c)).toBe(370);
    expect(evaluate(F.staffRound3High('B3', 'B7', 'B8'), c)).toBe(60);
  });

  it('re-spends a supplier at its own answer when it gave one, else at the rate, to the penny', () => {
    const c = { C1: 1000.01, D1: 0.333, D2: 'no answer', B9: 0.76 };
    expect(evaluate(F.ownRespend('C1', 'D1'), c)).toBe(333);
    expect(evaluate(F.atRateRespend('C1', 'D1', 'B9'), c)).toBe(0);
    expect(evaluate(F.ownRespend('C1', 'D2'), c)).toBe(0);
    expect(evaluate(F.atRateRespend('C1', 'D2', 'B9'), c)).toBe(760.01);
    expect(evaluate(F.share('B9', 'C1'), c)).toBeCloseTo(0.76 / 1000.01, 12);
    expect(evaluate(F.share('B9', 'Z1'), { ...c, Z1: 0 })).toBe(0);
    expect(evaluate(F.staffRate('Z1', 'B9'), { ...c, Z1: 0 })).toBe(0);
  });
});
