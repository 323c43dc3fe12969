import type { Settings } from '../config/settings.js';
import { type Answer, mergeAnswers, WORDS_ID } from '../ingest/framework-form.js';
import { type Cell, type CellStyle, type PageSetup, type Validation, type Worksheet, xlsx } from '../report/xlsx-writer.js';
import { TOOL } from '../version.js';
import { CHARACTERISTICS, MEASURED_ITEMS, type Question, QUESTIONNAIRE_CREDIT, QUESTIONNAIRE_HEADER_ROW, QUESTIONS, RATING_RULE } from './approach.js';

/**
 * The forms step 9 is gathered with, as .xlsx files a spreadsheet checks as they are typed: the questionnaire
 * for characteristics 2–7 (a protected sheet whose only open cells are the answers, each with a rule) and the
 * blank tenants register. `local-impact framework forms` writes them; `init` calls this too.
 */
export interface FormFile {
  name: string;
  bytes: Buffer;
}

export const QUESTIONNAIRE_FILE = 'framework-questionnaire.xlsx';
export const TENANTS_FILE = 'tenants-register.xlsx';

const TITLE: CellStyle = { font: { bold: true, size: 14 } };
const NOTE: CellStyle = { font: { italic: true, color: 'FF555555' } };
const HEADER: CellStyle = { font: { bold: true }, fill: 'FFDDE4EE', borderBottom: true, alignment: { wrapText: true, vertical: 'bottom' } };
const SECTION: CellStyle = { font: { bold: true, size: 12 } };
const WRAP: CellStyle = { alignment: { wrapText: true, vertical: 'top' } };
const ANSWER: CellStyle = { fill: 'FFEAF1FB', font: { color: 'FF1F4E9A' }, unlocked: true, alignment: { vertical: 'top', wrapText: true } };
const ANSWER_PERCENT: CellStyle = { ...ANSWER, numFmt: '0%' };

const ID: CellStyle = { alignment: { vertical: 'top' } };

/** Printed as the report's sheets are: A4 landscape, one page wide, the header row repeated, pages numbered. */
function printed(title: string, organisation?: string): PageSetup {
  return {
    landscape: true,
    paperSize: 9,
    fitToWidth: 1,
    fitToHeight: 0,
    ...(organisation === undefined ? {} : { header: { left: organisation.slice(0, 100) } }),
    footer: { left: title, right: ['Page ', { field: 'page' }, ' of ', { field: 'pages' }] },
  };
}

const HOW: Record<Question['kind'], string> = { 'yes/no': 'Yes or No', count: 'a whole number', percent: 'a percentage, e.g. 40%' };

function rule(kind: Question['kind'], row: number, column: number): Validation {
  const range = { firstRow: row, firstColumn: column, lastRow: row, lastColumn: column };
  if (kind === 'yes/no') return { range, type: 'list', list: ['Yes', 'No'], error: { title: 'Yes or No', text: 'Choose Yes or No from the list.' } };
  if (kind === 'count') return { range, type: 'whole', min: 0, max: 10_000_000, error: { title: 'A whole number', text: 'Type a whole number, 0 or more.' } };
  return { range, type: 'decimal', min: 0, max: 1, error: { title: 'A percentage', text: 'Type a percentage from 0% to 100%, e.g. 40%.' } };
}

function answerCell(question: Question, answer: Answer | undefined): Cell {
  const style = question.kind === 'percent' ? ANSWER_PERCENT : ANSWER;
  if (answer === undefined) return { value: null, style };
  if (typeof answer === 'boolean') return { value: answer ? 'Yes' : 'No', style };
  return { value: question.kind === 'percent' ? answer / 100 : answer, style };
}

