import { HOUSEHOLD_CATEGORIES } from '../domain/survey-forms.js';
import { InputError } from '../errors.js';
import { parseAmount } from './amount.js';
import { parseUkDate } from './date.js';

/**
 * The fields each kind of input file carries, with the header spellings that common exports use.
 * Headers are compared after `normaliseHeader`: lower case, letters and digits only, single spaces.
 */
export interface FieldSpec {
  required?: boolean;
  synonyms: readonly string[];
  describe: string;
  /**
   * What the values look like. A field with a kind is also matched by headers that merely contain one
   * of its `keywords` ("Invoice Payment Date", "Supplier ID(T)"), and its candidates are checked
   * against the first rows' values, so a header that says one thing and holds another is caught.
   */
  kind?: 'name' | 'money' | 'date' | 'code';
  keywords?: readonly string[];
}

export const SPEND_FIELDS = {
  supplier: {
    required: true,
    describe: 'who was paid',
    kind: 'name',
    keywords: ['supplier', 'beneficiary', 'payee', 'vendor', 'merchant', 'creditor', 'recipient', 'paid to'],
    synonyms: [
      'supplier', 'supplier name', 'suppliername', 'supplier beneficiary name', 'supplier beneficiary', 'beneficiary',
      'beneficiary name', 'payee', 'payee name', 'vendor', 'vendor name', 'merchant', 'merchant name', 'creditor',
      'creditor name', 'contact', 'contact name', 'name', 'paid to', 'recipient', 'recipient name', 'company name',
    ],
  },
  amount: {
    required: true,
    describe: 'the amount paid, in pounds',
    kind: 'money',
    keywords: ['amount', 'amt', 'value', 'total', 'spend', 'net', 'nett', 'gross', 'expenditure', 'vat'],
    synonyms: [
      'amount', 'net amount', 'amount net', 'net', 'total', 'value', 'spend', 'amount paid', 'annual value', 'payment amount', 'net value',
      'transaction amount', 'line amount', 'invoice amount', 'invoice net amount', 'invoice nett amount', 'nett amount',
      'amount gbp', 'amount excl vat', 'amount excluding vat', 'net total', 'total amount', 'gross', 'gross amount',
      'amount in sterling', 'expenditure', 'sum',
    ],
  },
  date: {
    describe: 'the payment date, day first',
    kind: 'date',
    keywords: ['date'],
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
    kind: 'code',
    keywords: ['supplier id', 'supplier number', 'supplier no', 'supplier ref', 'supplier code', 'vendor id', 'vendor number', 'creditor number', 'creditor id'],
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
  companyNumber: {
    describe: "the supplier's Companies House number",
    keywords: ['company number', 'company no', 'company registration number', 'companies house number'],
    kind: 'code',
    synonyms: ['company number', 'company no', 'companies house number', 'crn', 'company registration number', 'supplier registered company number'],
  },
  charityNumber: {
    describe: "the supplier's registered charity number",
    keywords: ['charity number', 'charity no', 'charity registration number'],
    kind: 'code',
    synonyms: ['charity number', 'charity no', 'registered charity number', 'charity registration number', 'supplier registered charity number'],
  },
  // Exact headers only: a yes/no column is told from any other by its name alone.
  sme: {
    describe: 'whether the supplier is an SME: yes or no',
    synonyms: ['sme', 'sme supplier', 'is sme', 'sme y n', 'sme yes no', 'sme supplier y n', 'sme status', 'sme flag', 'small or medium enterprise', 'small and medium enterprise', 'small medium enterprise'],
  },
  vcse: {
    describe: 'whether the supplier is a voluntary, community or social enterprise (VCSE): yes or no',
    synonyms: [
      'vcse', 'vcse supplier', 'is vcse', 'vcse y n', 'vcse yes no', 'vcse supplier y n', 'vcse status', 'vcse flag', 'vcs',
      'voluntary community and social enterprise', 'voluntary community and social enterprise supplier', 'voluntary community social enterprise',
      'voluntary community or social enterprise', 'voluntary community and social enterprise vcse', 'voluntary community and social enterprise vcse supplier',
    ],
  },
  transactionId: {
    describe: 'a unique transaction or invoice reference',
    synonyms: ['transaction id', 'transaction number', 'transaction no', 'transaction ref', 'reference', 'ref', 'invoice number', 'invoice no', 'invoice ref', 'payment reference', 'payment id', 'document number', 'voucher number'],
  },
  // Exact headers only: "Irrecoverable VAT" is a cost the payer bears, not the VAT to add to a net amount.
  vat: {
    describe: 'the VAT on the payment (used with conventions.vatBasis)',
    synonyms: ['vat', 'vat amount', 'vat value', 'vat gbp', 'vat total', 'total vat', 'tax amount'],
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
  // Either the local re-spend itself, or NEF's two questions, whose sum it is (the CSV form `survey forms` writes).
  percent: {
    describe: 'share of its income the supplier re-spends locally, 0–100',
    synonyms: ['local re spend', 'local respend', 'local re spend %', 'local respend %', 'local re spend percent', 'local spend', 'local spend %', 'percent local', 'local percent', 'local share', 'local', 'percentage', 'answer'],
  },
  staffPercent: { describe: 'share of its costs paid to staff living in the area, 0–100', synonyms: ['staff in the area %', 'staff in the area', 'local staff %', 'staff local %'] },
  suppliersPercent: { describe: 'share of its costs paid to suppliers in the area, 0–100', synonyms: ['suppliers in the area %', 'suppliers in the area', 'local suppliers %', 'suppliers local %'] },
} as const satisfies Record<string, FieldSpec>;

/**
 * A staff survey table: each respondent's local-spend %, or NEF's household categories as the CSV form
 * `survey forms` writes (per category an amount or share of pay, and the % spent in the area).
 */
export const STAFF_SURVEY_FIELDS: Record<string, FieldSpec> = {
  respondent: { describe: 'a respondent reference', synonyms: ['respondent', 'respondent id', 'employee id', 'staff id', 'id', 'response', 'response id'] },
  percent: {
    describe: 'share of household spending made locally, 0–100',
    synonyms: ['local spend', 'local spend %', 'local spend percent', 'percent local', 'local percent', 'local share', 'local', 'percentage', 'answer', 'local re spend'],
  },
  livesLocally: { describe: 'whether the respondent lives in the area: yes or no', synonyms: ['lives in the area', 'do you live in the area', 'lives locally', 'local resident'] },
  ...Object.fromEntries(
    HOUSEHOLD_CATEGORIES.flatMap((c) => [
      [`${c.key}Amount`, { describe: `${c.label}: amount`, synonyms: [normaliseHeader(`${c.label} amount`)] }],
      [`${c.key}Share`, { describe: `${c.label}: share of pay`, synonyms: [normaliseHeader(`${c.label} share of pay %`), normaliseHeader(`${c.label} share of pay`)] }],
      [`${c.key}Local`, { describe: `${c.label}: % spent in the area`, synonyms: [normaliseHeader(`${c.label} % in the area`), normaliseHeader(`${c.label} in the area %`)] }],
    ]),
  ),
};

export const TENANT_FIELDS = {
  tenant: { required: true, describe: 'the tenant organisation', synonyms: ['tenant', 'tenant name', 'organisation', 'organization', 'name', 'member', 'business'] },
  industry: { describe: 'its industry as the GVA table codes it (SIC 2007, e.g. "C10-12")', synonyms: ['industry', 'sic', 'sic code', 'sic 2007', 'sic07', 'sector', 'industry code'] },
  jobs: { required: true, describe: 'jobs (headcount)', synonyms: ['jobs', 'headcount', 'employees', 'staff', 'jobs headcount', 'filled jobs', 'number of jobs'] },
  fte: { describe: 'full-time equivalent jobs', synonyms: ['fte', 'jobs fte', 'full time equivalent'] },
  local: { describe: 'local: yes or no', synonyms: ['local', 'local yes no', 'is local', 'based locally'] },
  gva: { describe: "the tenant's own GVA, pounds", synonyms: ['gva', 'own gva', 'gross value added', 'gva £', 'gva pounds'] },
} as const satisfies Record<string, FieldSpec>;

export const GVA_FIELDS = {
  region: { required: true, describe: 'the region (e.g. "Yorkshire and The Humber")', synonyms: ['region', 'itl region', 'itl region name', 'area', 'geography'] },
  industry: { required: true, describe: 'industry (SIC 2007 code, e.g. "C10-12")', synonyms: ['industry', 'sic', 'sic code', 'sic07 code', 'sic 2007', 'sector', 'industry code'] },
  gvaPerJob: { required: true, describe: 'GVA per job, pounds', synonyms: ['gva per job', 'gva per filled job', 'gva job', 'gva per job £', 'gva per job pounds'] },
  source: { describe: 'where the figure comes from', synonyms: ['source'] },
  year: { describe: 'the year it is for', synonyms: ['year', 'period'] },
} as const satisfies Record<string, FieldSpec>;

export const FRAMEWORK_FORM_FIELDS = {
  question: { required: true, describe: 'the question id, e.g. "3.1"', synonyms: ['question id', 'id', 'question number', 'no'] },
  answer: { describe: 'the answer', synonyms: ['answer', 'your answer', 'response'] },
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
  /** named: by the user; synonym: the header is a known name; header: the header contains a keyword; values: found by its values. */
  how: 'named' | 'synonym' | 'header' | 'values';
  /** Why, when it is worth saying ("its values are names"). */
  note?: string;
  /** Other columns that could have served, best first, with why they were not chosen. */
  alternatives?: { header: string; index: number; why: string }[];
}

export interface MappedColumns<F extends FieldSpecs> {
  columns: ColumnMap<F>;
  choices: ColumnChoice[];
  missingRequired: (keyof F & string)[];
  /** Required fields with two equally good columns: the user must name one. */
  ambiguous: { field: keyof F & string; headers: string[] }[];
  /** For each required field left without a column: the columns that could have held it, best first, and why each was refused. */
  refused: Partial<Record<keyof F & string, { header: string; why: string }[]>>;
}

/** A column that may hold a field: the better the tier, the surer. */
interface Candidate {
  index: number;
  /** 3: header is a synonym; 2: header contains a keyword; 1: only the values say so. */
  tier: number;
  /** Within a tier, lower is better (the synonym's position, or longer keyword). */
  rank: number;
  /** The header says it is something else (a VAT amount, a reference); used only if nothing else is. */
  demoted?: string;
  /** The values do not look like this field: the column is refused. */
  unfit?: string;
  /**
   * The header is a known name for the field but the first values do not look like it ("Supplier" holding
   * BT, EE, O2): taken when no better column is there, and bad values are left to each row's own check.
   */
  doubtful?: string;
  note?: string;
}

const WORDS_NOT_MONEY = /\b(id|no|number|ref|reference|code|date|period|year|count|qty|quantity|rate|percent|%|months?|duration|registration)\b/;
const ABOUT_VAT = /\b(vat|irrecoverable)\b/;
const VAT_EXCLUDED = /\b(net of|excl\w*|exclud\w*|ex|before|without|less) vat\b/;
const WORDS_A_CODE = /\b(id|no|number|ref|reference|code|registration|postcode|vat)\b/;
const NAME_LIKE = /[A-Za-z]{3}/;

/** Lower-case words matched whole inside a normalised header. */
function containsWords(header: string, words: string): boolean {
  return ` ${header} `.includes(` ${words} `);
}

function share(values: readonly string[], test: (v: string) => boolean): number {
  let n = 0;
  for (const v of values) if (test(v)) n++;
  return values.length === 0 ? 0 : n / values.length;
}

/**
 * Columns that could hold `spec`, judged by header and, when the field has a kind, by the values of
 * the first rows (`samples`: the non-blank values of each column).
 */
function candidatesFor(spec: FieldSpec, normalised: readonly string[], samples: readonly (readonly string[])[] | undefined): Candidate[] {
  const found: Candidate[] = [];
  for (let index = 0; index < normalised.length; index++) {
    const h = normalised[index]!;
    let tier = 0;
    let rank = 0;
    const exact = spec.synonyms.indexOf(h as never);
    if (exact >= 0 && h !== '') {
      tier = 3;
      rank = exact;
    } else if (spec.kind !== undefined && h !== '') {
      const keyword = (spec.keywords ?? []).filter((k) => containsWords(h, k)).sort((a, b) => b.length - a.length)[0];
      if (keyword !== undefined) {
        tier = 2;
        // A longer keyword is a closer match; "… Name" is the surer supplier column.
        rank = 100 - keyword.length - (spec.kind === 'name' && containsWords(h, 'name') ? 1 : 0);
      }
    }
    const values = samples?.[index];
    const candidate: Candidate = { index, tier, rank };
    if (spec.kind === 'money') {
      if (tier === 2 && WORDS_NOT_MONEY.test(h)) continue;
      if (tier > 0 && ABOUT_VAT.test(h) && !VAT_EXCLUDED.test(h)) candidate.demoted = 'a VAT column';
    } else if (spec.kind === 'name' && tier === 2 && WORDS_A_CODE.test(h)) {
      candidate.demoted = 'its header names a code';
    }
    if (values !== undefined && spec.kind !== undefined) {
      const fit = valuesFit(spec.kind, values);
      if (tier === 0) {
        // Found by values alone: only dates written with separators (a column of numbers is not dates).
        if (spec.kind !== 'date' || fit < 0.9 || !values.every((v) => /[/.\-a-z]/i.test(v))) continue;
        candidate.tier = 1;
        candidate.note = 'its values are dates';
      } else if (values.length > 0 && fit < 0.5) {
        const why = spec.kind === 'money' ? 'its values are not amounts' : spec.kind === 'date' ? 'its values are not dates' : spec.kind === 'name' ? 'its values are codes, not names' : 'its values are names, not codes';
        if (tier === 3) candidate.doubtful = why;
        else candidate.unfit = why;
      } else if (values.length === 0 && spec.kind !== 'code') {
        if (tier === 3) candidate.doubtful = 'it is blank in the first rows';
        else candidate.unfit = 'it is blank in the first rows';
      } else if (candidate.demoted !== undefined && spec.kind === 'name' && fit >= 0.8) {
        // "Supplier ID(T)" holding names: the values win over the header.
        candidate.demoted = undefined;
        candidate.note = 'its header says otherwise, but its values are names';
      }
    }
    if (candidate.tier > 0) found.push(candidate);
  }
  const order = (c: Candidate) => (c.unfit ? 3 : c.demoted ? 2 : c.doubtful ? 1 : 0);
  return found.sort((a, b) => order(a) - order(b) || b.tier - a.tier || a.rank - b.rank || a.index - b.index);
}

function valuesFit(kind: NonNullable<FieldSpec['kind']>, values: readonly string[]): number {
  switch (kind) {
    case 'money':
      return share(values, (v) => parseAmount(v).ok);
    case 'date':
      return share(values, (v) => parseUkDate(v) !== null);
    case 'name':
      // Two or three values repeated down a column are a flag ("Yes"/"No"), not names.
      if (values.length >= 10 && values.every((v) => v.length <= 5) && new Set(values.map((v) => v.toLowerCase())).size <= 3) return 0;
      return share(values, (v) => NAME_LIKE.test(v));
    case 'code':
      return 1 - share(values, (v) => / /.test(v.trim()) && NAME_LIKE.test(v));
  }
}

/**
 * Matches a header row to fields. An explicit mapping (`--spend-column amount="Net Amount"`) wins;
 * then each field takes its best candidate column: a known header name before a header containing a
 * keyword, checked against the values of the first rows (`samples`, by column) where the field has a
 * kind. A header serves one field only. Two equally good columns for a required field are ambiguous.
 */
export function mapColumns<F extends FieldSpecs>(
  fields: F,
  headers: readonly string[],
  explicit: Partial<Record<string, string>> = {},
  context: { file: string; flag: string },
  samples?: readonly (readonly string[])[],
): MappedColumns<F> {
  const normalised = headers.map(normaliseHeader);
  const taken = new Set<number>();
  const columns: ColumnMap<F> = {};
  const choices: ColumnChoice[] = [];
  const ambiguous: MappedColumns<F>['ambiguous'] = [];
  const refused: MappedColumns<F>['refused'] = {};
  for (const [field, header] of Object.entries(explicit)) {
    if (header === undefined) continue;
    if (!(field in fields)) {
      throw new InputError(`Unknown field "${field}" in ${context.flag} ${field}=${header}.`, {
        code: 'FIELD_UNKNOWN',
        hint: `Fields you can map: ${Object.keys(fields).join(', ')}.`,
      });
    }
    const wanted = normaliseHeader(header);
    const index = normalised.findIndex((h, i) => h === wanted && !taken.has(i));
    if (index < 0) {
      throw new InputError(`${context.file} has no column "${header}" (asked for by ${context.flag} ${field}=${header}).`, {
        file: context.file,
        code: 'COLUMN_NOT_FOUND',
        hint: `Its columns are: ${quoteHeaderRow(headers)}.`,
      });
    }
    taken.add(index);
    (columns as Record<string, number>)[field] = index;
    choices.push({ field, header: headers[index]!, index, how: 'named' });
  }
  for (const [field, spec] of Object.entries(fields)) {
    if ((columns as Record<string, number | undefined>)[field] !== undefined) continue;
    const candidates = candidatesFor(spec, normalised, samples).filter((c) => !taken.has(c.index));
    const best = candidates[0];
    if (best === undefined || best.unfit !== undefined || (best.demoted !== undefined && spec.kind === 'name')) {
      if (spec.required) (refused as Record<string, { header: string; why: string }[]>)[field] = candidates.map((c) => ({ header: headers[c.index]!, why: c.unfit ?? c.demoted ?? 'not a likely column' }));
      continue;
    }
    const rivals = candidates.slice(1).filter((c) => !c.unfit && !c.demoted && !c.doubtful === !best.doubtful && c.tier === best.tier && c.rank === best.rank);
    if (spec.required && !best.demoted && rivals.length > 0) {
      ambiguous.push({ field: field as keyof F & string, headers: [best, ...rivals].map((c) => headers[c.index]!) });
      continue;
    }
    taken.add(best.index);
    (columns as Record<string, number>)[field] = best.index;
    const alternatives = candidates.slice(1).map((c) => ({
      header: headers[c.index]!,
      index: c.index,
      why: c.unfit ?? c.demoted ?? c.doubtful ?? (c.tier === best.tier && c.rank === best.rank ? 'equally likely; the first was taken' : c.tier < best.tier ? 'a looser match of the header' : 'a less usual name for it'),
    }));
    choices.push({
      field,
      header: headers[best.index]!,
      index: best.index,
      how: best.tier === 3 ? 'synonym' : best.tier === 2 ? 'header' : 'values',
      ...(best.note
        ? { note: best.note }
        : best.demoted
          ? { note: `only candidate, though ${best.demoted}` }
          : best.doubtful
            ? { note: `its header names it, though ${best.doubtful}; rows are checked one by one` }
            : {}),
      ...(alternatives.length > 0 ? { alternatives } : {}),
    });
  }
  const missingRequired = Object.entries(fields)
    .filter(([field, spec]) => spec.required && (columns as Record<string, number | undefined>)[field] === undefined && !ambiguous.some((a) => a.field === field))
    .map(([field]) => field as keyof F & string);
  return { columns, choices, missingRequired, ambiguous, refused };
}

/** What a spend file's rows are: payments, or the contracts of a contracts register. */
export type SpendFileKind = 'payments' | 'contracts';

const CONTRACT_VALUE = /\b(annual|contract)\b.*\bvalue\b|\bvalue\b.*\b(annual|per annum|pa)\b/;
const ANNUAL = /\b(annual|annually|per annum|pa|yearly|per year)\b/;
const START_DATE = /\b(start|commencement)\b.*\bdate\b|^start$/;
const END_DATE = /\b(end|expiry|finish)\b.*\bdate\b|^end$/;
/** A date a contracts register gives that is not when money was paid. */
const CONTRACT_DATE = /\b(start|commencement|end|expiry|finish|award|awarded|contract|renewal|review)\b/;

/**
 * Decided here, once, as the columns are mapped: a file whose amount is a contract value and that has a start
 * and an end date, but no payment date, is a contracts register (Salford's "Annual Value", "Start Date", "End
 * Date"). Its dates are not payment dates, so `date` is unmapped; its annual values are the amounts, and the
 * report says they are contract values, not payments. A date column named by the user makes the file payments.
 * A register whose values are for the whole contract is refused: summed, they are not a year of spend.
 */
export function decideSpendFileKind(
  headers: readonly string[],
  mapped: MappedColumns<typeof SPEND_FIELDS>,
  context: { file: string; path: string; line: number },
): SpendFileKind {
  const normalised = headers.map(normaliseHeader);
  const amount = mapped.choices.find((c) => c.field === 'amount');
  const date = mapped.choices.find((c) => c.field === 'date');
  const contractValue = amount !== undefined && CONTRACT_VALUE.test(normalised[amount.index]!);
  const dated = normalised.some((h) => START_DATE.test(h)) && normalised.some((h) => END_DATE.test(h));
  const paymentDate = date !== undefined && (date.how === 'named' || date.how === 'synonym' || !CONTRACT_DATE.test(normalised[date.index]!));
  if (!contractValue || !dated || paymentDate) return 'payments';
  if (!ANNUAL.test(normalised[amount.index]!)) {
    throw new InputError(`${context.file} is a contracts register, and its "${amount.header}" is a value for the whole contract, not a year: added up, such values are not a year's spend.`, {
      file: context.path,
      line: context.line,
      code: 'CONTRACT_VALUE_NOT_ANNUAL',
      hint: `Headers found: ${quoteList(headers)}.\nName its annual value column with --spend-column amount="<header>", or give the payments made under the contracts.`,
    });
  }
  if (date !== undefined) {
    delete (mapped.columns as Record<string, number>).date;
    mapped.choices.splice(mapped.choices.indexOf(date), 1);
  }
  amount.note = amount.note ? `${amount.note}; annual contract values, not payments` : 'annual contract values (a contracts register), not payments';
  return 'contracts';
}

/**
 * For a message when a required field has no column: the header of the column whose first values look most
 * like the field (half of them at least), among those not already taken; undefined when none does.
 */
export function plausibleHeader(spec: FieldSpec, headers: readonly string[], samples: readonly (readonly string[])[], taken: ReadonlySet<number>): string | undefined {
  if (spec.kind === undefined) return undefined;
  let best: { index: number; fit: number } | undefined;
  headers.forEach((header, index) => {
    const values = samples[index] ?? [];
    if (taken.has(index) || header.trim() === '' || values.length === 0) return;
    const fit = valuesFit(spec.kind!, values);
    if (fit >= 0.5 && (best === undefined || fit > best.fit)) best = { index, fit };
  });
  return best === undefined ? undefined : headers[best.index];
}

/** How many of a record's cells could name one of the fields: the score for "is this the header row?". */
export function headerScore(fields: FieldSpecs, cells: readonly string[]): { matched: number; required: number } {
  const normalised = cells.map(normaliseHeader);
  let matched = 0;
  let required = 0;
  for (const spec of Object.values(fields)) {
    if (candidatesFor(spec, normalised, undefined).length > 0) {
      matched++;
      if (spec.required) required++;
    }
  }
  return { matched, required };
}

export function quoteList(headers: readonly string[]): string {
  return headers.map((h) => `"${shownText(h)}"`).join(', ');
}

/** A header longer than this, or a header row longer than `HEADER_ROW_MAX` in all, is not a CSV's header row. */
const HEADER_MAX = 100;
const HEADER_ROW_MAX = 2_000;
/** How much of a row that is no header row a message quotes. */
const QUOTED_MAX = 120;

/**
 * Whether a row reads as the header row of a CSV: short names, not pages of them. A file whose header row does not
 * (one long line, a page of text, a file that is not a table at all) is no CSV, and messages quote only its start.
 */
export function readsAsHeaderRow(headers: readonly string[]): boolean {
  return headers.every((h) => h.length <= HEADER_MAX) && rowLength(headers) <= HEADER_ROW_MAX;
}

function rowLength(headers: readonly string[]): number {
  return headers.reduce((sum, h) => sum + h.length, Math.max(headers.length - 1, 0));
}

/**
 * The header row as every error quotes it: whole when it reads as one; otherwise its first 120 characters and its
 * full length, so a file that is not a CSV never floods the terminal with its content.
 */
export function quoteHeaderRow(headers: readonly string[]): string {
  const whole = quoteList(headers);
  if (readsAsHeaderRow(headers)) return whole;
  // Not half of a character written as two UTF-16 units.
  const start = whole.slice(0, QUOTED_MAX).replace(/[\ud800-\udbff]$/, '');
  return `${start}… (${rowLength(headers).toLocaleString('en-GB')} characters in ${headers.length.toLocaleString('en-GB')} column${headers.length === 1 ? '' : 's'})`;
}

/** File text as a message may print it: control and direction-changing characters, which could rewrite the terminal, shown as codes. */
export function shownText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
