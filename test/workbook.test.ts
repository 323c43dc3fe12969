import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings, type Settings } from '../src/config/settings.js';
import { UserError } from '../src/errors.js';
import { FindingLog } from '../src/findings.js';
import { APPROACH_CREDIT, FRAMEWORK_CREDIT } from '../src/framework/approach.js';
import { cellText, writeWorkbook } from '../src/report/workbook/index.js';
import { rowOf, sheet } from './workbook-helper.js';

const PROJECT = 'fixtures/calder-valley-trust/project.json';
const PAYROLL = 'fixtures/calder-valley-trust/payroll-2024-25.csv';
const MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00';
/** How a figure the disclosure stage withholds is printed. */
const WITHHELD = 'withheld (staff pay: see Assumptions)';
const SHEETS = ['Summary', 'Charts', 'Steps', 'LM3', 'Scenarios', 'Framework', 'Enabled contribution', 'Suppliers', 'Categories', 'Geography', 'Workforce', 'Data quality', 'Findings', 'Assumptions'];
/** Without spend there is nothing for a scenario to change. */
const SHEETS_WITHOUT_SPEND = SHEETS.filter((name) => name !== 'Scenarios');

let dir: string;
let settings: Settings;
let analysis: Analysis;
let book: ExcelJS.Workbook;

async function writeAndRead(subject: Analysis, name: string): Promise<ExcelJS.Workbook> {
  const path = join(dir, name);
  await writeWorkbook(subject, path);
  const read = new ExcelJS.Workbook();
  await read.xlsx.readFile(path);
  return read;
}



function texts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => void out.push(cell.text)));
  return out;
}

