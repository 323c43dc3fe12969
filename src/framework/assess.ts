import type { Analysis } from '../analyse.js';
import { formatMilliPercent } from '../ingest/percent.js';
import { furtherPence, leakageHeadline, lm3Headline, localShareHeadline, whyNot } from '../report/headlines.js';
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
  const { settings, spend, workforce, lm3, leakage, suppliers, headlines } = analysis;
  const status = (number: number, state: StepState, evidence: string, next = ''): StepStatus => ({ ...STEPS[number - 1]!, state, evidence, next });
  const period = settings.period ? settings.period.label : 'no period set';
  const unlocated = suppliers.filter((s) => s.status === 'unknown');
  const rankToCover = (() => {
    // The fewest unlocated suppliers whose spend takes located spend to the coverage threshold.
    if (!spend || spend.total <= 0) return 0;
    let located = spend.local + spend.nonLocal;
    let n = 0;
    for (const s of unlocated) {
      if (s.unattributable) continue;
      if (located * 100_000 >= settings.coverageThreshold * spend.total) break;
      located += s.amount;
      n++;
    }
    return n;
  })();
  const selfAssessed = Object.keys(settings.selfAssessment).length;
  const threshold = formatMilliPercent(settings.coverageThreshold, 0);
  const refused = analysis.findings.details.find((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND');
  return [
    status(
      1,
      settings.income !== undefined && settings.period && !refused ? 'done' : 'needs data',
      `${settings.organisation}; ${period}; Round 1 ${settings.income !== undefined ? `income ${formatPounds(settings.income, { whole: true })}` : 'not given (spend + payroll used)'}`,
      refused
        ? 'The income given is less than the money spent locally, so it cannot be the money followed: give the income of the whole period (--income), or leave it out.'
        : settings.income === undefined ? 'Give the income or contract value followed: --income or "income" in the project file.' : settings.period ? '' : 'Set the period: --period 2024-25.',
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
      !spend || !headlines ? 'not started' : headlines.coverage.spendMet ? 'done' : 'needs data',
      spend ? `${formatShare(spend.locatedShare)} of spend located (${threshold} needed); ${unlocated.filter((s) => !s.unattributable).length} supplier(s) unlocated` : 'no spend analysed',
      spend && headlines && !headlines.coverage.spendMet && rankToCover > 0
        ? `Locate the ${rankToCover} largest unlocated supplier(s) to reach ${threshold}: local-impact suppliers --out register.csv, fill in postcodes, then run again with --suppliers register.csv.`
        : '',
    ),
    status(
      5,
      !spend || !headlines ? 'not started' : headlines.localShare.supported ? 'done' : 'needs data',
      spend && headlines
        ? `${localShareHeadline(headlines.localShare)} of ${formatPounds(spend.total, { whole: true })} spent locally${headlines.localShare.supported ? '' : ` (${whyNot(headlines.localShare, headlines)})`}`
        : 'no spend analysed',
      spend && headlines && !headlines.localShare.supported ? 'Locate more suppliers (step 4).' : '',
    ),
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
    status(
      8,
      !lm3 || !headlines ? 'not started' : headlines.lm3.supported && headlines.leakage.supported ? 'done' : 'needs data',
      lm3 && headlines && leakage
        ? `LM3 ${lm3Headline(lm3, headlines.lm3)}; leakage ${leakageHeadline(leakage, headlines.leakage)}${headlines.lm3.supported ? '' : ` (${whyNot(headlines.lm3, headlines)})`}`
        : 'no spend analysed',
      lm3 && headlines && !headlines.lm3.supported ? 'Locate more suppliers and staff (steps 4 and 6), then run again.' : '',
    ),
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
  const { spend, lm3, settings, headlines } = analysis;
  return CHARACTERISTICS.map((c) => {
    const own = settings.selfAssessment[String(c.number)];
    if (c.number === 1) {
      return {
        ...c,
        rating: lm3 && headlines ? `LM3 ${lm3Headline(lm3, headlines.lm3)}` : 'not measured',
        evidence:
          spend && lm3 && headlines
            ? `${localShareHeadline(headlines.localShare)} of spend local; ${headlines.lm3.supported && lm3.score !== undefined ? furtherPence(lm3.score) : whyNot(headlines.lm3, headlines)}`
            : 'needs spend data',
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
