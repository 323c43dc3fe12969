import type { Settings } from '../config/settings.js';
import { type Disclosure, type PublishedPay } from '../disclosure/disclose.js';
import { type PublishedScenario, publishedToday, publishScenario } from '../disclosure/scenarios.js';
import { MILLI_PERCENT_WHOLE } from '../domain/percent.js';
import type { Supplier } from '../domain/supplier.js';
import type { Finding } from '../findings.js';
import type { ExactMean, Lm3 } from '../measures/lm3.js';
import { NO_RATE, type Rate, rateOfPercent, runScenario, type ScenarioBase, type ScenarioOutcome, today, type Today } from '../measures/scenarios.js';
import type { SpendMeasures } from '../measures/spend.js';
import type { WorkforceMeasures } from '../measures/workforce.js';
import type { StaffPay } from './staff.js';

export interface ScenarioRun {
  base: ScenarioBase;
  today: Today;
  outcomes: ScenarioOutcome[];
  /** As the disclosure allows them to be printed: what renderers print. */
  published: PublishedScenario[];
  publishedToday: ReturnType<typeof publishedToday>;
  findings: Finding[];
}

const exactRate = (mean: ExactMean): Rate => ({ num: mean.numerator, den: mean.denominator * BigInt(MILLI_PERCENT_WHOLE) });

/** Runs the settings' scenarios over today's measures; undefined when there are none (or nothing was measured). */
export function runScenarios(
  settings: Settings,
  m: { lm3: Lm3 | undefined; spend: SpendMeasures | undefined; suppliers: readonly Supplier[]; workforce: WorkforceMeasures | undefined; pay: StaffPay | undefined },
  disclosure: Disclosure,
  published: PublishedPay,
): ScenarioRun | undefined {
  const { lm3, spend } = m;
  if (settings.scenarios.length === 0 || !lm3 || !spend) return undefined;
  const assumed = settings.assumptions;
  const base: ScenarioBase = {
    round1: lm3.round1,
    round2: lm3.round2,
    round3: lm3.round3,
    localSupplierSpend: lm3.round2Suppliers,
    round3Suppliers: lm3.round3Suppliers,
    localStaffPay: lm3.round2Staff,
    round3Staff: lm3.round3Staff,
    nonLocalSpend: spend.nonLocal,
    nonLocalPay: m.pay?.nonLocal ?? 0,
    nonLocalStaff: m.workforce?.nonLocalStaff ?? 0,
    supplierRate: lm3.supplierMean ? exactRate(lm3.supplierMean) : assumed.supplierPercent !== undefined ? rateOfPercent(assumed.supplierPercent) : NO_RATE,
    staffRate: lm3.staffMean ? exactRate(lm3.staffMean) : assumed.staffPercent !== undefined ? rateOfPercent(assumed.staffPercent) : NO_RATE,
    categories: spend.byCategory.map((c) => ({ category: c.category, nonLocal: c.nonLocal })),
    suppliers: m.suppliers,
  };
  const now = today(base);
  const outcomes = settings.scenarios.map((scenario) => runScenario(base, scenario));
  return {
    base,
    today: now,
    outcomes,
    published: outcomes.map((o) => publishScenario(disclosure, o, now)),
    publishedToday: publishedToday(published, disclosure, Number(base.staffRate.num) / Number(base.staffRate.den)),
    findings: outcomes.flatMap((o) => o.findings),
  };
}
