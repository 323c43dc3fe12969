import type { SupplierType, SupplierTypeSource } from '../domain/supplier.js';
import type { Finding } from '../findings.js';
import type { RegisterEntry } from '../ingest/register.js';
import type { LedgerSupplier } from '../ingest/spend.js';
import { answersDisagree, firstAnswer, statedType, type TypeColumn } from '../ingest/stated-type.js';

/** Charitable incorporated organisations are on the Companies House register as CE… (England and Wales) and CS… (Scotland). */
const CIO_NUMBER = /^C[ES]\d{6}$/i;

/**
 * A supplier's type, and where it came from, in the order of SUPPLIER_TYPE_SOURCES: the register's Type
 * says what the organisation knows; else the spend file's VCSE and SME columns (see `statedType`); else a
 * charity number (the register's or the spend file's) or a CIO's company number makes it a VCSE. Any other
 * company number says nothing of size. Findings: the spend file's rows answering a column both yes and
 * no, where the register does not settle the type.
 */
export function decideSupplierType(
  entry: RegisterEntry | undefined,
  ledger: LedgerSupplier,
  name: string,
): { type: SupplierType | undefined; typeSource: SupplierTypeSource | undefined; findings: Finding[] } {
  if (entry?.type !== undefined) return { type: entry.type, typeSource: 'register', findings: [] };
  const findings: Finding[] = [];
  for (const column of ['SME', 'VCSE'] as const satisfies readonly TypeColumn[]) {
    if (answersDisagree(ledger.typeAnswers, column)) {
      findings.push({ code: 'SUPPLIER_TYPE_CONFLICT', args: { supplier: name, column, used: firstAnswer(ledger.typeAnswers, column) ? 'yes' : 'no' } });
    }
  }
  const stated = statedType(ledger.typeAnswers);
  if (stated !== undefined) return { type: stated, typeSource: 'ledger', findings };
  // "N/A" or "-" in a charity number column is not a number.
  if (/\d/.test(entry?.charityNumber || ledger.charityNumber)) return { type: 'VCSE', typeSource: 'charity number', findings };
  if (CIO_NUMBER.test((entry?.companyNumber || ledger.companyNumber).trim())) return { type: 'VCSE', typeSource: 'company number', findings };
  return { type: undefined, typeSource: undefined, findings };
}
