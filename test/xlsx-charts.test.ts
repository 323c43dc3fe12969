import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type ChartSpec, type Workbook, type Worksheet, xlsx } from '../src/report/xlsx-writer.js';
import { AREA_SHEET, chartBook, LONG_ROWS } from './chart-book.js';
import { parts } from './zip-parts.js';
import { installed } from './programs.js';

async function partOf(book: Workbook, name: string): Promise<string> {
  const text = (await parts(xlsx(book))).get(name);
  if (text === undefined) throw new Error(`no ${name}`);
  return text;
}

/** Each match's first group, in order. */
const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? '');
const series = (chart: string) => chart.split('<c:ser>').slice(1);

describe('charts', () => {
  it('are parts of their own, related to the drawing of the sheet that holds them and declared in the content types', async () => {
    const found = await parts(xlsx(chartBook()));
    expect([...found.keys()].filter((n) => /drawing|chart|worksheets\/_rels/.test(n))).toEqual([
      'xl/worksheets/_rels/sheet1.xml.rels',
      'xl/drawings/drawing1.xml',
      'xl/drawings/_rels/drawing1.xml.rels',
      'xl/charts/chart1.xml',
      'xl/charts/chart2.xml',
      'xl/charts/chart3.xml',
      'xl/worksheets/_rels/sheet2.xml.rels',
      'xl/drawings/drawing2.xml',
      'xl/drawings/_rels/drawing2.xml.rels',
      'xl/charts/chart4.xml',
      'xl/charts/chart5.xml',
      'xl/charts/chart6.xml',
    ]);
    expect(all(found.get('xl/worksheets/_rels/sheet2.xml.rels')!, /Target="([^"]+)"/g)).toEqual(['../drawings/drawing2.xml']);
    expect(all(found.get('xl/drawings/_rels/drawing2.xml.rels')!, /Id="(rId\d)"/g)).toEqual(['rId1', 'rId2', 'rId3']);
    expect(all(found.get('xl/drawings/_rels/drawing2.xml.rels')!, /Target="([^"]+)"/g)).toEqual(['../charts/chart4.xml', '../charts/chart5.xml', '../charts/chart6.xml']);
    const types = found.get('[Content_Types].xml')!;
    expect(all(types, /PartName="\/xl\/(drawings|charts)\//g)).toEqual(['drawings', 'drawings', 'charts', 'charts', 'charts', 'charts', 'charts', 'charts']);
    expect(types).toContain('<Override PartName="/xl/charts/chart6.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>');
    expect(types).toContain('<Override PartName="/xl/drawings/drawing2.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>');
    // Only a sheet with charts has a drawing, last in the sheet as the schema orders it.
    expect(found.get('xl/worksheets/sheet1.xml')).toMatch(/<drawing r:id="rId1"\/><\/worksheet>$/);
    expect(found.get('xl/worksheets/sheet3.xml')).not.toContain('<drawing');
  });

  it('a column chart refers to its ranges absolutely, with the values as last calculated (a formula its result) cached', async () => {
    const chart = await partOf(chartBook(), 'xl/charts/chart1.xml');
    expect(chart).toContain('<c:barDir val="col"/><c:grouping val="clustered"/>');
    expect(all(chart, /<c:f>([^<]+)<\/c:f>/g)).toEqual(["'LM3'!$B$3", "'LM3'!$A$4:$A$6", "'LM3'!$B$4:$B$6"]);
    expect(chart).toContain("<c:tx><c:strRef><c:f>'LM3'!$B$3</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>Money (£)</c:v></c:pt></c:strCache></c:strRef></c:tx>");
    expect(all(chart, /<c:strCache><c:ptCount val="3"\/>(.*?)<\/c:strCache>/g)).toEqual([
      '<c:pt idx="0"><c:v>Round 1</c:v></c:pt><c:pt idx="1"><c:v>Round 2</c:v></c:pt><c:pt idx="2"><c:v>Round 3</c:v></c:pt>',
    ]);
    expect(all(chart, /<c:numCache>(.*?)<\/c:numCache>/g)).toEqual([
      '<c:formatCode>&quot;£&quot;#,##0</c:formatCode><c:ptCount val="3"/><c:pt idx="0"><c:v>1000000</c:v></c:pt><c:pt idx="1"><c:v>400000</c:v></c:pt><c:pt idx="2"><c:v>200000</c:v></c:pt>',
    ]);
    expect(chart).toContain('<c:spPr><a:solidFill><a:srgbClr val="1F4E9A"/></a:solidFill></c:spPr>');
    expect(chart).toContain('<c:dLbls><c:numFmt formatCode="&quot;£&quot;#,##0" sourceLinked="0"/>');
    expect(chart).toContain('<c:showVal val="1"/>');
    expect(chart).toContain('<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="&quot;£&quot;#,##0" sourceLinked="0"/>');
    expect(chart).toContain('<a:t>Money at each round</a:t>');
    expect(chart).not.toContain('<c:legend>');
  });

  it('follows its cells: another value in a cell is another value in the cache', async () => {
    const chart = await partOf(chartBook(250_000), 'xl/charts/chart1.xml');
    expect(all(chart, /<c:numCache>.*?<c:pt idx="0"><c:v>([^<]+)<\/c:v>/g)).toEqual(['250000']);
  });

  it('a pie shows each slice in its colour with its share; a doughnut over another sheet quotes its name, a quote in it doubled', async () => {
    const found = await parts(xlsx(chartBook()));
    const pie = found.get('xl/charts/chart2.xml')!;
    expect(pie).toContain('<c:pieChart><c:varyColors val="1"/>');
    expect(all(pie, /<c:dPt><c:idx val="\d"\/><c:bubble3D val="0"\/><c:spPr><a:solidFill><a:srgbClr val="(\w+)"\/>/g)).toEqual(['1F4E9A', '5B9BD5', 'A5C8ED']);
    expect(pie).toContain('<c:showVal val="0"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="1"/>');
    expect(pie).toContain('<c:legend><c:legendPos val="r"/>');
    const doughnut = found.get('xl/charts/chart3.xml')!;
    expect(doughnut).toContain('<c:doughnutChart><c:varyColors val="1"/>');
    expect(doughnut).toContain('<c:holeSize val="50"/>');
    expect(doughnut).toContain('<c:tx><c:v>Local</c:v></c:tx>');
    expect(all(doughnut, /<c:f>([^<]+)<\/c:f>/g)).toEqual(["'Spend by area''s'!$A$2:$A$5", "'Spend by area''s'!$B$2:$B$5"]);
    expect(all(doughnut, /<c:numCache>.*?<c:ptCount val="(\d)"/g)).toEqual(['4']);
    expect(all(doughnut, /<c:v>(\d+)<\/c:v>/g)).toEqual(['520000', '180000', '95000', '0']);
    // No colours given: Office's own, written out, since LibreOffice draws automatic colours without a theme as nothing.
    expect(all(doughnut, /<c:dPt>.*?val="(\w{6})"/g)).toEqual(['4472C4', 'ED7D31', 'A5A5A5', 'FFC000']);
    expect(doughnut).toContain('<c:legend><c:legendPos val="b"/>');
  });

  it('bars run horizontally, top down, side by side or stacked; columns stack', async () => {
    const found = await parts(xlsx(chartBook()));
    const clustered = found.get('xl/charts/chart4.xml')!;
    const shares = found.get('xl/charts/chart5.xml')!;
    const stacked = found.get('xl/charts/chart6.xml')!;
    expect(clustered).toContain('<c:barDir val="bar"/><c:grouping val="clustered"/>');
    expect(clustered).not.toContain('<c:overlap');
    expect(clustered).toContain('<c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>');
    expect(shares).toContain('<c:barDir val="bar"/><c:grouping val="percentStacked"/>');
    expect(shares).toContain('<c:overlap val="100"/>');
    expect(shares).toContain('<c:numFmt formatCode="0%" sourceLinked="0"/>');
    expect(stacked).toContain('<c:barDir val="col"/><c:grouping val="stacked"/>');
    expect(series(stacked).map((s) => all(s, /<c:f>([^<]+)<\/c:f>/g))).toEqual([
      ["'Spend by area''s'!$B$1", "'Spend by area''s'!$A$2:$A$5", "'Spend by area''s'!$B$2:$B$5"],
      ["'Spend by area''s'!$C$1", "'Spend by area''s'!$A$2:$A$5", "'Spend by area''s'!$C$2:$C$5"],
    ]);
    expect(series(stacked).map((s) => all(s, /<a:srgbClr val="(\w+)"/g))).toEqual([['2E7D32'], ['BDBDBD']]);
    expect(all(stacked, /<c:idx val="(\d)"\/><c:order val="\d"\/>/g)).toEqual(['0', '1']);
  });

  it('names every bar: no category label skipped, and a long name on one line beside its bar rather than wrapped', async () => {
    // LibreOffice once dropped every other supplier name from the top-10 chart, having wrapped the long ones.
    const found = await parts(xlsx(chartBook()));
    const bars = found.get('xl/charts/chart4.xml')!;
    const columns = found.get('xl/charts/chart6.xml')!;
    const categoryAxis = (chart: string) => /<c:catAx>[\s\S]*?<\/c:catAx>/.exec(chart)![0];
    for (const chart of [bars, columns]) expect(categoryAxis(chart)).toContain('<c:tickLblSkip val="1"/>');
    expect(categoryAxis(bars)).toContain('<a:bodyPr rot="0" vert="horz" wrap="none"/>');
    // A column's label may still wrap under it.
    expect(categoryAxis(columns)).toContain('<a:bodyPr/>');
  });

  it('labels a stacked bar at its centre and a doughnut where the program chooses: Excel repairs a file that puts them elsewhere', async () => {
    const base = chartBook();
    const labelled = (sheet: number, chart: number) => ({ ...base.sheets[sheet]!.charts![chart]!, dataLabels: 'value' as const });
    const book = { ...base, sheets: [{ ...base.sheets[1]!, charts: [labelled(1, 0), labelled(1, 2), labelled(0, 2)] }] };
    const found = await parts(xlsx(book));
    expect(['xl/charts/chart1.xml', 'xl/charts/chart2.xml', 'xl/charts/chart3.xml'].map((n) => all(found.get(n)!, /<c:dLblPos val="(\w+)"/g))).toEqual([
      ['outEnd', 'outEnd'],
      ['ctr', 'ctr'],
      [],
    ]);
  });

  it('the drawing anchors each chart over its cells (to a cell, or over a size) and describes it for a screen reader', async () => {
    const drawing = await partOf(chartBook(), 'xl/drawings/drawing1.xml');
    const corners = all(drawing, /<xdr:(?:from|to)>(.*?)<\/xdr:(?:from|to)>/g).map((c) => all(c!, /<xdr:(?:col|row)>(\d+)</g).join(','));
    // From D2 to J16 included; from D18 over 7 columns and 15 rows; 0-based, the far corner at the start of the next cell.
    expect(corners).toEqual(['3,1', '10,16', '3,17', '10,32', '3,33', '10,48']);
    // Each top edge a little inside its row, so a page break on the row's edge prints no stray line of it.
    expect(all(drawing, /<xdr:from>.*?<xdr:rowOff>(\d+)</g)).toEqual(['38100', '38100', '38100']);
    expect(all(drawing, /<xdr:cNvPr ([^>]+)\/>/g)).toEqual([
      'id="2" name="Money at each round" descr="Columns: round 1 £1,000,000, round 2 £400,000, round 3 £200,000"',
      'id="3" name="Share of LM3" descr="Pie of the three rounds"',
      'id="4" name="Local suppliers by area" descr="Doughnut of local spend by area"',
    ]);
    expect(all(drawing, /<c:chart [^>]*r:id="(rId\d)"\/>/g)).toEqual(['rId1', 'rId2', 'rId3']);
  });

  it('refuses what would make a broken chart, naming it', () => {
    const book = (chart: Partial<ChartSpec>) => {
      const base = chartBook();
      const lm3: Worksheet = { ...base.sheets[0]!, charts: [{ ...base.sheets[0]!.charts![0]!, ...chart }] };
      return { ...base, sheets: [lm3, ...base.sheets.slice(1)] };
    };
    const cells = { firstRow: 4, firstColumn: 1, lastRow: 6, lastColumn: 1 };
    expect(() => xlsx(book({ series: [{ categories: { ...cells, sheet: 'Nowhere' }, values: cells }] }))).toThrow(
      'Chart "Money at each round" refers to a sheet "Nowhere" the workbook does not have',
    );
    expect(() => xlsx(book({ series: [{ categories: cells, values: { ...cells, lastColumn: 2 } }] }))).toThrow(
      "Chart \"Money at each round\": a series' range must be one row or one column, not 'LM3'!$A$4:$B$6",
    );
    expect(() => xlsx(book({ series: [{ categories: cells, values: { ...cells, lastRow: 7 } }] }))).toThrow(
      'Chart "Money at each round": 3 categories but 4 values in series 1',
    );
    expect(() => xlsx(book({ series: [{ categories: cells, values: cells, color: '1F4E9A' }] }))).toThrow('Chart "Money at each round": colour 1F4E9A is not ARGB');
    expect(() => xlsx(book({ series: [] }))).toThrow('Chart "Money at each round" has no series');
    expect(() => xlsx(book({ dataLabels: 'percent' }))).toThrow('Chart "Money at each round": only a pie or doughnut labels its share of the whole');
    expect(() => xlsx(book({ type: 'pie', grouping: 'stacked' }))).toThrow('Chart "Money at each round": a pie has no grouping');
  });

  it('a sheet name is found regardless of case, and written as the sheet spells it', async () => {
    const base = chartBook();
    const chart: ChartSpec = {
      ...base.sheets[0]!.charts![0]!,
      series: [{ categories: { sheet: 'lm3', firstRow: 4, firstColumn: 1, lastRow: 6, lastColumn: 1 }, values: { sheet: 'LM3', firstRow: 4, firstColumn: 2, lastRow: 6, lastColumn: 2 } }],
    };
    const book = { ...base, sheets: [{ ...base.sheets[0]!, charts: [chart] }] };
    expect(all(await partOf(book, 'xl/charts/chart1.xml'), /<c:f>([^<]+)<\/c:f>/g)).toEqual(["'LM3'!$A$4:$A$6", "'LM3'!$B$4:$B$6"]);
  });
});

describe('print setup', () => {
  it('writes margins, centring, A4 fitted to the width, header and footer codes (an & of the text doubled) and page breaks in the schema order', async () => {
    const sheet = await partOf(chartBook(), 'xl/worksheets/sheet3.xml');
    const second = 4 + LONG_ROWS + 1;
    expect(sheet.slice(sheet.indexOf('</sheetData>'))).toBe(
      '</sheetData><printOptions horizontalCentered="1"/>' +
        '<pageMargins left="0.5" right="0.5" top="0.8" bottom="0.8" header="0.3" footer="0.3"/>' +
        '<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0"/>' +
        '<headerFooter><oddHeader>&amp;LPayments &amp;&amp; receipts&amp;RSheet &amp;A</oddHeader><oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter></headerFooter>' +
        `<rowBreaks count="1" manualBreakCount="1"><brk id="${second - 1}" max="16383" man="1"/></rowBreaks></worksheet>`,
    );
    expect(sheet).toContain('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  });

  it('names several title rows and a print area for the sheet they belong to', async () => {
    const workbook = await partOf(chartBook(), 'xl/workbook.xml');
    expect(all(workbook, /(<definedName [^>]+>[^<]+<\/definedName>)/g)).toEqual([
      `<definedName name="_xlnm.Print_Titles" localSheetId="2">'Payments'!$3:$3</definedName>`,
      `<definedName name="_xlnm.Print_Area" localSheetId="2">'Payments'!$A$1:$B$${4 + LONG_ROWS + 2}</definedName>`,
    ]);
    const base = chartBook();
    const titled = { ...base, sheets: [{ ...base.sheets[2]!, printTitleRows: { first: 2, last: 3 }, printArea: undefined }] };
    expect(await partOf(titled, 'xl/workbook.xml')).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="0">'Payments'!$2:$3</definedName>`);
  });

  it('an independent reader (exceljs) reads the print settings back as written', async () => {
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(xlsx(chartBook()) as unknown as ArrayBuffer);
    const payments = read.getWorksheet('Payments')!;
    expect(payments.pageSetup.margins).toEqual({ left: 0.5, right: 0.5, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 });
    expect(payments.pageSetup.horizontalCentered).toBe(true);
    expect(payments.pageSetup.printTitlesRow).toBe('3:3');
    expect(payments.pageSetup.printArea).toBe(`A1:B${4 + LONG_ROWS + 2}`);
    expect(payments.headerFooter.oddFooter).toBe('&CPage &P of &N');
    expect(read.getWorksheet(AREA_SHEET)!.getCell('B2').value).toBe(520_000);
  });

  it('refuses print settings no program could keep', () => {
    const base = chartBook();
    const payments = base.sheets[2]!;
    const book = (sheet: Partial<Worksheet>): Workbook => ({ ...base, sheets: [{ ...payments, ...sheet }] });
    expect(() => xlsx(book({ printTitlesRow: 3 }))).toThrow('Sheet Payments: printTitlesRow and printTitleRows both given');
    expect(() => xlsx(book({ printTitleRows: { first: 4, last: 3 } }))).toThrow('Sheet Payments: print titles from row 4 to row 3');
    expect(() => xlsx(book({ rowBreaks: [0] }))).toThrow('Sheet Payments: a page break at row 0; rows are 1 to 1048576');
    expect(() => xlsx(book({ pageSetup: { footer: { center: 'x'.repeat(254) } } }))).toThrow('Sheet Payments: a header or footer of 256 characters; Excel keeps at most 255');
    expect(() => xlsx(book({ pageSetup: { margins: { left: -1 } } }))).toThrow('Sheet Payments: a left margin of -1 inches cannot be printed');
  });
});

const soffice = installed('soffice');
if (!soffice) console.warn('xlsx-charts: LibreOffice (soffice) is not installed, so the workbook is not printed to PDF here');

describe.skipIf(!soffice)('LibreOffice prints the workbook', () => {
  it('to a PDF of 8 pages: the charts, the title row on every page and the second table on a page of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-impact-charts-'));
    writeFileSync(join(dir, 'book.xlsx'), xlsx(chartBook()));
    // A profile of its own, so a LibreOffice the developer has open (or another test) does not swallow the conversion.
    const profile = pathToFileURL(join(dir, 'profile')).href;
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'book.xlsx')], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    const pdf = readFileSync(join(dir, 'book.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(8);
    const pageText = (page: number) => {
      try {
        return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', join(dir, 'book.pdf'), '-'], { encoding: 'utf8' });
      } catch {
        return undefined; // poppler-utils not installed: the page count above is the check
      }
    };
    const last = pageText(8);
    if (last !== undefined) {
      expect(last).toMatch(/Supplier\s+Amount\s+Second table\s+Total\s+£726,000/);
      expect(last).toContain('Payments & receipts');
      expect(last).toContain('Page 8 of 8');
      expect(pageText(1)).toMatch(/Money at each round[\s\S]*Round 1[\s\S]*Share of LM3/);
    }
  }, 180_000);
});
