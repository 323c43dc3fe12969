import type { Scenario } from '../domain/scenario.js';
import type { ScenarioOutcome, Today } from '../measures/scenarios.js';
import { type Disclosure, isExact, type PayFigure, type PublishedPay, type Shown } from './disclose.js';

/**
 * Which scenario figures may be published. A scenario figure is today's figure moved by a known amount; published
 * beside today's it gives away whatever it is built from. So a figure is published only when every figure of
 * today's it is built from is published exactly: it is then a sum of published figures and of supplier spend
 * (which is no one's pay), and tells a reader nothing more. Otherwise it is withheld, never rounded (two roundings
 * of one unknown at two offsets can pin it closer than either). A post's pay is personal: recruiting works from
 * the pay of all staff living outside the area, and is published only where that total is.
 */

export interface PublishedScenario {
  scenario: Scenario;
  inScope: Shown;
  moved: Shown;
  /** Shift: the moved spend's re-spend rate; survey: the new rate; recruit: today's staff rate, null where it is withheld. */
  rate: number | null;
  posts: number;
  movedSuppliers: string[];
  round2: Shown;
  round3: Shown;
  score: Shown;
  leakage: Shown;
  leakageShare: Shown;
  keptLocally: Shown;
  change: { round2: Shown; round3: Shown; score: Shown; leakage: Shown; keptLocally: Shown };
  /** Whether any figure is withheld, for a note beside it. */
  withheld: boolean;
}

/**
 * The pay figures a scenario's change is built from, beyond supplier spend. A change to Round 3 from staff is
 * built from today's (pay × the staff's local-spend rate): published beside a published pay figure it would give
 * the rate away, and with fewer than 3 staff returns the rate is one or two people's answers.
 */
function payInputs(scenario: Scenario): PayFigure[] {
  if (scenario.kind === 'recruit') return ['reconciliation.nonLocalPay', 'lm3.round2Staff', 'lm3.round3Staff'];
  if (scenario.kind === 'survey' && scenario.staffSpend !== undefined) return ['lm3.round2Staff', 'lm3.round3Staff'];
  return [];
}

export function publishScenario(d: Disclosure, outcome: ScenarioOutcome, now: Today): PublishedScenario {
  const inputs = payInputs(outcome.scenario);
  const may = (...ids: PayFigure[]) => isExact(d, ...inputs, ...ids);
  const show = (value: number | undefined, ...ids: PayFigure[]): Shown => (value === undefined || !may(...ids) ? null : value);
  const scoreChange = outcome.score === undefined || now.score === undefined ? undefined : outcome.score - now.score;
  const published: Omit<PublishedScenario, 'withheld'> = {
    scenario: outcome.scenario,
    inScope: show(outcome.inScope),
    moved: show(outcome.moved),
    rate: outcome.scenario.kind === 'recruit' && !d.staffAnswersShown ? null : outcome.rate,
    posts: outcome.posts,
    movedSuppliers: outcome.movedSuppliers,
    round2: show(outcome.round2, 'lm3.round2'),
    round3: show(outcome.round3, 'lm3.round3'),
    score: show(outcome.score, 'lm3.round1', 'lm3.round2', 'lm3.round3', 'lm3.score'),
    leakage: show(outcome.leakage, 'leakage.total'),
    leakageShare: show(outcome.leakageShare, 'leakage.total', 'leakage.share', 'lm3.round1'),
    keptLocally: show(outcome.keptLocally, 'lm3.round2', 'lm3.round3'),
    change: {
      round2: show(outcome.round2 - now.round2),
      round3: show(outcome.round3 - now.round3),
      score: show(scoreChange, 'lm3.round1'),
      leakage: show(outcome.leakage - now.leakage),
      keptLocally: show(outcome.keptLocally - now.keptLocally),
    },
  };
  const figures = [published.round2, published.round3, published.score, published.leakage, published.leakageShare, published.keptLocally, ...Object.values(published.change)];
  return { ...published, withheld: figures.some((f) => f === null) };
}

/**
 * Today's figures as the comparison column shows them: as the rest of the report publishes them. `staffRate`, the
 * staff's local-spend rate (a fraction), is withheld where it is the mean of fewer than 3 staff returns.
 */
export function publishedToday(p: PublishedPay, d: Disclosure, staffRate: number): Record<'round2' | 'round3' | 'score' | 'leakage' | 'leakageShare' | 'keptLocally' | 'staffRate', Shown> {
  return {
    staffRate: d.staffAnswersShown ? staffRate : null,
    round2: p.lm3.round2,
    round3: p.lm3.round3,
    score: p.lm3.score,
    leakage: p.leakage.total,
    leakageShare: p.leakage.share,
    keptLocally: p.lm3.round2 === null || p.lm3.round3 === null ? null : p.lm3.round2 + p.lm3.round3,
  };
}
