import type { StaffMember } from '../domain/staff.js';
import type { Leakage } from '../measures/leakage.js';
import type { Lm3 } from '../measures/lm3.js';
import { districtKey, MIN_GROUP, type WorkforceMeasures } from '../measures/workforce.js';
import type { Pence } from '../money.js';
import { type AuditFigure, type AuditTarget, auditDisclosure } from './audit.js';
import { splitPublishable } from './travel.js';

/**
 * Disclosure control: the one stage that decides which figures bearing staff pay may be published, and
 * how precisely, so that no group of fewer than MIN_GROUP people has its pay determinable — exactly or to
 * within 10% — from any combination of what is published (method.md, "Disclosure"). Renderers print what
 * it allows and decide nothing about personal data.
 */

/** Every published figure that staff pay feeds, wherever it is printed (JSON, terminal, workbook, steps). */
export const PAY_FIGURES = [
  'workforce.grossPay',
  'workforce.localGrossPay',
  'workforce.nonLocalGrossPay',
  'workforce.unknownGrossPay',
  'workforce.notLocalGrossPay',
  'workforce.localPayShare',
  'workforce.netPay',
  'workforce.employerNi',
  'workforce.employerPension',
  'workforce.payrollCost',
  'workforce.byDistrict',
  'lm3.round1',
  'lm3.round2',
  'lm3.round2Staff',
  'lm3.round3',
  'lm3.round3Staff',
  'lm3.round2Share',
  'lm3.round3Share',
  'lm3.score',
  'lm3.scoreLow',
  'lm3.scoreHigh',
  'lm3.high.round2',
  'lm3.high.round3',
  'lm3.high.round3Staff',
  'lm3.unknownStaffPay',
  'lm3.notSpent',
  'reconciliation.localPay',
  'reconciliation.nonLocalPay',
  'reconciliation.unknownPay',
  'reconciliation.pay',
  'reconciliation.payDeductions',
  'reconciliation.onCosts',
  'leakage.total',
  'leakage.share',
  'leakage.high',
  'leakage.highShare',
] as const;

export type PayFigure = (typeof PAY_FIGURES)[number];

/** How a figure may be published: as it is, rounded to a step (a ratio), or not at all. */
export type Publication = { kind: 'exact' } | { kind: 'rounded'; step: number } | { kind: 'withheld' };

export interface Disclosure {
  publication: ReadonlyMap<PayFigure, Publication>;
  /** What was withheld or coarsened and why, in words, for the report. */
  statements: string[];
  /** The project file says the staff agreed (or their pay is published anyway): the audit reports, it does not suppress. */
  consent: string | undefined;
  /** Groups of fewer than MIN_GROUP people whose pay the audit protects. */
  smallGroups: number;
  /** Groups the published figures would let a reader work out (with consent, what is published anyway). */
  disclosedWithoutControl: string[];
  /** Whether the staff survey's mean (and so any answer behind it) may be shown: not with fewer than MIN_GROUP returns. */
  staffAnswersShown: boolean;
}

/** Ratios are published to this precision unless coarsened: JSON's floats, the cells' full values. */
const EXACT_RATIO = 1e-12;

/** A step of the ladder: figures withheld or coarsened together, in order of least harm to the report (the report words them by family). */
interface Action {
  changes: [PayFigure, Publication][];
}

const withhold = (...ids: PayFigure[]): [PayFigure, Publication][] => ids.map((id) => [id, { kind: 'withheld' }]);
const round = (step: number, ...ids: PayFigure[]): [PayFigure, Publication][] => ids.map((id) => [id, { kind: 'rounded', step }]);

