import { type Question, QUESTIONNAIRE_HEADER_ROW, QUESTIONS } from '../framework/approach.js';
import { FindingLog } from '../findings.js';
import { FRAMEWORK_FORM_FIELDS } from './columns.js';
import type { FileTally } from './spend.js';
import { guardDamage, openTable } from './table.js';

/** An answer as the assessment takes it: yes/no, or a count, or a percentage 0–100. */
export type Answer = boolean | number;

export interface FrameworkAnswers {
  answers: Map<string, Answer>;
  /** The organisation's own words, by characteristic. */
  words: Map<number, string>;
}

const QUESTION_BY_ID = new Map(QUESTIONS.map((q) => [q.id, q]));
/** The row of a characteristic's own words: `3.w`. */
export const WORDS_ID = (characteristic: number) => `${characteristic}.w`;

/**
 * An answer read as its question asks: yes/no, a whole count, or a percentage (`40%`, `40`, or the form's cell
 * value 0.4: the form's percentage cells hold fractions, and refuse anything above 100%). null: not an answer.
 */
export function readAnswer(question: Question, text: string, fromForm: boolean): Answer | null {
  const t = text.trim().toLowerCase();
  if (question.kind === 'yes/no') return ['yes', 'y', 'true'].includes(t) ? true : ['no', 'n', 'false'].includes(t) ? false : null;
  const percent = /%$/.test(t);
  const number = /^\d+(\.\d+)?%?$/.test(t.replace(/,/g, '')) ? Number(t.replace(/[,%]/g, '')) : Number.NaN;
  if (Number.isNaN(number)) return null;
  if (question.kind === 'count') return Number.isInteger(number) && !percent ? number : null;
  const value = fromForm && !percent && number <= 1 ? number * 100 : number;
  return value <= 100 ? value : null;
}

/** The filled-in questionnaire (`local-impact framework forms` writes it): one row per question, by its id. */
export async function readFrameworkForm(path: string): Promise<FrameworkAnswers & { file: FileTally; findings: FindingLog }> {
  const table = await openTable({ path, role: 'framework questionnaire', fields: FRAMEWORK_FORM_FIELDS, columnFlag: '(rename the column)' });
  const c = table.columns;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const answers = new Map<string, Answer>();
  const words = new Map<number, string>();
  const guard = guardDamage(table, tally, findings, false, (record) => {
    tally.rowsRead++;
    const get = (i: number | undefined) => (i === undefined ? '' : record.field(i).trim());
    const id = get(c.question);
    const answer = get(c.answer);
    const wordsOf = /^([2-7])\.w$/.exec(id);
    if (wordsOf) {
      if (answer !== '') words.set(Number(wordsOf[1]), answer);
      tally.rowsAccepted++;
      return;
    }
    const question = QUESTION_BY_ID.get(id);
    if (!question) {
      tally.rowsRejected++;
      findings.add({ code: 'FRAMEWORK_QUESTION_UNKNOWN', file, line: record.line, raw: record.raw(), args: { question: id } });
      return;
    }
    if (answer === '') {
      tally.rowsAccepted++;
      return;
    }
    const value = readAnswer(question, answer, true);
    if (value === null) {
      tally.rowsRejected++;
      findings.add({ code: 'FRAMEWORK_ANSWER_UNREADABLE', file, line: record.line, raw: record.raw(), args: { question: id, value: answer, expected: EXPECTED[question.kind] } });
      return;
    }
    answers.set(id, value);
    tally.rowsAccepted++;
  });
  await table.scan(guard.onRecord);
  guard.finish();
  // The form's own title rows above its header are no preamble to report; any other is.
  findings.addAll(table.findings.filter((f) => !(f.code === 'HEADER_NOT_FIRST_LINE' && f.line === QUESTIONNAIRE_HEADER_ROW)));
  return { answers, words, file: tally, findings };
}

export const EXPECTED: Record<Question['kind'], string> = { 'yes/no': 'Yes or No', count: 'a whole number, 0 or more', percent: 'a percentage from 0% to 100%' };

/** The project file's answers over the form's, answer by answer (the project file is the later word). */
export function mergeAnswers(form: FrameworkAnswers | undefined, project: Partial<Record<string, { answers?: Record<string, string | number | boolean>; evidence?: string }>>): FrameworkAnswers & { problems: { question: string; value: string; expected: string }[] } {
  const answers = new Map(form?.answers ?? []);
  const words = new Map(form?.words ?? []);
  const problems: { question: string; value: string; expected: string }[] = [];
  for (const [number, entry] of Object.entries(project)) {
    if (!entry) continue;
    if (entry.evidence !== undefined && entry.evidence.trim() !== '') words.set(Number(number), entry.evidence.trim());
    for (const [id, raw] of Object.entries(entry.answers ?? {})) {
      const question = QUESTION_BY_ID.get(id);
      if (!question || question.characteristic !== Number(number)) {
        problems.push({ question: id, value: String(raw), expected: `a question of characteristic ${number}` });
        continue;
      }
      const value = typeof raw === 'boolean' ? (question.kind === 'yes/no' ? raw : null) : readAnswer(question, String(raw), false);
      if (value === null) problems.push({ question: id, value: String(raw), expected: EXPECTED[question.kind] });
      else answers.set(id, value);
    }
  }
  return { answers, words, problems };
}
