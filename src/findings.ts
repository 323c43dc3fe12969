/**
 * Findings are data, not prose: a code, the place it was found and its arguments.
 * The terminal, JSON and workbook renderers all word them through `describeFinding`,
 * so tests assert codes and wording can improve without breaking them.
 * An argument holding text from an input file is worded through `q`, which quotes it: in full for `--json`,
 * cut to one line by the reports (a damaged field can hold the rest of the file).
 */
export type Severity = 'error' | 'warning' | 'info';

export interface FindingDefinition {
  severity: Severity;
  /** `rejects`: the row it names was not used. */
  rejects?: boolean;
  /** `weakens`: it weakens a headline, so `--strict` fails on it unless `--allow CODE`. */
  weakens?: boolean;
  /** A short name for the finding, for a front page that lists it in words (see `findingTitle`). */
  title?: string;
  describe: (args: FindingArgs, q: Quote) => string;
  /**
   * The finding as a report's reader (a commissioner, not the person running the tool) reads it: what it means
   * for the figures, with no command, flag or file to mend (see `describeForReader`); `describe` when not given.
   */
  reader?: (args: FindingArgs, q: Quote) => string;
}

export type FindingArgs = Record<string, string | number | undefined>;

/** Puts text read from an input file within quotes, as the wording's reader should see it. */
export type Quote = (text: FindingArgs[string]) => string;

const quoteInFull: Quote = (text) => `"${text}"`;

/** "holds "140%", which is not", or "is not" when the answer is withheld (a staff return's answers are personal data). */
const held = (a: FindingArgs, q: Quote) => (a.value === undefined ? 'is not' : `holds ${q(a.value)}, which is not`);

