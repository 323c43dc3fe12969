import type { Analysis } from '../analyse.js';
import type { Settings } from '../config/settings.js';
import { formatMilliPercent } from '../domain/percent.js';
import { planRegister } from '../pipeline/register.js';
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
  // The same plan `suppliers` prints: how many of the largest unlocated suppliers reach the coverage threshold.
  const threshold = settings.coverageThreshold / 100_000;
  const plan = spend ? planRegister(suppliers, [], { placed: analysis.area !== undefined, threshold }) : undefined;
  const toThreshold = plan?.toReach.find((t) => t.target === threshold);
  const selfAssessed = Object.keys(settings.selfAssessment).length;
  const thresholdText = formatMilliPercent(settings.coverageThreshold, 0);
  const refused = analysis.findings.details.find((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND' || f.code === 'ROUNDS_OUT_OF_BOUNDS');
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
      spend ? `${formatShare(spend.locatedShare)} of spend located (${thresholdText} needed); ${unlocated.filter((s) => !s.unattributable).length} supplier(s) unlocated` : 'no spend analysed',
      spend && headlines && !headlines.coverage.spendMet
        ? toThreshold?.suppliers !== undefined
          ? `Locate the ${toThreshold.suppliers} largest unlocated supplier(s) to reach ${thresholdText}: local-impact suppliers --out register.csv, fill in postcodes, then run again with --suppliers register.csv.`
          : `${thresholdText} cannot be reached by locating suppliers: too much is to redacted or placeholder payees. Take out what is not procurement with an exclude rule, or report the range.`
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
      workforce ? `${workforce.localStaff} of ${workforce.staff} staff live locally${analysis.published.workforce.localPayShare === null ? '' : `; ${formatShare(analysis.published.workforce.localPayShare)} of gross pay`}` : 'no payroll',
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
      !lm3 || !headlines ? 'not started' : !refused && headlines.lm3.supported && headlines.leakage.supported ? 'done' : 'needs data',
      refused
        ? 'no LM3: the rounds would break 1 ≤ LM3 ≤ 3 (see step 1 and the warnings)'
        : lm3 && headlines && leakage
          ? `LM3 ${lm3Headline(lm3, analysis.published.lm3, headlines.lm3)}; leakage ${leakageHeadline(analysis.published.leakage, headlines.leakage, analysis.published.percentDigits.leakage)}${headlines.lm3.supported ? '' : ` (${whyNot(headlines.lm3, headlines)})`}`
          : 'no spend analysed',
      refused ? 'Fix the income or the credit notes, then run again.' : lm3 && headlines && !headlines.lm3.supported ? 'Locate more suppliers and staff (steps 4 and 6), then run again.' : '',
    ),
    status(
      9,
      selfAssessed >= 6 ? 'done' : selfAssessed > 0 ? 'needs data' : 'not started',
      `${selfAssessed} of characteristics 2–7 self-assessed`,
      selfAssessed >= 6 ? '' : 'Add "selfAssessment" to the project file: evidence for characteristics 2–7.',
    ),
    stepTen(analysis),
  ];
}

/**
 * Whether the project file sets targets (local share, LM3, local staff share, located share). Targets come with
 * issue 15's `targets` setting; until it is merged there are none. The one place step 10 asks.
 */
export function hasTargets(_settings: Settings): boolean {
  return false;
}

/** Step 10 is done when at least one scenario and one target are set. */
function stepTen(analysis: Analysis): StepStatus {
  const scenarios = analysis.settings.scenarios.length;
  const targets = hasTargets(analysis.settings);
  const state: StepState = scenarios > 0 && targets ? 'done' : scenarios > 0 || targets ? 'needs data' : 'not started';
  const evidence = `${scenarios === 0 ? 'no scenarios' : `${scenarios} scenario${scenarios === 1 ? '' : 's'} (${analysis.settings.scenarios.map((s) => s.name).join('; ')})`}; ${targets ? 'targets set' : 'no targets'}`;
  const next =
    scenarios === 0
      ? 'Add "scenarios" to the project file (e.g. shift a share of the top leaking suppliers\' spend to local ones), or try one: run --scenario shift:10%.'
      : targets ? '' : 'Set targets in the project file: local share, LM3, local staff share, located share.';
  return { ...STEPS[9]!, state, evidence, next };
}

export interface CharacteristicStatus extends CharacteristicDefinition {
  rating: string;
  evidence: string;
}

/** The seven characteristics with what this run evidences for each. */
export function assessCharacteristics(analysis: Analysis): CharacteristicStatus[] {
  const { spend, lm3, settings, headlines } = analysis;
  const refused = analysis.findings.details.some((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND' || f.code === 'ROUNDS_OUT_OF_BOUNDS');
  return CHARACTERISTICS.map((c) => {
    const own = settings.selfAssessment[String(c.number) as '2'];
    if (c.number === 1) {
      return {
        ...c,
        rating: lm3 && headlines && !refused ? `LM3 ${lm3Headline(lm3, analysis.published.lm3, headlines.lm3)}` : 'not measured',
        evidence:
          spend && lm3 && headlines && !refused
            ? `${localShareHeadline(headlines.localShare)} of spend local; ${headlines.lm3.supported && analysis.published.lm3.score !== null ? furtherPence(analysis.published.lm3.score) : headlines.lm3.supported ? 'LM3 withheld to keep staff pay private' : whyNot(headlines.lm3, headlines)}`
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
