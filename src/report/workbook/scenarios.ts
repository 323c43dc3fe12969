import type { Analysis } from '../../analyse.js';
import type { Scenario } from '../../domain/scenario.js';
import { hasTargets } from '../../framework/assess.js';
import { WITHHELD_PAY, WITHHELD_SURVEY } from '../format.js';
import type { ChartSpec } from '../xlsx-writer.js';
import { COUNT, MONEY, MONEY_CHANGE, SCORE, SHARE, Sheet, type Styled, type Value, bold, calc, money } from './layout.js';

/** What a scenario does, in words. */
export function scenarioWords(s: Scenario): string {
  const pct = (milli: number) => `${(milli / 1000).toLocaleString('en-GB', { maximumFractionDigits: 3 })}%`;
  if (s.kind === 'shift') {
    const scope = s.category !== undefined ? `non-local ${s.category} spend` : s.suppliers !== undefined ? `spend with ${s.suppliers.join(', ')}` : 'all non-local spend';
    return `${pct(s.share)} of ${scope} moved to local suppliers${s.respend === undefined ? '' : ` re-spending ${pct(s.respend)} locally`}`;
  }
  if (s.kind === 'recruit') return `${s.posts} post${s.posts === 1 ? '' : 's'} held by staff living outside filled by local residents at the same pay`;
  const parts = [s.supplierRespend === undefined ? '' : `local suppliers re-spend ${pct(s.supplierRespend)} locally`, s.staffSpend === undefined ? '' : `staff living locally spend ${pct(s.staffSpend)} locally`];
  return parts.filter(Boolean).join('; ');
}

/**
 * Step 10: each scenario beside today. The blue cells are the scenario's inputs (the shares, the rates, the posts),
 * which a reader may change; every figure below them is a live formula over them and today's figures (R1, R2, R3
 * from the LM3 sheet), in the arithmetic of measures/scenarios.ts. A figure the disclosure stage withholds is
 * written as its words, with no formula (a formula would compute it).
 */