const LADDER: Action[] = [
  { changes: withhold('workforce.localGrossPay', 'workforce.localPayShare', 'lm3.round2Staff', 'lm3.round3Staff', 'reconciliation.localPay') },
  { changes: withhold('workforce.unknownGrossPay', 'lm3.unknownStaffPay', 'lm3.high.round3Staff', 'reconciliation.unknownPay') },
  { changes: withhold('workforce.nonLocalGrossPay', 'reconciliation.nonLocalPay') },
  { changes: withhold('workforce.notLocalGrossPay') },
  { changes: withhold('workforce.byDistrict') },
  { changes: [...withhold('lm3.high.round2', 'lm3.high.round3', 'leakage.high'), ...round(0.01, 'lm3.scoreHigh'), ...round(0.001, 'leakage.highShare')],
  },
  { changes: [...withhold('leakage.total'), ...round(0.001, 'leakage.share')] },
  { changes: round(0.01, 'leakage.share', 'leakage.highShare') },
  { changes: [...withhold('lm3.round2', 'lm3.round3'), ...round(0.01, 'lm3.score', 'lm3.scoreLow'), ...round(0.001, 'lm3.round2Share', 'lm3.round3Share')],
  },
  { changes: [...round(0.1, 'lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh'), ...round(0.01, 'lm3.round2Share', 'lm3.round3Share')],
  },
  { changes: withhold('lm3.round2Share', 'lm3.round3Share', 'leakage.share', 'leakage.highShare') },
  { changes: withhold('lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh') },
  { changes: withhold('workforce.grossPay', 'workforce.netPay', 'workforce.employerNi', 'workforce.employerPension', 'workforce.payrollCost', 'reconciliation.pay', 'reconciliation.payDeductions', 'reconciliation.onCosts', 'lm3.notSpent', 'lm3.round1'),
  },
  { changes: withhold(...PAY_FIGURES) },
];

export interface DisclosureInput {
  staff: readonly StaffMember[];
  workforce: WorkforceMeasures | undefined;
  lm3: Lm3 | undefined;
  leakage: Leakage | undefined;
  /** From the project file's `disclosure`: the reason the pay may be published. */
  consent: string | undefined;
  /** Staff survey returns used; with fewer than MIN_GROUP, what would show an answer is withheld (consent to publish pay does not cover them). */
  staffResponses?: number;
}

/**
 * Decides what may be published: the pay of small groups, then staff survey answers. One or two returns' mean
 * is their answers (a respondent knowing their own learns the other's), so the mean, the staff part of Round 3
 * and what gives it away (Round 3 in pounds and as a share) are withheld, and LM3 is given to 1 decimal place.
 */
export function discloseFigures(input: DisclosureInput): Disclosure {
  const pay = disclosePay(input);
  const responses = input.staffResponses ?? 0;
  if (responses === 0 || responses >= MIN_GROUP || !input.lm3 || input.lm3.round2Staff === 0) return pay;
  const publication = new Map(pay.publication);
  const changes: [PayFigure, Publication][] = [
    ...withhold('lm3.round3Staff', 'lm3.high.round3Staff', 'lm3.round3', 'lm3.high.round3', 'lm3.round3Share'),
    ...round(0.1, 'lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh'),
  ];
  for (const [id, p] of changes) publication.set(id, coarser(publication.get(id)!, p));
  // To 1 decimal place LM3 still gives the mean away when local staff pay is most of Round 1: then it is withheld too.
  const pinned = staffMeanPinned(input.lm3, publication);
  if (pinned) for (const [id, p] of withhold('lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh')) publication.set(id, p);
  return {
    ...pay,
    publication,
    staffAnswersShown: false,
    statements: [
      ...pay.statements,
      `Only ${responses} staff survey return${responses === 1 ? '' : 's'} (fewer than ${MIN_GROUP}): so that no answer can be worked out, the report withholds the staff survey mean, Round 3 in pounds (and its staff part) and Round 3 as a share, and ${pinned ? `withholds LM3 as well (local staff pay is so much of Round 1 that even to 1 decimal place it would give the mean to within ${MEAN_TOLERANCE * 100}%)` : 'gives LM3 to 1 decimal place'}.`,
    ],
  };
}

/** A staff survey mean a reader can work out to within this fraction of it counts as shown. */
const MEAN_TOLERANCE = 0.1;

/**
 * Whether the scores as published pin the staff survey mean to within MEAN_TOLERANCE of it. Each score is
 * (R1 + R2 + R3) / R1 with the staff part of R3 = mean × pay; a reader taken to know every other part (Round 1,
 * Round 2, the suppliers' Round 3, local staff pay) learns from a score to step s that the mean lies within
 * ± s/2 × R1 / pay of where it is, and from several scores the overlap of their intervals.
 */
