import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Chalk } from 'chalk';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { compareRecords, compareTwo, type Comparison } from '../src/compare/compare.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { renderComparison } from '../src/report/compare-terminal.js';
import { changeText, trendLine } from '../src/report/compare-words.js';
import { summaryJson } from '../src/report/json.js';
import { withInputsNamed } from '../src/report/paths.js';
import type { SummaryRecord } from '../src/report/record.js';
import { cli } from './cli-helper.js';
import { rowOf, sheet } from './workbook-helper.js';
import { parts } from './zip-parts.js';

/**
 * Year on year, on three hand-made years of a small organisation (fixtures/year-on-year, area HX):
 * 2022-23 below the coverage rule (Calder Print Co's £7,000 has no postcode), 2023-24 located enough,
 * 2024-25 with the supplier register filled in (Calder Print Co: HX3) and a new local supplier.
 */
const YEARS = resolve('fixtures/year-on-year');
const project = (year: string) => join(YEARS, `project-${year}.json`);

async function recordOf(year: string, change: (p: Awaited<ReturnType<typeof loadProjectFile>>) => void = () => {}): Promise<SummaryRecord> {
  const file = await loadProjectFile(project(year));
  change(file);
  return summaryJson(withInputsNamed(await analyse(resolveSettings(file, project(year), {}))), null);
}

let y25: SummaryRecord;
let y24: SummaryRecord;
let y23: SummaryRecord;
beforeAll(async () => {
  [y25, y24, y23] = await Promise.all([recordOf('2024-25'), recordOf('2023-24'), recordOf('2022-23')]);
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-compare-'));
});

const measure = (c: Comparison, key: string) => c.measures.find((m) => m.measure === key)!;

describe('two years: 2024-25 against 2023-24', () => {
  it('gives each headline then / now / change, money exact to the penny', () => {
    const c = compareTwo(y25, y24);
    // Local spend £19,000.50 (8,000.50 + 5,500 + Calder Print 3,100 + Hebden 2,400) against £12,000.00.
    expect(measure(c, 'localSpend')).toMatchObject({ years: [{ value: 19000.5, supported: true }, { value: 12000, supported: true }], change: 7000.5, verdict: 'better' });
    // Spend analysed £26,250.75 against £28,000.00: neither better nor worse.
    expect(measure(c, 'spend')).toMatchObject({ change: -1749.25, verdict: 'changed', better: 'neither' });
    // Local share 19,000.50 / 26,250.75 against 12,000 / 28,000.
    const local = measure(c, 'localShare');
    expect(local.change).toBeCloseTo(1900050 / 2625075 - 12 / 28, 12);
    expect(changeText(local)).toBe('+29.5 points');
    // Leakage (R1 share known to leave) went down, which is better: 37.5% (7,250.25 + 71,500 of 210,000) against 41.5%.
    const leakage = measure(c, 'leakageShare');
    expect(leakage.years.map((y) => y.value)).toEqual([7875025 / 21000000, 8300000 / 20000000]);
    expect(leakage).toMatchObject({ verdict: 'better', better: 'lower' });
    expect(measure(c, 'lm3')).toMatchObject({ years: [{ value: 1.7565 }, { value: 1.5841 }], verdict: 'better' });
    expect(measure(c, 'lm3').change).toBeCloseTo(0.1724, 10);
    expect(measure(c, 'localStaffShare')).toMatchObject({ years: [{ value: 4 / 7 }, { value: 0.5 }], verdict: 'better' });
  });

  it('names the supplier that moved from unknown to local once the register gave its postcode', () => {
    const { moved } = compareTwo(y25, y24);
    expect(moved).toEqual([
      {
        name: 'Calder Print Co',
        supplierId: 'B03',
        from: 'unknown',
        to: 'local',
        amountThen: 3000,
        amountNow: 3100,
        reason: 'REGISTER_POSTCODE',
        registerReason: null,
        districtThen: null,
        districtNow: 'HX3',
      },
    ]);
  });

  it('names the top suppliers that are new and that departed', () => {
    const c = compareTwo(y25, y24);
    expect(c.joinedTop).toEqual([{ name: 'Hebden Green Grocers', supplierId: 'B05', status: 'local', amountNow: 2400, amountThen: null }]);
    expect(c.leftTop).toEqual([{ name: 'National Office Supplies', supplierId: 'B04', status: 'non-local', amountNow: null, amountThen: 5000 }]);
  });

  it('sets each target against both years: the local share target missed last year is met this year', () => {
    const c = compareTwo(y25, y24);
    const local = c.targets.find((t) => t.measure === 'localShare')!;
    expect(local.now).toMatchObject({ status: 'met', target: 0.5, value: 0.7238 });
    expect(local.then).toMatchObject({ status: 'missed', target: 0.5, value: 0.4286 });
    // 3 of 6 staff living locally is exactly the 50% aimed for: met, decided on the counts.
    expect(c.targets.find((t) => t.measure === 'localStaffShare')!.then).toMatchObject({ status: 'met', value: 0.5 });
    expect(c.targets.find((t) => t.measure === 'locatedShare')).toMatchObject({ now: { status: 'met' }, then: { status: 'missed' } });
  });

  it('warns of nothing between two financial years, though one has 366 days', () => {
    expect(y24.period?.days).toBe(366);
    expect(y25.period?.days).toBe(365);
    expect(compareTwo(y25, y24).differences).toEqual([]);
  });

  it('gives the statement its line of trend', () => {
    expect(trendLine(compareTwo(y25, y24))).toBe('Local spend up from 42.9% to 72.4% of spend (2023-24 to 2024-25)');
  });
});