/** A formula cell's cached result; fails if the cell is not a formula. */
function cached(cell: ExcelJS.Cell): number {
  expect(cell.type).toBe(ExcelJS.ValueType.Formula);
  expect(cell.formula).toMatch(/[A-Z]+\d+/);
  expect(typeof cell.result).toBe('number');
  return cell.result as number;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-impact-workbook-'));
  settings = resolveSettings(await loadProjectFile(PROJECT), PROJECT, {});
  analysis = await analyse(settings, { now: () => new Date('2026-12-01T19:15:22.769Z') });
  book = await writeAndRead(analysis, 'report.xlsx');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('workbook for the Calder Valley fixture', () => {
  it('has its sheets in order', () => {
    expect(book.worksheets.map((ws) => ws.name)).toEqual(SHEETS);
  });

  it('sets out the 10 steps, the 7 characteristics and their credits', () => {
    const ws = sheet(book, 'Steps');
    expect(rowOf(ws, '1').getCell(2).text).toBe('Scope');
    expect(rowOf(ws, '10').getCell(2).text).toBe('Plan improvement');
    expect(rowOf(ws, '8').getCell(3).text).toBe('done');
    const all = texts(ws);
    expect(all).toContain('Positive flow of money and resources');
    expect(all).toContain('Good quality services');
    expect(all).toContain(APPROACH_CREDIT);
    expect(all).toContain(FRAMEWORK_CREDIT);
  });

  it('summarises spend in pounds as numbers', () => {
    const ws = sheet(book, 'Summary');
    const total = rowOf(ws, 'Total spend analysed').getCell(2);
    expect(total.value).toBe(470722.58);
    expect(total.numFmt).toBe(MONEY);
    expect(rowOf(ws, 'Local').getCell(2).value).toBe(245735.75);
    expect(rowOf(ws, 'Not local').getCell(2).value).toBe(220487.77);
    expect(rowOf(ws, 'Location unknown').getCell(2).value).toBe(4499.06);
    // Known to leave: £220,487.77 + £147,400.50 (EXPECTED.md, Leakage), which with the high end would give the pay
    // of the one member of staff with no usable postcode: the pounds are withheld, the share of R1 is to the nearest
    // 1% (36,788,827 / 125,000,000 = 29.43% → 29%; 38,291,733 / 125,000,000 = 30.63% → 31%).
    const leakage = rowOf(ws, 'Spend leakage');
    expect(leakage.getCell(2).value).toBe(WITHHELD);
    expect(leakage.getCell(3).value).toBe(0.29);
    expect(leakage.getCell(4).value).toBe('29% of R1 known to leave the area; up to 31% if every unknown location is outside; in pounds withheld to keep staff pay private');
    // Exact pence of the ten largest suppliers, not a share multiplied back.
    expect(analysis.spend!.top10Total).toBe(28_410_803);
    expect(rowOf(ws, 'Top 10 suppliers').getCell(2).value).toBe(284108.03);
    // The Summary is live: its LM3 figures are references to the LM3 sheet's cells, cached with their values.
    const score = rowOf(ws, 'LM3 score').getCell(2).value as { formula: string; result: number };
    expect(score.formula).toMatch(/^'LM3'!\$B\$\d+$/);
    expect(score.result).toBeCloseTo(1.992098, 6);
    // 251,273,987 / 125,000,000 = 2.010191… to 2 decimal places.
    expect((rowOf(ws, 'LM3 high end').getCell(2).value as { result: number }).result).toBe(2.01);
    // Warnings in words on the front page; their codes are on the Data quality sheet.
    expect(texts(ws)).toContain('Amounts that are not numbers');
    expect(texts(ws)).not.toContain('AMOUNT_UNPARSEABLE');
    // ... and in a reader's words, not the command line's: no "check --income and --period" on the front page.
    const beyond = rowOf(ws, 'More spent than the income').getCell(4).text;
    expect(beyond).toMatch(/^More was spent in the period \(£1,292,180\.30, .*\): £42,180\.30 was spent beyond that income/);
    expect(texts(ws).join('\n')).not.toMatch(/--[a-z]/);
    // The headline in words, live over the LM3 sheet.
    expect(texts(ws).slice(0, 8)).toEqual(expect.arrayContaining(['Every £1 of income to Calder Valley Community Trust', 'generated a further £0.99 for the local economy', '(LM3 1.99, range 1.99–2.01)']));
  });

  it('writes LM3 as live formulas whose cached results are the analysis figures', () => {
    const ws = sheet(book, 'LM3');
    expect(cached(rowOf(ws, 'R1: money in').getCell(2))).toBe(1250000);
    expect(cached(rowOf(ws, 'R2: spent locally').getCell(2))).toBe(825158.75);
    expect(cached(rowOf(ws, 'R3: re-spent locally').getCell(2))).toBe(414963.79);
    const score = rowOf(ws, 'LM3 = (R1 + R2 + R3) / R1').getCell(2);
    expect(cached(score)).toBe(analysis.lm3!.score);
    expect(cached(score)).toBeCloseTo(1.992098, 6);
    expect(cached(rowOf(ws, 'R2 / R1').getCell(2))).toBe(analysis.lm3!.round2Share);
    expect(cached(rowOf(ws, 'R3 / R2').getCell(2))).toBe(analysis.lm3!.round3Share);
    // One member of staff has no usable postcode: the high-end rounds in pounds, less R2 and the unknown supplier
    // spend, would give their pay, so they are withheld, and the high end is a plain value to 2 decimal places
    // (251,273,987 / 125,000,000 = 2.010191… → 2.01), not a formula over them.
    expect(rowOf(ws, 'R2 at the high end').getCell(2).value).toBe(WITHHELD);
    expect(rowOf(ws, 'R3 at the high end').getCell(2).value).toBe(WITHHELD);
    expect(rowOf(ws, 'R3 from staff at the high end').getCell(2).value).toBe(WITHHELD);
    const high = rowOf(ws, 'LM3 high end').getCell(2);
    expect(high.type).toBe(ExcelJS.ValueType.Number);
    expect(high.value).toBe(2.01);
    expect(high.value).toBe(analysis.published.lm3.scoreHigh);
    expect(cached(rowOf(ws, 'R3 from staff').getCell(2))).toBe(282603.91);
    // The inputs the formulas read are plain numbers.
    const income = rowOf(ws, 'Income followed').getCell(2);
    expect(income.type).toBe(ExcelJS.ValueType.Number);
    expect(income.value).toBe(1250000);
    expect(rowOf(ws, 'Pay of staff with no usable home postcode (gross)').getCell(2).value).toBe(WITHHELD);
    expect(texts(ws).join('\n')).not.toContain('10530');
  });

  it('gives each local supplier its own Round 3 formula, summing to the analysis figure', () => {
    const ws = sheet(book, 'LM3');
    const header = rowOf(ws, 'Supplier').number;
    let own = 0;
    let atRate = 0;
    let rows = 0;
    for (let r = header + 1; ws.getRow(r).getCell(1).text !== ''; r++) {
      own += Math.round(cached(ws.getRow(r).getCell(5)) * 100);
      atRate += Math.round(cached(ws.getRow(r).getCell(6)) * 100);
      rows++;
    }
    expect(rows).toBe(42);
    expect(own).toBe(5726431);
    expect(atRate).toBe(7509557);
    expect(own + atRate).toBe(analysis.lm3!.round3Suppliers);
    const shibden = rowOf(ws, 'Shibden Building & Joinery Ltd');
    expect(shibden.getCell(4).value).toBeCloseTo(0.553, 10);
    expect(cached(shibden.getCell(5))).toBe(30899.57);
  });

  it('lists every supplier with its basis in words', () => {
    const ws = sheet(book, 'Suppliers');
    const header = rowOf(ws, 'Supplier').number;
    // 81 suppliers and the unattributable line.
    expect(ws.rowCount - header).toBe(81 + 1);
    const brigstock = rowOf(ws, 'Brigstock Builders Merchants Ltd');
    expect(brigstock.getCell(5).text).toBe('local');
    expect(brigstock.getCell(6).text).toMatch(/^register override: /);
    expect(brigstock.getCell(10).value).toBe(4759.85);
    expect(rowOf(ws, 'Northgate Bakery Ltd').getCell(13).value).toBeCloseTo(0.625, 10);
    // Each type says where it came from: the register's Type, or its charity number where the Type is blank.
    expect([brigstock.getCell(7).text, brigstock.getCell(8).text]).toEqual(['large', 'supplier register']);
    const moorside = rowOf(ws, 'Moorside Outdoor Education Centre');
    expect([moorside.getCell(7).text, moorside.getCell(8).text]).toEqual(['VCSE', 'charity number']);
    // Over the header and every supplier row, all fourteen columns (no directory: no council columns).
    expect(ws.autoFilter).toBe(`A${header}:N${header + 81 + 1}`);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
  });

  it('shows postcode tiers and the boundary line on the Geography sheet, and says what the directory would add', async () => {
    const ws = sheet(await writeAndRead(await analyse({ ...settings, tiers: ['HX', 'HX,OL14', 'HX,OL,BD,HD,LS'] }), 'tiers.xlsx'), 'Geography');
    const values = (label: string) => (rowOf(ws, label).values as ExcelJS.CellValue[]).slice(2, 5);
    expect(values('Given as')).toEqual(['HX', 'HX,OL14', 'HX,OL,BD,HD,LS']);
    // Register overrides decide only the tier equal to the area; the others follow postcodes alone.
    expect(values('Local')).toEqual([217547.14, 245735.75, 319810.98]);
    expect(values('Total spend')).toEqual([470722.58, 470722.58, 470722.58]);
    expect(cached(rowOf(ws, 'Local share').getCell(3))).toBe(analysis.spend!.localShare);
    expect(rowOf(ws, 'Known only by a district across the boundary').getCell(2).value).toBe(0);
    expect(() => rowOf(ws, 'Estimated local part of that')).toThrow(); // an estimate needs the directory
    expect(texts(ws).some((text) => text.startsWith('Not measured: spend by council needs the ONS postcode directory'))).toBe(true);
    expect(texts(ws).join('\n')).not.toContain('Crown copyright');
  });

  it('has no council columns without the postcode directory', () => {
    const header = rowOf(sheet(book, 'Suppliers'), 'Supplier').values as unknown[];
    expect(header).not.toContain('Council');
    expect(header).not.toContain('Distance (miles)');
    expect(texts(sheet(book, 'Assumptions')).join('\n')).not.toContain('Open Government Licence');
  });

  it('totals the categories to the spend', () => {
    const ws = sheet(book, 'Categories');
    const all = rowOf(ws, 'All categories');
    expect(cached(all.getCell(4))).toBe(470722.58);
    expect(cached(all.getCell(5))).toBe(245735.75);
    expect(rowOf(ws, 'Building Repairs').getCell(5).value).toBe(98228.1);
    expect(rowOf(ws, 'VCSE').getCell(4).value).toBe(37240);
  });

  it('shows the workforce as aggregates only: no ids, names or full home postcodes', async () => {
    const lines = (await readFile(PAYROLL, 'utf8')).trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
    const ids = lines.map((fields) => fields[0]!);
    const names = lines.map((fields) => fields[1]!);
    const postcodes = lines
      .map((fields) => fields[2]!.toUpperCase().replace(/\s+/g, ''))
      .filter((postcode) => /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(postcode));
    expect(ids.length).toBe(40);
    expect(postcodes.length).toBeGreaterThan(30);
    const workforce = texts(sheet(book, 'Workforce')).map((text) => text.toUpperCase().replace(/\s+/g, ''));
    for (const postcode of postcodes) expect(workforce.some((text) => text.includes(postcode))).toBe(false);
    for (const ws of book.worksheets) {
      const all = texts(ws).join('\n');
      for (const id of ids) expect(all).not.toMatch(new RegExp(`\\b${id}\\b`));
      for (const name of names) expect(all).not.toContain(name);
    }
    const ws = sheet(book, 'Workforce');
    expect(rowOf(ws, 'Staff').getCell(2).value).toBe(40);
    expect(rowOf(ws, 'Local pay share').getCell(2).value).toBeCloseTo(0.785814, 6);
    // One person has no usable postcode: their pay is not shown on its own.
    expect(() => rowOf(ws, 'Gross pay of staff with no usable postcode')).toThrow();
    expect(rowOf(ws, 'Gross pay of staff not known to live locally').getCell(2).value).toBe(157930.5);
    expect(texts(ws)).toContain('Other districts (each fewer than 3 staff)');
  });

  it('withholds the pay of a group smaller than 3 staff on the Workforce and Summary sheets', async () => {
    // Two staff living locally (£41,000.00 between them) and two outside (£61,000.00): both groups are too small.
    const payroll = join(dir, 'small-groups.csv');
    await writeFile(
      payroll,
      [
        'Employee ID,Home Postcode,Gross Pay,Employer NI,Employer Pension,FTE',
        'A1,HX1 1AA,20000.00,1000.00,500.00,1.0',
        'A2,HX2 2BB,21000.00,1100.00,500.00,0.8',
        'B1,LS1 1DD,30000.00,2000.00,900.00,1.0',
        'B2,M1 1EE,31000.00,2100.00,900.00,0.5',
      ].join('\n'),
    );
    const small = await analyse({ ...settings, payroll, staffSurvey: undefined });
    const read = await writeAndRead(small, 'small-groups.xlsx');
    const ws = sheet(read, 'Workforce');
    expect(rowOf(ws, 'Living locally').getCell(2).value).toBe(2);
    // Only the total of all four is shown, with the payroll totals.
    expect(rowOf(ws, 'Gross pay').getCell(2).value).toBe(102000);
    expect(rowOf(ws, 'Gross pay of staff living locally').getCell(2).value).toBe(WITHHELD);
    expect(rowOf(ws, 'Gross pay of staff not living locally').getCell(2).value).toBe(WITHHELD);
    expect(rowOf(ws, 'Local pay share').getCell(2).value).toBe(WITHHELD);
    expect(() => rowOf(ws, 'Gross pay of staff not known to live locally')).toThrow();
    expect(rowOf(ws, 'Other districts (each fewer than 3 staff)').getCell(4).value).toBe(102000);
    const statement = 'To keep the pay of fewer than 3 people private (two members of staff living locally; two members of staff living outside the area), the report withholds staff pay split by where staff live; Rounds 2 and 3 in pounds; the high end of the range in pounds; spend leakage in pounds; the shares of Round 1 that each round and leakage are, and gives LM3 to 1 decimal place.';
    expect(texts(ws)).toContain(statement);
    const summary = sheet(read, 'Summary');
    const local = rowOf(summary, 'Gross pay to staff living locally');
    expect([local.getCell(2).value, local.getCell(3).value]).toEqual([WITHHELD, WITHHELD]);
    // R2 and R3 in pounds carry the local pay, leakage in pounds the pay of those outside: withheld too.
    for (const label of ['Round 2 (R2): spent locally', 'Round 3 (R3): re-spent locally', 'Spend leakage']) {
      expect([label, rowOf(summary, label).getCell(2).value]).toEqual([label, WITHHELD]);
    }
    // (1,250,000 + 245,735.75 + 41,000 + 132,359.88) / 1,250,000 = 1.33527…: to 2 places (±£6,250) it and its high end
    // (which adds the £4,499.06 of unknown suppliers and their £2,452.44) together pin the £41,000 to ±7%, so 1 place: 1.3.
    expect(rowOf(summary, 'LM3 score').getCell(2).value).toMatchObject({ result: 1.3 });
    for (const s of read.worksheets) {
      const all = texts(s).join('\n');
      for (const pay of ['41000', '41,000', '61000', '61,000']) expect(all, `${pay} in ${s.name}`).not.toContain(pay);
    }
  });

  it('reconciles every input file, and lists every finding on a sheet of their own', () => {
    const ws = sheet(book, 'Data quality');
    const payments = rowOf(ws, 'payments-2024-25.csv');
    expect([payments.getCell(3).value, payments.getCell(4).value, payments.getCell(5).value]).toEqual([534, 531, 3]);
    expect(payments.getCell(6).value).toBe(470722.58);
    expect(payments.getCell(7).formula).toBe(`IF(D${payments.number}+E${payments.number}=C${payments.number},"yes","NO")`);
    expect(payments.getCell(7).result).toBe('yes');
    expect(rowOf(ws, 'All spend files').getCell(7).result).toBe('yes');
    const list = sheet(book, 'Findings');
    const listed: string[] = [];
    list.eachRow((row) => {
      if (row.number > rowOf(list, 'Code').number) listed.push(row.getCell(1).text);
    });
    expect(listed).toEqual(analysis.findings.details.map((finding) => finding.code));
    const line107 = texts(list).find((text) => text.startsWith('13/06/2024,PAY-004922'));
    expect(line107).toBe('13/06/2024,PAY-004922,Northgate Bakery Ltd,S0001,Catering,HX1 2QN,twelve pounds');
  });

  it('records the conventions and every input file', () => {
    const ws = sheet(book, 'Assumptions');
    const all = texts(ws);
    expect(all).toContain('9b46a8a090deaa35372526944752c472b0861626cb3159c2ef20ebf207bcb286');
    expect(all).toContain(`${analysis.tool.name} ${analysis.tool.version}`);
    expect(all).toContain('1 December 2026, 19:15');
    expect(rowOf(ws, 'Wages in Round 2').getCell(2).text).toBe('gross');
    expect(all.some((text) => text.includes('amount ← Amount'))).toBe(true);
    // Where each supplier's type came from, in the order the sources are taken.
    const types = rowOf(ws, 'Supplier type');
    expect(types.getCell(2).text).toBe('register, then spend file, then charity number');
    expect(types.getCell(3).text).toMatch(/ This run: 25 from supplier register, 1 from charity number, 55 not known \(each supplier's is in the Suppliers sheet's Type from column\)\.$/);
    expect([rowOf(ws, 'What the spend figures are').getCell(2).text, rowOf(ws, 'What the spend figures are').getCell(3).text]).toEqual(['payments', 'Each row of the spend files is a payment made.']);
  });
});

describe('spend excluded by rule, VAT and spreadsheet input', () => {
  let excludedBook: ExcelJS.Workbook;

  beforeAll(async () => {
    // A CSV with net amounts and one workbook with gross ones: pension and tax payments are not procurement.
    const csv = join(dir, 'jan.csv');
    await writeFile(
      csv,
      [
        'Date,Supplier Name,Expense Type,Net Amount,VAT,Postcode',
        '01/01/2025,Acme Ltd,Stationery,100.00,20.00,HX1 1RE',
        '15/01/2025,West Yorkshire Pension Fund,Pension Contributions,"5,000.00",0.00,WF1 2DE',
        '31/01/2025,HMRC,Tax,700.00,,BX9 1AA',
        '31/01/2025,Beta Charity,Grants,250.00,0,LS2 7AB',
        '',
      ].join('\n'),
    );
    const xlsx = join(dir, 'feb.xlsx');
    const input = new ExcelJS.Workbook();
    const payments = input.addWorksheet('Payments');
    payments.addRow(['Date', 'Supplier Name', 'Expense Type', 'Gross Amount', 'VAT', 'Postcode']);
    payments.addRow(['01/02/2025', 'Acme Ltd', 'Stationery', 48.6, 8.1, 'HX1 1RE']);
    payments.addRow(['28/02/2025', 'HMRC', 'Tax', 300, 0, 'BX9 1AA']);
    await input.xlsx.writeFile(xlsx);
    await writeFile(join(dir, 'register.csv'), 'Supplier,Type,Charity Number\nAcme Ltd,SME,\nBeta Charity,,1234567\n');
    const project = join(dir, 'excluded.json');
    await writeFile(
      project,
      JSON.stringify({
        organisation: 'Exclusion Test',
        area: 'HX',
        inputs: { spend: ['jan.csv', 'feb.xlsx'], suppliers: 'register.csv' },
        conventions: { vatBasis: 'net' },
        exclude: [
          { category: 'Pension Contributions', reason: 'pension contributions' },
          { pattern: '^HMRC\\b', reason: 'tax' },
          { supplier: 'Nobody Ltd', reason: 'never paid' },
        ],
      }),
    );
    const excluded = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    excludedBook = await writeAndRead(excluded, 'excluded.xlsx');
  });

  it('reconciles analysed + excluded to the £ accepted, and lists each rule with its totals', () => {
    const ws = sheet(excludedBook, 'Data quality');
    expect(rowOf(ws, 'jan.csv').getCell(6).value).toBe(6050);
    expect(rowOf(ws, 'feb.xlsx').getCell(6).value).toBe(340.5);
    expect(cached(rowOf(ws, 'All spend files').getCell(6))).toBe(6390.5);
    expect(rowOf(ws, 'Spend analysed (sum over suppliers)').getCell(6).value).toBe(390.5);
    const excludedLine = rowOf(ws, 'Spend excluded by rule (listed below)');
    expect(cached(excludedLine.getCell(6))).toBe(6000);
    expect(excludedLine.getCell(7).formula).toMatch(/^IF\(ROUND\(F\d+-F\d+-F\d+,2\)=0,"yes","NO"\)$/);
    expect(excludedLine.getCell(7).result).toBe('yes');
    const line = (label: string) => (rowOf(ws, label).values as ExcelJS.CellValue[]).slice(1, 6);
    expect(line('category "Pension Contributions"')).toEqual(['category "Pension Contributions"', 1, 1, 5000, 'pension contributions']);
    expect(line('pattern /^HMRC\\b/')).toEqual(['pattern /^HMRC\\b/', 2, 1, 1000, 'tax']);
    expect(line('supplier "Nobody Ltd"')).toEqual(['supplier "Nobody Ltd"', 0, 0, 0, 'never paid']);
    const all = rowOf(ws, 'All rules');
    expect(cached(all.getCell(2))).toBe(3);
    expect(cached(all.getCell(4))).toBe(6000);
    expect(rowOf(ws, 'category "Pension Contributions"').getCell(4).numFmt).toBe(MONEY);
  });

  it('shows excluded spend on Summary on its own line, outside the shares', () => {
    const ws = sheet(excludedBook, 'Summary');
    expect(rowOf(ws, 'Total spend analysed').getCell(2).value).toBe(390.5);
    expect(rowOf(ws, 'Total spend analysed').getCell(4).text).toBe('2 suppliers, 3 payments');
    expect(rowOf(ws, 'Local').getCell(2).value).toBe(140.5);
    expect(rowOf(ws, 'Local').getCell(3).value).toBeCloseTo(140.5 / 390.5, 12);
    const excluded = rowOf(ws, 'Excluded by rule (not analysed)');
    expect(excluded.getCell(2).value).toBe(6000);
    expect(excluded.getCell(3).value).toBeNull();
    expect(excluded.getCell(4).text).toMatch(/^3 payments under the project file's 3 exclude rules; /);
  });

  it('records the VAT basis, each spend file\'s VAT handling and sheet, and the exclude rules', () => {
    const ws = sheet(excludedBook, 'Assumptions');
    expect((rowOf(ws, 'VAT basis').values as ExcelJS.CellValue[]).slice(1, 3)).toEqual(['VAT basis', 'net']);
    expect(rowOf(ws, 'Excluded spend').getCell(2).text).toBe('3 exclude rules');
    const vat = (file: string) => (rowOf(ws, file).values as ExcelJS.CellValue[]).slice(1, 6);
    const vatSection = rowOf(ws, 'VAT in the spend files').number;
    const after = (label: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => {
        if (!found && row.number > vatSection && row.getCell(1).text === label) found = row;
      });
      return (found!.values as ExcelJS.CellValue[]).slice(1, 6);
    };
    expect(after('jan.csv')).toEqual(['jan.csv', 'Net Amount', 'net', 'VAT', 'used as they are']);
    expect(after('feb.xlsx')).toEqual(['feb.xlsx', 'Gross Amount', 'gross', 'VAT', '"VAT" taken off each amount']);
    // The input files table: a workbook by its sheet, a CSV by its encoding and delimiter.
    expect(vat('spend').slice(0, 2)).toEqual(['spend', 'jan.csv']);
    const inputs = rowOf(ws, 'Role').number;
    expect([ws.getRow(inputs + 1).getCell(4).text, ws.getRow(inputs + 1).getCell(5).text]).toEqual(['utf-8', 'comma']);
    expect([ws.getRow(inputs + 2).getCell(2).text, ws.getRow(inputs + 2).getCell(4).text, ws.getRow(inputs + 2).getCell(5).text]).toEqual(['feb.xlsx', 'xlsx workbook', 'sheet "Payments"']);
    expect((rowOf(ws, 'pattern /^HMRC\\b/').values as ExcelJS.CellValue[]).slice(1, 3)).toEqual(['pattern /^HMRC\\b/', 'tax']);
  });

  it('shows spend by supplier type on Categories, excluded spend left out', () => {
    const ws = sheet(excludedBook, 'Categories');
    const type = (label: string) => {
      const row = rowOf(ws, label);
      return [...(row.values as ExcelJS.CellValue[]).slice(1, 8), cached(row.getCell(8))];
    };
    expect(type('VCSE')).toEqual(['VCSE', 1, undefined, 250, 0, 250, 0, 0]);
    expect(type('SME')).toEqual(['SME', 1, undefined, 140.5, 140.5, 0, 0, 1]);
    expect(rowOf(ws, 'All categories').getCell(3).value).toBe(3);
    expect(cached(rowOf(ws, 'All categories').getCell(4))).toBe(390.5);
  });
});

describe('text from input files', () => {
  const hostile = ['=HYPERLINK("http://x","y")', '+SUM(A1)', '@foo', '-2+3', '=1+1'];

  it('stays a plain string, never a formula', async () => {
    const suppliers = analysis.suppliers.map((supplier, i) => (i < hostile.length ? { ...supplier, name: hostile[i]! } : supplier));
    const findings = new FindingLog();
    findings.add({ code: 'AMOUNT_UNPARSEABLE', file: 'payments.csv', line: 2, raw: '=cmd|"/c calc"!A1', args: { value: '=2*3' } });
    const read = await writeAndRead({ ...analysis, suppliers, findings }, 'hostile.xlsx');
    const cells: ExcelJS.Cell[] = [];
    for (const ws of read.worksheets) ws.eachRow((row) => row.eachCell((cell) => void cells.push(cell)));
    for (const text of [...hostile, '=cmd|"/c calc"!A1']) {
      const matching = cells.filter((cell) => cell.value === text);
      expect(matching.length, text).toBeGreaterThan(0);
      for (const cell of matching) {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
      }
    }
    const formulas = cells.filter((cell) => cell.type === ExcelJS.ValueType.Formula).map((cell) => cell.formula);
    expect(formulas.filter((formula) => /HYPERLINK|cmd|foo/i.test(formula))).toEqual([]);
  });

  it('is cut to one line on the Data quality and Summary sheets, its whole length stated', async () => {
    // A quote never closed in the amount: the field holds the rest of the file.
    const value = `99.00\n${'x'.repeat(100_000)}`;
    const findings = new FindingLog();
    findings.add({ code: 'AMOUNT_UNPARSEABLE', file: 'payments.csv', line: 5, raw: `04/04/2024,Broken Supplier,"${value}`, args: { value } });
    const read = await writeAndRead({ ...analysis, findings }, 'damaged.xlsx');
    const rows = (ws: ExcelJS.Worksheet) => {
      const found: string[][] = [];
      ws.eachRow((row) => void (row.getCell(1).text === 'AMOUNT_UNPARSEABLE' && found.push([1, 2, 3, 4, 5, 6].map((i) => row.getCell(i).text))));
      return found;
    };
    const quoted = `"99.00⏎${'x'.repeat(114)}…" (100,006 characters in all)`;
    const [byKind] = rows(sheet(read, 'Data quality'));
    const [detail] = rows(sheet(read, 'Findings'));
    expect(byKind![3]).toContain(`Amount ${quoted} is not a number of pounds`);
    expect(detail!.slice(0, 4)).toEqual(['AMOUNT_UNPARSEABLE', 'warning', 'payments.csv', '5']);
    expect(detail![4]).toBe(byKind![3]);
    expect(detail![5]).toBe(`04/04/2024,Broken Supplier,"99.00⏎${'x'.repeat(86)}… (100,034 characters in all)`);
    // The front page names the warning in words; its message is the same, cut the same way.
    const summary: string[][] = [];
    sheet(read, 'Summary').eachRow((row) => void (row.getCell(1).text === 'Amounts that are not numbers' && summary.push([1, 2, 3, 4].map((i) => row.getCell(i).text))));
    expect(summary[0]![3]).toBe(byKind![3]);
  });

  it('notes the findings counted but not listed', async () => {
    const findings = new FindingLog(1);
    for (const line of [2, 3, 4]) findings.add({ code: 'AMOUNT_MISSING', file: 'payments.csv', line, raw: `row ${line}` });
    const ws = sheet(await writeAndRead({ ...analysis, findings }, 'omitted.xlsx'), 'Findings');
    expect(texts(ws)).toContain('2 more AMOUNT_MISSING finding(s) are counted on the Data quality sheet but not listed, to keep the report a readable size.');
  });

  it('keeps characters XML cannot carry visible, and fits a cell', () => {
    expect(cellText('a\u0001b\u0000c')).toBe('a\uFFFDb\uFFFDc');
    const long = cellText('x'.repeat(40_000));
    expect(long.length).toBeLessThanOrEqual(32_767);
    expect(long.endsWith('[truncated]')).toBe(true);
  });
});

describe('analyses with parts missing', () => {
  it('says "not provided" when there is no payroll', async () => {
    const read = await writeAndRead(await analyse({ ...settings, payroll: undefined }), 'no-payroll.xlsx');
    expect(read.worksheets.map((ws) => ws.name)).toEqual(SHEETS);
    expect(texts(sheet(read, 'Workforce')).some((text) => text.startsWith('Not provided'))).toBe(true);
    expect(cached(rowOf(sheet(read, 'LM3'), 'R2: spent locally').getCell(2))).toBe(245735.75);
  });

  it('says "not provided" when there is no spend', async () => {
    const read = await writeAndRead(await analyse({ ...settings, spend: [] }), 'no-spend.xlsx');
    expect(read.worksheets.map((ws) => ws.name)).toEqual(SHEETS_WITHOUT_SPEND);
    for (const name of ['LM3', 'Suppliers', 'Categories', 'Geography']) {
      expect(texts(sheet(read, name)).some((text) => text.startsWith('Not provided')), name).toBe(true);
    }
    expect(rowOf(sheet(read, 'Workforce'), 'Staff').getCell(2).value).toBe(40);
  });

  it('writes the low end of the range as a formula when Round 3 is assumed', async () => {
    const assumed = await analyse({
      ...settings,
      income: undefined,
      supplierSurvey: undefined,
      staffSurvey: undefined,
      assumptions: { supplierPercent: 76_000, staffPercent: 40_000, source: 'NEF with Northumberland County Council (2005)' },
    });
    const ws = sheet(await writeAndRead(assumed, 'assumed.xlsx'), 'LM3');
    expect(cached(rowOf(ws, 'R1: money in').getCell(2))).toBe(1292180.3);
    expect(cached(rowOf(ws, 'LM3 low end').getCell(2))).toBe(assumed.lm3!.scoreLow);
    expect(cached(rowOf(ws, 'R3: re-spent locally').getCell(2))).toBe(assumed.lm3!.round3 / 100);
    expect(assumed.lm3!.scoreLow).toBeLessThan(assumed.lm3!.score!);
  });
});

describe('the LM3 low end with suppliers surveyed and staff assumed', () => {
  it('drops only the staff part of Round 3', async () => {
    const mixed = await analyse({ ...settings, staffSurvey: undefined, assumptions: { staffPercent: 40_000 } });
    const lm3 = mixed.lm3!;
    expect([lm3.round3SuppliersBasis, lm3.round3StaffBasis]).toEqual(['survey', 'assumed']);
    expect(lm3.low.round3).toBe(lm3.round3Suppliers);
    expect(lm3.scoreLow).toBe((lm3.round1 + lm3.round2 + lm3.round3Suppliers) / lm3.round1);
    const ws = sheet(await writeAndRead(mixed, 'mixed.xlsx'), 'LM3');
    const low = rowOf(ws, 'LM3 low end').getCell(2);
    expect(cached(low)).toBe(lm3.scoreLow);
    expect(low.formula).toBe(`IF(B${rowOf(ws, 'R1: money in').number}>0,(B${rowOf(ws, 'R1: money in').number}+B${rowOf(ws, 'R2: spent locally').number}+B${rowOf(ws, 'R3: re-spent locally').number}-B${rowOf(ws, 'R3 from staff').number})/B${rowOf(ws, 'R1: money in').number},"none: Round 1 is not above £0")`);
    expect(rowOf(ws, 'LM3 low end').getCell(3).text).toBe('the assumed part of Round 3 counts as £0; the part from the suppliers survey is kept');
  });
});

describe('writing', () => {
  it('leaves nothing behind when the write fails', async () => {
    const target = join(dir, 'occupied');
    await mkdir(target);
    const before = await readdir(dir);
    await expect(writeWorkbook(analysis, target)).rejects.toBeInstanceOf(UserError);
    expect(await readdir(dir)).toEqual(before);
    expect(await readdir(target)).toEqual([]);
  });

  it('fails clearly when the folder does not exist', async () => {
    await expect(writeWorkbook(analysis, join(dir, 'missing', 'report.xlsx'))).rejects.toThrow(/Cannot write the report/);
    expect((await readdir(dir)).filter((name) => name.startsWith('.local-impact-tmp-'))).toEqual([]);
  });
});

describe('dates as a UK reader writes them', () => {
  it('prints the generated time in UK time, from an injectable clock', async () => {
    const { formatUkDateTime } = await import('../src/report/format.js');
    expect(formatUkDateTime('2026-12-01T19:15:22.769Z')).toBe('1 December 2026, 19:15');
    // British Summer Time: an hour ahead of UTC.
    expect(formatUkDateTime('2026-07-01T19:15:00Z')).toBe('1 July 2026, 20:15');
    expect(formatUkDateTime('not a date')).toBe('not a date');
  });
});

describe('the Charts sheet', () => {
  it('draws each chart over the workbook\'s own cells, the money trail over the LM3 sheet, with a title and alternative text', async () => {
    const { parts } = await import('./zip-parts.js');
    const out = join(mkdtempSync(join(tmpdir(), 'local-impact-charts-')), 'charts.xlsx');
    await writeWorkbook(analysis, out);
    const files = await parts(readFileSync(out));
    const charts = [...files.keys()].filter((name) => /^xl\/charts\/chart\d+\.xml$/.test(name)).sort();
    // Five on the Charts sheet, and the Scenarios sheet's LM3 against today.
    expect(charts).toHaveLength(6);
    const trail = files.get('xl/charts/chart1.xml')!;
    expect(trail).toContain('The money trail: what stays local at each round');
    const values = [...trail.matchAll(/<c:val><c:numRef><c:f>([^<]+)<\/c:f>/g)].map((m) => m[1]);
    expect(values).toEqual(["'Charts'!$B$6:$B$7", "'Charts'!$C$6:$C$7"]);
    const drawing = files.get('xl/drawings/drawing1.xml')!;
    expect(drawing).toContain('descr="Of Round 1 (£1,250,000.00), £825,158.75 was spent locally (Round 2); of that, £414,963.79 was re-spent locally (Round 3)."');
    // The cells the trail draws are formulas over the LM3 sheet: edit an input there and the chart follows.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const cell = book.getWorksheet('Charts')!.getCell('B6').value as { formula: string; result: number };
    expect(cell.formula).toMatch(/^'LM3'!\$B\$\d+$/);
    expect(cell.result).toBe(825158.75);
    // Spend by category draws the Categories sheet's own rows.
    expect(files.get('xl/charts/chart4.xml')).toContain("'Categories'!$E$");
  });
});

describe('headers over numbers', () => {
  it('stand right, over their figures; a header over text stays left', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'local-impact-align-')), 'align.xlsx');
    await writeWorkbook(analysis, out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const ws = book.getWorksheet('Categories')!;
    const header = rowOf(ws, 'Category');
    expect(header.getCell(4).value).toBe('Total');
    expect(header.getCell(4).alignment?.horizontal).toBe('right');
    expect(header.getCell(1).alignment?.horizontal).toBeUndefined();
  });
});