export function staffMeanPinned(lm3: Lm3, publication: ReadonlyMap<PayFigure, Publication>): boolean {
  const mean = lm3.staffRate;
  if (lm3.round1 <= 0 || mean <= 0) return false;
  const scores: { id: PayFigure; value: number | undefined; pay: Pence }[] = [
    { id: 'lm3.score', value: lm3.score, pay: lm3.round2Staff },
    ...(lm3.round3StaffBasis === 'survey' ? [{ id: 'lm3.scoreLow' as const, value: lm3.scoreLow, pay: lm3.round2Staff }] : []),
    { id: 'lm3.scoreHigh', value: lm3.scoreHigh, pay: lm3.round2Staff + lm3.unknownStaffPay },
  ];
  let low = 0;
  let high = 1;
  for (const { id, value, pay } of scores) {
    const p = publication.get(id);
    if (value === undefined || pay <= 0 || p === undefined || p.kind === 'withheld') continue;
    const step = p.kind === 'rounded' ? p.step : EXACT_RATIO;
    const shown = p.kind === 'rounded' ? Number(value.toFixed(Math.max(0, Math.round(-Math.log10(step))))) : value;
    const perMean = pay / lm3.round1;
    const known = value - perMean * mean;
    low = Math.max(low, (shown - step / 2 - known) / perMean);
    high = Math.min(high, (shown + step / 2 - known) / perMean);
  }
  return (high - low) / 2 <= MEAN_TOLERANCE * mean;
}

function disclosePay(input: DisclosureInput): Disclosure {
  const exactAll = new Map<PayFigure, Publication>(PAY_FIGURES.map((id) => [id, { kind: 'exact' }]));
  const model = payModel(input);
  if (model.targets.length === 0) {
    return { publication: exactAll, statements: [], consent: input.consent, smallGroups: 0, disclosedWithoutControl: [], staffAnswersShown: true };
  }
  const disclosed = (publication: ReadonlyMap<PayFigure, Publication>) => auditDisclosure(model.figures(publication), model.targets);
  const before = [...new Set(disclosed(exactAll).map((f) => model.describe(f.target)))];
  if (input.consent !== undefined) {
    return {
      publication: exactAll,
      statements: before.length === 0 ? [] : [`Published with consent (${input.consent}), although it shows the pay of ${before.join('; ')}.`],
      consent: input.consent,
      smallGroups: model.groups,
      disclosedWithoutControl: before,
      staffAnswersShown: true,
    };
  }
  // Climb the ladder until nothing is disclosed, then step back down wherever a step is not needed.
  const applied: Action[] = [];
  const publicationOf = (actions: readonly Action[]) => {
    const publication = new Map(exactAll);
    for (const action of actions) for (const [id, p] of action.changes) publication.set(id, coarser(publication.get(id)!, p));
    return publication;
  };
  for (const action of LADDER) {
    if (disclosed(publicationOf(applied)).length === 0) break;
    applied.push(action);
  }
  for (let i = applied.length - 1; i >= 0; i--) {
    const without = applied.filter((_, j) => j !== i);
    if (disclosed(publicationOf(without)).length === 0) applied.splice(i, 1);
  }
  const publication = publicationOf(applied);
  const statements = applied.length === 0 ? [] : [`To keep the pay of fewer than ${MIN_GROUP} people private (${before.join('; ')}), ${describePublication(publication)}.`];
  return { publication, statements, consent: undefined, smallGroups: model.groups, disclosedWithoutControl: before, staffAnswersShown: true };
}

/** Families of figures, as a reader would name what is missing. */
const FAMILIES: [string, PayFigure[]][] = [
  ['staff pay split by where staff live', ['workforce.localGrossPay', 'workforce.nonLocalGrossPay', 'workforce.unknownGrossPay', 'workforce.notLocalGrossPay', 'workforce.localPayShare', 'lm3.round2Staff', 'lm3.round3Staff', 'lm3.unknownStaffPay', 'lm3.high.round3Staff', 'reconciliation.localPay', 'reconciliation.nonLocalPay', 'reconciliation.unknownPay']],
  ['pay by home district', ['workforce.byDistrict']],
  ['Rounds 2 and 3 in pounds', ['lm3.round2', 'lm3.round3']],
  ['the high end of the range in pounds', ['lm3.high.round2', 'lm3.high.round3', 'leakage.high']],
  ['spend leakage in pounds', ['leakage.total']],
  ['the shares of Round 1 that each round and leakage are', ['lm3.round2Share', 'lm3.round3Share', 'leakage.share', 'leakage.highShare']],
  ['LM3', ['lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh']],
  ['payroll totals', ['workforce.grossPay', 'workforce.netPay', 'workforce.employerNi', 'workforce.employerPension', 'workforce.payrollCost', 'reconciliation.pay', 'reconciliation.payDeductions', 'reconciliation.onCosts', 'lm3.notSpent', 'lm3.round1']],
];

