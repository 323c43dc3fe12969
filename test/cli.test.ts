import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli, FIXTURE, fixtureArgs } from './cli-helper.js';

const exec = promisify(execFile);
/** How the workbook and the terminal print a figure the disclosure stage withholds. */
const WITHHELD = 'withheld (staff pay: see Assumptions)';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-cli-'));
});


/**
 * The LM3 sheet's Round 3 workings for the fixture, from EXPECTED.md ("Per supplier"), largest spend first:
 * [supplier, spend in pence, survey answer or null, R3 in pence]. A surveyed supplier's R3 is its own answer,
 * an unsurveyed one's the supplier mean (54.51%), each rounded to the penny.
 */
const LOCAL_R3: [string, number, number | null, number][] = [
  ['Shibden Building & Joinery Ltd', 5_587_625, 0.553, 3_089_957],
  ['Calder Staffing Solutions Ltd', 2_334_423, null, 1_272_494],
  ['Halifax Commercial Kitchens Ltd', 2_285_500, null, 1_245_826],
  ['Westgate Property Holdings Ltd', 2_220_000, null, 1_210_122],
  ['Sparkle Cleaning Co-operative Ltd', 1_422_000, 0.48, 682_560],
  ['Calder Print Ltd', 1_023_867, null, 558_110],
  ['Ackroyd & Marsden Chartered Accountants', 969_000, 0.417, 404_073],
  ['Mindful Valley CIC', 960_000, null, 523_296],
  ['Mytholm Electrical Contractors', 781_000, null, 425_723],
  ['Jane Ormerod Consulting', 660_000, null, 359_766],
  ['Holroyd IT Services', 570_000, null, 310_707],
  ['Hebble Plumbing & Heating', 532_500, 0.589, 313_643],
  ['Brigstock Builders Merchants Ltd', 475_985, 0.225, 107_097],
  ['Pennine Catering Supplies Ltd', 455_044, 0.446, 202_950],
  ['Northgate Bakery Ltd', 407_304, 0.625, 254_565],
  ['Todmorden Youth Arts CIC', 400_000, 0.744, 297_600],
  ['Calder Marquee Hire', 319_000, null, 173_887],
  ['Todmorden Computers', 314_863, null, 171_632],
  ['Calder Valley Community Transport', 306_500, 0.66, 202_290],
  ['Upper Calder Joint Waste Services', 262_080, null, 142_860],
  ['Todmorden Fresh Produce', 241_146, 0.712, 171_696],
  ['Sowerby HR Consulting', 222_500, null, 121_285],
  ['Halifax Climbing Centre', 218_500, null, 119_104],
  ['Hebden Bridge Sound & Light', 198_000, null, 107_930],
  ['Greenway Grounds Maintenance', 185_500, null, 101_116],
  ['Ryburn Signs & Banners', 166_074, null, 90_527],
  ['Elland Fire & Security Ltd', 160_200, null, 87_325],
  ['Brewhouse Coffee Roasters', 155_635, null, 84_837],
  ['Booth & Son Family Butchers', 140_553, null, 76_615],
  ['Calder Dairy Co-operative', 97_040, null, 52_897],
  ['Sowerby Bridge Boxing Club', 92_500, null, 50_422],
  ['Pennine Pest Control', 66_000, null, 35_977],
  ['Halifax Hire & Display', 61_000, null, 33_251],
  ['Ovenden Fish & Game', 57_585, null, 31_390],
  ['Jolly Faces Entertainment', 48_500, null, 26_437],
  ['Sunnybank Garden Centre', 40_933, null, 22_313],
  ['Todmorden Community Brass Band', 35_000, null, 19_079],
  ['Kirkgate Games & Hobbies', 26_078, null, 14_215],
  ['Hebden Taxis', 24_650, null, 13_437],
  ['Hebden Water Coolers', 21_600, null, 11_774],
  ['MILL LANE FLORIST', 15_250, null, 8_313],
  ['Copley Crafts', 12_640, null, 6_890],
];
/** The suppliers of unknown location (counted only at the high end): [supplier, spend, R3 at the mean], in pence. */
const UNKNOWN_R3: [string, number, number][] = [
  ['SportsKit Direct', 129_625, 70_659],
  ['ShopZone Marketplace EU Sarl', 121_867, 66_430],
  ['ToolDepot Ltd', 89_100, 48_568],
  ['A1 Waste Removals', 55_000, 29_981],
  ['Party Supplies Online', 49_514, 26_990],
  // Line 235: no supplier, but dated, with a transaction id; round(4,800 × 54.51%) = 2,616.
  ['Unattributable (redacted, placeholder or blank payees)', 4_800, 2_616],
];