describe('a year below the coverage rule', () => {
  it('is shown as not a finding, never as a change', () => {
    const c = compareTwo(y24, y23);
    for (const key of ['localShare', 'lm3', 'leakageShare', 'localSpend']) {
      expect(measure(c, key)).toMatchObject({ change: null, verdict: 'not comparable', why: 'NOT_SUPPORTED_THEN' });
    }
    expect(changeText(measure(c, 'localShare'))).toBe('none: not a finding last year');
    // The located share is the coverage itself: always a finding, so always a change.
    expect(measure(c, 'locatedShare').change).toBeCloseTo(25 / 28 - 0.72, 12);
    // No payroll that year: not measured, and no change.
    expect(measure(c, 'localStaffShare')).toMatchObject({ years: [{ value: 0.5 }, { value: null, missing: 'NOT_MEASURED' }], why: 'MISSING_THEN' });
    expect(trendLine(c)).toBeNull();
  });

  it('judges its target as not a finding, neither met nor missed', async () => {
    const below = await recordOf('2022-23', (p) => (p.targets = { localSharePercent: 30, lm3: 1.2 }));
    expect(below.targets).toEqual([
      { measure: 'localShare', target: 0.3, value: 0.4, status: 'not supported', reasons: ['SPEND_UNLOCATED'] },
      { measure: 'lm3', target: 1.2, value: 1.2933, status: 'not supported', reasons: ['SPEND_UNLOCATED'] },
    ]);
  });
});

describe('three years', () => {
  it('gives every year its figure, and the change from last year', () => {
    const c = compareRecords([y25, y24, y23]);
    expect(c.years.map((y) => y.period)).toEqual(['2024-25', '2023-24', '2022-23']);
    expect(measure(c, 'localSpend').years.map((y) => [y.value, y.supported])).toEqual([[19000.5, true], [12000, true], [10000, false]]);
    expect(measure(c, 'localSpend').change).toBe(7000.5);
    expect(measure(c, 'spend').years.map((y) => y.value)).toEqual([26250.75, 28000, 25000]);
    expect(c.differences).toEqual([]);
  });

  it('prints within 80 columns', () => {
    const printed = renderComparison(compareRecords([y25, y24, y23]), new Chalk({ level: 0 }), { width: 80 });
    for (const line of printed.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const unwrapped = renderComparison(compareRecords([y25, y24, y23]), new Chalk({ level: 0 }), {});
    expect(unwrapped).toContain('Calder Print Co: unknown → local');
    expect(unwrapped).toContain('the supplier register now gives its postcode (HX3)');
    expect(unwrapped).toContain('│ Local share of spend  │ 72.4%      │ 42.9%      │ 40.0%–68.0% (not a finding)           │ +29.5 points (better)');
  });
});

describe('the README', () => {
  it('shows what compare prints at 80 columns for the two later years', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /prints at 80 columns:\n\n```\n([\s\S]*?)\n```/.exec(readme)![1]!;
    expect(renderComparison(compareTwo(y25, y24), new Chalk({ level: 0 }), { width: 80 })).toBe(block);
  });
});

