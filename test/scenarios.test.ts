import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { parseScenarioSpec } from '../src/domain/scenario.js';
import { parsePercent } from '../src/ingest/percent.js';
import { rateOfPercent, runScenario, type ScenarioBase, today } from '../src/measures/scenarios.js';
import { summaryJson } from '../src/report/json.js';
import { writeWorkbook } from '../src/report/workbook/index.js';
import { cli, fixtureArgs } from './cli-helper.js';
import { MONEY_CHANGE } from '../src/report/workbook/layout.js';

/**
 * A hand-worked organisation: income £100,000; local suppliers £30,000 re-spending 50% (£15,000); staff living
 * locally paid £20,000 spending 40% locally (£8,000); so R2 £50,000, R3 £23,000, LM3 1.73. Suppliers outside
 * the area £25,000 (£12,345.67 of it Cleaning), three staff outside paid £10,000 between them.
 */
const BASE: ScenarioBase = {
  round1: 10_000_000,
  round2: 5_000_000,
  round3: 2_300_000,
  localSupplierSpend: 3_000_000,
  round3Suppliers: 1_500_000,
  localStaffPay: 2_000_000,
  round3Staff: 800_000,
  nonLocalSpend: 2_500_000,
  nonLocalPay: 1_000_000,
  nonLocalStaff: 3,
  supplierRate: rateOfPercent(50_000),
  staffRate: rateOfPercent(40_000),
  categories: [{ category: 'Cleaning', nonLocal: 1_234_567 }, { category: 'Catering', nonLocal: 1_265_433 }],
  suppliers: [{ name: 'Meridian Facilities Services Ltd', supplierId: 'S0012', spellings: [{ text: 'Meridian Facilities Services Ltd' }], status: 'non-local', amount: 1_000_000 }],
};

describe('scenarios (step 10), worked by hand', () => {
  it('today: LM3 1.73, leakage £35,000, £73,000 kept locally', () => {
    expect(today(BASE)).toEqual({ round2: 5_000_000, round3: 2_300_000, score: 1.73, leakage: 3_500_000, leakageShare: 0.35, keptLocally: 7_300_000 });
  });

  it('shift 10% of Cleaning to local suppliers re-spending 60%: R2 £51,234.57, R3 £23,740.74, LM3 1.7497531', () => {
    // 10% of £12,345.67 is £1,234.567 → £1,234.57 moved; 60% of it re-spent is £740.742 → £740.74.
    const out = runScenario(BASE, { kind: 'shift', name: 'Cleaning', share: 10_000, category: ' cleaning ', respend: 60_000 });
    expect(out).toMatchObject({ inScope: 1_234_567, moved: 123_457, round2: 5_123_457, round3: 2_374_074, leakage: 3_376_543, keptLocally: 7_497_531, findings: [] });
    expect(out.score).toBe((10_000_000 + 5_123_457 + 2_374_074) / 10_000_000);
    expect(out.score!.toFixed(7)).toBe('1.7497531');
  });

  it("shift without a re-spend rate uses today's unsurveyed local suppliers' rate", () => {
    const out = runScenario(BASE, { kind: 'shift', name: 'All', share: 20_000 });
    // 20% of £25,000 = £5,000 moved, re-spent at 50% = £2,500.
    expect(out).toMatchObject({ moved: 500_000, round2: 5_500_000, round3: 2_550_000, leakage: 3_000_000 });
  });

  it('recruit one local post at the average pay of the three outside: R2 £53,333.33, R3 £24,333.33', () => {
    // £10,000 / 3 = £3,333.33; staff R3 becomes 40% of £23,333.33 = £9,333.332 → £9,333.33.
    const out = runScenario(BASE, { kind: 'recruit', name: 'Recruit', posts: 1 });
    expect(out).toMatchObject({ moved: 333_333, round2: 5_333_333, round3: 2_433_333, leakage: 3_166_667 });
    expect(runScenario(BASE, { kind: 'recruit', name: 'Too many', posts: 5 }).findings.map((f) => f.code)).toEqual(['SCENARIO_POSTS_CAPPED']);
  });

  it('a survey assumption: staff spending 50% locally instead of 40% adds £2,000 to R3', () => {
    expect(runScenario(BASE, { kind: 'survey', name: 'Staff', staffSpend: 50_000 })).toMatchObject({ round2: 5_000_000, round3: 2_500_000, moved: 0 });
  });

  it('names suppliers, and says which it cannot move', () => {
    const out = runScenario(BASE, { kind: 'shift', name: 'Meridian', share: 50_000, suppliers: ['S0012', 'Nobody Ltd'] });
    expect(out).toMatchObject({ inScope: 1_000_000, moved: 500_000, movedSuppliers: ['Meridian Facilities Services Ltd'] });
    expect(out.findings.map((f) => f.code)).toEqual(['SCENARIO_SUPPLIER_NOT_MOVED']);
  });

  it('reads the compact form, and says what is wrong with a bad one', () => {
    expect(parseScenarioSpec('shift:10%:category=Facilities', parsePercent)).toEqual({ kind: 'shift', name: 'shift:10%:category=Facilities', share: 10_000, category: 'Facilities' });
    expect(parseScenarioSpec('shift:25%:supplier=A Ltd|S0012:respend=70%', parsePercent)).toMatchObject({ share: 25_000, suppliers: ['A Ltd', 'S0012'], respend: 70_000 });
    expect(parseScenarioSpec('recruit:2', parsePercent)).toMatchObject({ kind: 'recruit', posts: 2 });
    expect(parseScenarioSpec('survey:staff=50%', parsePercent)).toMatchObject({ kind: 'survey', staffSpend: 50_000 });
    expect(parseScenarioSpec('shift:10', parsePercent)).toMatch(/not a percentage/);
    expect(parseScenarioSpec('move:10%', parsePercent)).toMatch(/not shift, recruit or survey/);
  });
});