describe('local-impact run', () => {
  it('prints only the JSON contract on stdout with --json, and writes the workbook', async () => {
    const out = join(dir, 'report.xlsx');
    const { code, stdout } = await cli('run', ...fixtureArgs(), '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schemaVersion).toBe(3);
    expect(json.spend).toMatchObject({ rowsRead: 534, rowsAccepted: 531, rowsRejected: 3, total: 470722.58, local: 245735.75, nonLocal: 220487.77, unknown: 4499.06, unattributable: 48, suppliers: 81, localSuppliers: 42 });
    expect(json.workforce).toMatchObject({ staff: 40, localStaff: 31, fte: 25.4, localFte: 20, grossPay: 737353.5, localGrossPay: 579423, payrollCost: 821457.72 });
    expect(json.lm3).toMatchObject({
      round1: 1250000, round1Basis: 'income', round2: 825158.75, round2Suppliers: 245735.75, round2Staff: 579423,
      round3: 414963.79, round3Suppliers: 132359.88, round3Staff: 282603.91, round3Basis: 'survey',
      score: 1.9921, // 124,506,127 / 62,500,000 = 1.992098…, to the 4 places the JSON gives
    });
    // Known to leave: £220,487.77 non-local suppliers + £147,400.50 pay of staff living outside = £367,888.27, up
    // to £382,917.33 with the unknown. One member of staff has no usable postcode (£10,530.00): the high end less
    // R2 less unknown supplier spend would give their pay, so the pounds are withheld and the shares of R1 given to
    // the nearest 1%: 36,788,827 / 125,000,000 = 29.43% → 0.29, 38,291,733 / 125,000,000 = 30.63% → 0.31.
    expect(json.leakage).toMatchObject({ total: null, share: 0.29, high: null, highShare: 0.31 });
    expect(json.withheld).toEqual([
      'workforce.nonLocalGrossPay', 'workforce.unknownGrossPay', 'lm3.high.round2', 'lm3.high.round3', 'lm3.high.round3Staff',
      'lm3.unknownStaffPay', 'reconciliation.nonLocalPay', 'reconciliation.unknownPay', 'leakage.total', 'leakage.high',
    ]);
    // 251,273,987 / 125,000,000 = 2.010191… → 2.01.
    expect(json.lm3.scoreHigh).toBe(2.01);
    expect(json.rounded).toEqual([
      { figure: 'lm3.scoreHigh', step: 0.01 },
      { figure: 'leakage.share', step: 0.01 },
      { figure: 'leakage.highShare', step: 0.01 },
    ]);
    expect(json.disclosure).toEqual({
      statements: ['To keep the pay of fewer than 3 people private (one member of staff with no usable home postcode), the report withholds staff pay split by where staff live; the high end of the range in pounds; spend leakage in pounds, and gives the LM3 high end to 2 decimal places and shares to the nearest 1%.'],
      consent: null,
    });
    expect(json.findings.find((f: { code: string }) => f.code === 'AMOUNT_UNPARSEABLE')).toMatchObject({ severity: 'warning', count: 2 });
    // Named from the working folder, never by an absolute path.
    expect(resolve(json.report)).toBe(out);
    expect(isAbsolute(json.report)).toBe(false);
    // No --statement: none written, none named.
    expect(json.statement).toBeNull();
    expect(existsSync(out)).toBe(true);
  });

  it('reports each --tier in the JSON, with no deprivation and no estimate without the postcode directory', async () => {
    const { code, stdout } = await cli('run', ...fixtureArgs(), '--tier', 'HX', '--tier', 'HX,OL14', '--out', join(dir, 't.xlsx'), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.tiers).toEqual([
      // Both tiers locate 99.0% of spend (above 80%): findings; the high end counts the £4,499.06 unknown as local.
      { spec: 'HX', label: 'HX', local: 217547.14, localShare: 21_754_714 / 47_072_258, localShareSupported: true, localShareHigh: 22_204_620 / 47_072_258, nonLocal: 248676.38, unknown: 4499.06 },
      { spec: 'HX,OL14', label: 'HX,OL14', local: 245735.75, localShare: 24_573_575 / 47_072_258, localShareSupported: true, localShareHigh: 25_023_481 / 47_072_258, nonLocal: 220487.77, unknown: 4499.06 },
    ]);
    expect(json.spend).toMatchObject({ uncertain: 0, uncertainEstimatedLocal: null });
    expect(json.deprivation).toBeNull();
    expect(JSON.parse((await cli('run', ...fixtureArgs(), '--out', join(dir, 'u.xlsx'), '--json')).stdout).tiers).toEqual([]);
  });

  it('reads the project file, and the flags override it', async () => {
    const out = join(dir, 'p.xlsx');
    // £900,000 is above Round 2 at the high end (£840,187.81), so it can be the money followed.
    const { code, stdout } = await cli('run', join(FIXTURE, 'project.json'), '--income', '900000', '--out', out, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.lm3.round1).toBe(900000);
    expect(json.organisation).toBe('Calder Valley Community Trust');
    expect(resolve(json.report)).toBe(out);
  });

  it('writes a workbook with the sheets, key cells and live LM3 formulas', async () => {
    const out = join(dir, 'report.xlsx');
    expect((await cli('run', join(FIXTURE, 'project.json'), '--out', out, '--quiet')).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Charts', 'Steps', 'LM3', 'Scenarios', 'Framework', 'Enabled contribution', 'Suppliers', 'Categories', 'Geography', 'Workforce', 'Data quality', 'Findings', 'Assumptions']);
    const lm3 = workbook.getWorksheet('LM3')!;
    const formulas: { address: string; formula: string; result: unknown }[] = [];
    lm3.eachRow((row) => row.eachCell((cell) => {
      if (cell.formula) formulas.push({ address: cell.address, formula: cell.formula, result: cell.result });
    }));
    // Money to the penny (EXPECTED.md, "LM3"); ratios as the exact fractions of those pence.
    const ratio = (value: number) => expect.closeTo(value, 12);
    const rounds = [
      { address: 'B7', formula: 'SUM(C58:C99)', result: 245735.75 }, // local supplier spend: the 42 rows below
      { address: 'B9', formula: 'AVERAGE(D58:D99)', result: 0.5451 }, // supplier survey mean, 54.51%
      { address: 'B12', formula: 'IF(B10=0,0,B11/B10)', result: ratio(3658 / 7500) }, // staff mean, 3658/75 %
      { address: 'B13', formula: 'SUM(C103:C108)', result: 4499.06 }, // unknown-location spend: the 6 rows at the end
      { address: 'B17', formula: 'B6', result: 1250000 },
      { address: 'B18', formula: 'B7+B8', result: 825158.75 },
      { address: 'B19', formula: 'SUM(E58:E99)', result: 57264.31 },
      { address: 'B20', formula: 'SUM(F58:F99)', result: 75095.57 },
      { address: 'B21', formula: 'ROUND(B8*B12,2)', result: 282603.91 },
      { address: 'B22', formula: 'B19+B20+B21', result: 414963.79 },
      { address: 'B23', formula: 'IF(B17>0,(B17+B18+B22)/B17,"none: Round 1 is not above £0")', result: ratio(249_012_254 / 125_000_000) },
      { address: 'B24', formula: 'IF(B17>0,B23-1,0)', result: ratio(124_012_254 / 125_000_000) },
      { address: 'B25', formula: 'IF(B17=0,0,B18/B17)', result: ratio(82_515_875 / 125_000_000) },
      { address: 'B26', formula: 'IF(B18=0,0,B22/B18)', result: ratio(41_496_379 / 82_515_875) },
      { address: 'B30', formula: 'SUM(F103:F108)', result: 2452.44 },
      // B33, the LM3 high end, is no formula: its rounds are withheld (one member of staff has no usable postcode).
      { address: 'B34', formula: 'B23', result: ratio(249_012_254 / 125_000_000) },
      // Where R1 went (EXPECTED.md, "Round 1 reconciled"): B38, B40–B42 are inputs; pay is one line, as one
      // member of staff has no usable postcode.
      { address: 'B37', formula: 'B7', result: 245735.75 },
      { address: 'B39', formula: 'B13', result: 4499.06 },
      { address: 'B43', formula: 'B17-SUM(B37,B38,B39,B40,B41,B42)', result: -42180.3 },
      { address: 'B44', formula: 'SUM(B37,B38,B39,B40,B41,B42,B43)', result: 1250000 },
      { address: 'B45', formula: 'B38', result: 220487.77 },
    ];
    const localWorkings = LOCAL_R3.flatMap(([, , answer, r3], i) => {
      const row = 58 + i;
      return [
        { address: `E${row}`, formula: `IF(ISNUMBER(D${row}),ROUND(C${row}*D${row},2),0)`, result: answer === null ? 0 : r3 / 100 },
        { address: `F${row}`, formula: `IF(ISNUMBER(D${row}),0,ROUND(C${row}*$B$9,2))`, result: answer === null ? r3 / 100 : 0 },
      ];
    });
    const unknownWorkings = UNKNOWN_R3.map(([, , r3], i) => ({ address: `F${103 + i}`, formula: `ROUND(C${103 + i}*$B$9,2)`, result: r3 / 100 }));
    expect(formulas).toEqual([...rounds, ...localWorkings, ...unknownWorkings]);
    // The inputs the workings multiply: each local supplier's spend and survey answer, largest spend first.
    const inputs = (from: number, to: number, columns: number[]) =>
      Array.from({ length: to - from + 1 }, (_, i) => columns.map((c) => lm3.getRow(from + i).getCell(c).value));
    expect(inputs(58, 99, [1, 3, 4])).toEqual(LOCAL_R3.map(([name, spend, answer]) => [name, spend / 100, answer]));
    expect(inputs(103, 108, [1, 3])).toEqual(UNKNOWN_R3.map(([name, spend]) => [name, spend / 100]));
    // The high end in pounds is withheld; the score's high end is a plain value, 251,273,987 / 125,000,000 → 2.01.
    expect(inputs(29, 33, [1, 2])).toEqual([
      ['R2 at the high end', WITHHELD],
      ['R3 from suppliers of unknown location (at the rate)', { formula: 'SUM(F103:F108)', result: 2452.44 }],
      ['R3 from staff at the high end', WITHHELD],
      ['R3 at the high end', WITHHELD],
      ['LM3 high end', 2.01],
    ]);
    expect(lm3.getCell('B14').value).toBe(WITHHELD); // pay of staff with no usable home postcode
    expect(lm3.getCell('A45').value).toBe('Spend leakage (suppliers)');
    expect(inputs(38, 42, [1, 2])).toEqual([
      ['Suppliers located outside the area (leakage)', 220487.77],
      ['Suppliers of unknown location (neither local nor leakage)', { formula: 'B13', result: 4499.06 }],
      ['Pay of staff (gross)', 737353.5],
      ['Employer NI and pension (on-costs)', 84104.22],
      ['Excluded spend', 0],
    ]);

    // Three heading rows, then one row per supplier: 81 suppliers, 42 local, 34 not local and 5 of unknown location,
    // and the unattributable line (£48.00, of unknown location, not a supplier).
    const suppliers = workbook.getWorksheet('Suppliers')!;
    expect(suppliers.rowCount).toBe(3 + 81 + 1);
    expect(suppliers.getRow(85).getCell(1).value).toBe('Unattributable (redacted, placeholder or blank payees)');
    expect(suppliers.getRow(3).getCell(5).value).toBe('Status');
    expect(suppliers.getRow(3).getCell(10).value).toBe('Total');
    const byStatus: Record<string, { suppliers: number; pence: number }> = {};
    for (let r = 4; r <= suppliers.rowCount; r++) {
      const row = suppliers.getRow(r);
      const status = byStatus[String(row.getCell(5).value)] ??= { suppliers: 0, pence: 0 };
      status.suppliers++;
      status.pence += Math.round((row.getCell(10).value as number) * 100);
    }
    expect(byStatus).toEqual({
      local: { suppliers: 42, pence: 24_573_575 },
      'non-local': { suppliers: 34, pence: 22_048_777 },
      unknown: { suppliers: 6, pence: 449_906 },
    });
    const workforceText = JSON.stringify(workbook.getWorksheet('Workforce')!.getSheetValues());
    const payroll = readFileSync(join(FIXTURE, 'payroll-2024-25.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    for (const [id, name, postcode] of payroll) {
      expect(workforceText).not.toContain(id);
      expect(workforceText).not.toContain(name);
      if (postcode && postcode.includes(' ')) expect(workforceText).not.toContain(postcode);
    }
    for (const sheet of workbook.worksheets) {
      const text = JSON.stringify(sheet.getSheetValues());
      for (const [, name] of payroll) expect(text, `${name} in ${sheet.name}`).not.toContain(name);
    }
  });

  it('refuses to overwrite a report without --force', async () => {
    const out = join(dir, 'report.xlsx');
    writeFileSync(out, 'precious');
    const refused = await cli('run', ...fixtureArgs(), '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`local-impact: ${out} already exists.\nAdd --force to overwrite it, or choose another --out.\n`);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect((await cli('run', ...fixtureArgs(), '--out', out, '--force', '--quiet')).code).toBe(0);
    // Overwritten with the report itself (the byte size of a zip is not a fixed figure).
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Charts', 'Steps', 'LM3', 'Framework', 'Suppliers', 'Categories', 'Geography', 'Workforce', 'Data quality', 'Findings', 'Assumptions']);
  });

  it('names the file, the headers found and the flag to use when a required column is missing', async () => {
    const spend = join(dir, 'odd.csv');
    writeFileSync(spend, 'Paid On,Who,Invoice Value\n01/04/2024,Acme Ltd,12.00\n');
    const { code, stderr, stdout } = await cli('run', '--spend', spend, '--area', 'HX', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'local-impact: odd.csv: no supplier column (who was paid) found on the header row (line 1).\n' +
        'Headers found: "Paid On", "Who", "Invoice Value".\n' +
        'Name the column with --spend-column supplier="Who" (check it is the right one).\n',
    ); // and so no stack trace
    expect(existsSync(join(dir, 'r.xlsx'))).toBe(false);
    const mapped = await cli('run', '--spend', spend, '--area', 'HX', '--spend-column', 'supplier=Who', '--spend-column', 'amount=Invoice Value', '--out', join(dir, 'r.xlsx'), '--json');
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.stdout).spend.total).toBe(12);
  });

  it('says clearly when a spend file does not exist', async () => {
    const { code, stderr } = await cli('run', '--spend', join(dir, 'nope.csv'), '--area', 'HX', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `local-impact: Cannot read spend file ${join(dir, 'nope.csv')}: it does not exist or is not readable.\n` +
        'Check the path (relative paths in a project file are relative to the project file).\n',
    ); // and so no stack trace
  });

  it('explains that council areas need the postcode directory', async () => {
    const { code, stderr } = await cli('run', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'Calderdale', '--out', join(dir, 'r.xlsx'));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'local-impact: --area "Calderdale" needs the ONS postcode directory, which has not been imported.\n' +
        'Download the National Statistics Postcode Lookup (NSPL) from the ONS Open Geography Portal (geoportal.statistics.gov.uk), then run: local-impact geo import <the downloaded zip>\n',
    );
  });

  it('leaves no temporary files behind', async () => {
    await cli('run', ...fixtureArgs(), '--out', join(dir, 'r.xlsx'), '--quiet');
    expect(readdirSync(dir)).toEqual(['r.xlsx']);
  });
});

describe('local-impact check and steps', () => {
  it('check reports columns, rows and rejections, and writes nothing', async () => {
    const before = readdirSync(process.cwd()).length;
    const { code, stdout } = await cli('check', join(FIXTURE, 'project.json'));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    // The spend file's seven columns, what each was mapped from, and its rows: 534 read, 3 rejected, 1 unattributable (EXPECTED.md).
    expect(lines.slice(0, 16)).toEqual([
      'spend: payments-2024-25.csv',
      '  utf-8, delimiter ",", header on line 1, 7 columns',
      '  supplier       ← "Supplier"',
      '                   not "Supplier ID": its values are codes, not names',
      '                   not "Supplier Postcode": its values are codes, not names',
      '  amount         ← "Amount"',
      '  date           ← "Date"',
      '  postcode       ← "Supplier Postcode"',
      '  supplierId     ← "Supplier ID"',
      '  category       ← "Category"',
      '  transactionId  ← "Transaction ID"',
      '  rows read 534, accepted 531, rejected 3; total accepted £470,722.58',
      '  unattributable (redacted, placeholder or blank payees): 1 row(s), £48.00, in the total, never located',
      '  VAT basis net: amounts from "Amount" (its header does not say net or gross), used as they are',
      '    rejected AMOUNT_UNPARSEABLE: 2',
      '    rejected AMOUNT_MISSING: 1',
    ]);
    // Each rejected row by its line in the file (line 1 is the header) and its text as read.
    expect(lines.filter((line) => line.startsWith('  payments-2024-25.csv:'))).toEqual([
      '  payments-2024-25.csv:107 AMOUNT_UNPARSEABLE: 13/06/2024,PAY-004922,Northgate Bakery Ltd,S0001,Catering,HX1 2QN,twelve pounds',
      '  payments-2024-25.csv:311 AMOUNT_UNPARSEABLE: 17/10/2024,PAY-005126,OfficeHub Stationery plc,S0021,Printing & Stationery,MK9 2HR,12..50',
      '  payments-2024-25.csv:471 AMOUNT_MISSING: 06/02/2025,PAY-005286,Hebden Taxis,S0082,Transport,HX7 7BP,',
    ]);
    expect(readdirSync(process.cwd()).length).toBe(before);
  });

  it('check exits 1 when an input is unusable', async () => {
    const spend = join(dir, 'bad.csv');
    writeFileSync(spend, 'Foo,Bar\n1,2\n');
    expect((await cli('check', '--spend', spend)).code).toBe(1);
  });

  it('steps lists the 10 steps with their status and the next thing to do', async () => {
    const { code, stdout } = await cli('steps', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--area', 'HX,OL14', '--json');
    expect(code).toBe(0);
    const { steps } = JSON.parse(stdout);
    expect(steps).toHaveLength(10);
    expect(steps[0]).toMatchObject({ number: 1, title: 'Scope', state: 'needs data' });
    expect(steps[5]).toMatchObject({ title: 'Analyse the workforce', state: 'not started' });
    // With nothing given, step 1 (Scope) needs the income, and that is the next thing to do.
    const text = await cli('steps');
    const last = text.stdout.trimEnd().split('\n').slice(-2);
    expect(last[0]).toBe('0 of 10 steps done. Next, step 1 (scope): Give the income or contract value followed: --income or "income" in the project file. Try it with the command, then write it into the project file.');
    // The command to paste, on its own line.
    expect(last[1]).toBe('  local-impact steps --income <pounds>');
  });

  it('schema prints the project file as JSON Schema', async () => {
    const { stdout } = await cli('schema');
    const schema = JSON.parse(stdout);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual([
      '$schema', 'organisation', 'period', 'income', 'area', 'tiers', 'inputs', 'columns', 'conventions', 'limits', 'assumptions', 'livingWage', 'exclude', 'selfAssessment', 'targets', 'framework', 'scenarios', 'disclosure', 'out', 'statement',
    ]);
    // Consent to publish pay in full: publishPay must be true, with the reason for the Assumptions sheet.
    expect(schema.properties.disclosure).toMatchObject({ type: 'object', required: ['publishPay', 'reason'], additionalProperties: false });
    expect(schema.properties.disclosure.properties.publishPay).toMatchObject({ type: 'boolean', const: true });
  });
});

describe('the installed executable', () => {
  it('runs with plain node and prints no colour when piped', async () => {
    const out = join(dir, 'demo.xlsx');
    const { stdout, stderr } = await exec(process.execPath, ['bin/local-impact.js', 'demo', '--out', out], { env: { ...process.env, FORCE_COLOR: undefined } });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Calder Valley Community Trust — 2024-25', 'Local means: HX (postcode area), OL14 (postcode district)']);
    expect(lines.slice(-2)).toEqual([`Report written: ${out}`, `Statement written: ${out.replace(/\.xlsx$/, '')}-statement.html`]);
    expect(stdout).not.toContain('\u001b[');
    expect(stderr).toBe('');
    expect(existsSync(out)).toBe(true);
  });

  it('stops quietly when what it prints into is closed early (`| head`), with no stack trace', async () => {
    // `true` reads nothing and exits at once: each write finds the pipe closed.
    const piped = await exec('sh', ['-c', `"${process.execPath}" bin/local-impact.js framework questions | true`]);
    expect(piped.stderr).toBe('');
  });

  it('prints a user error without a stack trace, and one with --debug', async () => {
    const failed = await exec(process.execPath, ['bin/local-impact.js', 'run', '--spend', 'missing.csv', '--area', 'HX']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'local-impact: Cannot read spend file missing.csv: it does not exist or is not readable.\n' +
        'Check the path (relative paths in a project file are relative to the project file).\n',
    ); // and so no stack trace
    const debug = await exec(process.execPath, ['bin/local-impact.js', 'run', '--spend', 'missing.csv', '--area', 'HX', '--debug']).catch((e) => e);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // The executable runs a bundle; its source maps point the trace at the TypeScript sources.
    expect(debug.stderr).toMatch(/src\/[\w/-]+\.ts:\d+/);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
