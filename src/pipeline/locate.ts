import type { Placement } from '../domain/placement.js';
import { type Supplier, SupplierIndex } from '../domain/supplier.js';
import type { Finding } from '../findings.js';
import type { Area } from '../geo/area.js';
import { displayPostcode, districtOf, parsePostcode } from '../geo/postcode.js';
import type { RegisterEntry } from '../ingest/register.js';
import type { SupplierSurveyAnswer } from '../ingest/survey-returns.js';
import type { LedgerSupplier } from '../ingest/spend.js';
import { decideSupplierType } from './supplier-type.js';

export interface LocateResult {
  suppliers: Supplier[];
  findings: Finding[];
}

/**
 * Turns the ledger's suppliers into located suppliers. The register wins over the ledger: its local
 * override decides outright, then its postcode; otherwise the ledger postcode carrying most spend.
 * Register entries and survey answers match by supplier id, else by normalised name.
 */
export function locateSuppliers(input: {
  ledger: Iterable<LedgerSupplier>;
  area: Area;
  register?: readonly RegisterEntry[];
  registerFile?: string;
  survey?: readonly SupplierSurveyAnswer[];
  surveyFile?: string;
  /** Nested definitions of local, each reported as a column. The register's override decides only a tier that is the area itself. */
  tiers?: readonly Area[];
}): LocateResult {
  const findings: Finding[] = [];
  const registerIndex = new SupplierIndex<RegisterEntry>();
  // A register row named for no one ("Various") is never matched to a supplier, not even by its id.
  for (const entry of input.register ?? []) if (!entry.unattributable) registerIndex.add(entry.supplierId, entry.supplier, entry);
  const suppliers: Supplier[] = [];
  const byKeyOrName = new SupplierIndex<Supplier>();
  for (const ledger of input.ledger) {
    const spellings = [...ledger.spellings.values()]
      .map((s) => ({ text: s.text, amount: s.amount }))
      .sort((a, b) => b.amount - a.amount || a.text.localeCompare(b.text));
    if (ledger.unattributable) {
      suppliers.push(unattributableSupplier(ledger, spellings));
      continue;
    }
    const name = spellings[0]?.text ?? ledger.key;
    // Names are normalised to match them: not worth doing for thousands of suppliers with no register.
    const entry = input.register?.length ? registerIndex.find(ledger.supplierId, spellings.map((s) => s.text)) : undefined;
    if (entry) registerIndex.used.add(entry);
    let postcodeText = '';
    let postcodeSource: Supplier['postcodeSource'] = 'none';
    if (entry && entry.postcode !== '') {
      postcodeText = entry.postcode;
      postcodeSource = 'register';
    } else {
      const located = [...ledger.postcodes.entries()].filter(([text]) => text !== '');
      if (located.length > 0) {
        located.sort((a, b) => b[1].amount - a[1].amount || a[0].localeCompare(b[0]));
        postcodeText = located[0]![0];
        postcodeSource = 'ledger';
        const distinct = new Set(located.map(([text]) => displayPostcode(parsePostcode(text))));
        if (distinct.size > 1) {
          findings.push({ code: 'SUPPLIER_SEVERAL_POSTCODES', args: { supplier: name, count: distinct.size, postcode: displayPostcode(parsePostcode(postcodeText)) } });
        }
      }
    }
    const parsed = parsePostcode(postcodeText);
    const placement = input.area.place(parsed);
    if (placement.note) findings.push({ code: placement.note, args: { value: displayPostcode(parsed), supplier: name } });
    else if (parsed.kind === 'invalid') findings.push({ code: 'POSTCODE_INVALID', args: { value: parsed.text, supplier: name } });
    if (placement.reason === 'DISTRICT_PARTLY_INSIDE' && placement.localShareEstimate !== undefined) {
      const share = `${(Math.round(placement.localShareEstimate * 1000) / 10).toFixed(1)}%`;
      findings.push({ code: 'DISTRICT_STRADDLES', args: { supplier: name, district: districtOf(parsed), share } });
    }
    const override = entry?.local;
    const typed = decideSupplierType(entry, ledger, name);
    findings.push(...typed.findings);
    const supplier: Supplier = {
      key: ledger.key,
      name,
      spellings,
      supplierId: ledger.supplierId,
      postcode: displayPostcode(parsed),
      postcodeSource,
      status: override === undefined ? placement.status : override ? 'local' : 'non-local',
      basis: override === undefined ? placement.reason : 'REGISTER_OVERRIDE',
      overrideReason: override === undefined ? '' : entry?.reason ?? '',
      type: typed.type,
      typeSource: typed.typeSource,
      sector: entry?.sector ?? '',
      amount: ledger.amount,
      payments: ledger.payments,
      surveyPercent: undefined,
      companyNumber: entry?.companyNumber || ledger.companyNumber,
      charityNumber: entry?.charityNumber || ledger.charityNumber,
      ...placedAt(placement),
    };
    if (input.tiers && input.tiers.length > 0) {
      supplier.tierStatus = input.tiers.map((tier) =>
        override !== undefined && tier.spec === input.area.spec ? supplier.status : tier.place(parsed).status,
      );
    }
    suppliers.push(supplier);
  }
  // Only survey answers are matched to suppliers by name.
  if (input.survey?.length) {
    for (const supplier of suppliers) {
      if (supplier.unattributable) continue;
      byKeyOrName.add(supplier.supplierId, supplier.name, supplier);
      for (const spelling of supplier.spellings) byKeyOrName.add('', spelling.text, supplier);
    }
  }
  for (const entry of input.register ?? []) {
    if (!registerIndex.used.has(entry) && !entry.unattributable) findings.push({ code: 'REGISTER_SUPPLIER_UNUSED', file: input.registerFile, line: entry.line, args: { supplier: entry.supplier || entry.supplierId } });
  }
  const answered = new Map<Supplier, string>();
  for (const answer of input.survey ?? []) {
    const supplier = byKeyOrName.find(answer.supplierId, [answer.supplier]);
    const file = answer.file ?? input.surveyFile;
    const where = `${file ?? 'survey'}${answer.file ? '' : `:${answer.line}`}`;
    if (!supplier) {
      findings.push({ code: 'SURVEY_SUPPLIER_UNMATCHED', file, line: answer.line, args: { supplier: answer.supplier || answer.supplierId, ...(answer.cell ? { cell: answer.cell } : {}) } });
    } else if (supplier.status !== 'local') {
      findings.push({ code: 'SURVEY_SUPPLIER_NOT_LOCAL', file, line: answer.line, args: { supplier: supplier.name } });
    } else if (answered.has(supplier)) {
      findings.push({ code: 'SURVEY_SUPPLIER_REPEATED', file, line: answer.line, args: { supplier: supplier.name, first: answered.get(supplier) } });
    } else {
      answered.set(supplier, where);
      supplier.surveyPercent = answer.percent;
    }
  }
  suppliers.sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
  return { suppliers, findings };
}

