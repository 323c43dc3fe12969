/**
 * UK postcodes: `HX1 1RE` is area `HX`, district (outward code) `HX1`, sector `HX1 1`, unit `1RE`.
 * Payroll often holds the district only, which is personal data minimisation, not an error.
 */
export type ParsedPostcode =
  | { kind: 'full'; postcode: string; area: string; district: string; sector: string }
  | { kind: 'district'; area: string; district: string }
  | { kind: 'invalid'; text: string }
  | { kind: 'blank' };

const FULL = /^([A-Z]{1,2})([0-9][A-Z0-9]?)([0-9])([A-Z]{2})$/;
const DISTRICT = /^([A-Z]{1,2})([0-9][A-Z0-9]?)$/;

export function parsePostcode(input: string | undefined): ParsedPostcode {
  if (input === undefined) return { kind: 'blank' };
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact === '') return { kind: 'blank' };
  let m = FULL.exec(compact);
  if (m) {
    const district = m[1]! + m[2]!;
    return { kind: 'full', postcode: `${district} ${m[3]}${m[4]}`, area: m[1]!, district, sector: `${district} ${m[3]}` };
  }
  m = DISTRICT.exec(compact);
  if (m) return { kind: 'district', area: m[1]!, district: compact };
  if (compact === 'GIR0AA') return { kind: 'full', postcode: 'GIR 0AA', area: 'GIR', district: 'GIR', sector: 'GIR 0' };
  return { kind: 'invalid', text: input.trim() };
}

/** The postcode as it should be shown: normalised when it parses, as given otherwise. */
export function displayPostcode(parsed: ParsedPostcode): string {
  switch (parsed.kind) {
    case 'full':
      return parsed.postcode;
    case 'district':
      return parsed.district;
    case 'invalid':
      return parsed.text;
    case 'blank':
      return '';
  }
}

/** What a report may show of a home postcode: its district, never the full postcode. */
export function districtOf(parsed: ParsedPostcode): string | undefined {
  return parsed.kind === 'full' || parsed.kind === 'district' ? parsed.district : undefined;
}
