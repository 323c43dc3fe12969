import type { Analysis } from '../analyse.js';
import type { Settings } from '../config/settings.js';
import { formatMilliPercent } from '../domain/percent.js';
import { planRegister } from '../pipeline/register.js';
import { furtherPence, leakageHeadline, lm3Headline, localShareHeadline, whyNot } from '../report/headlines.js';
import { formatPounds, formatShare } from '../money.js';
import { CHARACTERISTICS, type CharacteristicDefinition, MEASURED_ITEMS, type Question, QUESTIONS, type Rating, STEPS, type StepDefinition } from './approach.js';
import type { Answer } from '../ingest/framework-form.js';
import { TRAVEL_MILES } from '../measures/travel.js';

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
      lm3
        ? `Round 3 ${lm3.round3Basis === 'survey' ? 'from surveys' : lm3.round3Basis === 'assumed' ? 'assumed' : 'not traced'}: ${lm3.coverage.surveyedSuppliers} supplier and ${lm3.coverage.staffResponses} staff responses; coverage ${formatShare(lm3.coverage.supplierSpendShare)} of local supplier spend, ${lm3.coverage.staffResponses} responses from ${lm3.coverage.localStaff} local staff`
        : 'no spend analysed',
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
    stepNine(analysis),
    stepTen(analysis),
  ];
}

/** Whether the project file sets targets (local share, LM3, local staff share, located share): the one place step 10 asks. */
export function hasTargets(settings: Settings): boolean {
  return Object.keys(settings.targets).length > 0;
}

/** `4 evidenced, 2 partly`: how many characteristics have each rating, in the order they first appear. */
function tallyRatings(ratings: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).join(', ');
}