/** `the report withholds …; it gives LM3 to 1 decimal place and the shares to the nearest 1%`. */
function describePublication(publication: ReadonlyMap<PayFigure, Publication>): string {
  const withheld = FAMILIES.filter(([, ids]) => ids.some((id) => publication.get(id)?.kind === 'withheld')).map(([words]) => words);
  const step = (ids: PayFigure[]) => Math.max(0, ...ids.map((id) => publication.get(id)).map((p) => (p?.kind === 'rounded' ? p.step : 0)));
  const rounded: string[] = [];
  const scoreStep = step(['lm3.score', 'lm3.scoreLow', 'lm3.scoreHigh']);
  const places = (step: number) => `${Math.round(-Math.log10(step))} decimal place${Math.round(-Math.log10(step)) === 1 ? '' : 's'}`;
  if (scoreStep > 0) rounded.push(`${step(['lm3.score']) > 0 ? 'LM3' : 'the LM3 high end'} to ${places(scoreStep)}`);
  const shareStep = step(['lm3.round2Share', 'lm3.round3Share', 'leakage.share', 'leakage.highShare']);
  if (shareStep > 0) rounded.push(`shares to the nearest ${shareStep * 100 >= 1 ? `${Math.round(shareStep * 100)}%` : `${shareStep * 100}%`}`);
  const parts = [withheld.length > 0 ? `the report withholds ${withheld.join('; ')}` : '', rounded.length > 0 ? `gives ${rounded.join(' and ')}` : ''].filter(Boolean);
  return parts.join(', and ');
}

/** The less precise of two publications. */
function coarser(a: Publication, b: Publication): Publication {
  if (a.kind === 'withheld' || b.kind === 'withheld') return { kind: 'withheld' };
  if (a.kind === 'exact') return b;
  if (b.kind === 'exact') return a;
  return a.step >= b.step ? a : b;
}

type Terms = Map<string, number>;

/**
 * The pay of staff as atoms: one per class of staff that every published figure treats alike (where they
 * live × the home-district row they are counted in): gross pay, net pay, and the employer's on-costs
 * (NI + pension). A reader knows net ≤ gross and that on-costs follow pay, so a small group's cost to the
 * employer (gross + on-costs) is protected as well as its pay.
 */