describe('scenarios on the bundled organisation', async () => {
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const project = await loadProjectFile(PROJECT);
  const analysis = await analyse(resolveSettings(project, PROJECT, { scenario: ['shift:50%:category=Cleaning', 'recruit:2', 'survey:staff=50%'] }));
  const [shift, recruit, survey] = analysis.scenarios!.published;

  it('publishes a shift of supplier spend, and its change in leakage though leakage in pounds is withheld', () => {
    expect(shift!.round2).toBe(analysis.scenarios!.outcomes[0]!.round2);
    expect(shift!.score).not.toBeNull();
    expect(analysis.published.leakage.total).toBeNull();
    expect(shift!.leakage).toBeNull();
    expect(shift!.change.leakage).toBe(-shift!.moved!);
  });

  it("withholds a recruit scenario: it would give away the pay of the staff living outside the area, which is withheld", () => {
    expect(analysis.published.reconciliation.nonLocalPay).toBeNull();
    expect(recruit).toMatchObject({ round2: null, round3: null, score: null, moved: null, withheld: true });
    expect(recruit!.change).toEqual({ round2: null, round3: null, score: null, leakage: null, keptLocally: null });
  });

  it('publishes a change to the staff rate where the pay of local staff is published', () => {
    expect(analysis.published.lm3.round2Staff).not.toBeNull();
    expect(survey!.round3).toBe(analysis.lm3!.round3 - analysis.lm3!.round3Staff + Math.round(analysis.lm3!.round2Staff * 0.5));
  });

  it('publishes the recruit scenario where the staff agreed to their pay being published', async () => {
    const consented = await analyse(resolveSettings({ ...project, disclosure: { publishPay: true, reason: 'all staff agreed' } }, PROJECT, { scenario: ['recruit:2'] }));
    const [published] = consented.scenarios!.published;
    const outcome = consented.scenarios!.outcomes[0]!;
    // Two posts at the average pay of the 8 staff living outside the area.
    expect(outcome.moved).toBe(Math.round((consented.scenarios!.base.nonLocalPay * 2) / 8));
    expect(published).toMatchObject({ moved: outcome.moved, round2: outcome.round2, score: outcome.score, withheld: false });
  });

  it('--scenario that is neither a name nor the compact form is refused, naming the grammar', async () => {
    const r = await cli('run', ...fixtureArgs(), '--no-report', '--scenario', 'cheaper');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scenario "cheaper"/);
    expect(r.stderr).toMatch(/shift:<share>%/);
  });
});

