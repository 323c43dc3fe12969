import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { resolveSettings } from '../src/config/settings.js';
import { resolveArea } from '../src/geo/resolve.js';
import { readSupplierRegister } from '../src/ingest/register.js';
import { readSpend } from '../src/ingest/spend.js';
import { answersDisagree, firstAnswer, mergeTypeAnswers, noteTypeAnswers, statedType, yesNo } from '../src/ingest/stated-type.js';
import { measureSpend } from '../src/measures/spend.js';
import { locateSuppliers } from '../src/pipeline/locate.js';
import { summaryJson } from '../src/report/json.js';

const dir = mkdtempSync(join(tmpdir(), 'local-impact-types-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');

/** Every way a supplier's type can be given, and rows that disagree. */
const LEDGER = write(
  'ledger.csv',
  [
    'Date,Supplier,Amount,SME Supplier?,VCSE,Charity Number,Company Number',
    '01/04/2024,Acme Ltd,100.00,,,,',
    '02/04/2024,Acme Ltd,100.00,Yes,,,',
    '03/04/2024,ACME LIMITED,100.00,No,,,',
    '01/04/2024,Beta Trust,50.00,No,Y,,',
    '01/04/2024,Gamma Ltd,40.00,No,N,,',
    '01/04/2024,Delta Charity,30.00,,,1122334,',
    '01/04/2024,Epsilon Arts,20.00,,,,CE012345',
    '01/04/2024,Zeta Ltd,10.00,N/A,-,N/A,',
    '01/04/2024,Various,5.00,Yes,Yes,,',
    '',
  ].join('\n'),
);

describe('yes/no answers about a supplier', () => {
  it('reads yes and no, and nothing else, as an answer', () => {
    expect(['Yes', ' y ', 'TRUE', '1', 'No', 'n', 'false', '0', '', 'N/A', 'Various', '-'].map(yesNo)).toEqual([
      true, true, true, true, false, false, false, false, undefined, undefined, undefined, undefined,
    ]);
  });

  it('keeps the first answer, notes a different one, and merges as one pass would', () => {
    const first = noteTypeAnswers(noteTypeAnswers(0, '', 'Y'), 'No', '');
    const later = noteTypeAnswers(noteTypeAnswers(0, 'Yes', 'N'), 'Yes', '');
    expect([firstAnswer(first, 'SME'), firstAnswer(first, 'VCSE'), answersDisagree(first, 'SME')]).toEqual([false, true, false]);
    const merged = mergeTypeAnswers(first, later);
    expect([firstAnswer(merged, 'SME'), firstAnswer(merged, 'VCSE'), answersDisagree(merged, 'SME'), answersDisagree(merged, 'VCSE')]).toEqual([false, true, true, true]);
    // Merging into itself changes nothing; an empty earlier part takes the later part's first answers.
    expect(mergeTypeAnswers(merged, merged)).toBe(merged);
    expect(mergeTypeAnswers(0, later)).toBe(later);
    expect([statedType(first), statedType(later), statedType(noteTypeAnswers(0, 'No', 'No'))]).toEqual(['VCSE', 'SME', undefined]);
  });
});

describe("a supplier's type, from the register, the spend file's columns, or a charity or CIO number", () => {
  const area = resolveArea('HX', undefined);

  it('takes the spend file\'s stated type before a number, and says where each type came from', async () => {
    const ledger = await readSpend([LEDGER]);
    const chosen = Object.fromEntries(ledger.files[0]!.source.columns.map((c) => [c.field, c.header]));
    expect(chosen).toMatchObject({ sme: 'SME Supplier?', vcse: 'VCSE', charityNumber: 'Charity Number', companyNumber: 'Company Number' });
    const { suppliers, findings } = locateSuppliers({ ledger: ledger.suppliers.values(), area });
    expect(suppliers.map((s) => [s.name, s.type, s.typeSource])).toEqual([
      ['Acme Ltd', 'SME', 'ledger'],
      ['Beta Trust', 'VCSE', 'ledger'],
      ['Gamma Ltd', undefined, undefined],
      ['Delta Charity', 'VCSE', 'charity number'],
      ['Epsilon Arts', 'VCSE', 'company number'],
      ['Zeta Ltd', undefined, undefined],
      ['Unattributable (redacted, placeholder or blank payees)', undefined, undefined],
    ]);
    // Acme's rows say yes, then no: the first answer stands, and the disagreement is a finding.
    expect(findings.filter((f) => f.code === 'SUPPLIER_TYPE_CONFLICT')).toEqual([
      { code: 'SUPPLIER_TYPE_CONFLICT', args: { supplier: 'Acme Ltd', column: 'SME', used: 'yes' } },
    ]);
    expect(measureSpend(suppliers).typeSources).toEqual([
      { source: 'register', suppliers: 0 },
      { source: 'ledger', suppliers: 2 },
      { source: 'charity number', suppliers: 1 },
      { source: 'company number', suppliers: 1 },
      { source: 'not known', suppliers: 2 },
    ]);
  });

  it("puts the register's Type first, over the spend file's columns and over a charity number", async () => {
    const register = await readSupplierRegister(write('register.csv', 'Supplier,Type,Charity Number\nAcme Ltd,large,\nDelta Charity,SME,1122334\nGamma Ltd,,\n'));
    // The register's own Type as written: a charity number is weighed with the other sources, not here.
    expect(register.entries.map((e) => [e.supplier, e.type, e.charityNumber])).toEqual([
      ['Acme Ltd', 'large', ''],
      ['Delta Charity', 'SME', '1122334'],
      ['Gamma Ltd', undefined, ''],
    ]);
    const ledger = await readSpend([LEDGER]);
    const { suppliers, findings } = locateSuppliers({ ledger: ledger.suppliers.values(), area, register: register.entries });
    expect(suppliers.slice(0, 4).map((s) => [s.name, s.type, s.typeSource])).toEqual([
      ['Acme Ltd', 'large', 'register'],
      ['Beta Trust', 'VCSE', 'ledger'],
      ['Gamma Ltd', undefined, undefined],
      ['Delta Charity', 'SME', 'register'],
    ]);
    // The register settles Acme's type: its rows' disagreement no longer matters.
    expect(findings.filter((f) => f.code === 'SUPPLIER_TYPE_CONFLICT')).toEqual([]);
  });

  it('prints the precedence and the count from each source in the JSON', async () => {
    const analysis = await analyse(resolveSettings(undefined, undefined, { spend: [LEDGER], area: 'HX' }));
    const json = summaryJson(analysis, null);
    expect(json.supplierTypeSources).toEqual(measureSpend(analysis.suppliers).typeSources);
    expect(json.supplierTypes).toEqual([
      { type: 'SME', total: 300, local: 0, localShare: 0, suppliers: 1 },
      { type: 'VCSE', total: 100, local: 0, localShare: 0, suppliers: 3 },
      { type: 'not known', total: 55, local: 0, localShare: 0, suppliers: 2 },
    ]);
    expect(analysis.findings.count('SUPPLIER_TYPE_CONFLICT')).toBe(1);
  });
});

describe('the type columns of real council files', () => {
  it("Calderdale: the LGA template's VCSE column marks 30 of its 431 suppliers, £2,065,203.25", async () => {
    const ledger = await readSpend([join(DATA, 'calderdale_2022-08_clean.csv')]);
    const chosen = Object.fromEntries(ledger.files[0]!.source.columns.map((c) => [c.field, c.header]));
    expect(chosen).toMatchObject({
      vcse: 'Voluntary Community and Social Enterprise Supplier',
      companyNumber: 'Supplier Registered Company Number',
      charityNumber: 'Supplier Registered Charity Number',
    });
    const { suppliers, findings } = locateSuppliers({ ledger: ledger.suppliers.values(), area: resolveArea('HX', undefined) });
    const spend = measureSpend(suppliers);
    expect(spend.byType.map((t) => [t.type, t.suppliers, t.total])).toEqual([
      ['not known', 401, 1_590_150_875 - 206_520_325],
      ['VCSE', 30, 206_520_325],
    ]);
    expect(findings.filter((f) => f.code === 'SUPPLIER_TYPE_CONFLICT')).toEqual([]);
  });

  it('Salford: "SME Supplier?" says yes for 140 suppliers; 10 suppliers\' contracts disagree, and the first answer stands', async () => {
    const ledger = await readSpend([join(DATA, 'salford_contracts_register_2022-07_with_supplier_postcodes.csv')]);
    const chosen = Object.fromEntries(ledger.files[0]!.source.columns.map((c) => [c.field, c.header]));
    expect(chosen).toMatchObject({ sme: 'SME Supplier?', companyNumber: 'Company Number' });
    const { suppliers, findings } = locateSuppliers({ ledger: ledger.suppliers.values(), area: resolveArea('M', undefined) });
    expect(measureSpend(suppliers).typeSources).toEqual([
      { source: 'register', suppliers: 0 },
      { source: 'ledger', suppliers: 140 },
      { source: 'charity number', suppliers: 0 },
      { source: 'company number', suppliers: 0 },
      { source: 'not known', suppliers: 135 },
    ]);
    // Odd Arts' company number is a CIO's (CE016832), but the file's own answer (an SME) comes first.
    expect(suppliers.find((s) => s.name === 'Odd Arts')).toMatchObject({ companyNumber: 'CE016832', type: 'SME', typeSource: 'ledger' });
    const conflicts = findings.filter((f) => f.code === 'SUPPLIER_TYPE_CONFLICT').map((f) => [f.args!.supplier, f.args!.used]);
    expect(conflicts.sort()).toEqual([
      ['Bibliotheca Ltd', 'no'],
      ['Identity Consult Ltd', 'yes'],
      ['Knight Frank LLP', 'yes'],
      ['Pavement Testing Services ltd', 'yes'],
      ['Salford Community Leisure Ltd', 'no'],
      ['Schofield & Sons Ltd', 'yes'],
      ['Security Plus Ltd', 'no'],
      ['Seddon Construction Limited', 'yes'],
      ['Wilde Consulting Engineers', 'yes'],
      ['XMA Limited', 'yes'],
    ]);
  });
});
