import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { resolveSettings } from '../src/config/settings.js';
import { summaryJson } from '../src/report/json.js';
import { writeWorkbook } from '../src/report/workbook/index.js';

/** Issue 9: no one's pay can be worked out from what the tool publishes. */
const FIXTURE = resolve('fixtures/calder-valley-trust');
const fixture = (file: string) => join(FIXTURE, file);

describe('the disclosure stage on hand-made payrolls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-disclosure-cases-'));
  // The fixture's spend, register and surveys (income £1,250,000), with a payroll made for each case.
  const run = async (name: string, rows: [string, string, number][]) => {
    const payroll = join(dir, `${name}.csv`);
    writeFileSync(payroll, ['Employee ID,Home Postcode,Gross Pay,Employer NI,Employer Pension', ...rows.map(([id, postcode, pay]) => `${id},${postcode},${pay.toFixed(2)},${(pay / 10).toFixed(2)},${(pay / 20).toFixed(2)}`)].join('\n'));
    const analysis = await analyse(
      resolveSettings(undefined, undefined, { spend: [fixture('payments-2024-25.csv')], payroll, suppliers: fixture('supplier-register.csv'), supplierSurvey: fixture('supplier-survey.csv'), staffSurvey: fixture('staff-survey.csv'), area: 'HX,OL14', income: 1_250_000 }),
    );
    const kind = (id: Parameters<typeof analysis.disclosure.publication.get>[0]) => analysis.disclosure.publication.get(id)!.kind;
    return { analysis, kind, json: summaryJson(analysis, null) };
  };
  const away: [string, string, number][] = [1, 2, 3, 4].map((i) => [`B${i}`, 'LS1 1AA', 30_000 + i * 1_111]);

  it('one local employee: their pay and Rounds 2 and 3 in pounds are withheld; payroll totals and supplier figures are not', async () => {
    const { analysis, kind, json } = await run('one-local', [['A1', 'HX1 1AA', 40_000], ...away]);
    expect(analysis.disclosure.disclosedWithoutControl).toEqual(['one member of staff living locally']);
    for (const id of ['workforce.localGrossPay', 'lm3.round2Staff', 'lm3.round2', 'lm3.round3'] as const) expect(kind(id)).toBe('withheld');
    expect(kind('workforce.payrollCost')).toBe('exact');
    expect(json.lm3).toMatchObject({ round2: null, round2Suppliers: 245_735.75, round3Suppliers: 132_359.88 });
    // (£40,000 + £31,111 + £32,222 + £33,333 + £34,444) × 1.15 (employer NI 10%, pension 5%).
    expect(json.workforce!.payrollCost).toBe(196_776.5);
  });

  it('two local and one of unknown location: both groups are protected', async () => {
    const { analysis, kind } = await run('two-one', [['A1', 'HX1 1AA', 40_000], ['A2', 'HX2 2BB', 42_000], ['U1', '', 35_000], ...away]);
    expect(analysis.disclosure.disclosedWithoutControl).toEqual(['two members of staff living locally', 'one member of staff with no usable home postcode']);
    for (const id of ['lm3.round2', 'lm3.unknownStaffPay', 'lm3.high.round2', 'workforce.localGrossPay'] as const) expect(kind(id)).toBe('withheld');
  });

  it('four local and two unknown: the four are shown, the two are not', async () => {
    const locals: [string, string, number][] = [1, 2, 3, 4].map((i) => [`A${i}`, 'HX1 1AA', 40_000 + i * 977]);
    const { analysis, kind, json } = await run('four-two', [...locals, ['U1', '', 35_000], ['U2', '', 36_500], ...away]);
    expect(analysis.disclosure.disclosedWithoutControl).toEqual(['two members of staff with no usable home postcode']);
    for (const id of ['lm3.unknownStaffPay', 'lm3.high.round2', 'workforce.unknownGrossPay'] as const) expect(kind(id)).toBe('withheld');
    expect(json.lm3!.round2Staff).toBe(null);
    expect(json.lm3!.score).not.toBeNull();
  });

  it('one employee outside the area and no income: Round 1 would be spend + their cost to the employer, so it is not exact anywhere', async () => {
    // (R1 + R2 + R3) / R1 to 16 places gave R1, so R1 − spend = £35,850.66, their pay plus on-costs to the penny.
    const payroll = join(dir, 'one-away.csv');
    writeFileSync(payroll, 'Employee ID,Home Postcode,Gross Pay,Employer NI,Employer Pension\nE1,LS1 1AA,31234.56,3054.37,1561.73\n');
    const analysis = await analyse(resolveSettings(undefined, undefined, { spend: [fixture('payments-2024-25.csv')], payroll, suppliers: fixture('supplier-register.csv'), supplierSurvey: fixture('supplier-survey.csv'), area: 'HX,OL14' }));
    const shown = summaryJson(analysis, null);
    expect([shown.lm3!.round1, shown.workforce!.payrollCost, shown.workforce!.grossPay]).toEqual([null, null, null]);
    // LM3 1.7 leaves R1 anywhere from £504,127 to £581,685: their cost anywhere from £33,405 to £110,963.
    expect(shown.lm3!.score).toBe(1.7);
  });

  it('a payroll with no small group publishes everything as it is', async () => {
    const { analysis } = await run('no-small', [['A1', 'HX1 1AA', 40_001], ['A2', 'HX1 1AA', 40_002], ['A3', 'HX1 1AA', 40_003], ...away]);
    expect(analysis.disclosure.statements).toEqual([]);
    expect([...analysis.disclosure.publication.values()].every((p) => p.kind === 'exact')).toBe(true);
  });
});

