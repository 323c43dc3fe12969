import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import type { Scenario } from '../domain/scenario.js';
import { normaliseSupplierName } from '../domain/supplier.js';
import type { Finding } from '../findings.js';
import { applyRatio, type Pence } from '../money.js';

/**
 * Step 10's what-ifs: R2, R3, LM3, leakage and the money kept locally had some money gone another way, beside
 * today's. Pure: exact pence in and out, each percentage of money rounded once to the penny, in the same order
 * of operations as the Scenarios sheet's formulas (ROUND(amount × rate, 2)), so the two agree to the penny.
 */

/** A rate as an exact fraction `num / den`. */
export interface Rate {
  num: bigint;
  den: bigint;
}

export const rateOfPercent = (percent: MilliPercent): Rate => ({ num: BigInt(percent), den: BigInt(MILLI_PERCENT_WHOLE) });
export const rateValue = (rate: Rate): number => Number(rate.num) / Number(rate.den);
const applyRate = (pence: Pence, rate: Rate): Pence => applyRatio(pence, rate.num, rate.den);
/** No re-spend traced: a rate of nothing. */
export const NO_RATE: Rate = { num: 0n, den: 1n };

/** Today's figures and what the scenarios draw on, from the LM3 and spend measures. */
export interface ScenarioBase {
  round1: Pence;
  round2: Pence;
  round3: Pence;
  /** Local supplier spend (in R2) and its Round 3. */
  localSupplierSpend: Pence;
  round3Suppliers: Pence;
  /** Pay of staff living locally (in R2) and its Round 3. */
  localStaffPay: Pence;
  round3Staff: Pence;
  /** Spend with suppliers located outside the area, and the pay of staff living outside it. */
  nonLocalSpend: Pence;
  nonLocalPay: Pence;
  nonLocalStaff: number;
  /** The re-spend rate of today's unsurveyed local suppliers (survey mean, or the assumption, or 0). */
  supplierRate: Rate;
  /** The local-spend rate of staff living locally. */
  staffRate: Rate;
  /** Non-local spend by ledger category. */
  categories: readonly { category: string; nonLocal: Pence }[];
  /** Every supplier, for scenarios that name some. */
  suppliers: readonly { name: string; supplierId: string; spellings: readonly { text: string }[]; status: string; amount: Pence }[];
}

export interface ScenarioOutcome extends Today {
  scenario: Scenario;
  /** Shift: the non-local spend the scenario can move; recruit: the pay of the staff living outside the area. */
  inScope: Pence;
  /** The money moved from outside the area to inside it. */
  moved: Pence;
  /** Shift: the re-spend rate of the moved spend; recruit: the staff rate; survey: the new rate(s). */
  rate: number;
  /** Recruit: the posts moved (capped at the staff living outside). */
  posts: number;
  /** Shift: the suppliers whose spend is in scope. */
  movedSuppliers: string[];
  findings: Finding[];
}

/** The figures a scenario moves, today's or a scenario's. */
export interface Today {
  round2: Pence;
  round3: Pence;
  score: number | undefined;
  /** Spend leakage known to leave: non-local suppliers + pay of staff living outside. */
  leakage: Pence;
  leakageShare: number;
  /** R2 + R3: the money the income generates locally beyond itself. */
  keptLocally: Pence;
}

export function today(base: ScenarioBase): Today {
  const leakage = base.nonLocalSpend + base.nonLocalPay;
  return {
    round2: base.round2,
    round3: base.round3,
    score: scoreOf(base.round1, base.round2, base.round3),
    leakage,
    leakageShare: base.round1 > 0 ? leakage / base.round1 : 0,
    keptLocally: base.round2 + base.round3,
  };
}

function scoreOf(round1: Pence, round2: Pence, round3: Pence): number | undefined {
  return round1 > 0 ? (round1 + round2 + round3) / round1 : undefined;
}

