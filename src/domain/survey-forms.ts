/**
 * The survey forms `local-impact survey forms` writes and the returns reader reads back: where each answer
 * sits, and the fixed text around it. One definition for both sides, so a form and its reader cannot drift
 * apart, and a return whose fixed text differs from it was edited outside its answer cells.
 */

/** NEF's household spending categories (staff survey converting sheet), in its order. */
export const HOUSEHOLD_CATEGORIES = [
  { key: 'incomeTax', label: 'Income tax' },
  { key: 'food', label: 'Food' },
  { key: 'entertainment', label: 'Entertainment' },
  { key: 'clothes', label: 'Clothes' },
  { key: 'diy', label: 'DIY' },
  { key: 'transport', label: 'Transport' },
  { key: 'services', label: 'Services' },
  { key: 'rentMortgage', label: 'Rent or mortgage' },
  { key: 'councilTax', label: 'Council tax' },
  { key: 'homeCosts', label: 'Home costs' },
  { key: 'loanRepayments', label: 'Loan repayments' },
  { key: 'savings', label: 'Savings' },
  { key: 'other', label: 'Other' },
] as const;

export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number]['key'];

/** A cell by row and column, both from 1. */
export interface FormCell {
  row: number;
  column: number;
}

/** `B14` for row 14, column 2. */
export function cellName({ row, column }: FormCell): string {
  let letters = '';
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row}`;
}

const at = (row: number, column: number): FormCell => ({ row, column });

/** The supplier form: one sheet, to one supplier, showing only that supplier's own name and spend. */
export const SUPPLIER_FORM = {
  sheet: 'Survey',
  /** Cell A2 says what the file is: how the reader knows a return from any other workbook. */
  mark: 'local-impact supplier survey, form 1',
  identity: {
    organisation: at(4, 2),
    period: at(5, 2),
    supplier: at(6, 2),
    supplierId: at(7, 2),
    spend: at(8, 2),
    area: at(9, 2),
  },
  answers: { staff: at(14, 2), suppliers: at(15, 2) },
  /** Worked out by the spreadsheet from the answers; never read. */
  computed: [at(16, 2)],
  texts: [
    [at(1, 1), 'Local re-spend survey'],
    [at(4, 1), 'From'],
    [at(5, 1), 'Period'],
    [at(6, 1), 'To'],
    [at(7, 1), 'Your supplier reference with us'],
    [at(8, 1), 'What we paid you in the period'],
    [at(9, 1), 'What "local" means here'],
    [
      at(11, 1),
      'We are measuring how much of the money we spend stays in the local area (NEF\'s LM3). Please answer the two questions below for your business as a whole, over your last financial year: type a percentage in each blue cell, e.g. 35%. A rough figure is fine. Then save this file and send it back to us.',
    ],
    [at(13, 1), 'Question'],
    [at(13, 2), 'Your answer'],
    [at(14, 1), '1. What share of your costs is paid to staff who live in the area?'],
    [at(15, 1), '2. What share of your costs is paid to suppliers based in the area?'],
    [at(16, 1), 'Your local re-spend (1 + 2)'],
    [at(18, 1), 'Thank you. Your answers are used only for this measure; other suppliers never see them.'],
  ] as [FormCell, string][],
} as const;

/** The staff form: anonymous, NEF's household categories, and whether the respondent lives in the area. */
export const STAFF_FORM = {
  sheet: 'Household spending',
  mark: 'local-impact staff survey, form 1',
  identity: { organisation: at(4, 2), area: at(5, 2) },
  /** The first category's row; the others follow in HOUSEHOLD_CATEGORIES's order. */
  firstCategoryRow: 9,
  columns: { amount: 2, share: 3, local: 4 },
  livesLocally: at(24, 2),
  computed: [at(22, 2), at(22, 3)],
  texts: [
    [at(1, 1), 'Household spending survey'],
    [at(4, 1), 'For staff of'],
    [at(5, 1), 'What "local" means here'],
    [
      at(6, 1),
      'Anonymous: do not write your name or staff number anywhere. For each kind of spending give what you spend in a typical month (£), or its share of your pay (%), and roughly what share of it you spend in the area. Leave a row blank if you spend nothing on it.',
    ],
    [at(8, 1), 'Spending'],
    [at(8, 2), 'Amount a month (£)'],
    [at(8, 3), 'or share of your pay'],
    [at(8, 4), 'Share spent in the area'],
    [at(22, 1), 'Total'],
    [at(24, 1), 'Do you live in the area?'],
    [at(26, 1), 'Thank you. Save this file and hand it back without your name on it; answers are only ever reported as an average of three or more.'],
  ] as [FormCell, string][],
} as const;

/** Every fixed text of the staff form, the category labels included. */
export function staffFormTexts(): [FormCell, string][] {
  return [...STAFF_FORM.texts, ...HOUSEHOLD_CATEGORIES.map((c, i): [FormCell, string] => [at(STAFF_FORM.firstCategoryRow + i, 1), c.label])];
}

/** The row of a category on the staff form. */
export function categoryRow(index: number): number {
  return STAFF_FORM.firstCategoryRow + index;
}

/** The CSV forms' headers: for survey platforms, one row per return. */
export const SUPPLIER_CSV_HEADERS = ['Supplier', 'Supplier ID', 'Spend', 'Staff in the area %', 'Suppliers in the area %'] as const;

export function staffCsvHeaders(): string[] {
  return [
    'Respondent',
    'Lives in the area',
    ...HOUSEHOLD_CATEGORIES.flatMap((c) => [`${c.label} amount`, `${c.label} share of pay %`, `${c.label} % in the area`]),
  ];
}
