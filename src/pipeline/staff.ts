import type { StaffMember } from '../domain/staff.js';
import type { Area } from '../geo/area.js';
import { districtOf, parsePostcode } from '../geo/postcode.js';
import type { Employee } from '../ingest/payroll.js';
import type { Pence } from '../money.js';

/** Places each member of staff by home postcode; from here on they carry no name, id or full postcode. */
export function placeStaff(employees: readonly Employee[], area: Area): StaffMember[] {
  return employees.map((employee) => {
    const parsed = parsePostcode(employee.homePostcode);
    return {
      status: area.place(parsed).status,
      district: districtOf(parsed),
      grossPay: employee.grossPay,
      netPay: employee.netPay,
      employerNi: employee.employerNi,
      employerPension: employee.employerPension,
      fte: employee.fte,
      hourlyRate: employee.hourlyRate,
    };
  });
}

export interface StaffPay {
  /** The pay the rounds count: net only when every member of staff has it, as a mix would be neither. */
  wages: 'gross' | 'net';
  /** Staff without net pay, when net was asked for (NET_PAY_MISSING). */
  withoutNet: number;
  local: Pence;
  nonLocal: Pence;
  unknown: Pence;
}

/** Pay by where staff live, under the wages convention asked for. */
export function staffPay(staff: readonly StaffMember[], wages: 'gross' | 'net'): StaffPay {
  const withoutNet = staff.filter((person) => person.netPay === undefined).length;
  const useNet = wages === 'net' && withoutNet === 0;
  const sum = (status: StaffMember['status']) => staff.filter((p) => p.status === status).reduce((total, p) => total + (useNet ? p.netPay! : p.grossPay), 0);
  return { wages: useNet ? 'net' : 'gross', withoutNet: wages === 'net' ? withoutNet : 0, local: sum('local'), nonLocal: sum('non-local'), unknown: sum('unknown') };
}
