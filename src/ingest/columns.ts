import { InputError } from '../errors.js';

/**
 * The fields each kind of input file carries, with the header spellings that common exports use.
 * Headers are compared after `normaliseHeader`: lower case, letters and digits only, single spaces.
 */
export interface FieldSpec {
  required?: boolean;
  synonyms: readonly string[];
  describe: string;
}

export const SPEND_FIELDS = {
  supplier: {
    required: true,
    describe: 'who was paid',
    synonyms: [
      'supplier', 'supplier name', 'suppliername', 'supplier beneficiary name', 'supplier beneficiary', 'beneficiary',
      'beneficiary name', 'payee', 'payee name', 'vendor', 'vendor name', 'merchant', 'merchant name', 'creditor',
      'creditor name', 'contact', 'contact name', 'name', 'paid to', 'recipient', 'recipient name', 'company name',
    ],
  },
  amount: {
    required: true,
    describe: 'the amount paid, in pounds',
    synonyms: [
      'amount', 'net amount', 'amount net', 'net', 'total', 'value', 'spend', 'amount paid', 'payment amount', 'net value',
      'transaction amount', 'line amount', 'invoice amount', 'invoice net amount', 'invoice nett amount', 'nett amount',
      'amount gbp', 'amount excl vat', 'amount excluding vat', 'net total', 'total amount', 'gross', 'gross amount',
      'amount in sterling', 'expenditure', 'sum',
    ],
  },
  date: {
    describe: 'the payment date, day first',
    synonyms: [
      'date', 'payment date', 'paid date', 'date paid', 'transaction date', 'invoice date', 'posting date', 'effective date',
      'date of payment', 'pay date', 'invoice gl date', 'document date', 'gl date',
    ],
  },
  postcode: {
    describe: "the supplier's postcode",
    synonyms: ['postcode', 'supplier postcode', 'post code', 'postal code', 'supplier post code', 'vendor postcode', 'payee postcode', 'zip'],
  },
  supplierId: {
    describe: "the ledger's supplier reference",
    synonyms: ['supplier id', 'supplier number', 'supplier no', 'supplier ref', 'supplier reference', 'supplier code', 'vendor id', 'vendor number', 'account code', 'creditor number', 'creditor id', 'payee id', 'contact id'],
  },
  category: {
    describe: 'what the money was for',
    synonyms: [
      'category', 'expense type', 'expenses type', 'expenditure category', 'expense category', 'spend category', 'nominal',
      'nominal code', 'nominal name', 'account', 'account name', 'purpose', 'purpose of expenditure', 'service',
      'service area', 'cost centre', 'category family', 'procurement category', 'merchant category', 'description',
    ],
  },
  transactionId: {
    describe: 'a unique transaction or invoice reference',
    synonyms: ['transaction id', 'transaction number', 'transaction no', 'transaction ref', 'reference', 'ref', 'invoice number', 'invoice no', 'invoice ref', 'payment reference', 'payment id', 'document number', 'voucher number'],
  },
} as const satisfies Record<string, FieldSpec>;

export const PAYROLL_FIELDS = {
  employeeId: {
    describe: 'a reference for each employee (not reported)',
    synonyms: ['employee id', 'employee', 'employee number', 'employee no', 'employee ref', 'staff id', 'staff number', 'payroll number', 'payroll id', 'works number', 'id', 'ni number', 'national insurance number'],
  },
  homePostcode: {
    describe: "the employee's home postcode (full, or district only)",
    synonyms: ['home postcode', 'postcode', 'home post code', 'post code', 'residential postcode', 'address postcode', 'employee postcode'],
  },
  grossPay: {
    required: true,
    describe: 'gross pay for the period, in pounds',
    synonyms: ['gross pay', 'gross', 'gross salary', 'total gross pay', 'gross earnings', 'total pay', 'salary', 'annual salary', 'pay', 'gross pay ytd', 'taxable pay'],
  },
  netPay: {
    describe: 'net (take-home) pay',
    synonyms: ['net pay', 'net', 'net salary', 'take home pay', 'net pay ytd'],
  },
  employerNi: {
    describe: "employer's National Insurance",
    synonyms: ['employer ni', 'employers ni', 'er ni', 'employer nic', 'employers nic', 'employer national insurance', 'ni employer', 'employer ni ytd'],
  },
  employerPension: {
    describe: "employer's pension contribution",
    synonyms: ['employer pension', 'employers pension', 'er pension', 'employer pension contribution', 'pension employer', 'employer pension ytd'],
  },
  fte: {
    describe: 'full-time equivalent (1.0 = full time)',
    synonyms: ['fte', 'full time equivalent', 'wte', 'whole time equivalent'],
  },
  hours: {
    describe: 'contracted hours per week',
    synonyms: ['hours', 'hours per week', 'weekly hours', 'contracted hours', 'contract hours'],
  },
  hourlyRate: {
    describe: 'hourly rate of pay',
    synonyms: ['hourly rate', 'rate', 'rate per hour', 'hourly pay', 'pay rate'],
  },
  name: {
    describe: "the employee's name (read only to be sure it is never reported)",
    synonyms: ['name', 'employee name', 'full name', 'surname', 'first name', 'forename'],
  },
} as const satisfies Record<string, FieldSpec>;

