import type { Analysis } from '../../analyse.js';
import type { Supplier } from '../../domain/supplier.js';
import { formatPounds } from '../../money.js';
import { postcodeSourceLabel, supplierBasisLabel, typeSourceLabel } from '../format.js';
import { MILES, NOT_PROVIDED_SPEND, Sheet, type Value, count, money, percentOf, share } from './layout.js';

export function spellingsText(supplier: Supplier): string {
  return supplier.spellings
    .filter((spelling) => spelling.text !== supplier.name)
    .map((spelling) => `${spelling.text} (${formatPounds(spelling.amount)})`)
    .join('; ');
}

export function suppliersSheet(analysis: Analysis): Sheet {
  const { spend, suppliers } = analysis;
  const s = new Sheet('Suppliers');
  s.title('Suppliers', 'One row per supplier, largest spend first. Unknown location counts as non-local in the central figures.');
  if (!spend) {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  // Council and region come from the postcode directory, distance from a radius: columns only when the run had them.
  const placed = analysis.referenceData.directory !== undefined;
  const measured = suppliers.some((x) => x.distanceMiles !== undefined);
  const columns: { label: string; value: (x: Supplier) => Value; width?: { min?: number; max?: number } }[] = [
    { label: 'Supplier', value: (x) => x.name, width: { max: 40 } },
    { label: 'Supplier ID', value: (x) => x.supplierId },
    { label: 'Postcode', value: (x) => x.postcode, width: { min: 10 } },
    { label: 'Postcode from', value: (x) => postcodeSourceLabel(x.postcodeSource) },
    ...(placed
      ? [
          { label: 'Council', value: (x: Supplier) => x.councilName ?? '', width: { max: 28 } },
          { label: 'Council code', value: (x: Supplier) => x.council ?? '', width: { min: 11 } },
          { label: 'Region', value: (x: Supplier) => x.regionName ?? '', width: { max: 26 } },
        ]
      : []),
    ...(measured ? [{ label: 'Distance (miles)', value: (x: Supplier) => (x.distanceMiles === undefined ? null : { value: x.distanceMiles, numFmt: MILES }), width: { min: 10 } }] : []),
    { label: 'Status', value: (x) => x.status },
    { label: 'Basis', value: (x) => supplierBasisLabel(x), width: { max: 32 } },
    { label: 'Type', value: (x) => x.type ?? '' },
    { label: 'Type from', value: (x) => (x.typeSource === undefined ? '' : typeSourceLabel(x.typeSource)), width: { max: 28 } },
    { label: 'Sector', value: (x) => x.sector, width: { max: 24 } },
    { label: 'Total', value: (x) => money(x.amount), width: { min: 14 } },
    { label: 'Payments', value: (x) => count(x.payments), width: { min: 10 } },
    { label: 'Share of total', value: (x) => share(spend.total === 0 ? 0 : x.amount / spend.total), width: { min: 10 } },
    { label: 'Survey answer', value: (x) => (x.surveyPercent === undefined ? null : share(percentOf(x.surveyPercent))), width: { min: 10 } },
    { label: 'Other spellings', value: (x) => spellingsText(x), width: { max: 50 } },
  ];
  const header = s.header(columns.map((c) => c.label));
  s.freeze(header);
  for (const x of suppliers) s.line(columns.map((c) => c.value(x)));
  s.filter(header, s.row, columns.length);
  s.printTitlesRow = header;
  s.fit(Object.fromEntries(columns.flatMap((c, i) => (c.width ? [[i + 1, c.width]] : []))));
  return s;
}