describe('years whose definitions differ', () => {
  it('compares two different areas only with a warning saying what differs', async () => {
    const wider = await recordOf('2023-24', (p) => (p.area = 'HX,LS'));
    const c = compareTwo(y25, wider);
    expect(c.differences).toEqual([{ code: 'AREA_DIFFERS', year: 1, now: 'HX (postcode area)', then: 'HX (postcode area), LS (postcode area)' }]);
    // Northern Cleaning (LS1) was local under the wider area; its postcode is the same.
    expect(c.moved.find((m) => m.name === 'Northern Cleaning Ltd')).toMatchObject({ from: 'local', to: 'non-local', reason: 'AREA_CHANGED' });
    const printed = renderComparison(c, new Chalk({ level: 0 }), { width: 80 });
    expect(printed).toContain('! AREA_DIFFERS:');
  });

  it('warns when the periods differ in length or the conventions differ', async () => {
    const half = await recordOf('2023-24', (p) => {
      p.period = '2023-04-01..2023-09-30';
      p.conventions = { ...p.conventions, coverageThreshold: 90 };
    });
    expect(compareTwo(y25, half).differences.map((d) => [d.code, d.now, d.then])).toEqual([
      ['PERIOD_LENGTH_DIFFERS', '2024-25 (12 months)', '2023-04-01 to 2023-09-30 (6 months)'],
      ['CONVENTIONS_DIFFER', 'coverage 80%, gross pay, unweighted averaging, VAT net, 0 exclude rules', 'coverage 90%, gross pay, unweighted averaging, VAT net, 0 exclude rules'],
    ]);
  });
});