export const REGISTER_FIELDS = {
  supplier: { required: true, describe: 'supplier name as paid in the ledger', synonyms: SPEND_FIELDS.supplier.synonyms },
  supplierId: { describe: "the ledger's supplier reference", synonyms: SPEND_FIELDS.supplierId.synonyms },
  postcode: { describe: "the supplier's postcode", synonyms: SPEND_FIELDS.postcode.synonyms },
  local: { describe: 'local override: yes or no', synonyms: ['local', 'is local', 'local override', 'override', 'local yes no'] },
  reason: { describe: 'why the override', synonyms: ['reason', 'local reason', 'override reason', 'note', 'notes', 'comment'] },
  type: { describe: 'SME, VCSE, large or public body', synonyms: ['type', 'supplier type', 'organisation type', 'size', 'category'] },
  companyNumber: { describe: 'Companies House number', synonyms: ['company number', 'company no', 'companies house number', 'crn', 'company registration number'] },
  charityNumber: { describe: 'registered charity number', synonyms: ['charity number', 'charity no', 'registered charity number', 'charity registration number'] },
  sector: { describe: 'industry sector', synonyms: ['sector', 'industry', 'sic', 'sic code'] },
} as const satisfies Record<string, FieldSpec>;

export const SUPPLIER_SURVEY_FIELDS = {
  supplier: { required: true, describe: 'the supplier answering', synonyms: SPEND_FIELDS.supplier.synonyms },
  supplierId: { describe: "the ledger's supplier reference", synonyms: SPEND_FIELDS.supplierId.synonyms },
  percent: {
    required: true,
    describe: 'share of its income the supplier re-spends locally, 0–100',
    synonyms: ['local re spend', 'local respend', 'local re spend %', 'local respend %', 'local re spend percent', 'local spend', 'local spend %', 'percent local', 'local percent', 'local share', 'local', 'percentage', 'answer'],
  },
} as const satisfies Record<string, FieldSpec>;

export const STAFF_SURVEY_FIELDS = {
  respondent: { describe: 'a respondent reference', synonyms: ['respondent', 'respondent id', 'employee id', 'staff id', 'id', 'response', 'response id'] },
  percent: {
    required: true,
    describe: 'share of household spending made locally, 0–100',
    synonyms: ['local spend', 'local spend %', 'local spend percent', 'percent local', 'local percent', 'local share', 'local', 'percentage', 'answer', 'local re spend'],
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldSpecs = Record<string, FieldSpec>;
export type ColumnMap<F extends FieldSpecs> = { [K in keyof F]?: number };

export function normaliseHeader(header: string): string {
  return header
    .replace(/^(\ufeff|ï»¿)+/, '')
    .toLowerCase()
    .replace(/%/g, ' % ')
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
}

export interface ColumnChoice {
  field: string;
  header: string;
  index: number;
  how: 'named' | 'synonym';
}

export interface MappedColumns<F extends FieldSpecs> {
  columns: ColumnMap<F>;
  choices: ColumnChoice[];
  missingRequired: (keyof F & string)[];
}

/**
 * Matches a header row to fields. An explicit mapping (`--spend-column amount="Net Amount"`) wins;
 * then each field takes the first header that is one of its synonyms, in the order of the synonyms.
 * A header serves one field only.
 */
export function mapColumns<F extends FieldSpecs>(
  fields: F,
  headers: readonly string[],
  explicit: Partial<Record<string, string>> = {},
  context: { file: string; flag: string },
): MappedColumns<F> {
  const normalised = headers.map(normaliseHeader);
  const taken = new Set<number>();
  const columns: ColumnMap<F> = {};
  const choices: ColumnChoice[] = [];
  for (const [field, header] of Object.entries(explicit)) {
    if (header === undefined) continue;
    if (!(field in fields)) {
      throw new InputError(`Unknown field "${field}" in ${context.flag} ${field}=${header}.`, {
        hint: `Fields you can map: ${Object.keys(fields).join(', ')}.`,
      });
    }
    const wanted = normaliseHeader(header);
    const index = normalised.findIndex((h, i) => h === wanted && !taken.has(i));
    if (index < 0) {
      throw new InputError(`${context.file} has no column "${header}" (asked for by ${context.flag} ${field}=${header}).`, {
        file: context.file,
        hint: `Its columns are: ${quoteList(headers)}.`,
      });
    }
    taken.add(index);
    (columns as Record<string, number>)[field] = index;
    choices.push({ field, header: headers[index]!, index, how: 'named' });
  }
  for (const [field, spec] of Object.entries(fields)) {
    if ((columns as Record<string, number | undefined>)[field] !== undefined) continue;
    for (const synonym of spec.synonyms) {
      const index = normalised.findIndex((h, i) => h === synonym && !taken.has(i));
      if (index >= 0) {
        taken.add(index);
        (columns as Record<string, number>)[field] = index;
        choices.push({ field, header: headers[index]!, index, how: 'synonym' });
        break;
      }
    }
  }
  const missingRequired = Object.entries(fields)
    .filter(([field, spec]) => spec.required && (columns as Record<string, number | undefined>)[field] === undefined)
    .map(([field]) => field as keyof F & string);
  return { columns, choices, missingRequired };
}

/** How many of a record's cells name one of the fields: the score for "is this the header row?". */
export function headerScore(fields: FieldSpecs, cells: readonly string[]): { matched: number; required: number } {
  const normalised = new Set(cells.map(normaliseHeader));
  let matched = 0;
  let required = 0;
  for (const spec of Object.values(fields)) {
    if (spec.synonyms.some((s) => normalised.has(s))) {
      matched++;
      if (spec.required) required++;
    }
  }
  return { matched, required };
}

export function quoteList(headers: readonly string[]): string {
  return headers.map((h) => `"${h}"`).join(', ');
}