function payModel(input: DisclosureInput) {
  const { staff, workforce, lm3 } = input;
  const classes = new Map<string, { status: StaffMember['status']; row: string | undefined; people: number; gross: Pence; net: Pence; onCosts: Pence }>();
  for (const person of staff) {
    const row = workforce?.districtRows.get(districtKey(person));
    const key = `${person.status}|${row ?? ''}`;
    let c = classes.get(key);
    if (!c) classes.set(key, (c = { status: person.status, row, people: 0, gross: 0, net: 0, onCosts: 0 }));
    c.people++;
    c.gross += person.grossPay;
    c.net += person.netPay ?? 0;
    c.onCosts += person.employerNi + person.employerPension;
  }
  const net = lm3?.wages === 'net';
  const sum = (atom: 'g' | 'n' | 'o', keep: (c: { status: string; row: string | undefined }) => boolean, coefficient = 1): Terms => {
    const terms: Terms = new Map();
    for (const [key, c] of classes) if (keep(c) && coefficient !== 0) terms.set(`${atom}:${key}`, coefficient);
    return terms;
  };
  const plus = (...parts: Terms[]): Terms => {
    const terms: Terms = new Map();
    for (const part of parts) for (const [atom, a] of part) terms.set(atom, (terms.get(atom) ?? 0) + a);
    return terms;
  };
  const scaled = (t: Terms, k: number): Terms => new Map([...t].map(([atom, a]) => [atom, a * k]));
  const all = () => true;
  const status = (s: string) => (c: { status: string }) => c.status === s;
  // Pay under the wages convention of the rounds.
  const pay = (keep: (c: { status: string; row: string | undefined }) => boolean) => sum(net ? 'n' : 'g', keep);
  const gross = (keep: (c: { status: string; row: string | undefined }) => boolean) => sum('g', keep);
  // Employer NI and pension are published only together with each other's class totals: NI and pension
  // alone are each one more atom (their split), so the sum per class is what the reader can pin.
  const onCosts: Terms = plus(sum('o', all));
  const rate = lm3?.staffRate ?? 0;
  const L = pay(status('local'));
  const N = pay(status('non-local'));
  const U = pay(status('unknown'));
  const payrollCost = plus(gross(all), onCosts);
  const R1 = lm3?.round1Basis === 'spend-and-payroll' ? payrollCost : new Map<string, number>();
  const R2 = L;
  const R3 = scaled(L, rate);
  const R3Low = lm3?.round3StaffBasis === 'assumed' ? new Map<string, number>() : R3;
  const highR2 = plus(L, U);
  const highR3 = scaled(highR2, rate);
  type Entry = { id: PayFigure; terms: Terms } | { id: PayFigure; ratio: { num: Terms; den: Terms; value: number; denominator: Pence } };
  const money = (id: PayFigure, terms: Terms): Entry => ({ id, terms });
  /**
   * A ratio r = A / B as the reader can use it: A − r·B = 0, to within half its step times B. Written so,
   * a share also gives away its denominator when the numerator is known (and so on).
   */
  const ratio = (id: PayFigure, num: Terms, den: Terms, value: number | undefined, denominator: Pence): Entry => ({ id, ratio: { num, den, value: value ?? 0, denominator } });
  const r1 = lm3?.round1 ?? 0;
  const catalogue: Entry[] = [
    money('workforce.grossPay', gross(all)),
    money('workforce.localGrossPay', gross(status('local'))),
    money('workforce.nonLocalGrossPay', gross(status('non-local'))),
    money('workforce.unknownGrossPay', gross(status('unknown'))),
    money('workforce.notLocalGrossPay', plus(gross(status('non-local')), gross(status('unknown')))),
    ratio('workforce.localPayShare', gross(status('local')), gross(all), workforce?.localPayShare, workforce?.grossPay ?? 0),
    money('workforce.netPay', workforce?.netPay === undefined ? new Map() : sum('n', all)),
    money('workforce.employerNi', new Map([['NI', 1]])),
    money('workforce.employerPension', plus(onCosts, new Map([['NI', -1]]))),
    money('workforce.payrollCost', payrollCost),
    money('lm3.round1', R1),
    money('lm3.round2', R2),
    money('lm3.round2Staff', L),
    money('lm3.round3', R3),
    money('lm3.round3Staff', R3),
    ratio('lm3.round2Share', R2, R1, lm3?.round2Share, r1),
    ratio('lm3.round3Share', R3, R2, lm3?.round3Share, lm3?.round2 ?? 0),
    ratio('lm3.score', plus(R1, R2, R3), R1, lm3?.score, r1),
    ratio('lm3.scoreLow', plus(R1, R2, R3Low), R1, lm3?.scoreLow, r1),
    ratio('lm3.scoreHigh', plus(R1, highR2, highR3), R1, lm3?.scoreHigh, r1),
    money('lm3.high.round2', highR2),
    money('lm3.high.round3', highR3),
    money('lm3.high.round3Staff', highR3),
    money('lm3.unknownStaffPay', U),
    money('lm3.notSpent', lm3?.round1Basis === 'income' ? payrollCost : new Map()),
    money('reconciliation.localPay', L),
    money('reconciliation.nonLocalPay', N),
    money('reconciliation.unknownPay', U),
    money('reconciliation.pay', pay(all)),
    money('reconciliation.payDeductions', net ? plus(gross(all), scaled(sum('n', all), -1)) : new Map()),
    money('reconciliation.onCosts', onCosts),
    money('leakage.total', N),
    ratio('leakage.share', N, R1, input.leakage?.share, r1),
    money('leakage.high', plus(N, U)),
    ratio('leakage.highShare', plus(N, U), R1, input.leakage?.highShare, r1),
  ];
  const rows = new Set([...classes.values()].map((c) => c.row).filter((row): row is string => row !== undefined));

  // The true value of each atom, so that each figure's value is what the reader sees of the pay in it.
  const atomValue = new Map<string, number>([['NI', workforce?.employerNi ?? 0]]);
  for (const [key, c] of classes) {
    atomValue.set(`g:${key}`, c.gross);
    atomValue.set(`n:${key}`, c.net);
    atomValue.set(`o:${key}`, c.onCosts);
  }
  const valueOf = (terms: Terms) => [...terms].reduce((sum, [atom, a]) => sum + a * (atomValue.get(atom) ?? 0), 0);
  const figures = (publication: ReadonlyMap<PayFigure, Publication>): AuditFigure[] => {
    const out: AuditFigure[] = [];
    for (const entry of catalogue) {
      const p = publication.get(entry.id)!;
      if (p.kind === 'withheld') continue;
      if ('terms' in entry) {
        const value = valueOf(entry.terms);
        if (entry.terms.size > 0) out.push({ id: entry.id, terms: entry.terms, min: value - 0.5, max: value + 0.5 });
        continue;
      }
      // A ratio r = num / den published as r′ (to its step) tells the reader r′ − step/2 ≤ num/den ≤ r′ + step/2:
      // num − r·den ≥ 0 at the low end, ≤ 0 at the high end, each linear in the atoms once the known parts
      // (supplier spend, the income) are moved across.
      const { num, den, value, denominator } = entry.ratio;
      if (denominator <= 0) continue;
      const step = p.kind === 'rounded' ? p.step : EXACT_RATIO;
      const shown = p.kind === 'rounded' ? Number(value.toFixed(Math.max(0, Math.round(-Math.log10(step))))) : value;
      const knownNum = value * denominator - valueOf(num);
      const knownDen = denominator - valueOf(den);
      for (const [r, side] of [[shown - step / 2, 'low'], [shown + step / 2, 'high']] as const) {
        const terms = plus(num, scaled(den, -r));
        for (const [atom, a] of terms) if (Math.abs(a) < 1e-12) terms.delete(atom);
        if (terms.size === 0) continue;
        const bound = r * knownDen - knownNum;
        out.push(side === 'low' ? { id: `${entry.id}:low`, terms, min: bound, max: Number.POSITIVE_INFINITY } : { id: `${entry.id}:high`, terms, min: Number.NEGATIVE_INFINITY, max: bound });
      }
    }
    // What a reader knows without any figure: net pay is at most gross pay.
    if (net) for (const key of classes.keys()) out.push({ id: `net≤gross:${key}`, terms: new Map([[`g:${key}`, 1], [`n:${key}`, -1]]), min: 0, max: Number.POSITIVE_INFINITY });
    if (publication.get('workforce.byDistrict')!.kind !== 'withheld') {
      for (const row of rows) {
        const terms = gross((c) => c.row === row);
        const value = valueOf(terms);
        out.push({ id: `workforce.byDistrict:${row}`, terms, min: value - 0.5, max: value + 0.5 });
      }
    }
    return out;
  };

  // The groups to protect: each class of one or two people, and each two single people together.
  const targets: AuditTarget[] = [];
  const words = new Map<string, string>();
  const entries = [...classes.entries()];
  const label = (c: { status: string; people: number }) => `${c.people === 1 ? 'one member' : 'two members'} of staff ${c.status === 'local' ? 'living locally' : c.status === 'non-local' ? 'living outside the area' : 'with no usable home postcode'}`;
  const addTarget = (id: string, keys: string[], value: Pence, atoms: ('g' | 'n' | 'o')[], text: string) => {
    targets.push({ id, terms: new Map(keys.flatMap((key) => atoms.map((atom) => [`${atom}:${key}`, 1] as const))), value });
    words.set(id, text);
  };
  for (const [key, c] of entries) {
    if (c.people >= MIN_GROUP) continue;
    addTarget(`gross:${key}`, [key], c.gross, ['g'], label(c));
    // Their cost to the employer: on-costs are a known share of pay, so it gives the pay away too.
    if (c.onCosts > 0) addTarget(`cost:${key}`, [key], c.gross + c.onCosts, ['g', 'o'], label(c));
    if (net) addTarget(`net:${key}`, [key], c.net, ['n'], label(c));
  }
  const singles = entries.filter(([, c]) => c.people === 1);
  for (let i = 0; i < singles.length; i++) {
    for (let j = i + 1; j < singles.length; j++) {
      const [a, ca] = singles[i]!;
      const [b, cb] = singles[j]!;
      const together = `two members of staff together (${ca.status} and ${cb.status})`;
      addTarget(`gross:${a}+${b}`, [a, b], ca.gross + cb.gross, ['g'], together);
      if (ca.onCosts + cb.onCosts > 0) addTarget(`cost:${a}+${b}`, [a, b], ca.gross + cb.gross + ca.onCosts + cb.onCosts, ['g', 'o'], together);
    }
  }
  return { figures, targets, groups: new Set(words.values()).size, describe: (id: string) => words.get(id) ?? id };
}