describe('the Scenarios sheet', async () => {
  const { buildSheets } = await import('../src/report/workbook/index.js');
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const analysis = await analyse(resolveSettings(await loadProjectFile(PROJECT), PROJECT, {}));
  const sheet = buildSheets(analysis).find((s) => s.name === 'Scenarios')!;
  const rowOf = (label: string) => sheet.rows.findIndex((cells) => cells?.[1]?.value === label);
  const formula = (row: number, column: number) => sheet.cell(row, column).value as { formula: string; result: number };

  it("is live: the demo's two scenarios are formulas over their blue inputs and today's rounds, cached with the tool's figures", () => {
    const [cleaning, staff] = analysis.scenarios!.outcomes;
    const moved = rowOf('Moved from outside the area to inside it');
    const score = rowOf('LM3');
    expect(formula(moved, 3).formula).toMatch(/^ROUND\(C\d+\*C\d+,2\)$/);
    expect(formula(moved, 3).result).toBe(cleaning!.moved / 100);
    expect(formula(rowOf('R2'), 3)).toMatchObject({ formula: expect.stringMatching(/^\$B\$\d+\+C\d+$/), result: cleaning!.round2 / 100 });
    expect(formula(rowOf('R3'), 4)).toMatchObject({ formula: expect.stringMatching(/ROUND\(\$B\$\d+\*D\d+,2\)-\$B\$\d+/), result: staff!.round3 / 100 });
    expect(formula(score, 3).result).toBe(cleaning!.score);
    // Today's R1 is the LM3 sheet's cell, so an edit there moves every scenario.
    expect(formula(rowOf('R1: money in'), 2).formula).toMatch(/^'LM3'!\$B\$\d+$/);
    expect(sheet.charts).toHaveLength(1);
    expect(sheet.charts[0]!.series[0]!.values).toMatchObject({ firstRow: score, lastRow: score, firstColumn: 2, lastColumn: 4 });
  });

  it('writes a withheld figure as its words, with no formula to compute it', () => {
    expect(analysis.published.leakage.total).toBeNull();
    expect(sheet.cell(rowOf('Spend leakage'), 2).value).toMatch(/^withheld/);
    // One unit to a row: the pounds row is withheld in every column, and the change on today has a row of its own in pounds.
    expect(sheet.cell(rowOf('Spend leakage'), 3).value).toMatch(/^withheld/);
    const change = rowOf('Spend leakage, change on today');
    const [cleaning, staff] = analysis.scenarios!.published;
    expect(sheet.cell(change, 2).value).toBe(0);
    expect(formula(change, 3)).toMatchObject({ formula: expect.stringMatching(/^-C\d+$/), result: cleaning!.change.leakage! / 100 });
    expect(formula(change, 4).result).toBe(staff!.change.leakage! / 100);
    for (const column of [2, 3, 4]) expect(sheet.cell(change, column).numFmt).toBe(MONEY_CHANGE);
    // Each column's words start on the label's line, the last one too (it once stood a line below the others).
    for (const column of [1, 2, 3, 4]) expect(sheet.cell(rowOf('Spend leakage'), column).alignment?.vertical, `column ${column}`).toBe('top');
  });

  it('draws LM3 on an axis from 1, its least, so that a small gain is not drawn as a doubling', () => {
    expect(sheet.charts[0]!.valueAxisMin).toBe(1);
  });
});

describe('the scenarios in the terminal', async () => {
  const { renderSummary } = await import('../src/report/terminal.js');
  const { Chalk } = await import('chalk');
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const analysis = await analyse(resolveSettings(await loadProjectFile(PROJECT), PROJECT, {}));
  const lines = renderSummary(analysis, new Chalk({ level: 0 }), null, { width: 80 }).split('\n');

  it("gives leakage one unit down its column: the change on today's where today's pounds are withheld, today's share said beneath", () => {
    // Once "29%" for today sat over "−£57,136" for a scenario in one column.
    const header = lines.findIndex((l) => l.includes('Scenario') && l.includes('Kept locally'));
    expect(lines[header]!.split('│')[5]!.trim()).toBe('Leakage change');
    const row = (name: string) => lines.find((l) => l.startsWith(`│ ${name}`))!.split('│').map((c) => c.trim());
    expect(row('Today')[5]).toBe('—');
    expect(row('Local cleaning')[5]).toBe('−£57,136');
    expect(row('Staff shop')[5]).toBe('no change');
    expect(lines.join(' ')).toMatch(/today 29% of R1/);
  });
});

describe('scenarios with fewer than 3 staff returns', async () => {
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const project = await loadProjectFile(PROJECT);
  // Two returns, and the pay of local staff published exactly (as the bundled organisation's is).
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-few-returns-'));
  writeFileSync(join(dir, 'staff-survey.csv'), 'Respondent,Local spend %\nR01,42.1\nR02,50.5\n');
  const settings = resolveSettings(project, PROJECT, { scenario: ['recruit:2', 'survey:staff=50%'], staffSurvey: join(dir, 'staff-survey.csv') });
  const analysis = await analyse(settings);
  const [recruit, survey] = analysis.scenarios!.published;
  const mean = 0.463;

  it('withholds every figure built from the two staff answers, and the mean itself', () => {
    expect(analysis.published.lm3.round2Staff).not.toBeNull();
    expect(analysis.published.lm3.round3Staff).toBeNull();
    expect(analysis.scenarios!.publishedToday.staffRate).toBeNull();
    // Recruiting: R3 from staff at today's rate; its change over the published local pay would give the rate away.
    expect(recruit).toMatchObject({ rate: null, round3: null, withheld: true });
    expect(recruit!.change.round3).toBeNull();
    // A new staff rate: its change is (new rate − today's) × local pay, which gives today's away.
    expect(survey).toMatchObject({ round3: null, withheld: true });
    expect(survey!.change.round3).toBeNull();
  });

  it('prints the mean nowhere: not in the JSON, not on the Scenarios sheet', async () => {
    const json = JSON.stringify(summaryJson(analysis, null));
    expect(json).not.toMatch(/0\.463\b|46\.3/);
    const out = join(dir, 'few.xlsx');
    await writeWorkbook(analysis, out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const values: unknown[] = [];
    book.getWorksheet('Scenarios')!.eachRow((row) => row.eachCell((cell) => values.push(cell.value && typeof cell.value === 'object' && 'result' in cell.value ? cell.value.result : cell.value)));
    expect(values.some((v) => typeof v === 'number' && Math.abs(v - mean) < 0.0005)).toBe(false);
    expect(values).toContain('withheld (fewer than 3 returns)');
  });
});