const definitions = {
  // Rows that could not be used.
  AMOUNT_UNPARSEABLE: {
    title: 'Amounts that are not numbers',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Amount ${q(a.value)} is not a number of pounds; row not used. Correct it in the file and run again.`,
  },
  AMOUNT_NOT_POUNDS: {
    title: 'Amounts in another currency',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Amount ${q(a.value)} is in another currency (${a.currency}), not pounds; row not used. Convert it to pounds in the file (and say at what rate) and run again.`,
  },
  ROW_DAMAGED: {
    title: 'Damaged lines not read',
    severity: 'warning', rejects: true,
    describe: (a) => `Line of a damaged stretch (lines ${a.lines}, a quote that did not close): re-read on its own, it is not a whole row with an amount, so it was not used. Correct the quote marks in the file and run again.`,
  },
  FIELD_TOO_LONG: {
    title: 'Over-long lines',
    severity: 'warning', rejects: true,
    describe: (a) => `Line is ${Number(a.bytes).toLocaleString('en-GB')} bytes long, over the field limit of ${Number(a.limit).toLocaleString('en-GB')} (limits.maxFieldBytes): not read. A cell that long is damage, or not a ledger.`,
  },
  ROW_TOO_WIDE: {
    title: 'Rows with shifted cells',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Row has text in ${a.fields} cells where the file's rows have ${a.expected}: a comma or delimiter inside an unquoted field has shifted its cells, so its amount column (${q(a.value)}) may hold another column's text. Not used; quote the field in the file and run again.`,
  },
  TABLE_REPEATED: {
    title: 'Payments repeated in the file',
    severity: 'warning', rejects: true,
    describe: (a) => `Row of table ${a.table} of the file that repeats a payment of an earlier table (the same supplier, amount, date and transaction id): the same payment again, so counted once and this copy not used.`,
  },
  AMOUNT_MISSING: {
    title: 'Blank amounts',
    severity: 'warning', rejects: true,
    describe: () => 'Amount is blank; row not used.',
  },
  SUPPLIER_MISSING: {
    title: 'Blank suppliers',
    severity: 'warning', rejects: true,
    describe: () => 'Supplier name is blank; row not used.',
  },
  GROSS_PAY_UNPARSEABLE: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `Gross pay ${q(a.value)} is not a number of pounds; row not used.`,
  },
  GROSS_PAY_MISSING: {
    severity: 'warning', rejects: true,
    describe: () => 'Gross pay is blank; row not used.',
  },
  PERCENT_UNPARSEABLE: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `${a.value === undefined ? 'The answer' : q(a.value)} is not a percentage between 0 and 100; survey answer not used.`,
  },
  RESPONDENT_MISSING: {
    severity: 'warning', rejects: true,
    describe: () => 'Survey row names no supplier; answer not used.',
  },
  SURVEY_FORM_EDITED: {
    title: 'Survey forms edited outside their answer cells',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Cell ${a.cell} ${a.found === undefined ? 'is not' : `holds ${q(a.found)} where the form has`} ${q(a.expected)}${a.found === undefined ? ' as on the form' : ''}: the form was changed outside its answer cells, so its answers were not used. Copy the answers into a fresh form (local-impact survey forms) and run again.`,
  },
  SURVEY_ANSWER_BLANK: {
    title: 'Survey answers left blank',
    severity: 'warning', rejects: true,
    describe: (a) => `${a.question} (cell ${a.cell}) is blank, so this return was not used. Ask for the answer, type it in, and run again.`,
  },
  SURVEY_PERCENT_OUT_OF_RANGE: {
    title: 'Survey percentages over 100%',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Cell ${a.cell} ${held(a, q)} a percentage from 0% to 100%; this return was not used. Correct it and run again.`,
  },
  SURVEY_ANSWER_UNREADABLE: {
    title: 'Survey answers that are not numbers',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Cell ${a.cell} ${held(a, q)} ${a.wanted}; this return was not used. Correct it and run again.`,
  },
  SURVEY_SHARES_OVER_100: {
    severity: 'warning', rejects: true,
    describe: (a) => `The two shares (cells ${a.cells}) add up to ${a.total}, more than all of the supplier's costs; this return was not used. Ask the supplier to check them.`,
  },
  STAFF_RETURN_MIXED: {
    severity: 'warning', rejects: true,
    describe: (a) => `This return gives both amounts and shares of pay (first share in cell ${a.cell}); the two cannot be added together, so it was not used. Keep one of them and run again.`,
  },
  STAFF_RETURN_EMPTY: {
    title: 'Staff returns with no spending',
    severity: 'warning', rejects: true,
    describe: (a) => `No amount or share of pay is given for any kind of spending (cells ${a.cells}), so this return was not used.`,
  },
  STAFF_RETURN_NOT_LOCAL: {
    severity: 'info', rejects: true,
    describe: (a) => `The respondent does not live in the area (cell ${a.cell}): Round 3 traces the spending of staff living locally, so this return was not used.`,
  },
  SURVEY_FILE_NOT_READ: {
    title: 'Survey returns that could not be opened',
    severity: 'warning',
    describe: (a) => `This ${a.role} return could not be read${a.reason ? ` (${String(a.reason).replace(/\.$/, '')})` : ' (it is damaged, or not a workbook or CSV file)'}, so it was not used; the other returns were. ${a.hint ?? 'Open it in the spreadsheet program it was filled in with, save it again as .xlsx, and run again.'}`,
  },
  SURVEY_FILE_SKIPPED: {
    severity: 'warning',
    describe: (a) => `Not read as a survey return: only .xlsx and .csv files are read from a returns folder${a.extension ? ` (this is a ${a.extension} file)` : ''}. If it is a return, save it as .xlsx or .csv; otherwise move it out of the folder.`,
  },
  SURVEY_FOLDER_SKIPPED: {
    severity: 'warning',
    describe: () => 'A folder inside the returns folder: returns are read from the returns folder itself, not from folders inside it. Move any returns in it up into the returns folder.',
  },
  SURVEY_LOCK_FILE_SKIPPED: {
    severity: 'info',
    describe: () => 'The lock file Excel keeps while a workbook is open (its name begins "~$"): not a return, so not read. If the workbook it belongs to is open, close it before the run.',
  },
  SURVEY_HIDDEN_FILE_SKIPPED: {
    severity: 'info',
    describe: () => 'A hidden file (its name begins with a dot), kept by the system, not a return: not read.',
  },
  SURVEY_RETURNS_REJECTED: {
    title: 'Survey returns not used',
    severity: 'warning', weakens: true,
    describe: (a) => `${a.rejected} of ${a.read} ${a.role} returns could not be used (see Data quality), so Round 3 rests on the others: the ${a.role === 'staff survey' ? 'staff mean' : 'suppliers\' answers'} may differ from what was collected. Correct those returns and run again.`,
    reader: (a) => `${a.rejected} of ${a.read} ${a.role} returns were filled in wrongly and could not be used, so Round 3 rests on the others.`,
  },
  SURVEY_SUPPLIER_REPEATED: {
    severity: 'warning',
    describe: (a, q) => `A second survey answer from ${q(a.supplier)}; the first (${a.first}) was used. Remove the one that is out of date.`,
  },
  STAFF_SURVEY_FEW: {
    severity: 'warning',
    describe: (a) => `Only ${a.responses} staff survey return(s): fewer than 3, so their mean is used for Round 3 but neither it nor any answer is shown, and Round 3 and LM3 are given less precisely. Collect at least 3 returns.`,
  },
  DATE_OUTSIDE_PERIOD: {
    severity: 'info', rejects: true,
    describe: (a) => `Dated ${a.date}, outside the period ${a.period}; row not used.`,
  },
  ROW_SHORT: {
    severity: 'warning', rejects: true,
    describe: (a) => `Row has ${a.fields} fields where the header has ${a.expected}; the amount column is missing from it, so the row was not used.`,
  },
  DUPLICATE_TRANSACTION: {
    title: 'Payments repeated across files',
    severity: 'warning', rejects: true,
    describe: (a, q) => `Transaction ${q(a.transaction)} (${q(a.supplier)}, ${a.amount}) at ${a.again} was already read at ${a.first}; counted once, this copy not used.`,
  },
  // Rows used, with something worth knowing.
  AMOUNT_ROUNDED: {
    severity: 'info',
    describe: (a, q) => `Amount ${q(a.value)} has more than two decimal places; rounded to the penny.`,
  },
  AMOUNT_NIL: {
    severity: 'info',
    describe: (a, q) => `Amount ${q(a.value)} read as nil (£0.00).`,
  },
  DATE_UNPARSEABLE: {
    severity: 'info',
    describe: (a, q) => `Date ${q(a.value)} is not a date this tool reads (day first: 31/03/2025, 2025-03-31, 31-Mar-25); row used without a date.`,
  },
  DATE_MISSING_WITH_PERIOD: {
    severity: 'info',
    describe: (a) => `Row has no readable date, so it cannot be checked against the period ${a.period}; it was used.`,
  },
  NUMBER_UNPARSEABLE: {
    severity: 'info',
    describe: (a, q) => `${a.field} ${q(a.value)} is not a number; treated as blank.`,
  },
  POSTCODE_INVALID: {
    severity: 'info',
    describe: (a, q) => `${q(a.value)} is not a UK postcode; location unknown.`,
  },
  POSTCODE_UNKNOWN: {
    severity: 'info',
    describe: (a) => `${a.value} is not in the postcode directory (new, mistyped or non-geographic); placed by its district where that is decisive.`,
  },
  POSTCODE_TERMINATED: {
    severity: 'info',
    describe: (a) => `${a.value} is a terminated postcode; placed by where it was. Check the supplier's current address.`,
  },
  POSTCODE_NORTHERN_IRELAND: {
    severity: 'info',
    describe: (a) => `${a.value} is in Northern Ireland, which the imported directory does not cover; outside any area in Great Britain.`,
  },
  POSTCODE_CROWN_DEPENDENCY: {
    severity: 'info',
    describe: (a) => `${a.value} is in the Channel Islands or the Isle of Man, which are not part of the UK; not local.`,
  },
  POSTCODE_NOT_UK: {
    severity: 'info',
    describe: (a, q) => `${q(a.value)} looks like a postal code outside the UK; not local. Use the supplier register if that is wrong.`,
  },
  DISTRICT_STRADDLES: {
    severity: 'info',
    describe: (a, q) => `${q(a.supplier)} can be placed only by its district ${a.district}, which lies partly inside the area (${a.share} of its postcodes); counted as unknown. A full postcode in the directory would place it exactly.`,
  },
  COUNCIL_SUCCEEDED: {
    // A warning: a run asked for one old council silently measuring a far larger one would mislead.
    severity: 'warning',
    describe: (a) =>
      `${a.name} (${a.code}) no longer exists: ONS merged it into ${a.successorName} (${a.successor}), so local here means the whole of ${a.successorName}, not ${a.name}'s old area. ` +
      `The postcode directory places postcodes only in today's councils, so it cannot tell which were ${a.name}'s. ` +
      `To mean ${a.name}'s old area alone, give its postcode districts in place of "${a.given}" (areas, districts and ranges, e.g. "HG1-HG5,YO51" for Harrogate).`,
  },
  COUNCIL_RECODED: {
    severity: 'info',
    describe: (a) => `${a.name}'s code ${a.code} has been replaced by ${a.successor}; the area uses the new code.`,
  },
  PAYROLL_NO_EMPLOYEE_ID: {
    severity: 'warning',
    describe: (a) => `Payroll has no employee id column, so each of its ${a.rows} rows is counted as one person. If it has a row per person per month, headcount is overstated: add an id column, or name it with --payroll-column employeeId="…".`,
  },
  EMPLOYEE_REPEATED: {
    severity: 'info',
    describe: (a) => `Employee ${a.value} appears on ${a.count} rows; their pay was added together as one person.`,
  },
  SUPPLIER_SEVERAL_POSTCODES: {
    severity: 'info',
    describe: (a, q) => `${q(a.supplier)} is paid at ${a.count} postcodes; located by the one with most spend (${a.postcode}).`,
  },
  SURVEY_SUPPLIER_UNMATCHED: {
    severity: 'warning',
    describe: (a, q) => `Survey answer from ${q(a.supplier)}${a.cell ? ` (cell ${a.cell})` : ''} matches no supplier in the spend files; not used. A form is for one supplier paid in the period: check the name and reference were not changed.`,
  },
  SURVEY_SUPPLIER_NOT_LOCAL: {
    severity: 'info',
    describe: (a, q) => `Survey answer from ${q(a.supplier)}, which is not local; not used for Round 3 (only local suppliers re-spend locally in LM3).`,
  },
  REGISTER_SUPPLIER_UNUSED: {
    severity: 'info',
    describe: (a, q) => `Register entry ${q(a.supplier)} matches no supplier paid in the spend files.`,
  },
  SUPPLIER_TYPE_CONFLICT: {
    severity: 'info',
    describe: (a) => `The spend file's rows for ${a.supplier} answer its ${a.column} column both yes and no; the first answer, ${a.used}, was used. Give the type in the supplier register to settle it.`,
  },
  REGISTER_LOCAL_UNREADABLE: {
    severity: 'warning',
    describe: (a, q) => `Local override ${q(a.value)} is not yes or no; ignored.`,
  },
  ENCODING_WINDOWS_1252: {
    severity: 'info',
    describe: () => 'File is not UTF-8; read as Windows-1252 (the usual Excel "CSV" on Windows).',
  },
  HEADER_NOT_FIRST_LINE: {
    severity: 'info',
    describe: (a) => `Header found on line ${a.line}; the ${a.skipped} line(s) above it were skipped as a preamble.`,
  },
  ENCODING_UTF16: {
    severity: 'info',
    describe: (a) => `File is ${a.encoding} text (a "Unicode text" export); decoded as such.`,
  },
  BOM_DOUBLE_ENCODED: {
    severity: 'info',
    describe: () => 'File starts with a byte-order mark that was encoded twice ("ï»¿"); skipped.',
  },
  FOOTER_NOT_READ: {
    severity: 'info',
    describe: (a) => `A footer or totals block starts on line ${a.line}; its ${a.rows} row(s) were not read as payments.`,
  },
  FOOTER_NOT_LAST: {
    severity: 'info',
    describe: (a) =>
      `Line ${a.line} looked like the end of the data (a total or copyright line${a.stated ? `, stating ${a.stated}` : ''}), but payments follow it from line ${a.resumed}: it was set aside as a totals line${Number(a.between) > 0 ? `, with the ${a.between} line(s) after it` : ''}, and reading went on.`,
  },
  FILE_ENDS_MID_LINE: {
    severity: 'info',
    describe: (a) => `The file ends without a line break after line ${a.line}. Many exports do; but if the file was cut off in sending, that last row may be incomplete (an amount cut short): compare it with the ledger.`,
  },
  HEADER_REPEATED: {
    severity: 'info',
    describe: (a) => `Line ${a.line} repeats the header: table ${a.table} of the file starts there. Read as more rows of the same columns, not as a payment.`,
  },
  TABLES_REPEATED: {
    title: 'A table repeated in the file',
    severity: 'warning',
    describe: (a) => `${a.repeated} of the ${a.rows} rows of the table on lines ${a.lines} repeat payments of an earlier table in the file (${a.amount}; the same supplier, amount, date and transaction id): the same payments twice. Counted once; the copies are listed as TABLE_REPEATED.`,
  },
  QUOTE_DAMAGE: {
    title: 'Damaged lines (quote marks)',
    severity: 'warning',
    describe: (a) =>
      `Lines ${a.lines}: a quote mark ${Number(a.unclosed) ? 'never closed' : 'ran over line ends'}, so ${a.count} line(s) would have been read as one field. Each line was re-read on its own: ` +
      `${a.recovered} recovered as whole rows${Number(a.recovered) > 0 ? ` (lines ${a.recoveredLines})` : ''}, ${a.rejected} not used.${a.amount === undefined ? '' : ` Money on these lines: ${a.amount}.`} Check the quote marks on line(s) ${a.lines}.`,
  },
  SUBTOTAL_SKIPPED: {
    severity: 'info',
    describe: () => 'A subtotal line ("Sub Total", "April Total"): set aside, not read as data, and reading went on past it.',
  },
  FILE_TOTAL_AGREES: {
    severity: 'info',
    describe: (a) => `The file's own total line (${a.stated}) agrees with the rows accepted.`,
  },
  FILE_TOTAL_DIFFERS: {
    title: 'The file\u2019s own total differs',
    severity: 'warning',
    describe: (a) => {
      return a.direction === 'over'
        ? `The file's own total line says ${a.stated}; the rows accepted add up to ${a.accepted} (${a.difference} more than it). The stated total may leave some rows out, or a payment may be in the file twice: check the rows against it.`
        : `The file's own total line says ${a.stated}; the rows accepted add up to ${a.accepted} (${a.difference} short of it). ${a.rejected} row(s) were rejected: correcting them in the file may close the gap.`;
    },
  },
  DATA_AFTER_FOOTER: {
    title: 'Rows after the footer',
    // Money in the file that was not read: a headline may be missing it, so --strict fails on it.
    severity: 'warning', weakens: true,
    describe: (a) => `${a.rows} row(s) after the footer on line ${a.line} have a supplier and an amount (${a.amount} in all) but no date or transaction id, so were not read as payments. If they are payments, remove the footer from the file.`,
    reader: (a) => `${a.rows} row(s) after the footer of a spend file hold a supplier and an amount (${a.amount} in all) but no date or transaction id, so they were not counted as payments: the figures may be missing them.`,
  },
  SUPPLIER_UNATTRIBUTABLE: {
    severity: 'info',
    describe: (a) => `${a.rows} payment(s), ${a.amount} in all, are to redacted, placeholder (e.g. "Various") or blank payees: counted in the total as one "unattributable" line, never located.`,
  },
  ROWS_WIDER_THAN_HEADER: {
    severity: 'info',
    describe: (a) => `${a.rows} row(s) have more cells than the ${a.columns} headers; the unnamed cells at the end were ignored.`,
  },
  CONTRACT_VALUES: {
    severity: 'info',
    describe: (a) =>
      `A contracts register: its amounts are the annual contract values in "${a.column}", not payments${a.period ? `, and its contracts are not checked against the period ${a.period}` : ''}.`,
  },
  DUPLICATES_UNCHECKED: {
    severity: 'info',
    describe: () => 'File has no transaction id column, so payments repeated from another of the files cannot be found; check that the files do not overlap.',
  },
  VAT_COLUMN_SWITCHED: {
    severity: 'info',
    describe: (a, q) => `VAT basis is ${a.basis}: amounts read from ${q(a.column)} rather than ${q(a.instead)}.`,
  },
  VAT_ADJUSTED: {
    severity: 'info',
    describe: (a, q) => `VAT basis is ${a.basis}: ${q(a.vat)} ${a.how === 'added' ? 'added to' : 'taken from'} ${q(a.column)} on every row.`,
  },
  VAT_BASIS_DIFFERS: {
    severity: 'warning',
    describe: (a, q) => `VAT basis is ${a.basis}, but amounts come from ${q(a.column)}, which is ${a.says}, and the file has no VAT column to convert them: used as they are.`,
  },
  SPEND_EXCLUDED: {
    severity: 'info',
    describe: (a) => `Excluded by ${a.rule} (${a.reason}): ${a.amount} in ${a.payments} payment(s) to ${a.suppliers} supplier(s), outside the local share, listed on its own line.`,
  },
  EXCLUDE_RULE_UNUSED: {
    severity: 'info',
    describe: (a) => `Exclude rule ${a.rule} (${a.reason}) matched no payment.`,
  },
  EXCLUDE_CATEGORY_ABSENT: {
    severity: 'warning',
    describe: () => 'File has no category column, so exclude rules by category cannot apply to it.',
  },
  // Whole-run findings.
  SPEND_UNLOCATED: {
    title: 'Spend of unknown location',
    severity: 'warning', weakens: true,
    describe: (a) =>
      `Only ${a.located} of spend is located (${a.threshold} needed): ${a.amount} (${a.unknown}) is of unknown location` +
      `${a.unattributable ? `, ${a.unattributable} of it to redacted or placeholder payees, who cannot be located` : ''}. ` +
      'So the local share, leakage and LM3 are given as ranges, not findings. ' +
      (Number(a.suppliers) > 0
        ? `Next: \`local-impact suppliers --out register.csv\` lists the ${a.suppliers} unlocated supplier(s) by spend; fill in their postcodes (or local yes/no) and run again with --suppliers register.csv.`
        : 'No supplier left to locate: only the payees cannot be placed.'),
    reader: (a) =>
      `Only ${a.located} of spend could be located (${a.threshold} is needed): ${a.amount} (${a.unknown}) went to suppliers of unknown location` +
      `${a.unattributable ? `, ${a.unattributable} of it to redacted or placeholder payees` : ''}. ` +
      'So the local share, leakage and LM3 are given as ranges, not as findings.',
  },
  STAFF_BELOW_COVERAGE: {
    title: 'Too few staff placed',
    severity: 'warning', weakens: true,
    describe: (a) => `Only ${a.located} of ${a.staff} staff have a home postcode that places them (${a.threshold} needed): LM3 and leakage are given as ranges, not findings. Add home postcodes (the district is enough) to the payroll export.`,
    reader: (a) => `Only ${a.located} of ${a.staff} staff could be placed by their home postcode (${a.threshold} is needed): LM3 and leakage are given as ranges, not as findings.`,
  },
  STAFF_UNLOCATED: {
    title: 'Staff who cannot be placed',
    severity: 'warning',
    describe: (a) => `${a.count} ${a.count === 1 ? 'member of staff' : 'staff'} cannot be placed (no usable home postcode, or only a district that crosses the boundary); their pay is counted as not local, and as local only at the high end.`,
  },
  ROUND3_ASSUMED: {
    severity: 'warning',
    describe: (a) => `Round 3 ${a.part} rests on an assumption (${a.detail}), not a survey: the score is an estimate.`,
  },
  ROUND3_NONE: {
    title: 'Round 3 not traced',
    severity: 'warning', weakens: true,
    describe: (a) => `No ${a.part} survey and no assumption: Round 3 ${a.part} is £0, so LM3 is understated. Add a survey or an assumption to the project file.`,
    reader: (a) => `Round 3 ${a.part} is not traced (no survey and no stated assumption), so it counts as £0 and LM3 is understated.`,
  },
  INCOME_NOT_GIVEN: {
    severity: 'info',
    describe: () => 'No income given: Round 1 is total spend analysed plus payroll cost. Give --income to follow a particular income or contract.',
  },
  NO_PAYROLL: {
    severity: 'info',
    describe: () => 'No payroll file: the workforce and its pay are left out of Rounds 1–3.',
  },
  PAY_WITHHELD: {
    severity: 'info',
    describe: (a) => `${a.statement}`,
  },
  NET_PAY_MISSING: {
    severity: 'warning',
    describe: (a) => `The wages convention is net, but ${a.count} ${a.count === 1 ? 'member of staff has' : 'staff have'} no net pay: Round 2 uses gross pay for everyone, so as not to mix net and gross. Add net pay for every row to use net.`,
  },
  INCOME_BELOW_LOCAL_SPEND: {
    severity: 'error',
    describe: (a) =>
      a.basis === 'income'
        ? `The income given as Round 1 (${a.round1}) is less than the money this run says was spent locally at the high end (${a.round2High}: local suppliers and staff, with every unknown location counted as local), so LM3 would exceed 3: it cannot be the money followed. Give the income of the whole period (--income), match the period to it (--period), or leave out --income to follow the money spent.`
        : `The money analysed (${a.round1}) is less than the money spent locally at the high end (${a.round2High}): credit notes to suppliers outside the area outweigh their payments, so LM3 would exceed 3. Check the credit notes, or give the income followed with --income.`,
  },
  ROUNDS_OUT_OF_BOUNDS: {
    severity: 'error',
    describe: (a) => `Credit notes outweigh payments for some local or unlocated suppliers, so the rounds break R3 ≤ R2 ≤ R1 (Round 2 ${a.round2}, Round 3 ${a.round3}; at the high end ${a.round2High} and ${a.round3High}) and LM3 would fall outside 1 to 3. Check the credit notes (the Suppliers sheet lists each supplier's net total), or take them out with an exclude rule.`,
  },
  SPENT_BEYOND_INCOME: {
    title: 'More spent than the income',
    severity: 'warning', weakens: true,
    describe: (a) => `More was spent (${a.spent}: spend, excluded spend and payroll cost) than the income given as Round 1 (${a.round1}); the R1 reconciliation shows ${a.beyond} as spent beyond income. If reserves paid for it, say so; otherwise check --income and --period.`,
    reader: (a) => `More was spent in the period (${a.spent}, counting spend, excluded spend and payroll cost) than the income followed as Round 1 (${a.round1}): ${a.beyond} was spent beyond that income (from reserves, for example). The workbook's LM3 sheet shows it in the reconciliation of Round 1.`,
  },
  ROWS_REJECTED: {
    title: 'Many rows rejected',
    severity: 'warning', weakens: true,
    describe: (a) => `${a.rows} of ${a.read} rows of ${a.file} (${a.share}) could not be read and were rejected${a.money ? `, with ${a.money} on them that could be read (${a.moneyShare} of the money)` : ''}: more than 1% of rows or money, so the figures may be missing real payments. Correct them in the file (see Data quality) and run again.`,
    reader: (a) => `${a.rows} of ${a.read} rows of ${a.file} (${a.share}) could not be read${a.money ? `, with ${a.money} on them (${a.moneyShare} of the money)` : ''}: more than 1% of rows or money, so the figures may be missing real payments. The workbook's Data quality sheet lists them.`,
  },
  // Step 10: scenarios.
  SCENARIO_NOTHING_IN_SCOPE: {
    title: 'A scenario that moves nothing',
    severity: 'warning',
    describe: (a, q) => `Scenario ${q(a.scenario)} moves nothing: ${a.why}. Check its category or suppliers against the Categories and Suppliers sheets.`,
  },
  SCENARIO_SUPPLIER_NOT_MOVED: {
    severity: 'warning',
    describe: (a, q) => `Scenario ${q(a.scenario)} names ${q(a.supplier)}, which ${a.why}: only suppliers located outside the area can be moved to local ones.`,
  },
  SCENARIO_POSTS_CAPPED: {
    severity: 'warning',
    describe: (a, q) => `Scenario ${q(a.scenario)} asks for ${a.asked} posts, but ${a.available} staff live outside the area: it moves ${a.available}.`,
  },
  // Step 9: tenants and the framework questionnaire.
  TENANT_MISSING: {
    severity: 'warning', rejects: true,
    describe: () => 'Tenant name is blank; row not used.',
  },
  TENANT_JOBS_UNREADABLE: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `Jobs ${q(a.value)} is not a whole number of jobs (headcount, 0 or more); row not used. Correct it and run again.`,
  },
  TENANT_NUMBER_UNREADABLE: {
    severity: 'warning',
    describe: (a, q) => `${a.field} ${q(a.value)} is not a number; left blank for this tenant.`,
  },
  TENANT_INDUSTRY_NOT_IN_TABLE: {
    severity: 'warning',
    describe: (a, q) => `Industry ${q(a.industry)} is not in the GVA per job table for ${q(a.region)}: this tenant's jobs count, its GVA is not estimated. Use the table's industry codes (e.g. "C10-12"), or give the tenant's own GVA.`,
  },
  GVA_ROW_UNREADABLE: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `GVA per job ${q(a.value)} is not an amount in pounds; row not used.`,
  },
  GVA_ROW_REPEATED: {
    severity: 'warning', rejects: true,
    describe: (a, q) =>
      a.value === a.firstValue
        ? `A second row for ${q(a.industry)} in ${q(a.region)} (the first is line ${a.first}, with the same GVA per job): not used. Remove the repeat.`
        : `A second row for ${q(a.industry)} in ${q(a.region)} gives ${a.value} per job where line ${a.first} gives ${a.firstValue}: line ${a.first} is used, this row is not. Keep the right figure only and run again.`,
  },
  GVA_ROW_INCOMPLETE: {
    severity: 'warning', rejects: true,
    describe: () => 'Region or industry is blank; row not used.',
  },
  GVA_REGION_ABSENT: {
    severity: 'warning',
    describe: (a, q) => `The GVA per job table has no rows for ${q(a.region)}${a.regions ? ` (it has ${a.regions})` : ''}: no tenant's GVA can be estimated. Set framework.region to one of its regions.`,
  },
  GVA_REGION_NOT_SET: {
    severity: 'warning',
    describe: (a) => `The GVA per job table has ${a.regions} regions and framework.region is not set: no tenant's GVA is estimated. Set framework.region in the project file.`,
  },
  FRAMEWORK_ANSWER_UNREADABLE: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `Answer ${q(a.value)} to question ${a.question} is not ${a.expected}; not used. Correct it in the form and run again.`,
  },
  FRAMEWORK_QUESTION_UNKNOWN: {
    severity: 'warning', rejects: true,
    describe: (a, q) => `${q(a.question)} is not a question of this questionnaire; row not used. Write the answers in the form the tool wrote (local-impact framework forms).`,
  },
  ROUND1_ZERO: {
    severity: 'warning',
    describe: (a) => `Round 1 is ${a.round1} (no income given, and spend plus payroll cost is not above £0), so there is no LM3 score to report.`,
  },
} satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof definitions;