/** Step 9 is done when characteristics 2–7 are each assessed (a question answered or an item measured); tenants are reported when given. */
function stepNine(analysis: Analysis): StepStatus {
  const rated = assessCharacteristics(analysis).filter((c) => c.number > 1);
  const assessed = rated.filter((c) => c.rating !== 'not assessed');
  const tenants = analysis.enabled ? `tenants: ${analysis.enabled.jobs.toLocaleString('en-GB')} jobs enabled` : 'no tenants register';
  const state: StepState = assessed.length === rated.length ? 'done' : assessed.length > 0 ? 'needs data' : 'not started';
  const next =
    state === 'done'
      ? ''
      : `Answer the questionnaire for characteristic${rated.length - assessed.length === 1 ? '' : 's'} ${rated.filter((c) => c.rating === 'not assessed').map((c) => c.number).join(', ')}: local-impact framework forms writes it; name the filled-in form as "inputs.framework" in the project file.`;
  return { ...STEPS[8]!, state, evidence: `${assessed.length} of characteristics 2–7 assessed${assessed.length === 0 ? '' : `: ${tallyRatings(assessed.map((c) => c.rating))}`}; ${tenants}`, next };
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

export interface ItemStatus {
  id: string;
  kind: 'question' | 'measure';
  text: string;
  /** The answer or the figure, in words ('' when not answered). */
  answer: string;
  /** undefined: not answered, or not measurable from the files given. */
  met: boolean | undefined;
}

export interface CharacteristicStatus extends CharacteristicDefinition {
  rating: string;
  evidence: string;
  /** Characteristics 2–7: the questions and measured items the rating follows from. */
  items: ItemStatus[];
  /** The organisation's own words ('' when none). */
  words: string;
}

/** A rating coloured as the steps are: evidenced (or measured) as done, partly and not yet as needing more, not assessed as not started. */
export function ratingState(rating: string): StepState {
  if (/^not (assessed|measured)/.test(rating)) return 'not started';
  if (/^(partly|not yet|weak)/.test(rating)) return 'needs data';
  return 'done';
}

/** The rule of RATING_RULE: pure, so a characteristic's rating can be worked by hand. */
export function rateCharacteristic(items: readonly Pick<ItemStatus, 'met'>[], words: string): Rating {
  const answered = items.filter((item) => item.met !== undefined).length;
  const met = items.filter((item) => item.met === true).length;
  if (answered === 0) return 'not assessed';
  if (met * 3 >= items.length * 2 && words.trim() !== '') return 'evidenced';
  if (met >= 1) return 'partly';
  return 'not yet';
}

function answerWords(question: Question, answer: Answer | undefined): string {
  if (answer === undefined) return '';
  if (typeof answer === 'boolean') return answer ? 'yes' : 'no';
  return question.kind === 'percent' ? `${answer}%` : answer.toLocaleString('en-GB');
}

/** Each measured item of characteristics 2–7: met or not, with its figure in words; undefined met when the files given cannot say. */
function measuredItems(analysis: Analysis): Map<string, { answer: string; met: boolean | undefined }> {
  const { spend, workforce, headlines, enabled } = analysis;
  const out = new Map<string, { answer: string; met: boolean | undefined }>();
  const none = (why: string) => ({ answer: why, met: undefined });
  if (spend && spend.total > 0) {
    const typed = spend.byType.filter((t) => t.type !== 'not known').reduce((n, t) => n + t.total, 0);
    const smeVcse = spend.byType.filter((t) => t.type === 'SME' || t.type === 'VCSE').reduce((n, t) => n + t.total, 0);
    const share = smeVcse / spend.total;
    out.set('2.m1', typed === 0 ? none('not measured: no supplier types (register Type, or the ledger\'s SME/VCSE columns)') : { answer: `SMEs and VCSEs ${formatShare(share)} of spend (${formatPounds(smeVcse, { whole: true })})`, met: share >= 0.25 });
    out.set('2.m2', { answer: `the 10 largest suppliers take ${formatShare(spend.top10Share)}`, met: spend.top10Share <= 0.6 });
    out.set('2.m3', headlines?.localShare.supported ? { answer: `${spend.localSuppliers} local suppliers take ${formatShare(spend.localShare)} of spend`, met: spend.localShare >= 0.5 } : none('not a finding: too little spend located'));
  } else {
    for (const id of ['2.m1', '2.m2', '2.m3']) out.set(id, none('not measured: no spend file'));
  }
  out.set('2.m4', enabled ? { answer: `${enabled.jobs.toLocaleString('en-GB')} jobs in ${enabled.tenants.length} tenants`, met: enabled.jobs >= 1 } : none('not measured: no tenants register'));
  out.set('5.m1', workforce && workforce.fte > 0 ? { answer: `staff living locally hold ${formatShare(workforce.localFte / workforce.fte)} of ${workforce.fte} FTE`, met: workforce.localFte / workforce.fte >= 0.5 } : none('not measured: no payroll with FTE'));
  const travel = analysis.travel;
  out.set(
    '6.m1',
    travel
      ? travel.published
        ? { answer: `${formatShare(travel.measured.within / travel.measured.measured)} of ${travel.measured.measured} staff within ${TRAVEL_MILES} miles of ${travel.workplace}`, met: travel.measured.within * 2 >= travel.measured.measured }
        : none('not shown: it would say where fewer than 3 staff live')
      : none(analysis.settings.workplacePostcode ? 'not measured: it needs the ONS postcode directory, which was not imported' : 'not measured: the workplace postcode was not given'),
  );
  const lw = workforce?.livingWage;
  out.set(
    '7.m1',
    !lw ? none('not measured: set livingWage.hourlyRate and give hourly rates') : !analysis.published.workforce.livingWage ? none('not shown: it would be a count of fewer than 3 staff') : { answer: `${formatShare(lw.share)} of ${lw.withRate} staff paid at least the Living Wage`, met: lw.share >= 0.9 },
  );
  return out;
}

/** The seven characteristics with what this run evidences for each: 1 measured, 2–7 rated by RATING_RULE from their items. */
export function assessCharacteristics(analysis: Analysis): CharacteristicStatus[] {
  const { spend, lm3, settings, headlines } = analysis;
  const refused = analysis.findings.details.some((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND' || f.code === 'ROUNDS_OUT_OF_BOUNDS');
  const measured = measuredItems(analysis);
  return CHARACTERISTICS.map((c) => {
    if (c.number === 1) {
      return {
        ...c,
        rating: lm3 && headlines && !refused ? `LM3 ${lm3Headline(lm3, analysis.published.lm3, headlines.lm3)}` : 'not measured',
        evidence:
          spend && lm3 && headlines && !refused
            ? `${localShareHeadline(headlines.localShare)} of spend local; ${headlines.lm3.supported && analysis.published.lm3.score !== null ? furtherPence(analysis.published.lm3.score) : headlines.lm3.supported ? 'LM3 withheld to keep staff pay private' : whyNot(headlines.lm3, headlines)}`
            : 'needs spend data',
        items: [],
        words: '',
      };
    }
    const items: ItemStatus[] = [
      ...QUESTIONS.filter((q) => q.characteristic === c.number).map((q): ItemStatus => {
        const answer = analysis.framework.answers.get(q.id);
        const met = answer === undefined ? undefined : typeof answer === 'boolean' ? answer : answer >= (q.bar ?? 1);
        return { id: q.id, kind: 'question', text: q.text, answer: answerWords(q, answer), met };
      }),
      ...MEASURED_ITEMS.filter((m) => m.characteristic === c.number).map((m): ItemStatus => ({ id: m.id, kind: 'measure', text: m.text, ...measured.get(m.id)! })),
    ];
    const words = analysis.framework.words.get(c.number) ?? '';
    let rating: string = rateCharacteristic(items, words);
    // A hand-set rating from before the questionnaire, used only where nothing is answered.
    const legacy = settings.selfAssessment[String(c.number) as '2']?.rating;
    if (rating === 'not assessed' && legacy !== undefined && legacy !== 'not assessed') rating = `${legacy} (self-rated)`;
    const met = items.filter((i) => i.met === true).length;
    const answered = items.filter((i) => i.met !== undefined).length;
    const tally = answered === 0 ? '' : `${met} of ${items.length} items met`;
    const figures = items.filter((i) => i.kind === 'measure' && i.met !== undefined).map((i) => i.answer);
    // Sentences: each part starts with a capital ("Staff living locally hold …"), as the organisation's own words do.
    const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
    return { ...c, rating, evidence: [tally, figures.join('; '), words].filter(Boolean).map(sentence).join('. '), items, words };
  });
}