/** A money figure as it may be printed: the pence, or null when withheld. */
export function shownMoney(disclosure: Disclosure | undefined, id: PayFigure, pence: Pence): Pence | null {
  const p = disclosure?.publication.get(id);
  return p?.kind === 'withheld' ? null : pence;
}

/** A ratio (share or score) as it may be printed: rounded to its step, or null when withheld. */
export function shownRatio(disclosure: Disclosure | undefined, id: PayFigure, value: number): number | null {
  const p = disclosure?.publication.get(id);
  if (!p || p.kind === 'exact') return value;
  if (p.kind === 'withheld') return null;
  const digits = Math.max(0, Math.round(-Math.log10(p.step)));
  return Number(value.toFixed(digits));
}

/** Whether a figure is published as it is: only then may a live formula compute it. */
export function isExact(disclosure: Disclosure | undefined, ...ids: PayFigure[]): boolean {
  return ids.every((id) => (disclosure?.publication.get(id)?.kind ?? 'exact') === 'exact');
}

/** A figure as published: pence or a ratio (rounded to its step), or null when withheld. */
export type Shown = number | null;

/** Every figure staff pay feeds, as it may be published: what renderers print. */
export interface PublishedPay {
  workforce: Record<'grossPay' | 'localGrossPay' | 'nonLocalGrossPay' | 'unknownGrossPay' | 'notLocalGrossPay' | 'localPayShare' | 'netPay' | 'employerNi' | 'employerPension' | 'payrollCost', Shown> & {
    byDistrict: boolean;
    /** Counts of staff paid at or above the Living Wage: shown only among MIN_GROUP or more with an hourly rate. */
    livingWage: boolean;
  };
  lm3: Record<'round1' | 'round2' | 'round2Staff' | 'round3' | 'round3Staff' | 'round2Share' | 'round3Share' | 'score' | 'scoreLow' | 'scoreHigh' | 'highRound2' | 'highRound3' | 'highRound3Staff' | 'unknownStaffPay' | 'notSpent', Shown>;
  reconciliation: Record<'localPay' | 'nonLocalPay' | 'unknownPay' | 'pay' | 'payDeductions' | 'onCosts', Shown>;
  leakage: Record<'total' | 'share' | 'high' | 'highShare', Shown>;
  /** Decimal places of a percentage that its publication supports: 1, or 0 for shares rounded to whole percents. */
  percentDigits: { rounds: number; leakage: number };
  /** Whether the staff survey's mean (and the sum of its answers) may be shown. */
  staffSurveyShown: boolean;
}