export const FINDING_CODES = Object.keys(definitions) as FindingCode[];

export interface Finding {
  code: FindingCode;
  /** The input file, as the user named it. */
  file?: string;
  /** 1-based physical line in that file where the row starts. */
  line?: number;
  /** The row as it appears in the file, for rejected rows. */
  raw?: string;
  args?: FindingArgs;
}

export function findingDefinition(code: FindingCode): FindingDefinition {
  return definitions[code];
}

/** The finding's short name in words: its title, or its code made a sentence ("Pay withheld"). */
export function findingTitle(code: FindingCode): string {
  const title = (definitions[code] as FindingDefinition).title;
  if (title !== undefined) return title;
  const words = code.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function severityOf(code: FindingCode): Severity {
  return definitions[code].severity;
}

/** A finding in words, its input text quoted by `q`: in full unless a report asks for less. */
export function describeFinding(finding: Pick<Finding, 'code' | 'args'>, q: Quote = quoteInFull): string {
  return (definitions[finding.code] as FindingDefinition).describe(finding.args ?? {}, q);
}

/** A finding as a report's reader reads it (its `reader` wording, else `describe`): for the statement and the front page. */
export function describeForReader(finding: Pick<Finding, 'code' | 'args'>, q: Quote = quoteInFull): string {
  const definition = definitions[finding.code] as FindingDefinition;
  return (definition.reader ?? definition.describe)(finding.args ?? {}, q);
}

export function isRejection(finding: Finding): boolean {
  return (definitions[finding.code] as FindingDefinition).rejects === true;
}

export interface FindingSummary {
  code: FindingCode;
  severity: Severity;
  count: number;
  /** The wording of the first occurrence, which stands for the group. */
  message: string;
  /** Where the first occurrence is, `file:line`, when it has a place. */
  first?: string;
  /** The first occurrence's place and typed arguments, so a script can act on it without parsing `message`. */
  file?: string;
  line?: number;
  args: FindingArgs;
}

/** One line per code, most severe first, then most frequent. */
export function summariseFindings(findings: Iterable<Finding>): FindingSummary[] {
  const log = new FindingLog(0);
  log.addAll(findings);
  return log.summary();
}

/**
 * Collects findings with exact counts, keeping the details of the first `detailLimit` of each code:
 * a hostile million-row file must not turn into a million objects held in memory.
 */
export interface FindingSnapshot {
  details: Finding[];
  /** Counts beyond the kept details: code, how many, the first of that code. */
  extra: [FindingCode, number, Finding][];
}

/** Arguments that hold line numbers ("12", "12–15", "3, 5–7"): moved with their finding when a half read in parallel is merged. */
const LINE_ARGS = new Set(['line', 'resumed', 'lines', 'recoveredLines']);

function shiftLines(value: string | number | undefined, offset: number): string | number | undefined {
  if (typeof value === 'number') return value + offset;
  return value?.replace(/\d+/g, (n) => String(Number(n) + offset));
}

export class FindingLog {
  readonly details: Finding[] = [];
  private readonly counts = new Map<FindingCode, number>();
  private readonly kept = new Map<FindingCode, number>();
  private readonly first = new Map<FindingCode, Finding>();

  constructor(private readonly detailLimit = 5000) {}

  add(finding: Finding): void {
    this.count_(finding.code, 1, finding);
    const kept = this.kept.get(finding.code) ?? 0;
    if (kept < this.detailLimit) {
      this.details.push(finding);
      this.kept.set(finding.code, kept + 1);
    }
  }

  addAll(findings: Iterable<Finding>): void {
    for (const finding of findings) this.add(finding);
  }

  /** Takes in another log's counts and as many of its details as the limit allows. */
  merge(other: FindingLog): void {
    for (const finding of other.details) this.add(finding);
    for (const [code, count] of other.counts) {
      const extra = count - (other.kept.get(code) ?? 0);
      if (extra > 0) this.count_(code, extra, other.first.get(code)!);
    }
  }

  /** The log as plain data, for sending between threads. */
  snapshot(): FindingSnapshot {
    const extra: FindingSnapshot['extra'] = [];
    for (const [code, count] of this.counts) {
      const missing = count - (this.kept.get(code) ?? 0);
      if (missing > 0) extra.push([code, missing, this.first.get(code)!]);
    }
    return { details: this.details, extra };
  }

  /** Takes in a snapshot from another pass, moving its line numbers by `lineOffset` (a pass that began mid-file). */
  absorb(snapshot: FindingSnapshot, lineOffset = 0): void {
    const move = (f: Finding): Finding => {
      if (f.line === undefined || lineOffset === 0) return f;
      const args = f.args && Object.fromEntries(Object.entries(f.args).map(([key, value]) => [key, LINE_ARGS.has(key) ? shiftLines(value, lineOffset) : value]));
      return { ...f, line: f.line + lineOffset, ...(args ? { args } : {}) };
    };
    for (const finding of snapshot.details) this.add(move(finding));
    for (const [code, count, first] of snapshot.extra) this.count_(code, count, move(first));
  }

  count(code: FindingCode): number {
    return this.counts.get(code) ?? 0;
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Findings that were counted but whose details were not kept, by code. */
  omitted(): Map<FindingCode, number> {
    const result = new Map<FindingCode, number>();
    for (const [code, count] of this.counts) {
      const missing = count - (this.kept.get(code) ?? 0);
      if (missing > 0) result.set(code, missing);
    }
    return result;
  }

  summary(): FindingSummary[] {
    const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    return [...this.counts.entries()]
      .map(([code, count]) => {
        const first = this.first.get(code)!;
        const where = first.file === undefined ? undefined : first.line === undefined ? first.file : `${first.file}:${first.line}`;
        return {
          code,
          severity: severityOf(code),
          count,
          message: describeFinding(first),
          ...(where ? { first: where } : {}),
          ...(first.file === undefined ? {} : { file: first.file }),
          ...(first.line === undefined ? {} : { line: first.line }),
          args: first.args ?? {},
        };
      })
      .sort((a, b) => rank[a.severity] - rank[b.severity] || b.count - a.count || a.code.localeCompare(b.code));
  }

  private count_(code: FindingCode, n: number, example: Finding): void {
    const count = this.counts.get(code) ?? 0;
    if (count === 0) this.first.set(code, example);
    this.counts.set(code, count + n);
  }
}