describe('local-impact compare', () => {
  it('reads summaries written by run --json, and writes its own JSON and workbook', async () => {
    const last = join(dir, 'last.json');
    const run = await cli('run', project('2023-24'), '--json', '--no-report');
    expect(run.code).toBe(0);
    writeFileSync(last, run.stdout);
    const out = join(dir, 'compare.xlsx');
    const { code, stdout } = await cli('compare', project('2024-25'), last, '--json', '--out', out);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.measures.find((m: { measure: string }) => m.measure === 'localSpend').change).toBe(7000.5);
    expect(json.moved.map((m: { name: string; reason: string }) => [m.name, m.reason])).toEqual([['Calder Print Co', 'REGISTER_POSTCODE']]);
    const wb = await new ExcelJS.Workbook().xlsx.readFile(out);
    const ws = sheet(wb, 'Compare');
    expect([2, 3, 4, 5].map((column) => rowOf(ws, 'Local spend').getCell(column).value)).toEqual([19000.5, 12000, 7000.5, 'better']);
    expect(rowOf(ws, 'Calder Print Co').getCell(6).value).toBe('the supplier register now gives its postcode (HX3)');
    // A change is signed and never red; a change of shares is in points, as the terminal gives it, not "+29.5%".
    expect(rowOf(ws, 'Local spend').getCell(4).numFmt).toBe('+"£"#,##0.00;-"£"#,##0.00;"£"0.00');
    const share = rowOf(ws, 'Local share of spend').getCell(4);
    expect(share.numFmt).toBe('+0.0" points";-0.0" points";0.0" points"');
    expect(share.value as number).toBeCloseTo(29.5, 1);
  });

  it('takes one organisation out of a batch.json', async () => {
    const batch = join(dir, 'batch.json');
    writeFileSync(batch, JSON.stringify({ organisations: [{ ...y24, organisation: 'Someone Else' }, y24] }));
    const picked = await cli('compare', project('2024-25'), batch, '--organisation', 'ryburn valley community hub', '--json');
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout).years[1]).toMatchObject({ organisation: 'Ryburn Valley Community Hub', period: '2023-24' });
    const unpicked = await cli('compare', project('2024-25'), batch);
    expect(unpicked.code).toBe(2);
    expect(unpicked.stderr).toContain('is a batch of 2 organisations');
  });

  it('refuses a summary it cannot use with one clear message, naming the file', async () => {
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ schemaVersion: 2, organisation: 'X' }));
    const refused = await cli('compare', project('2024-25'), old);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${old} is a summary of schemaVersion 2`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const text = join(dir, 'summary.txt');
    writeFileSync(text, 'Ryburn Valley Community Hub — 2023-24\n');
    const notJson = await cli('compare', project('2024-25'), text);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain(`${text} is not JSON`);
  });
});

describe('run --previous', () => {
  it('adds a Compare sheet with its charts, and a line of trend to the statement', async () => {
    const last = join(dir, 'last.json');
    writeFileSync(last, (await cli('run', project('2023-24'), '--json', '--no-report')).stdout);
    const out = join(dir, 'r.xlsx');
    const statement = join(dir, 's.html');
    const { code, stdout } = await cli('run', project('2024-25'), '--previous', last, '--previous', project('2022-23'), '--out', out, '--statement', statement);
    expect(code).toBe(0);
    expect(stdout).toContain('Local spend up from 42.9% to 72.4% of spend (2023-24 to 2024-25).');
    const wb = await new ExcelJS.Workbook().xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name).slice(0, 3)).toEqual(['Summary', 'Charts', 'Compare']);
    const ws = sheet(wb, 'Compare');
    expect(rowOf(ws, 'Local share of spend').getCell(4).value).toBe('40.0%–68.0% (not a finding)');
    expect(readFileSync(statement, 'utf8')).toContain('<p class="trend" id="trend">Local spend up from 42.9% to 72.4% of spend (2023-24 to 2024-25).</p>');
    // Two native charts on the Compare sheet, over its own cells: the shares and LM3 across the years.
    const zip = await parts(readFileSync(out));
    const charts = [...zip.entries()].filter(([name, xml]) => /^xl\/charts\/chart\d+\.xml$/.test(name) && xml.includes("'Compare'!"));
    expect(charts.map(([, xml]) => /<c:title>[\s\S]*?<a:t>([^<]*)<\/a:t>/.exec(xml)?.[1])).toEqual(['Headline shares, year by year (leakage: lower is better)', 'LM3, year by year']);
    // Axes that do not mislead: shares from 0, LM3 from 1 (its least), not from near the lowest year's figure.
    expect(charts.map(([, xml]) => /<c:min val="([^"]+)"\/>/.exec(xml)?.[1])).toEqual(['0', '1']);
  });

  it('shows the targets on the Summary sheet', async () => {
    const out = join(dir, 't.xlsx');
    expect((await cli('run', project('2024-25'), '--out', out, '--quiet')).code).toBe(0);
    const ws = sheet(await new ExcelJS.Workbook().xlsx.readFile(out), 'Summary');
    const row = rowOf(ws, 'Local share of spend');
    expect([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]).toEqual([0.5, 1900050 / 2625075, 'met: 72.4% against 50.0%']);
  });
});

describe('a change as a reader checks it', () => {
  const change = (unit: 'score' | 'share', now: number, then: number) =>
    changeText({ measure: unit === 'score' ? 'lm3' : 'localShare', unit, better: 'higher', years: [{ value: now, supported: true, high: null }, { value: then, supported: true, high: null }] as never, change: now - then, verdict: 'better' });
  it('is the difference of the figures as printed beside it, not of the unrounded ones', () => {
    // 1.7649 and 1.5851 print as 1.76 and 1.59: +0.17, though the unrounded change is 0.1798.
    expect(change('score', 1.7649, 1.5851)).toBe('+0.17');
    // 1.7551 and 1.5849 print as 1.76 and 1.58: +0.18, though the unrounded change is 0.1702.
    expect(change('score', 1.7551, 1.5849)).toBe('+0.18');
    // 52.24% and 48.16% print as 52.2% and 48.2%: +4.0 points, though unrounded it is 4.08.
    expect(change('share', 0.5224, 0.4816)).toBe('+4.0 points');
  });
});

describe('a change that cannot be given', () => {
  it('says a figure was withheld (to keep pay private), not that it was not measured', () => {
    const years = [{ value: 1.9, supported: true, high: null }, { value: null, supported: false, high: null, missing: 'WITHHELD' }];
    expect(changeText({ measure: 'lm3', unit: 'score', better: 'higher', years: years as never, change: null, verdict: 'not comparable', why: 'MISSING_THEN' })).toBe('none: withheld last year');
    expect(changeText({ measure: 'lm3', unit: 'score', better: 'higher', years: [years[0], { ...years[1], missing: undefined }] as never, change: null, verdict: 'not comparable', why: 'MISSING_THEN' })).toBe('none: not measured last year');
  });
});
