import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cli, fixtureArgs } from './cli-helper.js';
import { installed } from './programs.js';

/**
 * The demo workbook in a real spreadsheet program: LibreOffice (installed by .ci/run from Debian's packages).
 * Recalculated from nothing (every cached formula value stripped), it gives the tool's own figures; printed,
 * it makes the pages it should, the headline on page 1.
 */
const soffice = installed('soffice');
const dir = mkdtempSync(join(tmpdir(), 'local-impact-lo-'));

function convert(file: string, to: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', to, '--outdir', outDir, file], { stdio: 'ignore', timeout: 180_000 });
  return join(outDir, file.split('/').at(-1)!.replace(/\.xlsx$/, `.${to.split(':')[0]}`));
}

type Result = number | string | boolean | undefined;
function formulaResults(book: ExcelJS.Workbook): Map<string, { formula: string; result: Result }> {
  const out = new Map<string, { formula: string; result: Result }>();
  book.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value as { formula?: string; result?: Result } | null;
        if (value && typeof value === 'object' && 'formula' in value && value.formula) out.set(`${ws.name}!${cell.address}`, { formula: value.formula, result: value.result });
      }),
    ),
  );
  return out;
}

/** Every cached formula result stripped, the workbook recalculated by LibreOffice: each formula gives `cached`'s figure. */
async function expectRecalculatedAs(original: ExcelJS.Workbook, cached: ReturnType<typeof formulaResults>, name: string): Promise<void> {
  original.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value as { formula?: string } | null;
        if (value && typeof value === 'object' && value.formula) cell.value = { formula: value.formula } as ExcelJS.CellFormulaValue;
      }),
    ),
  );
  const stripped = join(dir, `${name}-stripped.xlsx`);
  await original.xlsx.writeFile(stripped);
  const recalculated = new ExcelJS.Workbook();
  await recalculated.xlsx.readFile(convert(stripped, 'xlsx', join(dir, `${name}-recalculated`)));
  const computed = formulaResults(recalculated);
  for (const [where, { result }] of cached) {
    const got = computed.get(where)?.result;
    if (typeof result === 'number') expect(got, where).toBeCloseTo(result, 6);
    else expect(got, where).toEqual(result);
  }
}

describe.skipIf(!soffice && !process.env.CI)('the demo workbook in LibreOffice', () => {
  const report = join(dir, 'demo.xlsx');

  it('recalculated with every cached value stripped, gives the tool its own figures', async () => {
    const { code } = await cli('run', ...fixtureArgs(), '--organisation', 'Calder Valley Community Trust', '--out', report, '--force', '--quiet');
    expect(code).toBe(0);
    const original = new ExcelJS.Workbook();
    await original.xlsx.readFile(report);
    const cached = formulaResults(original);
    expect(cached.size).toBeGreaterThan(50);
    // The Summary's figures and headline are formulas over the LM3 sheet.
    expect([...cached.keys()].filter((k) => k.startsWith('Summary!')).length).toBeGreaterThanOrEqual(8);
    await expectRecalculatedAs(original, cached, 'demo');
  }, 240_000);

  it("recalculates the project's Scenarios and Enabled contribution sheets to the tool's figures", async () => {
    const out = join(dir, 'project.xlsx');
    expect((await cli('run', 'fixtures/calder-valley-trust/project.json', '--out', out, '--force', '--quiet')).code).toBe(0);
    const original = new ExcelJS.Workbook();
    await original.xlsx.readFile(out);
    const cached = new Map([...formulaResults(original)].filter(([where]) => where.startsWith('Scenarios!') || where.startsWith('Enabled contribution!')));
    expect(cached.size).toBeGreaterThan(20);
    await expectRecalculatedAs(original, cached, 'project');
  }, 240_000);

  it('prints with the headline on page 1', async () => {
    const pdf = convert(report, 'pdf', join(dir, 'pdf'));
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Every £1 of income to Calder Valley Community Trust');
    expect(text).toContain('generated a further £0.99 for the local economy');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(5);
    // No section heading is stranded at the foot of a page: the last line printed above each page's footer is not one.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    const headings = new Set<string>();
    book.eachSheet((ws) => ws.eachRow((row) => void (row.getCell(1).font?.size === 12 && row.getCell(1).font?.bold && headings.add(row.getCell(1).text))));
    expect(headings.size).toBeGreaterThan(10);
    for (let page = 1; page <= pages; page++) {
      const lines = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !/^Page \d+ of \d+$/.test(line) && !line.startsWith('local-impact ') && !book.worksheets.some((ws) => ws.name === line));
      expect(headings.has(lines.at(-1)!), `page ${page} ends with the heading "${lines.at(-1)}"`).toBe(false);
    }
    // Nor does a page hold a handful of lines of a table that started on the page before: a page that does not
    // open with a heading or a sheet's title carries at least TAIL printed lines of the table it continues.
    const TAIL = 10;
    book.eachSheet((ws) => void (ws.getRow(1).getCell(1).font?.size === 14 && headings.add(ws.getRow(1).getCell(1).text)));
    for (let page = 1; page <= pages; page++) {
      const printed = execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      // Less the header (organisation and period) above and the footer (sheet, version, page N of M) below.
      const body = printed.slice(1, -1);
      const opening = body.findIndex((line) => headings.has(line));
      const continuing = opening < 0 ? body.length : opening;
      if (continuing > 0) expect(continuing, `page ${page} opens with ${continuing} lines of the table before: "${body[0]}"`).toBeGreaterThanOrEqual(TAIL);
    }
    expect(readFileSync(pdf).length).toBeGreaterThan(10_000);
  }, 240_000);
});
