import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { rateCharacteristic, assessCharacteristics } from '../src/framework/assess.js';
import { QUESTIONS } from '../src/framework/approach.js';
import { readAnswer } from '../src/ingest/framework-form.js';

describe('the rating rule for characteristics 2–7', () => {
  const yes = { met: true };
  const no = { met: false };
  const unanswered = { met: undefined };

  it('characteristic 3 (inclusive finance), worked by hand: bank with a credit union yes, local reserves no, fair credit yes → 2 of 3 met', () => {
    // Two-thirds met: evidenced with the organisation's own words, partly without them.
    expect(rateCharacteristic([yes, no, yes], 'We bank with Calder Valley Credit Union.')).toBe('evidenced');
    expect(rateCharacteristic([yes, no, yes], '')).toBe('partly');
  });

  it('one of three met is partly; none met is not yet; nothing answered is not assessed', () => {
    expect(rateCharacteristic([yes, no, no], 'words')).toBe('partly');
    expect(rateCharacteristic([no, no, unanswered], 'words')).toBe('not yet');
    expect(rateCharacteristic([unanswered, unanswered], 'words')).toBe('not assessed');
    // An unanswered item still counts against two-thirds: 2 of 4 is not enough.
    expect(rateCharacteristic([yes, yes, unanswered, unanswered], 'words')).toBe('partly');
  });

  it('reads answers as each question asks', () => {
    const q = (id: string) => QUESTIONS.find((x) => x.id === id)!;
    expect(readAnswer(q('3.1'), 'Yes', true)).toBe(true);
    expect(readAnswer(q('3.1'), 'maybe', true)).toBeNull();
    expect(readAnswer(q('4.2'), '0.6', true)).toBe(60);
    expect(readAnswer(q('4.2'), '60%', false)).toBe(60);
    expect(readAnswer(q('4.2'), '160', false)).toBeNull();
    expect(readAnswer(q('5.1'), '24', true)).toBe(24);
    expect(readAnswer(q('5.1'), '2.5', true)).toBeNull();
  });
});

describe('characteristics on a project', async () => {
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const project = await loadProjectFile(PROJECT);
  const analysis = await analyse(
    resolveSettings({ ...project, inputs: { ...project.inputs, framework: undefined }, selfAssessment: { '3': { answers: { '3.1': true, '3.2': false, '3.3': true }, evidence: 'We bank with Calder Valley Credit Union.' } } }, PROJECT, {}),
  );
  const c = assessCharacteristics(analysis);

  it('rates characteristic 3 from the project file\'s answers, its words beside the rating', () => {
    expect(c[2]).toMatchObject({ number: 3, rating: 'evidenced', words: 'We bank with Calder Valley Credit Union.' });
    expect(c[2]!.items.map((i) => [i.id, i.answer, i.met])).toEqual([['3.1', 'yes', true], ['3.2', 'no', false], ['3.3', 'yes', true]]);
  });

  it('measures what the files measure: supplier diversity, local jobs, the Living Wage', () => {
    const items = new Map(c.flatMap((x) => x.items).map((i) => [i.id, i]));
    expect(items.get('2.m2')).toMatchObject({ met: false, answer: 'the 10 largest suppliers take 60.4%' });
    expect(items.get('2.m3')).toMatchObject({ met: true, answer: expect.stringContaining('52.2%') });
    expect(items.get('2.m4')).toMatchObject({ met: true, answer: '44 jobs in 5 tenants' });
    expect(items.get('5.m1')!.met).toBe(true);
    // Evidence reads as sentences: once "5 of 5 items met. staff living locally hold …".
    expect(c.find((x) => x.number === 5)!.evidence).toMatch(/items met\. Staff living locally hold /);
    expect(items.get('6.m1')!.met).toBeUndefined();
    // Characteristic 6 has no answers and its one measure is not computed: not assessed.
    expect(c[5]!.rating).toBe('not assessed');
  });

  it('refuses an answer in the project file that its question cannot take, naming it', () => {
    expect(() => resolveSettings({ ...project, selfAssessment: { '4': { answers: { '4.2': 'lots' } } } }, PROJECT, {})).toThrow(/4\.2: lots is not a percentage/);
    expect(() => resolveSettings({ ...project, selfAssessment: { '4': { answers: { '5.1': 3 } } } }, PROJECT, {})).toThrow(/5\.1/);
  });
});

