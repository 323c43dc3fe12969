import type { SupplierType } from '../domain/supplier.js';

/**
 * What a spend file's SME and VCSE columns ("SME Supplier?", "VCSE") say of one supplier, packed in one
 * number so the per-row path stays on numbers and a worker posts it as one. For each column: whether a
 * yes and whether a no was given on any row, and which answer came first. Merging keeps the earlier part's
 * first answer and joins the answers seen, and merging a value into itself changes nothing, so a file
 * read in two halves (or one supplier over several files) ends exactly as one pass in order does.
 */
export type TypeAnswers = number;

export type TypeColumn = 'SME' | 'VCSE';

const SAID_YES = 1;
const SAID_NO = 2;
const FIRST_YES = 4;
const FIRST_NO = 8;
const FIRST = FIRST_YES | FIRST_NO;
const SHIFT: Record<TypeColumn, number> = { SME: 0, VCSE: 4 };

/** A yes/no cell: true, false, or undefined when it is blank or says something else ("N/A", "Various", "-"). */
export function yesNo(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'yes' || t === 'y' || t === 'true' || t === '1') return true;
  if (t === 'no' || t === 'n' || t === 'false' || t === '0') return false;
  return undefined;
}

function noteOne(answers: TypeAnswers, column: TypeColumn, text: string): TypeAnswers {
  const answer = yesNo(text);
  if (answer === undefined) return answers;
  const shift = SHIFT[column];
  const first = (answers >> shift) & FIRST ? 0 : answer ? FIRST_YES : FIRST_NO;
  return answers | (((answer ? SAID_YES : SAID_NO) | first) << shift);
}

/** A row's answers added to the supplier's: `sme` and `vcse` are the cells as written ('' where the file has no such column). */
export function noteTypeAnswers(answers: TypeAnswers, sme: string, vcse: string): TypeAnswers {
  return noteOne(noteOne(answers, 'SME', sme), 'VCSE', vcse);
}

/** A later part's answers added to an earlier part's. */
export function mergeTypeAnswers(earlier: TypeAnswers, later: TypeAnswers): TypeAnswers {
  let merged = earlier | (later & ~((FIRST << SHIFT.SME) | (FIRST << SHIFT.VCSE)));
  for (const shift of Object.values(SHIFT)) if (((earlier >> shift) & FIRST) === 0) merged |= later & (FIRST << shift);
  return merged;
}

/** The column's first yes or no for the supplier; undefined when no row answered it. */
export function firstAnswer(answers: TypeAnswers, column: TypeColumn): boolean | undefined {
  const first = (answers >> SHIFT[column]) & FIRST;
  return first === 0 ? undefined : first === FIRST_YES;
}

/** Whether the supplier's rows answer the column both yes and no. */
export function answersDisagree(answers: TypeAnswers, column: TypeColumn): boolean {
  const said = (answers >> SHIFT[column]) & (SAID_YES | SAID_NO);
  return said === (SAID_YES | SAID_NO);
}

/**
 * The type the spend file states: VCSE when its VCSE column's first answer is yes, else SME when its SME
 * column's is. A "no" states no type: a supplier that is not an SME may be a large firm, a public body or a
 * charity (Salford's "SME Supplier? No" covers NHS trusts, councils and a university).
 */
export function statedType(answers: TypeAnswers): SupplierType | undefined {
  if (firstAnswer(answers, 'VCSE') === true) return 'VCSE';
  if (firstAnswer(answers, 'SME') === true) return 'SME';
  return undefined;
}