describe('the fixture keeps every figure no small group feeds', () => {
  it('keeps R1, R2, R3 and the score exact and live; only the high end, leakage in pounds and the split of pay go', async () => {
    const project = fixture('project.json');
    const { loadProjectFile } = await import('../src/config/settings.js');
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    const json = summaryJson(analysis, null);
    expect(json.lm3).toMatchObject({ round1: 1_250_000, round2: 825_158.75, round2Staff: 579_423, round3: 414_963.79, score: 1.9921 });
    expect(json.workforce).toMatchObject({ grossPay: 737_353.5, localGrossPay: 579_423, payrollCost: 821_457.72 });
    expect(json.lm3!.scoreHigh).toBe(2.01);
    expect([json.leakage!.total, json.leakage!.high, json.leakage!.share, json.leakage!.highShare]).toEqual([null, null, 0.29, 0.31]);
  });
});

/**
 * The whole pipeline on generated payrolls, checked by a reader who does not use the audit: no published
 * money figure, nor the difference of two, nor a published ratio times Round 1, Round 2 or gross pay (less
 * another figure), comes within 10% of the pay of any one or two people. Salaries are millions, 3× apart, so
 * no sum of supplier figures or of other staff's pay lands near one by chance.
 */
describe('no one\'s pay can be worked out (property, whole pipeline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-disclosure-'));
  const staffArb = fc.array(
    fc.record({ place: fc.constantFrom('HX1 1AA', 'LS1 1AA', ''), factor: fc.integer({ min: 0, max: 4_999 }) }),
    { minLength: 1, maxLength: 5 },
  );
  it('holds over every money figure of the JSON and every numeric cell of the workbook', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(staffArb, fc.boolean(), async (staff, withIncome) => {
        run++;
        const salaries = staff.map((s, i) => Math.round(1_100_000 * 3.3 ** i * (1 + s.factor / 100_000) * 100));
        const payroll = join(dir, `payroll-${run}.csv`);
        writeFileSync(payroll, ['Employee ID,Home Postcode,Gross Pay', ...staff.map((s, i) => `E${i},${s.place},${(salaries[i]! / 100).toFixed(2)}`)].join('\n'));
        const settings = resolveSettings(undefined, undefined, {
          spend: [fixture('payments-2024-25.csv')],
          payroll,
          suppliers: fixture('supplier-register.csv'),
          supplierSurvey: fixture('supplier-survey.csv'),
          staffSurvey: fixture('staff-survey.csv'),
          area: 'HX,OL14',
          income: withIncome ? 2_000_000_000 : undefined,
        });
        const analysis = await analyse(settings);
        const out = join(dir, `report-${run}.xlsx`);
        await writeWorkbook(analysis, out);
        const numbers: number[] = [];
        const walk = (v: unknown): void => void (typeof v === 'number' ? numbers.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
        const json = summaryJson(analysis, null);
        walk(json);
        const book = new ExcelJS.Workbook();
        await book.xlsx.readFile(out);
        for (const sheet of book.worksheets) {
          sheet.eachRow((row) =>
            row.eachCell((cell) => {
              const v = cell.value as unknown;
              if (typeof v === 'number') numbers.push(v);
              else if (v && typeof v === 'object' && 'result' in v && typeof (v as { result: unknown }).result === 'number') numbers.push((v as { result: number }).result);
            }),
          );
        }
        const money = [...new Set(numbers.map((n) => Math.round(n * 100)))];
        // A score or a share times the published figure it is of, as pence: score × R1 = R1 + R2 + R3 and so on.
        // Each with the half-width its published precision leaves (a share given as 0.29 is anywhere in 0.285–0.295).
        const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;
        const times = (ratio: number | null | undefined, of: number | null | undefined) =>
          ratio == null || of == null ? [] : [{ value: Math.round(ratio * of * 100), halfWidth: 0.5 * 10 ** -decimals(ratio) * of * 100 }];
        const r1 = json.lm3!.round1;
        const derived = [
          ...times(json.lm3!.score, r1),
          ...times(json.lm3!.scoreLow, r1),
          ...times(json.lm3!.scoreHigh, r1),
          ...times(json.leakage!.share, r1),
          ...times(json.leakage!.highShare, r1),
          ...times(json.workforce!.localPayShare, json.workforce!.grossPay),
        ];
        // The groups the rule names: staff living locally, outside, or of unknown location, when one or two
        // people; and two such single people together.
        const byPlace = new Map<string, number[]>();
        staff.forEach((st, i) => byPlace.set(st.place, [...(byPlace.get(st.place) ?? []), salaries[i]!]));
        const smallGroups = [...byPlace.values()].filter((pays) => pays.length < 3).map((pays) => pays.reduce((x, y) => x + y, 0));
        const singles = [...byPlace.values()].filter((pays) => pays.length === 1).map((pays) => pays[0]!);
        const targets = [...smallGroups, ...singles.flatMap((a, i) => singles.slice(i + 1).map((b) => a + b))];
        // Money is published to the penny, so a sum or difference of it gives a pay exactly, or not at all; a
        // rounded score or share gives it to within its step, so it counts when within 10%.
        const exactly = (x: number, target: number) => Math.abs(x - target) <= 2;
        const within = (x: number, target: number) => Math.abs(x - target) <= 0.1 * target;
        const sorted = [...new Set(money)].sort((x, y) => x - y);
        const published = new Set(sorted);
        const isPublished = (x: number) => [-2, -1, 0, 1, 2].some((e) => published.has(x + e));
        for (const target of targets) {
          for (const a of sorted) {
            if (exactly(a, target)) expect.fail(`the published figure ${a / 100} is the pay of one or two people (staff ${JSON.stringify(staff)})`);
            for (const b of sorted) {
              if (a > b && exactly(a - b, target)) expect.fail(`${a / 100} − ${b / 100} gives ${target / 100} (staff ${JSON.stringify(staff)})`);
              // Three figures: a − b − c (such as R2 at the high end − R2 − unknown supplier spend) or a − b + c.
              if (a > b && (isPublished(a - b - target) || isPublished(target - (a - b)))) expect.fail(`three published figures with ${a / 100} − ${b / 100} give ${target / 100} (staff ${JSON.stringify(staff)})`);
            }
          }
          for (const d of derived) {
            // Only a figure precise enough to pin the pay to within 10% can give it away.
            if (d.halfWidth > 0.1 * target) continue;
            if (within(d.value, target)) expect.fail(`a score or share times what it is of gives ${target / 100} (staff ${JSON.stringify(staff)})`);
            for (const a of sorted) if (within(Math.abs(d.value - a), target)) expect.fail(`${d.value / 100} (a score or share × its base) − ${a / 100} gives ${target / 100} to within 10% (staff ${JSON.stringify(staff)})`);
          }
        }
      }),
      { numRuns: 12, seed: 20261201 },
    );
  });
});