describe('the questionnaire and tenants register forms', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const ExcelJS = (await import('exceljs')).default;
  const { frameworkFormFiles } = await import('../src/framework/forms.js');
  const { readFrameworkForm } = await import('../src/ingest/framework-form.js');
  const { readTenants } = await import('../src/ingest/tenants.js');
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const project = await loadProjectFile(PROJECT);
  const settings = resolveSettings({ ...project, selfAssessment: { '4': { answers: { '4.1': true, '4.2': 85, '4.3': 23 }, evidence: 'The hub is let to six local groups.' } } }, PROJECT, {});
  const files = frameworkFormFiles(settings, new Date('2025-04-07T09:00:00Z'));
  const dir = mkdtempSync(join(tmpdir(), 'local-impact-forms-'));
  for (const f of files) writeFileSync(join(dir, f.name), f.bytes);

  it('writes the questionnaire and the tenants register', () => {
    expect(files.map((f) => f.name)).toEqual(['framework-questionnaire.xlsx', 'tenants-register.xlsx']);
  });

  it('reads back the answers it was written with, percentages as the form holds them', async () => {
    const read = await readFrameworkForm(join(dir, 'framework-questionnaire.xlsx'));
    expect([...read.answers]).toEqual([['4.1', true], ['4.2', 85], ['4.3', 23]]);
    expect(read.words.get(4)).toBe('The hub is let to six local groups.');
    expect(read.file).toMatchObject({ rowsRead: QUESTIONS.length + 6, rowsRejected: 0 });
  });

  it('checks what is typed: a rule on every answer cell, open answer cells on a protected sheet', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[0]!.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Questionnaire')!;
    const rules = (sheet as unknown as { dataValidations: { model: Record<string, { type: string; formulae: unknown[] }> } }).dataValidations.model;
    const row41 = sheet.getColumn(1).values.indexOf('4.1');
    const row42 = sheet.getColumn(1).values.indexOf('4.2');
    expect(rules[`D${row41}`]).toMatchObject({ type: 'list', formulae: ['"Yes,No"'] });
    expect(rules[`D${row42}`]).toMatchObject({ type: 'decimal', formulae: [0, 1] });
    expect(sheet.getCell(`D${row41}`).protection).toMatchObject({ locked: false });
    expect(sheet.getCell(`C${row41}`).protection?.locked ?? true).toBe(true);
    expect((sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection).toMatchObject({ sheet: true });
  });

  it('prints as the report does: one page wide, the header row on every page, a question ID beside its question', async () => {
    // It once printed over eight portrait pages, its columns cut apart, each ID at the foot of its row.
    for (const file of files) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
      for (const sheet of book.worksheets) expect(sheet.pageSetup, `${file.name} ${sheet.name}`).toMatchObject({ paperSize: 9, fitToWidth: 1, fitToHeight: 0 });
    }
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[0]!.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Questionnaire')!;
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', printTitlesRow: '5:5' });
    const row41 = sheet.getColumn(1).values.indexOf('4.1');
    expect(sheet.getCell(`A${row41}`).alignment?.vertical).toBe('top');
  });

  it('refuses, with a code, an answer typed past the rules (a paste) and a question it does not know', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[0]!.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Questionnaire')!;
    const row = sheet.getColumn(1).values.indexOf('3.1');
    sheet.getCell(`D${row}`).value = 'Perhaps';
    sheet.getCell(`A${row + 1}`).value = '3.9';
    const path = join(dir, 'pasted.xlsx');
    await book.xlsx.writeFile(path);
    const read = await readFrameworkForm(path);
    // The form's title rows above its header are noted (HEADER_NOT_FIRST_LINE), as for any file.
    expect(read.findings.details.map((f) => f.code).filter((c) => c !== 'HEADER_NOT_FIRST_LINE')).toEqual(['FRAMEWORK_ANSWER_UNREADABLE', 'FRAMEWORK_QUESTION_UNKNOWN']);
    expect(read.file.rowsAccepted + read.file.rowsRejected).toBe(read.file.rowsRead);
  });

  it('writes a blank tenants register the tenants reader reads', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[1]!.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Tenants')!;
    sheet.getRow(2).values = ['Calder Bakery CIC', 'C10-12', 12, 9.5, 'Yes'];
    const path = join(dir, 'tenants.xlsx');
    await book.xlsx.writeFile(path);
    const read = await readTenants(path);
    expect(read.rows).toMatchObject([{ name: 'Calder Bakery CIC', industry: 'C10-12', jobs: 12, fte: 9.5, local: true, ownGva: undefined }]);
  });

  it("the bundled organisation's filled-in form answers every question of today's questionnaire", async () => {
    const read = await readFrameworkForm('fixtures/calder-valley-trust/framework-questionnaire.xlsx');
    // Its title rows are the form's own, not a preamble to report.
    expect(read.findings.details.map((f) => f.code)).toEqual([]);
    expect([...read.answers.keys()].sort()).toEqual(QUESTIONS.map((q) => q.id).sort());
  });
});

describe('staff travel (characteristic 6): counts of where staff live, never of fewer than 3', async () => {
  const { measureTravel } = await import('../src/measures/travel.js');
  const { travelPublishable } = await import('../src/disclosure/travel.js');
  const miles: Record<string, number> = { HX1: 0.5, HX2: 2.1, OL14: 12.4, LS6: 18 };
  const staff = (...districts: (string | undefined)[]) => districts.map((district) => ({ district }));

  it('counts staff within 5 miles by the centre of their home district', () => {
    const t = measureTravel(staff('HX1', 'HX1', 'HX2', 'OL14', 'OL14', 'OL14', undefined), (d) => miles[d], (d) => d ?? 'none');
    expect(t).toMatchObject({ measured: 6, within: 3, unmeasured: 1 });
    expect(travelPublishable(t)).toBe(true);
  });

  it('withholds a split that would say where one or two people live', () => {
    // Six staff in one pooled row: one of them lives far away.
    const t = measureTravel(staff('HX1', 'HX1', 'HX2', 'HX2', 'HX1', 'LS6'), (d) => miles[d], () => 'Other districts');
    expect(t).toMatchObject({ measured: 6, within: 5 });
    expect(travelPublishable(t)).toBe(false);
  });
});
