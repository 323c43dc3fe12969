import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Validation, type Workbook, xlsx } from '../src/report/xlsx-writer.js';
import { installed } from './programs.js';
import { parts } from './zip-parts.js';

/** A form: locked instructions, two cells to fill in (a percentage and a yes/no), each with its rule. */
const FORM: Workbook = {
  creator: 'test',
  created: new Date('2025-04-07T09:30:14Z'),
  title: 'form',
  sheets: [
    {
      name: 'Form',
      // Rows and cells are numbered from 1: the questions in A1 and A2, the answers in B1 and B2.
      rows: [
        undefined,
        [undefined, { value: 'Share of your costs paid to staff living in the area' }, { value: null, style: { numFmt: '0%', unlocked: true } }],
        [undefined, { value: 'Do you live in the area?' }, { value: null, style: { unlocked: true } }],
      ],
      protect: true,
      validations: [
        {
          range: { firstRow: 1, firstColumn: 2, lastRow: 1, lastColumn: 2 },
          type: 'decimal',
          min: 0,
          max: 1,
          prompt: { title: 'A percentage', text: 'From 0% to 100%.' },
          error: { title: 'Not a percentage', text: 'Type a percentage from 0% to 100%, e.g. 40%.' },
        },
        { range: { firstRow: 2, firstColumn: 2, lastRow: 2, lastColumn: 2 }, type: 'list', list: ['Yes', 'No'], error: { title: 'Yes or No', text: 'Choose Yes or No.' } },
      ],
    },
  ],
};

async function readBack(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book.getWorksheet('Form')!;
}

describe('xlsx writer: forms', () => {
  it('writes rules on what may be typed, unlocked answer cells and a protected sheet, as an independent reader reads them', async () => {
    const sheet = await readBack(xlsx(FORM));
    const rules = (sheet as unknown as { dataValidations: { model: Record<string, Record<string, unknown>> } }).dataValidations.model;
    expect(rules.B1).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 1], allowBlank: true, showErrorMessage: true, errorTitle: 'Not a percentage', promptTitle: 'A percentage' });
    expect(rules.B2).toMatchObject({ type: 'list', formulae: ['"Yes,No"'] });
    expect(sheet.getCell('B1').protection).toMatchObject({ locked: false });
    expect(sheet.getCell('A1').protection?.locked ?? true).toBe(true);
    expect((sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection).toMatchObject({ sheet: true });
  });

  it('refuses rules a spreadsheet program would reject', () => {
    const withRule = (rule: Partial<Validation>): Workbook => ({
      ...FORM,
      sheets: [{ ...FORM.sheets[0]!, validations: [{ range: { firstRow: 1, firstColumn: 2, lastRow: 1, lastColumn: 2 }, type: 'decimal', error: { title: 't', text: 'x' }, ...rule }] }],
    });
    expect(() => xlsx(withRule({ type: 'decimal', min: 1, max: 0 }))).toThrow(/min ≤ max/);
    expect(() => xlsx(withRule({ type: 'list', list: ['a,b'] }))).toThrow(/without commas/);
    expect(() => xlsx(withRule({ type: 'list', list: ['x'.repeat(300)] }))).toThrow(/at most 255/);
    expect(() => xlsx(withRule({ type: 'whole', min: 0, max: 1, error: { title: 'x'.repeat(33), text: 'x' } }))).toThrow(/at most 32/);
  });

  // LibreOffice keeps what it understood when it saves the file again: the rules and the protection survive.
  it.skipIf(!installed('soffice') && !process.env.CI)('keeps its rules and protection through LibreOffice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-impact-forms-'));
    writeFileSync(join(dir, 'form.xlsx'), xlsx(FORM));
    execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'out'), join(dir, 'form.xlsx')], { stdio: 'ignore', timeout: 180_000 });
    // Read as LibreOffice wrote it (its `true`/`false` are not what the independent reader expects).
    const files = await parts(readFileSync(join(dir, 'out', 'form.xlsx')));
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toMatch(/<sheetProtection sheet="(true|1)"/);
    const rules = [...sheet.matchAll(/<dataValidation ([^>]*)>(.*?)<\/dataValidation>/g)].map(([, attributes, body]) => ({ attributes, body }));
    expect(rules).toHaveLength(2);
    const [percent, yesNo] = [rules.find((r) => /sqref="B1"/.test(r.attributes!))!, rules.find((r) => /sqref="B2"/.test(r.attributes!))!];
    expect(percent.attributes).toMatch(/type="decimal"/);
    expect(percent.attributes).toMatch(/errorTitle="Not a percentage"/);
    expect(percent.body).toBe('<formula1>0</formula1><formula2>1</formula2>');
    expect(yesNo.attributes).toMatch(/type="list"/);
    expect(yesNo.body!.replace(/&quot;/g, '"')).toMatch(/^<formula1>"Yes,No"<\/formula1>/);
    const style = Number(/<c r="B1" s="(\d+)"/.exec(sheet)![1]);
    const xfs = [...files.get('xl/styles.xml')!.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/)![1]!.matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)].map(([xf]) => xf);
    expect(xfs[style]).toMatch(/<protection locked="(false|0)"/);
    const label = Number(/<c r="A1" s="(\d+)"/.exec(sheet)![1]);
    expect(xfs[label]).not.toMatch(/locked="(false|0)"/);
  }, 200_000);
});