function questionnaire(settings: Settings): Worksheet[] {
  // The project file's answers so far, so a form written again keeps them.
  const known = mergeAnswers(undefined, settings.selfAssessment);
  const rows: (Cell | undefined)[][] = [];
  const heights: number[] = [];
  const validations: Validation[] = [];
  const put = (row: number, cells: (Cell | undefined)[]) => (rows[row] = [undefined, ...cells]);
  put(1, [{ value: `Economic Resilience Framework questionnaire: ${settings.organisation}`, style: TITLE }]);
  put(2, [{ value: 'Answer in the blue cells of column D: Yes or No from the list, numbers as numbers, percentages as 40%. Save it where it is: "inputs.framework" in the project file names it.', style: NOTE }]);
  put(3, [{ value: QUESTIONNAIRE_CREDIT, style: NOTE }]);
  const header = QUESTIONNAIRE_HEADER_ROW;
  put(header, ['Question ID', 'Characteristic', 'Question', 'Answer', 'How to answer'].map((value) => ({ value, style: HEADER })));
  let row = header;
  for (const c of CHARACTERISTICS.filter((x) => x.number > 1)) {
    for (const q of QUESTIONS.filter((x) => x.characteristic === c.number)) {
      row++;
      put(row, [{ value: q.id, style: ID }, { value: `${c.number}. ${c.name}`, style: WRAP }, { value: q.text, style: WRAP }, answerCell(q, known.answers.get(q.id)), { value: HOW[q.kind], style: WRAP }]);
      validations.push(rule(q.kind, row, 4));
      heights[row] = 30;
    }
    row++;
    put(row, [{ value: WORDS_ID(c.number), style: ID }, { value: `${c.number}. ${c.name}`, style: WRAP }, { value: 'In your own words: what you do for this characteristic (printed beside its rating).', style: WRAP }, { value: known.words.get(c.number) ?? null, style: ANSWER }, { value: 'your own words', style: WRAP }]);
    heights[row] = 60;
  }
  const about: (Cell | undefined)[][] = [];
  const line = (r: number, value: string, style?: CellStyle) => (about[r] = [undefined, { value, style }]);
  line(1, 'Measured from your files (nothing to fill in)', TITLE);
  MEASURED_ITEMS.forEach((m, i) => line(2 + i, `${m.id}  characteristic ${m.characteristic}: ${m.text}`));
  line(3 + MEASURED_ITEMS.length, 'How each characteristic is rated', SECTION);
  RATING_RULE.forEach((text, i) => line(4 + MEASURED_ITEMS.length + i, text));
  return [
    { name: 'Questionnaire', rows, heights, widths: new Map([[1, 12], [2, 30], [3, 60], [4, 30], [5, 18]]), frozenRows: header, printTitlesRow: header, protect: true, validations, pageSetup: printed('Questionnaire', settings.organisation) },
    { name: 'How it is rated', rows: about, widths: new Map([[1, 120]]), pageSetup: printed('How it is rated', settings.organisation) },
  ];
}

const TENANT_ROWS = 200;

function tenantsRegister(): Worksheet[] {
  const headers = ['Tenant', 'Industry', 'Jobs', 'FTE', 'Local', 'GVA'];
  const rows: ((Cell | undefined)[] | undefined)[] = [undefined, [undefined, ...headers.map((value) => ({ value, style: HEADER }))]];
  const column = (c: number): Validation['range'] => ({ firstRow: 2, firstColumn: c, lastRow: TENANT_ROWS + 1, lastColumn: c });
  const validations: Validation[] = [
    { range: column(3), type: 'whole', min: 0, max: 10_000_000, prompt: { title: 'Jobs', text: 'Headcount: filled jobs, as ONS counts them.' }, error: { title: 'A whole number', text: 'Type the number of jobs, 0 or more.' } },
    { range: column(4), type: 'decimal', min: 0, max: 10_000_000, prompt: { title: 'FTE', text: 'Full-time equivalent jobs.' }, error: { title: 'A number', text: 'Type the FTE, 0 or more.' } },
    { range: column(5), type: 'list', list: ['Yes', 'No'], error: { title: 'Yes or No', text: 'Is the tenant local? Choose Yes or No.' } },
    { range: column(6), type: 'decimal', min: 0, max: 1e12, prompt: { title: 'Own GVA (optional)', text: "The tenant's own gross value added in pounds, if it knows it; else leave blank." }, error: { title: 'Pounds', text: 'Type an amount in pounds, or leave it blank.' } },
  ];
  const how: (Cell | undefined)[][] = [];
  [
    ['How to fill in the tenants register', TITLE],
    ['One row per tenant organisation. Industry: as your GVA per job table codes it (SIC 2007 sections and groups, e.g. "A-E", "C10-12", "Q").'],
    ['Jobs: headcount (filled jobs, as ONS counts them); FTE: full-time equivalents. Local: whether the tenant is based in your area.'],
    ["GVA: the tenant's own gross value added in pounds, if it knows it; otherwise it is estimated as jobs × GVA per job for its industry and region."],
    ['Then name this file as "inputs.tenants" in the project file, and the GVA table as "inputs.gvaPerJob" (see the README: building the GVA table).'],
  ].forEach(([value, style], i) => (how[i + 1] = [undefined, { value: value as string, style: style as CellStyle | undefined }]));
  return [
    { name: 'Tenants', rows, widths: new Map([[1, 36], [2, 14], [3, 8], [4, 8], [5, 8], [6, 14]]), frozenRows: 1, printTitlesRow: 1, validations, pageSetup: { ...printed('Tenants'), landscape: false } },
    { name: 'How to fill in', rows: how, widths: new Map([[1, 120]]), pageSetup: printed('How to fill in') },
  ];
}

/** The questionnaire (with the project file's answers so far) and the blank tenants register, as files to write. */
export function frameworkFormFiles(settings: Settings, created = new Date()): FormFile[] {
  const book = (title: string, sheets: Worksheet[]) => xlsx({ creator: `${TOOL.name} ${TOOL.version}`, created, title, sheets });
  return [
    { name: QUESTIONNAIRE_FILE, bytes: book(`Framework questionnaire: ${settings.organisation}`, questionnaire(settings)) },
    { name: TENANTS_FILE, bytes: book('Tenants register', tenantsRegister()) },
  ];
}
