import type { Finding } from '../findings.js';
import type { RegisterEntry, SupplierSurveyAnswer } from '../ingest/register.js';
import { type LedgerSupplier, normaliseSupplierName } from '../ingest/spend.js';
import type { Supplier } from '../measures/model.js';
import type { Area } from './area.js';
import { displayPostcode, parsePostcode } from './postcode.js';

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
}): LocateResult {
  const findings: Finding[] = [];
  const registerIndex = new Index<RegisterEntry>();
  for (const entry of input.register ?? []) registerIndex.add(entry.supplierId, entry.supplier, entry);
  const suppliers: Supplier[] = [];
  const byKeyOrName = new Index<Supplier>();
  for (const ledger of input.ledger) {
    const spellings = [...ledger.spellings.values()]
      .map((s) => ({ text: s.text, amount: s.amount }))
      .sort((a, b) => b.amount - a.amount || a.text.localeCompare(b.text));
    const name = spellings[0]?.text ?? ledger.key;
    const entry = registerIndex.find(ledger.supplierId, spellings.map((s) => s.text));
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
    if (parsed.kind === 'invalid') findings.push({ code: 'POSTCODE_INVALID', args: { value: parsed.text, supplier: name } });
    const override = entry?.local;
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
      type: entry?.type,
      sector: entry?.sector ?? '',
      amount: ledger.amount,
      payments: ledger.payments,
      categories: [...ledger.categories.entries()]
        .map(([category, tally]) => ({ category, amount: tally.amount, payments: tally.payments }))
        .sort((a, b) => b.amount - a.amount),
      surveyPercent: undefined,
    };
    suppliers.push(supplier);
    byKeyOrName.add(ledger.supplierId, name, supplier);
    for (const spelling of spellings) byKeyOrName.add('', spelling.text, supplier);
  }
  for (const entry of input.register ?? []) {
    if (!registerIndex.used.has(entry)) findings.push({ code: 'REGISTER_SUPPLIER_UNUSED', file: input.registerFile, line: entry.line, args: { supplier: entry.supplier || entry.supplierId } });
  }
  for (const answer of input.survey ?? []) {
    const supplier = byKeyOrName.find(answer.supplierId, [answer.supplier]);
    if (!supplier) {
      findings.push({ code: 'SURVEY_SUPPLIER_UNMATCHED', file: input.surveyFile, line: answer.line, args: { supplier: answer.supplier || answer.supplierId } });
    } else if (supplier.status !== 'local') {
      findings.push({ code: 'SURVEY_SUPPLIER_NOT_LOCAL', file: input.surveyFile, line: answer.line, args: { supplier: supplier.name } });
    } else {
      supplier.surveyPercent = answer.percent;
    }
  }
  suppliers.sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
  return { suppliers, findings };
}

/** Finds things by id first, then by normalised name. */
class Index<T> {
  private readonly byId = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  readonly used = new Set<T>();

  add(id: string, name: string, value: T): void {
    if (id !== '' && !this.byId.has(id)) this.byId.set(id, value);
    const key = normaliseSupplierName(name);
    if (key !== '' && !this.byName.has(key)) this.byName.set(key, value);
  }

  find(id: string, names: readonly string[]): T | undefined {
    if (id !== '') {
      const found = this.byId.get(id);
      if (found) return found;
    }
    for (const name of names) {
      const found = this.byName.get(normaliseSupplierName(name));
      if (found) return found;
    }
    return undefined;
  }
}
