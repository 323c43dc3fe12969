import type { Supplier, SupplierType } from '../domain/supplier.js';
import { FindingLog } from '../findings.js';
import { formatShare, type Pence, share } from '../money.js';
import { REGISTER_FIELDS } from './columns.js';
import type { FileTally } from './spend.js';
import { guardDamage, openTable } from './table.js';
import { csvCell, guardCell, unguardCell } from '../csv/write.js';

export { guardCell, unguardCell };
import { isUnattributable } from './unattributable.js';
import { writeWhole } from '../write-whole.js';

/** One entry of the supplier register an organisation keeps from year to year. */
export interface RegisterEntry {
  line: number;
  supplier: string;
  supplierId: string;
  postcode: string;
  /** The user's override: true local, false not local, undefined no override. */
  local: boolean | undefined;
  reason: string;
  type: SupplierType | undefined;
  companyNumber: string;
  charityNumber: string;
  sector: string;
  /** Columns the user added that the tool does not read, kept as written: header → value. */
  extra: Record<string, string>;
  /** Named for no one ("Various", "REDACTED PERSONAL DATA"): kept as written, never matched to a supplier. */
  unattributable?: true;
}

export interface SupplierRegister {
  entries: RegisterEntry[];
  file: FileTally;
  findings: FindingLog;
}

const YES = new Set(['yes', 'y', 'true', '1', 'local']);
const NO = new Set(['no', 'n', 'false', '0', 'not local', 'non-local', 'nonlocal']);

export function parseSupplierType(text: string): SupplierType | undefined {
  const t = text.trim().toLowerCase().replace(/[^a-z ]/g, '');
  if (t === '') return undefined;
  if (['sme', 'small', 'medium', 'micro', 'small business', 'smallmedium'].includes(t)) return 'SME';
  if (['vcse', 'vcs', 'charity', 'social enterprise', 'voluntary', 'community', 'cic', 'third sector'].includes(t)) return 'VCSE';
  if (['large', 'large business', 'national', 'corporate', 'plc'].includes(t)) return 'large';
  if (['public body', 'public', 'public sector', 'council', 'government', 'nhs'].includes(t)) return 'public body';
  return undefined;
}

export async function readSupplierRegister(path: string): Promise<SupplierRegister> {
  const table = await openTable({ path, role: 'supplier register', fields: REGISTER_FIELDS, columnFlag: '(rename the column)' });
  const c = table.columns;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const entries: RegisterEntry[] = [];
  const mapped = new Set(table.source.columns.map((choice) => choice.index));
  const extraColumns = table.source.headers
    .map((header, index) => ({ header: header.trim(), index }))
    .filter(({ header, index }) => header !== '' && !mapped.has(index) && !COMPUTED_COLUMNS.has(header));
  const guard = guardDamage(table, tally, findings, false, (record) => {
    tally.rowsRead++;
    // The register is written with formula-like cells guarded by a `'` (see guardCell): read them as they were.
    const get = (i: number | undefined) => (i === undefined ? '' : unguardCell(record.field(i).trim()));
    const supplier = get(c.supplier);
    const supplierId = get(c.supplierId);
    if (supplier === '' && supplierId === '') {
      tally.rowsRejected++;
      findings.add({ code: 'SUPPLIER_MISSING', file, line: record.line, raw: record.raw() });
      return;
    }
    const localText = get(c.local).toLowerCase();
    let local: boolean | undefined;
    if (YES.has(localText)) local = true;
    else if (NO.has(localText)) local = false;
    else if (localText !== '') findings.add({ code: 'REGISTER_LOCAL_UNREADABLE', file, line: record.line, args: { value: get(c.local) } });
    const charityNumber = get(c.charityNumber);
    entries.push({
      line: record.line,
      supplier,
      supplierId,
      postcode: get(c.postcode),
      local,
      reason: get(c.reason),
      // As the Type column says: what a charity number implies is decided with the other sources (pipeline/supplier-type.ts).
      type: parseSupplierType(get(c.type)),
      companyNumber: get(c.companyNumber),
      charityNumber,
      sector: get(c.sector),
      extra: Object.fromEntries(extraColumns.map(({ header, index }) => [header, unguardCell(record.field(index))])),
      ...(isUnattributable(supplier) ? { unattributable: true as const } : {}),
    });
    tally.rowsAccepted++;
  });
  await table.scan(guard.onRecord);
  guard.finish();
  findings.addAll(table.findings);
  return { entries, file: tally, findings };
}

/** The columns `local-impact suppliers` works out afresh on every run; the rest are the user's. */
const COMPUTED = ['Status', 'Spend', 'Payments', 'Share of spend', 'Located share if located down to here', 'Other spellings'] as const;
const COMPUTED_COLUMNS = new Set<string>(COMPUTED);
const USER = ['Supplier', 'Supplier ID', 'Company Number', 'Charity Number', 'Postcode', 'Local', 'Reason', 'Type', 'Sector'] as const;

export interface RegisterRow {
  supplier: Supplier | undefined;
  entry: RegisterEntry | undefined;
  located: boolean;
  /** The located share of attributable spend once this row and every unlocated one above it is located. */
  locatedShareIfDone: number | undefined;
}

export interface RegisterPlan {
  rows: RegisterRow[];
  /** Spend that can be located: every supplier but the unattributable line (redacted, placeholder and blank payees). */
  attributable: Pence;
  located: Pence;
  unattributable: Pence;
  /** How many of the unlocated, largest first, reach each target share. */
  toReach: { target: number; suppliers: number | undefined }[];
}

/** The register as CSV (UTF-8 with a byte-order mark, so Excel opens it as UTF-8): user columns first. */
export function registerCsv(plan: RegisterPlan, attributable = plan.attributable): string {
  const extraHeaders = [...new Set(plan.rows.flatMap((r) => Object.keys(r.entry?.extra ?? {})))];
  const lines = [[...USER, ...extraHeaders, ...COMPUTED].map(csvCell).join(',')];
  for (const { supplier, entry, locatedShareIfDone } of plan.rows) {
    const ledgerPostcode = supplier?.postcodeSource === 'ledger' ? supplier.postcode : '';
    const user = [
      entry?.supplier || supplier?.name || '',
      entry?.supplierId || supplier?.supplierId || '',
      entry?.companyNumber || supplier?.companyNumber || '',
      entry?.charityNumber || supplier?.charityNumber || '',
      entry?.postcode || ledgerPostcode,
      entry?.local === undefined ? '' : entry.local ? 'yes' : 'no',
      entry?.reason ?? '',
      entry?.type ?? '',
      entry?.sector ?? '',
    ];
    const extra = extraHeaders.map((h) => entry?.extra[h] ?? '');
    const computed = supplier
      ? [
          supplier.status,
          (supplier.amount / 100).toFixed(2),
          String(supplier.payments),
          formatShare(share(supplier.amount, attributable), 2),
          locatedShareIfDone === undefined ? '' : formatShare(locatedShareIfDone, 2),
          supplier.spellings.slice(1).map((s) => s.text).join(' | '),
        ]
      : [entry?.unattributable ? 'unattributable: not a supplier' : 'not in the spend files', '0.00', '0', '', '', ''];
    lines.push([...user, ...extra, ...computed].map(csvCell).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** Writes the register whole or not at all (see write-whole), so a failure part-way never leaves the user's register half-written. */
export async function writeRegister(path: string, plan: RegisterPlan): Promise<void> {
  await writeWhole(path, registerCsv(plan));
}

