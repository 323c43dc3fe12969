import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { cellName, STAFF_FORM, SUPPLIER_FORM } from '../src/domain/survey-forms.js';
import { surveyFormFiles } from '../src/report/forms.js';
import { FIXTURE } from './cli-helper.js';

/** The survey forms as a person opening them sees them: read back by an independent reader. */
async function sheetOf(data: string | Uint8Array): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  return book.worksheets[0]!;
}

describe('survey forms, as printed', () => {
  let analysis: Analysis;
  let files: ReturnType<typeof surveyFormFiles>;
  beforeAll(async () => {
    const project = `${FIXTURE}/project.json`;
    analysis = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    files = surveyFormFiles(analysis);
  });
  const file = (path: string) => files.find((f) => f.path === path || f.path.startsWith(path))!.data;

  it('starts each label and its value on the same line, however many lines the value wraps over', async () => {
    // "What 'local' means here" once stood at the foot of its row while its wrapped value began at the top.
    for (const [data, identity] of [[file('supplier-forms/01-'), SUPPLIER_FORM.identity], [file('staff-form.xlsx'), STAFF_FORM.identity]] as const) {
      const sheet = await sheetOf(data);
      for (const at of Object.values(identity)) {
        const label = sheet.getCell(at.row, 1);
        const value = sheet.getCell(at.row, at.column);
        expect(label.alignment?.vertical, `${cellName(at)} label`).toBe('top');
        expect(value.alignment?.vertical, cellName(at)).toBe('top');
      }
    }
  });

  it("lays the staff form's instructions and area across the page, not down its first column", async () => {
    const sheet = await sheetOf(file('staff-form.xlsx'));
    const merges = (sheet.model as { merges?: string[] }).merges ?? [];
    expect(merges).toEqual(expect.arrayContaining(['B4:D4', 'B5:D5', 'A6:D6', 'A26:D26']));
    // The area fits one line at the merged width, and the instructions no longer need eight.
    expect(sheet.getRow(5).height ?? 15).toBe(15);
    expect(sheet.getRow(6).height).toBeLessThanOrEqual(60);
    const supplier = await sheetOf(file('supplier-forms/01-'));
    expect((supplier.model as { merges?: string[] }).merges).toEqual(expect.arrayContaining(['A11:B11', 'A18:B18']));
  });

  it("gives the tracking sheet's rows room for a date written by hand, in blue cells that may be typed in", async () => {
    const sheet = await sheetOf(file('survey-tracking.xlsx'));
    const first = 5; // under the title, its two notes and the header
    expect(sheet.getCell(first, 2).value).toBe('Shibden Building & Joinery Ltd');
    for (let row = first; row < first + 38; row++) {
      expect(sheet.getRow(row).height, `row ${row}`).toBeGreaterThanOrEqual(18);
      for (const column of [8, 9, 10]) {
        const cell = sheet.getCell(row, column);
        expect(cell.protection?.locked, `${row}:${column}`).toBe(false);
        expect((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).toBe('FFEAF1FB');
      }
    }
    // The header's shares wrap on two lines, not three.
    expect(sheet.getRow(first - 1).height).toBe(30);
  });
});