/** The directory's detail of a placement, carried on the supplier for the Suppliers sheet. */
function placedAt(placement: Placement): Pick<Supplier, 'council' | 'councilName' | 'region' | 'regionName' | 'distanceMiles' | 'localShareEstimate'> {
  const { council, councilName, region, regionName, distanceMiles, localShareEstimate } = placement;
  const out: Pick<Supplier, 'council' | 'councilName' | 'region' | 'regionName' | 'distanceMiles' | 'localShareEstimate'> = {};
  if (council !== undefined) out.council = council;
  if (councilName !== undefined) out.councilName = councilName;
  if (region !== undefined) out.region = region;
  if (regionName !== undefined) out.regionName = regionName;
  if (distanceMiles !== undefined) out.distanceMiles = distanceMiles;
  if (localShareEstimate !== undefined) out.localShareEstimate = localShareEstimate;
  return out;
}

/** Redacted payees: one line, its spellings listed, placed nowhere and matched to no register entry. */
function unattributableSupplier(ledger: LedgerSupplier, spellings: Supplier['spellings']): Supplier {
  return {
    key: ledger.key,
    name: 'Unattributable (redacted, placeholder or blank payees)',
    spellings,
    supplierId: '',
    postcode: '',
    postcodeSource: 'none',
    status: 'unknown',
    basis: 'NO_POSTCODE',
    overrideReason: '',
    type: undefined,
    typeSource: undefined,
    sector: '',
    amount: ledger.amount,
    payments: ledger.payments,
    surveyPercent: undefined,
    unattributable: true,
  };
}
