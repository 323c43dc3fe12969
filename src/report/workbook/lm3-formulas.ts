/**
 * The LM3 sheet's formula algebra, apart from its layout: each function takes the cells it reads (A1
 * references) and gives the formula (without `=`) that a spreadsheet computes. NEF's LM3 = (R1 + R2 + R3) / R1
 * (method.md), with its range: the high end counts unknown locations as local, the low end drops the assumed
 * parts of Round 3. Tested on its own (test/lm3-formulas.test.ts), evaluated over the fixture's inputs.
 */

/** What the score cell shows when Round 1 is not above £0. */
export const NO_SCORE = 'none: Round 1 is not above £0';

const sum = (cells: readonly string[]) => cells.join('+');

export const lm3Formulas = {
  /** R1 with no income given: the money analysed, spend plus payroll cost. */
  round1FromSpend: (spend: string, payroll: string) => sum([spend, payroll]),
  /** R2: local supplier spend plus the pay of staff living locally. */
  round2: (localSpend: string, localPay: string) => sum([localSpend, localPay]),
  /** R3 from staff: their local pay at the local-spend rate, to the penny. */
  staffRound3: (localPay: string, rate: string) => `ROUND(${localPay}*${rate},2)`,
  /** R3: surveyed suppliers' own answers, the rest at the rate, and staff. */
  round3: (own: string, atRate: string, staff: string) => sum([own, atRate, staff]),
  /** A surveyed supplier's re-spend at its own answer, or 0 when it gave none. */
  ownRespend: (amount: string, answer: string) => `IF(ISNUMBER(${answer}),ROUND(${amount}*${answer},2),0)`,
  /** An unsurveyed supplier's re-spend at the rate, or 0 when it answered itself. */
  atRateRespend: (amount: string, answer: string, rate: string) => `IF(ISNUMBER(${answer}),0,ROUND(${amount}*${rate},2))`,
  /** A supplier of unknown location's re-spend at the rate (the high end only). */
  unknownRespend: (amount: string, rate: string) => `ROUND(${amount}*${rate},2)`,
  /** The staff survey's mean: the sum of answers over the responses. */
  staffRate: (responses: string, total: string) => `IF(${responses}=0,0,${total}/${responses})`,
  /** LM3 over Round 1 and the later rounds' cells, less any cells dropped (the low end). */
  score: (r1: string, terms: readonly string[], dropped: readonly string[] = []) =>
    `IF(${r1}>0,(${r1}+${sum(terms)}${dropped.map((cell) => `-${cell}`).join('')})/${r1},"${NO_SCORE}")`,
  /** What each £1 of R1 generates beyond itself. */
  further: (r1: string, score: string) => `IF(${r1}>0,${score}-1,0)`,
  /** A share of a whole, 0 when the whole is. */
  share: (part: string, whole: string) => `IF(${whole}=0,0,${part}/${whole})`,
  /** R2 at the high end: unknown suppliers and staff of unknown home counted as local. */
  round2High: (r2: string, unknownSpend: string, unknownPay: string) => sum([r2, unknownSpend, unknownPay]),
  /** R3 from staff at the high end: staff of unknown home counted as local. */
  staffRound3High: (localPay: string, unknownPay: string, rate: string) => `ROUND((${localPay}+${unknownPay})*${rate},2)`,
  /** R3 at the high end. */
  round3High: (own: string, atRate: string, unknownRespend: string, staffHigh: string) => sum([own, atRate, unknownRespend, staffHigh]),
} as const;
