import type { Pence } from '../money.js';
import type { LocalStatus } from './placement.js';

/** A member of staff as the measures see them: located, with pay, and nothing that names them. */
export interface StaffMember {
  status: LocalStatus;
  /** Home postcode district (never the full postcode), for aggregate tables. */
  district: string | undefined;
  grossPay: Pence;
  netPay: Pence | undefined;
  employerNi: Pence;
  employerPension: Pence;
  fte: number | undefined;
  hourlyRate: Pence | undefined;
}