describe('the Steps page', () => {
  it('opens with how far the walk has got and the next thing to do, and colours the characteristics by rating', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-impact-steps-'));
    const stepsLine = async (a: Analysis, name: string) => {
      await writeWorkbook(a, join(dir, name));
      const b = new ExcelJS.Workbook();
      await b.xlsx.readFile(join(dir, name));
      return b.getWorksheet('Steps')!.getCell('A3').text;
    };
    // Without its targets the bundled project has one step to go, and the page says which and how.
    expect(await stepsLine({ ...analysis, settings: { ...analysis.settings, targets: {} } }, 'no-targets.xlsx')).toBe(
      '9 of 10 steps done. Next: step 10, plan improvement: Set targets in the project file: local share, LM3, local staff share, located share.',
    );
    expect(await stepsLine(analysis, 'steps.xlsx')).toBe('10 of 10 steps done.');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'steps.xlsx'));
    const ws = book.getWorksheet('Steps')!;
    const fill = (row: ExcelJS.Row) => (row.getCell(4).fill as ExcelJS.FillPattern).fgColor?.argb;
    const rating = (name: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => void (row.getCell(2).text === name && (found = row)));
      return [found!.getCell(4).text, fill(found!)];
    };
    expect(rating('Positive flow of money and resources')).toEqual(['LM3 1.99', 'FFDFF0D8']);
    // The demo's questionnaire: 2 of 4 items met for characteristic 7, so partly.
    expect(rating('Good quality services')).toEqual(['partly', 'FFFCF3CF']);
    expect(rating('Inclusive finance system with stable financial institutions')).toEqual(['evidenced', 'FFDFF0D8']);
  });
});

describe('the money trail without Round 3', () => {
  it('draws only Round 1 to Round 2: an untraced Round 3 is unknown, not money leaving', async () => {
    const { parts } = await import('./zip-parts.js');
    const untraced = await analyse({ ...settings, supplierSurvey: undefined, staffSurvey: undefined, assumptions: {} });
    expect(untraced.lm3!.round3Basis).toBe('none');
    const out = join(mkdtempSync(join(tmpdir(), 'local-impact-untraced-')), 'untraced.xlsx');
    await writeWorkbook(untraced, out);
    const trail = (await parts(readFileSync(out))).get('xl/charts/chart1.xml')!;
    expect([...trail.matchAll(/<c:val><c:numRef><c:f>([^<]+)<\/c:f>/g)].map((m) => m[1])).toEqual(["'Charts'!$B$6", "'Charts'!$C$6"]);
  });
});
