import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { assessSteps } from '../src/framework/assess.js';

/**
 * The canonical fixture organisation, against figures computed by hand-written, independent rules
 * (fixtures/calder-valley-trust/EXPECTED.md). All money in pence.
 */
const PROJECT = 'fixtures/calder-valley-trust/project.json';

describe('Calder Valley Community Trust (fixture) end to end', async () => {
  const analysis = await analyse(resolveSettings(await loadProjectFile(PROJECT), PROJECT, {}));
  const { spend, workforce, lm3, leakage, ledger } = analysis;

  it('reconciles every row: accepted + rejected = read', () => {
    expect(ledger).toMatchObject({ rowsRead: 534, rowsAccepted: 531, rowsRejected: 3 });
    expect(ledger!.rowsAccepted + ledger!.rowsRejected).toBe(ledger!.rowsRead);
    const rejected = analysis.findings.details.filter((f) => f.file === 'payments-2024-25.csv' && f.raw !== undefined);
    expect(rejected.map((f) => [f.line, f.code])).toEqual([
      [107, 'AMOUNT_UNPARSEABLE'],
      [311, 'AMOUNT_UNPARSEABLE'],
      [471, 'AMOUNT_MISSING'],
    ]);
    expect(rejected[0]!.raw).toContain('twelve pounds');
    // Line 235 has no supplier but a date and a transaction id: a real payment, unattributable.
    expect(analysis.findings.details.find((f) => f.code === 'SUPPLIER_UNATTRIBUTABLE')!.args).toEqual({ rows: 1, amount: '£48.00' });
  });

  it('splits spend exactly', () => {
    expect(spend).toMatchObject({ total: 47_072_258, local: 24_573_575, nonLocal: 22_048_777, unknown: 449_906, unattributable: 4_800 });
    expect(spend!.local + spend!.nonLocal + spend!.unknown).toBe(spend!.total);
    expect(ledger!.total).toBe(spend!.total);
    expect(spend).toMatchObject({ suppliers: 81, localSuppliers: 42, nonLocalSuppliers: 34, unknownSuppliers: 5 });
    expect(spend!.top10Share).toBe(28_410_803 / 47_072_258);
    const byCategory = spend!.byCategory.reduce((sum, c) => sum + c.total, 0);
    expect(byCategory).toBe(spend!.total);
  });

  it('measures the workforce exactly', () => {
    expect(workforce).toMatchObject({ staff: 40, localStaff: 31, nonLocalStaff: 8, unknownStaff: 1, fte: 25.4, localFte: 20 });
    expect(workforce).toMatchObject({ grossPay: 73_735_350, localGrossPay: 57_942_300, payrollCost: 82_145_772 });
    expect(workforce!.livingWage).toMatchObject({ atOrAbove: 33, withRate: 40 });
  });

  it('computes LM3 exactly', () => {
    expect(lm3).toMatchObject({
      round1: 125_000_000,
      round1Basis: 'income',
      round2: 82_515_875,
      round3: 41_496_379,
      round3Basis: 'survey',
    });
    expect(lm3!.score).toBe(124_506_127 / 62_500_000);
    expect(lm3!.high).toMatchObject({ round2: 84_018_781, round3: 42_255_206 });
    expect(lm3!.scoreHigh).toBe(251_273_987 / 125_000_000);
    expect(leakage).toMatchObject({ total: 36_788_827, high: 38_291_733 });
  });

  it('reconciles Round 1 part by part, with the money spent beyond the income', () => {
    expect(analysis.reconciliation).toEqual({
      round1: 125_000_000,
      localSuppliers: 24_573_575,
      nonLocalSuppliers: 22_048_777,
      unknownSuppliers: 449_906,
      excluded: 0,
      localPay: 57_942_300,
      nonLocalPay: 14_740_050,
      unknownPay: 1_053_000,
      payDeductions: 0,
      onCosts: 8_410_422,
      notSpent: -4_218_030,
    });
    expect(analysis.findings.details.find((f) => f.code === 'SPENT_BEYOND_INCOME')!.args).toEqual({ round1: '£1,250,000.00', spent: '£1,292,180.30', beyond: '£42,180.30' });
    expect(analysis.headlines).toMatchObject({ localShare: { supported: true }, lm3: { supported: true }, leakage: { supported: true } });
  });

  it('applies the register: override, postcode precedence, grouping by supplier id', () => {
    const byName = (name: string) => analysis.suppliers.find((s) => s.name.startsWith(name))!;
    expect(byName('Brigstock Builders')).toMatchObject({ status: 'local', basis: 'REGISTER_OVERRIDE' });
    expect(byName('PrintPoint Halifax')).toMatchObject({ status: 'non-local', basis: 'REGISTER_OVERRIDE' });
    expect(byName('Pennine Catering')).toMatchObject({ status: 'local', postcodeSource: 'register' });
    expect(byName('Calder Hygiene')).toMatchObject({ status: 'non-local', postcodeSource: 'ledger' });
    expect(byName('Calder Print').spellings.length).toBe(2);
    expect(analysis.suppliers.filter((s) => s.name.toLowerCase() === 'mill lane florist')).toHaveLength(1);
  });

  it('ignores survey answers from suppliers that are not local', () => {
    expect(analysis.findings.count('SURVEY_SUPPLIER_NOT_LOCAL')).toBe(2);
    expect(lm3!.coverage.surveyedSuppliers).toBe(10);
  });

  it('assesses the 10 steps', () => {
    const steps = assessSteps(analysis);
    // Step 10 needs a target as well as its scenarios: the project sets both.
    expect(steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done']);
    expect(assessSteps({ ...analysis, settings: { ...analysis.settings, targets: {} } })[9]!.state).toBe('needs data');
  });
});