/** Applies the disclosure to the measures: the one view of pay-bearing figures the renderers may use. */
export function publishedPay(
  d: Disclosure,
  m: { workforce: WorkforceMeasures | undefined; lm3: Lm3 | undefined; leakage: Leakage | undefined; reconciliation: { localPay: Pence; nonLocalPay: Pence; unknownPay: Pence; payDeductions: Pence; onCosts: Pence; notSpent: Pence } | undefined },
): PublishedPay {
  const w = m.workforce;
  const l = m.lm3;
  const r = m.reconciliation;
  const k = m.leakage;
  const money = (id: PayFigure, value: number | undefined) => (value === undefined ? null : shownMoney(d, id, value));
  const ratio = (id: PayFigure, value: number | undefined) => (value === undefined ? null : shownRatio(d, id, value));
  return {
    workforce: {
      grossPay: money('workforce.grossPay', w?.grossPay),
      localGrossPay: money('workforce.localGrossPay', w?.localGrossPay),
      nonLocalGrossPay: money('workforce.nonLocalGrossPay', w?.nonLocalGrossPay),
      unknownGrossPay: money('workforce.unknownGrossPay', w?.unknownGrossPay),
      notLocalGrossPay: money('workforce.notLocalGrossPay', w && w.nonLocalGrossPay + w.unknownGrossPay),
      localPayShare: ratio('workforce.localPayShare', w?.localPayShare),
      netPay: money('workforce.netPay', w?.netPay),
      employerNi: money('workforce.employerNi', w?.employerNi),
      employerPension: money('workforce.employerPension', w?.employerPension),
      payrollCost: money('workforce.payrollCost', w?.payrollCost),
      byDistrict: d.publication.get('workforce.byDistrict')?.kind !== 'withheld',
      // A count of staff paid at least the Living Wage: its complement (those paid less) must not be one or two people.
      livingWage: w?.livingWage !== undefined && w.livingWage.withRate >= MIN_GROUP && splitPublishable(w.livingWage.atOrAbove, w.livingWage.withRate - w.livingWage.atOrAbove),
    },
    lm3: {
      round1: money('lm3.round1', l?.round1),
      round2: money('lm3.round2', l?.round2),
      round2Staff: money('lm3.round2Staff', l?.round2Staff),
      round3: money('lm3.round3', l?.round3),
      round3Staff: money('lm3.round3Staff', l?.round3Staff),
      round2Share: ratio('lm3.round2Share', l?.round2Share),
      round3Share: ratio('lm3.round3Share', l?.round3Share),
      score: ratio('lm3.score', l?.score),
      scoreLow: ratio('lm3.scoreLow', l?.scoreLow),
      scoreHigh: ratio('lm3.scoreHigh', l?.scoreHigh),
      highRound2: money('lm3.high.round2', l?.high.round2),
      highRound3: money('lm3.high.round3', l?.high.round3),
      highRound3Staff: money('lm3.high.round3Staff', l?.high.round3Staff),
      unknownStaffPay: money('lm3.unknownStaffPay', l?.unknownStaffPay),
      notSpent: money('lm3.notSpent', r?.notSpent),
    },
    reconciliation: {
      localPay: money('reconciliation.localPay', r?.localPay),
      nonLocalPay: money('reconciliation.nonLocalPay', r?.nonLocalPay),
      unknownPay: money('reconciliation.unknownPay', r?.unknownPay),
      pay: money('reconciliation.pay', r && r.localPay + r.nonLocalPay + r.unknownPay),
      payDeductions: money('reconciliation.payDeductions', r?.payDeductions),
      onCosts: money('reconciliation.onCosts', r?.onCosts),
    },
    leakage: {
      total: money('leakage.total', k?.total),
      share: ratio('leakage.share', k?.share),
      high: money('leakage.high', k?.high),
      highShare: ratio('leakage.highShare', k?.highShare),
    },
    percentDigits: { rounds: percentDigits(d, 'lm3.round2Share'), leakage: percentDigits(d, 'leakage.share') },
    staffSurveyShown: d.staffAnswersShown,
  };
}