describe('the Living Wage count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-living-wage-'));
  // Hourly rates for four staff; the Living Wage £12.60.
  const run = async (name: string, rates: number[]) => {
    const payroll = join(dir, `${name}.csv`);
    writeFileSync(payroll, ['Employee ID,Home Postcode,Gross Pay,FTE,Hours,Hourly Rate', ...rates.map((rate, i) => `E${i},HX1 1AA,${(rate * 1950).toFixed(2)},1.0,37.5,${rate.toFixed(2)}`)].join('\n'));
    const settings = resolveSettings({ inputs: {}, columns: {}, conventions: { wages: 'gross', supplierAveraging: 'unweighted', vatBasis: 'net', coverageThreshold: 80 }, limits: { maxFieldBytes: 1 << 20 }, assumptions: {}, livingWage: { hourlyRate: 12.6 } }, join(dir, 'project.json'), { spend: [fixture('payments-2024-25.csv')], payroll, area: 'HX,OL14' });
    const analysis = await analyse(settings);
    const out = join(dir, `${name}.xlsx`);
    await writeWorkbook(analysis, out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const texts: string[] = [];
    for (const ws of book.worksheets) ws.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.text))));
    return { analysis, texts: texts.join('\n') };
  };

  it('is not published where one or two staff are paid less: "3 of 4" would say that one person is', async () => {
    const { analysis, texts } = await run('one-below', [12.0, 13.5, 14.0, 15.25]);
    expect(analysis.workforce!.livingWage).toMatchObject({ withRate: 4, atOrAbove: 3 });
    expect(analysis.published.workforce.livingWage).toBe(false);
    expect(texts).not.toMatch(/Paid at least the Living Wage|75\.0% of 4 staff|3 of 4 staff/);
    expect(texts).toMatch(/Not shown: it would be a count of fewer than 3 staff \(those with an hourly rate, or those paid less than the Living Wage\)/);
  });

  it('is published where no one, or at least three on each side, is paid less', async () => {
    expect((await run('all-above', [12.6, 13.5, 14.0, 15.25])).analysis.published.workforce.livingWage).toBe(true);
    expect((await run('three-three', [11.5, 12.0, 12.2, 13.0, 13.5, 14.0])).analysis.published.workforce.livingWage).toBe(true);
  });
});
