import type { Analysis } from '../analyse.js';
import { formatRange, formatScore, furtherPence } from '../measures/lm3.js';
import { formatPounds, formatShare } from '../money.js';
import { CHARACTERISTICS, type CharacteristicDefinition, STEPS, type StepDefinition } from './approach.js';

export type StepState = 'done' | 'needs data' | 'not started';

export interface StepStatus extends StepDefinition {
  state: StepState;
  /** What this run holds for the step. */
  evidence: string;
  /** The next thing to do, when there is one. */
  next: string;
}

/** Where a project stands on each of the 10 steps, from what the run could read and measure. */
export function assessSteps(analysis: Analysis): StepStatus[] {
  const { settings, spend, workforce, lm3, suppliers } = analysis;
  const status = (number: number, state: StepState, evidence: string, next = ''): StepStatus => ({ ...STEPS[number - 1]!, state, evidence, next });
  const period = settings.period ? settings.period.label : 'no period set';
  const unlocated = suppliers.filter((s) => s.status === 'unknown');
  const rankToCover = (() => {
    // The fewest unlocated suppliers whose spend takes located spend to 90%.
    if (!spend || spend.total <= 0) return 0;
    let located = spend.local + spend.nonLocal;
    let n = 0;
    for (const s of unlocated) {
      if (located / spend.total >= 0.9) break;
      located += s.amount;
      n++;
    }
    return n;
  })();
  const selfAssessed = Object.keys(settings.selfAssessment).length;
  return [
    status(
      1,
      settings.income !== undefined && settings.period ? 'done' : 'needs data',
      `${settings.organisation}; ${period}; Round 1 ${settings.income !== undefined ? `income ${formatPounds(settings.income, { whole: true })}` : 'not given (spend + payroll used)'}`,
      settings.income === undefined ? 'Give the income or contract value followed: --income or "income" in the project file.' : settings.period ? '' : 'Set the period: --period 2024-25.',
    ),
    status(2, analysis.area ? 'done' : 'not started', analysis.area ? analysis.area.terms.join('; ') : 'no area', analysis.area ? '' : 'Say what local means: --area "HX,OL14".'),
    status(
      3,
      settings.spend.length > 0 && settings.payroll ? 'done' : settings.spend.length > 0 || settings.payroll ? 'needs data' : 'not started',
      [
        settings.spend.length > 0 ? `${settings.spend.length} spend file(s)` : 'no spend file',
        settings.payroll ? 'payroll' : 'no payroll',
        settings.suppliers ? 'supplier register' : 'no supplier register',
      ].join(', '),
      settings.spend.length === 0 ? 'Export supplier payments from the accounts package: --spend payments.csv.' : settings.payroll ? '' : 'Add payroll with home postcodes: --payroll payroll.csv.',
    ),
    status(
      4,
      !spend ? 'not started' : spend.locatedShare >= 0.8 ? 'done' : 'needs data',
      spend ? `${formatShare(spend.locatedShare)} of spend located; ${unlocated.length} supplier(s) unlocated` : 'no spend analysed',
      spend && unlocated.length > 0
        ? `Add postcodes for the ${rankToCover > 0 ? rankToCover : unlocated.length} largest unlocated supplier(s) to the supplier register${rankToCover > 0 ? ' to reach 90% located' : ''}.`
        : '',
    ),
    status(5, spend ? 'done' : 'not started', spend ? `${formatShare(spend.localShare)} of ${formatPounds(spend.total, { whole: true })} spent locally` : 'no spend analysed'),
    status(
      6,
      workforce ? 'done' : 'not started',
      workforce ? `${workforce.localStaff} of ${workforce.staff} staff live locally; ${formatShare(workforce.localPayShare)} of gross pay` : 'no payroll',
      workforce ? '' : 'Add payroll with home postcodes (district is enough).',
    ),
    status(
      7,
      !lm3 ? 'not started' : lm3.round3Basis === 'survey' ? 'done' : 'needs data',
      lm3 ? `Round 3 ${lm3.round3Basis === 'survey' ? 'from surveys' : lm3.round3Basis === 'assumed' ? 'assumed' : 'not traced'}: ${lm3.coverage.surveyedSuppliers} supplier and ${lm3.coverage.staffResponses} staff responses` : 'no spend analysed',
      lm3 && lm3.round3Basis !== 'survey' ? 'Survey local suppliers and staff on the share they re-spend locally (--supplier-survey, --staff-survey).' : '',
    ),
    status(8, lm3 ? 'done' : 'not started', lm3 ? `LM3 ${formatScore(lm3.score)} (${formatRange(lm3)})` : 'no spend analysed'),
    status(
      9,
      selfAssessed >= 6 ? 'done' : selfAssessed > 0 ? 'needs data' : 'not started',
      `${selfAssessed} of characteristics 2–7 self-assessed`,
      selfAssessed >= 6 ? '' : 'Add "selfAssessment" to the project file: evidence for characteristics 2–7.',
    ),
    status(10, 'not started', 'scenarios and year-on-year comparison are not yet available', 'Use the top leaking suppliers (Suppliers sheet) to set a target for local spend.'),
  ];
}

export interface CharacteristicStatus extends CharacteristicDefinition {
  rating: string;
  evidence: string;
}

/** The seven characteristics with what this run evidences for each. */
export function assessCharacteristics(analysis: Analysis): CharacteristicStatus[] {
  const { spend, lm3, settings } = analysis;
  return CHARACTERISTICS.map((c) => {
    const own = settings.selfAssessment[String(c.number)];
    if (c.number === 1) {
      return {
        ...c,
        rating: lm3 ? `LM3 ${formatScore(lm3.score)}` : 'not measured',
        evidence: spend && lm3 ? `${formatShare(spend.localShare)} of spend local; ${furtherPence(lm3.score)}` : 'needs spend data',
      };
    }
    if (c.number === 2 && spend) {
      const vcse = spend.byType.find((t) => t.type === 'VCSE')?.total ?? 0;
      const sme = spend.byType.find((t) => t.type === 'SME')?.total ?? 0;
      const measured = `${spend.localSuppliers} local suppliers of ${spend.suppliers}; top 10 take ${formatShare(spend.top10Share)}; SME ${formatPounds(sme, { whole: true })}, VCSE ${formatPounds(vcse, { whole: true })}`;
      return { ...c, rating: own?.rating ?? 'partly measured', evidence: own?.evidence ? `${measured}. ${own.evidence}` : measured };
    }
    return { ...c, rating: own?.rating ?? 'not assessed', evidence: own?.evidence ?? '' };
  });
}