export function scenariosSheet(analysis: Analysis, lm3Sheet: Sheet): Sheet | undefined {
  const run = analysis.scenarios;
  if (!run) return undefined;
  const s = new Sheet('Scenarios');
  s.title(
    'Scenarios: planning improvement (step 10)',
    'Blue cells are inputs: change a share, a rate or a number of posts and the figures below recalculate. Today comes from the LM3 sheet.',
  );
  s.freeze(2);
  const shown = analysis.published;
  const base = run.base;
  const columns = run.published.map((_, i) => 3 + i);
  const col = (c: number) => String.fromCharCode(64 + c);
  const B = (row: number) => `$B$${row}`;
  const at = (row: number, c: number) => `${col(c)}${row}`;
  const input = (v: Styled): Styled => ({ ...v, input: true });
  const pounds = (pence: number | null): Value => (pence === null ? WITHHELD_PAY : input(money(pence)));
  const rate = (fraction: number): Styled => input({ value: fraction, numFmt: SHARE });
  const ref = (key: string, fallback: number | null): Value => lm3Sheet.refTo(key) ?? (fallback === null ? WITHHELD_PAY : money(fallback));

  s.section('Today');
  const r1 = s.line(['R1: money in', ref('r1', shown.lm3.round1), 'from the LM3 sheet'], { note: 3 });
  const r2 = s.line(['R2: spent locally', ref('r2', shown.lm3.round2), 'from the LM3 sheet'], { note: 3 });
  const r3 = s.line(['R3: re-spent locally', ref('r3', shown.lm3.round3), 'from the LM3 sheet'], { note: 3 });
  const leak = s.line(['Spend leakage (known to leave)', shown.leakage.total === null ? WITHHELD_PAY : money(shown.leakage.total), 'suppliers located outside + pay of staff living outside'], { note: 3 });
  const localPay = s.line(['Pay of staff living locally (in R2)', pounds(shown.lm3.round2Staff), ''], { note: 3 });
  const staffR3 = s.line(['R3 from staff', pounds(shown.lm3.round3Staff), ''], { note: 3 });
  const localSpend = s.line(['Local supplier spend (in R2)', input(money(base.localSupplierSpend)), ''], { note: 3 });
  const supplierR3 = s.line(['R3 from local suppliers', input(money(base.round3Suppliers)), ''], { note: 3 });
  const supplierRate = s.line(["Re-spend rate of today's unsurveyed local suppliers", rate(Number(base.supplierRate.num) / Number(base.supplierRate.den)), 'used for money moved to local suppliers unless a scenario gives its own'], { note: 3 });
  const staffRate = s.line(['Local-spend rate of staff', run.publishedToday.staffRate === null ? WITHHELD_SURVEY : rate(run.publishedToday.staffRate), ''], { note: 3 });
  const nonLocalStaff = s.line(['Staff living outside the area', { value: base.nonLocalStaff, numFmt: COUNT, input: true }, ''], { note: 3 });

  s.section('What each scenario changes');
  s.header(['', 'Today', ...run.published.map((p) => p.scenario.name)]);
  const rows = {
    what: s.line(['What it does', null, ...run.published.map((p) => scenarioWords(p.scenario))]),
    scope: s.line(['Money in scope (non-local spend; recruiting: pay of all staff living outside)', null]),
    share: s.line(['Share of it moved', null]),
    posts: s.line(['Posts filled by local residents', null]),
    rate: s.line(['Re-spend rate of the money moved; or the new supplier rate', null]),
    staffNew: s.line(['New local-spend rate of staff', null]),
  };
  s.section('Results');
  const results = s.header(['', 'Today', ...run.published.map((p) => p.scenario.name)]);
  const out = {
    moved: s.line(['Moved from outside the area to inside it', money(0)]),
    r2: s.line([bold('R2'), calc(`B${r2}`, (shown.lm3.round2 ?? 0) / 100, MONEY)]),
    r3: s.line([bold('R3'), calc(`B${r3}`, (shown.lm3.round3 ?? 0) / 100, MONEY)]),
    score: s.line([bold('LM3'), null]),
    leakage: s.line(['Spend leakage', null]),
    // Its own row: where the pounds are withheld, the change on today is still known, and a row keeps one unit.
    leakageChange: s.line(['Spend leakage, change on today', money(0, { numFmt: MONEY_CHANGE })]),
    leakageShare: s.line(['Spend leakage, share of R1', null]),
    kept: s.line(['Kept locally (R2 + R3)', null]),
    change: s.line(['LM3 change on today', null]),
  };
  // Today's column: formulas over today's cells where they are numbers.
  const todayLive = shown.lm3.round1 !== null && shown.lm3.round2 !== null && shown.lm3.round3 !== null && run.publishedToday.score !== null;
  if (shown.lm3.round2 === null) s.set(out.r2, 2, WITHHELD_PAY);
  if (shown.lm3.round3 === null) s.set(out.r3, 2, WITHHELD_PAY);
  s.set(out.score, 2, todayLive ? { ...calc(`IF(B${r1}>0,(B${r1}+B${out.r2}+B${out.r3})/B${r1},0)`, run.publishedToday.score!, SCORE), bold: true } : run.publishedToday.score === null ? WITHHELD_PAY : { value: run.publishedToday.score, numFmt: SCORE });
  s.set(out.leakage, 2, run.publishedToday.leakage === null ? WITHHELD_PAY : calc(`B${leak}`, run.publishedToday.leakage / 100, MONEY));
  s.set(out.leakageShare, 2, run.publishedToday.leakage === null ? (run.publishedToday.leakageShare === null ? WITHHELD_PAY : { value: run.publishedToday.leakageShare, numFmt: shown.percentDigits.leakage === 0 ? '0%' : SHARE }) : calc(`IF(B${r1}>0,B${out.leakage}/B${r1},0)`, run.publishedToday.leakageShare ?? 0, SHARE));
  s.set(out.kept, 2, run.publishedToday.keptLocally === null ? WITHHELD_PAY : calc(`B${out.r2}+B${out.r3}`, run.publishedToday.keptLocally / 100, MONEY));

  run.published.forEach((p, i) => {
    const c = columns[i]!;
    const o = run.outcomes[i]!;
    const sc = p.scenario;
    const here = (row: number) => at(row, c);
    const withheld = (row: number) => s.set(row, c, WITHHELD_PAY);
    // Inputs.
    if (sc.kind === 'shift') {
      s.set(rows.scope, c, pounds(p.inScope));
      s.set(rows.share, c, rate(sc.share / 100_000));
      // Without its own rate, the moved spend re-spends at today's rate above: change that and this follows.
      s.set(rows.rate, c, sc.respend === undefined ? calc(B(supplierRate), o.rate, SHARE) : rate(o.rate));
    } else if (sc.kind === 'recruit') {
      s.set(rows.scope, c, pounds(p.inScope));
      s.set(rows.posts, c, { value: p.posts, numFmt: COUNT, input: true });
    } else {
      if (sc.supplierRespend !== undefined) s.set(rows.rate, c, rate(sc.supplierRespend / 100_000));
      if (sc.staffSpend !== undefined) s.set(rows.staffNew, c, rate(sc.staffSpend / 100_000));
    }
    // Results: formulas only where the disclosure publishes the figure.
    const movedFormula =
      sc.kind === 'shift' ? `ROUND(${here(rows.scope)}*${here(rows.share)},2)` : sc.kind === 'recruit' ? `IF(${B(nonLocalStaff)}=0,0,ROUND(${here(rows.scope)}*MIN(${here(rows.posts)},${B(nonLocalStaff)})/${B(nonLocalStaff)},2))` : '0';
    if (p.moved === null) withheld(out.moved);
    else s.set(out.moved, c, calc(movedFormula, p.moved / 100, MONEY));
    if (p.round2 === null) withheld(out.r2);
    else s.set(out.r2, c, calc(`${B(out.r2)}+${here(out.moved)}`, p.round2 / 100, MONEY));
    const r3Change =
      sc.kind === 'shift'
        ? `ROUND(${here(out.moved)}*${here(rows.rate)},2)`
        : sc.kind === 'recruit'
          ? `ROUND((${B(localPay)}+${here(out.moved)})*${B(staffRate)},2)-${B(staffR3)}`
          : [sc.supplierRespend === undefined ? '' : `ROUND(${B(localSpend)}*${here(rows.rate)},2)-${B(supplierR3)}`, sc.staffSpend === undefined ? '' : `ROUND(${B(localPay)}*${here(rows.staffNew)},2)-${B(staffR3)}`].filter(Boolean).join('+');
    if (p.round3 === null) withheld(out.r3);
    else s.set(out.r3, c, calc(`${B(out.r3)}+${r3Change}`, p.round3 / 100, MONEY));
    if (p.score === null || shown.lm3.round1 === null) withheld(out.score);
    else s.set(out.score, c, { ...calc(`IF($B$${r1}>0,($B$${r1}+${here(out.r2)}+${here(out.r3)})/$B$${r1},0)`, p.score, SCORE), bold: true });
    if (p.leakage === null) withheld(out.leakage);
    else s.set(out.leakage, c, calc(`${B(out.leakage)}-${here(out.moved)}`, p.leakage / 100, MONEY));
    if (p.change.leakage === null) withheld(out.leakageChange);
    else s.set(out.leakageChange, c, p.moved === null ? money(p.change.leakage, { numFmt: MONEY_CHANGE }) : calc(`-${here(out.moved)}`, p.change.leakage / 100, MONEY_CHANGE));
    if (p.leakageShare === null || p.leakage === null) withheld(out.leakageShare);
    else s.set(out.leakageShare, c, calc(`IF($B$${r1}>0,${here(out.leakage)}/$B$${r1},0)`, p.leakageShare, SHARE));
    if (p.keptLocally === null) withheld(out.kept);
    else s.set(out.kept, c, calc(`${here(out.r2)}+${here(out.r3)}`, p.keptLocally / 100, MONEY));
    if (p.change.score === null || p.score === null || !todayLive) withheld(out.change);
    else s.set(out.change, c, calc(`${here(out.score)}-$B$${out.score}`, p.change.score, '+0.00;-0.00;0.00'));
  });

  const charts: ChartSpec[] = [];
  const last = columns.at(-1)!;
  if (run.publishedToday.score !== null) {
    const chartTop = s.row + 2;
    s.section('LM3: scenarios against today');
    s.keep.set(chartTop, 16);
    charts.push({
      type: 'column',
      title: 'LM3: each scenario against today',
      altText: `LM3 today ${run.publishedToday.score.toFixed(2)}; ${run.published.map((p) => `${p.scenario.name} ${p.score === null ? 'withheld' : p.score.toFixed(2)}`).join('; ')}.`,
      series: [{ name: 'LM3', categories: { firstRow: results, firstColumn: 2, lastRow: results, lastColumn: last }, values: { firstRow: out.score, firstColumn: 2, lastRow: out.score, lastColumn: last }, color: 'FF1F4E9A' }],
      anchor: { from: { row: chartTop + 1, column: 1 }, columns: Math.max(4, last), rows: 15 },
      numFmt: '0.00',
      // LM3 is never below 1: an axis cut higher would draw a gain of 0.07 as a bar twice today's.
      valueAxisMin: 1,
      dataLabels: 'value',
      legend: 'none',
    });
    s.row = chartTop + 16;
  }
  s.section('How the scenarios are worked');
  s.note('Shift: the share of the non-local spend in scope moves to local suppliers, rounded to the penny; R2 grows by it, R3 by it at the re-spend rate, leakage falls by it.');
  s.note('Recruit: each post at the average pay of the staff living outside the area (a post\'s own pay is personal); R3 from staff is recomputed at their local-spend rate.');
  s.note('Survey: the new rate replaces today\'s for every local supplier (or for staff living locally), and R3 is recomputed on the same R2.');
  s.note('A figure withheld to keep staff pay private has no formula: a formula would compute it. Gross figures: no deadweight or displacement is assumed.');
  if (!hasTargets(analysis.settings)) s.note('Targets (local share, LM3, local staff, located share) are not set: with one scenario and one target, step 10 is done.');
  s.charts = charts;
  s.fit({ 1: { min: 36, max: 44 }, 2: { min: 14, max: 16 }, ...Object.fromEntries(columns.map((c) => [c, { min: 16, max: 24 }])) });
  return s;
}