const sameText = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export function runScenario(base: ScenarioBase, scenario: Scenario): ScenarioOutcome {
  const findings: Finding[] = [];
  let inScope = 0;
  let moved = 0;
  let posts = 0;
  let rate = 0;
  let movedSuppliers: string[] = [];
  let round2 = base.round2;
  let round3 = base.round3;
  let leakage = base.nonLocalSpend + base.nonLocalPay;
  if (scenario.kind === 'shift') {
    if (scenario.category !== undefined) {
      const line = base.categories.find((c) => sameText(c.category, scenario.category!));
      inScope = line?.nonLocal ?? 0;
      if (!line) findings.push({ code: 'SCENARIO_NOTHING_IN_SCOPE', args: { scenario: scenario.name, why: `the ledger has no category "${scenario.category}"` } });
    } else if (scenario.suppliers !== undefined) {
      for (const wanted of scenario.suppliers) {
        const key = normaliseSupplierName(wanted);
        const found = base.suppliers.find((s) => s.supplierId === wanted || s.spellings.some((sp) => normaliseSupplierName(sp.text) === key) || normaliseSupplierName(s.name) === key);
        if (!found) findings.push({ code: 'SCENARIO_SUPPLIER_NOT_MOVED', args: { scenario: scenario.name, supplier: wanted, why: 'is not among the suppliers paid' } });
        else if (found.status !== 'non-local') findings.push({ code: 'SCENARIO_SUPPLIER_NOT_MOVED', args: { scenario: scenario.name, supplier: wanted, why: found.status === 'local' ? 'is local already' : 'is of unknown location' } });
        else if (!movedSuppliers.includes(found.name)) {
          movedSuppliers.push(found.name);
          inScope += found.amount;
        }
      }
    } else {
      inScope = base.nonLocalSpend;
    }
    const respend = scenario.respend === undefined ? base.supplierRate : rateOfPercent(scenario.respend);
    rate = rateValue(respend);
    moved = applyRatio(inScope, scenario.share, MILLI_PERCENT_WHOLE);
    if (moved === 0 && findings.length === 0) findings.push({ code: 'SCENARIO_NOTHING_IN_SCOPE', args: { scenario: scenario.name, why: 'there is no non-local spend in its scope' } });
    round2 += moved;
    round3 += applyRate(moved, respend);
    leakage -= moved;
  } else if (scenario.kind === 'recruit') {
    posts = Math.min(scenario.posts, base.nonLocalStaff);
    if (posts < scenario.posts) findings.push({ code: 'SCENARIO_POSTS_CAPPED', args: { scenario: scenario.name, asked: scenario.posts, available: base.nonLocalStaff } });
    inScope = base.nonLocalPay;
    // The same pay: each post at the average pay of a post held by someone living outside the area.
    moved = posts === 0 ? 0 : applyRatio(base.nonLocalPay, posts, base.nonLocalStaff);
    rate = rateValue(base.staffRate);
    round2 += moved;
    round3 += applyRate(base.localStaffPay + moved, base.staffRate) - base.round3Staff;
    leakage -= moved;
  } else {
    if (scenario.supplierRespend !== undefined) {
      round3 += applyRate(base.localSupplierSpend, rateOfPercent(scenario.supplierRespend)) - base.round3Suppliers;
      rate = scenario.supplierRespend / MILLI_PERCENT_WHOLE;
    }
    if (scenario.staffSpend !== undefined) {
      round3 += applyRate(base.localStaffPay, rateOfPercent(scenario.staffSpend)) - base.round3Staff;
      rate = scenario.staffSpend / MILLI_PERCENT_WHOLE;
    }
  }
  return {
    scenario,
    inScope,
    moved,
    rate,
    posts,
    movedSuppliers,
    round2,
    round3,
    score: scoreOf(base.round1, round2, round3),
    leakage,
    leakageShare: base.round1 > 0 ? leakage / base.round1 : 0,
    keptLocally: round2 + round3,
    findings,
  };
}