/** A share rounded to a step of 0.01 (1%) or coarser shows no decimal place of a percentage. */
function percentDigits(d: Disclosure, id: PayFigure): number {
  const p = d.publication.get(id);
  return p?.kind === 'rounded' && p.step >= 0.01 ? 0 : 1;
}

/** The ids withheld, and those coarsened with their step, for the JSON's `withheld` and the Assumptions sheet. */
export function disclosureSummary(d: Disclosure): { withheld: PayFigure[]; rounded: { figure: PayFigure; step: number }[] } {
  const withheld: PayFigure[] = [];
  const rounded: { figure: PayFigure; step: number }[] = [];
  for (const [figure, p] of d.publication) {
    if (p.kind === 'withheld') withheld.push(figure);
    else if (p.kind === 'rounded') rounded.push({ figure, step: p.step });
  }
  return { withheld, rounded };
}

/** Inputs that hold personal data: payroll and staff survey returns. */
const PERSONAL_ROLES = new Set(['payroll', 'staff survey']);

/**
 * The size and SHA-256 that identify an input file, or null for a file of personal data: a fingerprint of a
 * small payroll would let anyone who can guess the rest of a row confirm a guess at someone's pay.
 */
export function fingerprint(source: { role: string; sha256: string; sizeBytes: number }): { sha256: string; sizeBytes: number } | null {
  return PERSONAL_ROLES.has(source.role) ? null : { sha256: source.sha256, sizeBytes: source.sizeBytes };
}
