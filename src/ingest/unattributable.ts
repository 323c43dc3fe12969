/**
 * Payee names that stand for no one: a name the publisher withheld ("REDACTED PERSONAL DATA") or a
 * placeholder where a name should be ("Various", "Sundry Creditors"). Their payments are real money:
 * counted in the total as one "unattributable" line, never located, never a supplier. The spend reader,
 * the supplier register and the register's plan all ask `isUnattributable`.
 */

/**
 * Placeholders, matched against the whole name with case, punctuation and spacing aside: "VARIOUS.",
 * "n/a" and "Sundry creditors -" are placeholders; "Cash Converters Ltd" and "Various Homes Ltd" are suppliers.
 */
export const PLACEHOLDER_PAYEES: readonly string[] = [
  'Various',
  'Various Providers',
  'Various Suppliers',
  'Sundry',
  'Sundry Creditors',
  'Sundries',
  'Miscellaneous',
  'Petty Cash',
  'Cash',
  'N/A',
  'Not Applicable',
  'Unknown',
  'TBC',
];

/** The name with case, punctuation and spacing taken out: "N/A", "n.a." and "NA" are all `na`. */
function placeholderKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const PLACEHOLDER_KEYS = new Set(PLACEHOLDER_PAYEES.map(placeholderKey));

/** A name from PLACEHOLDER_PAYEES, however cased and punctuated. */
export function isPlaceholderPayee(name: string): boolean {
  return PLACEHOLDER_KEYS.has(placeholderKey(name));
}

/** Markers of a withheld name, at the start of the cell: "REDACTED PERSONAL DATA", "Personal Information", "Name withheld". */
const REDACTED = /^\W*(redacted\b|personal (data|information)\b|withheld\b|name withheld\b|private individual\b)/i;

/** A payee name that stands for no one: withheld by the publisher, or a placeholder. */
export function isUnattributable(name: string): boolean {
  return REDACTED.test(name) || isPlaceholderPayee(name);
}
