import type { LocalStatus } from '../domain/placement.js';
import type { StaffMember } from '../domain/staff.js';
import { type Pence, share } from '../money.js';

/** Groups of fewer people than this are never shown: a group of one or two would reveal pay. */
export const MIN_GROUP = 3;


export interface WorkforceMeasures {
  staff: number;
  localStaff: number;
  nonLocalStaff: number;
  unknownStaff: number;
  fte: number;
  localFte: number;
  /** Staff whose FTE was not given (counted as 0 FTE). */
  staffWithoutFte: number;
  grossPay: Pence;
  localGrossPay: Pence;
  nonLocalGrossPay: Pence;
  unknownGrossPay: Pence;
  localPayShare: number;
  netPay: Pence | undefined;
  localNetPay: Pence | undefined;
  employerNi: Pence;
  employerPension: Pence;
  /** Gross pay + employer NI + employer pension. */
  payrollCost: Pence;
  livingWage: { rate: Pence; atOrAbove: number; withRate: number; share: number } | undefined;
  /** Staff by home postcode district, groups under MIN_GROUP merged so that none is shown. */
  byDistrict: { district: string; status: LocalStatus | 'mixed'; staff: number; fte: number; grossPay: Pence }[];
  /** The `byDistrict` row each home district is counted in (by `districtKey`); absent when in no row shown. */
  districtRows: Map<string, string>;
}

/** The key a member of staff is grouped under in `byDistrict`. */
export function districtKey(person: Pick<StaffMember, 'district'>): string {
  return person.district ?? 'No usable postcode';
}

export function measureWorkforce(staff: readonly StaffMember[], options: { livingWageRate?: Pence } = {}): WorkforceMeasures {
  const m: WorkforceMeasures = {
    staff: staff.length,
    localStaff: 0,
    nonLocalStaff: 0,
    unknownStaff: 0,
    fte: 0,
    localFte: 0,
    staffWithoutFte: 0,
    grossPay: 0,
    localGrossPay: 0,
    nonLocalGrossPay: 0,
    unknownGrossPay: 0,
    localPayShare: 0,
    netPay: 0,
    localNetPay: 0,
    employerNi: 0,
    employerPension: 0,
    payrollCost: 0,
    livingWage: undefined,
    byDistrict: [],
    districtRows: new Map(),
  };
  let netKnown = true;
  let atOrAbove = 0;
  let withRate = 0;
  for (const person of staff) {
    const fte = person.fte ?? 0;
    if (person.fte === undefined) m.staffWithoutFte++;
    m.fte += fte;
    m.grossPay += person.grossPay;
    m.employerNi += person.employerNi;
    m.employerPension += person.employerPension;
    if (person.netPay === undefined) netKnown = false;
    else m.netPay! += person.netPay;
    if (person.status === 'local') {
      m.localStaff++;
      m.localFte += fte;
      m.localGrossPay += person.grossPay;
      if (person.netPay !== undefined) m.localNetPay! += person.netPay;
    } else if (person.status === 'non-local') {
      m.nonLocalStaff++;
      m.nonLocalGrossPay += person.grossPay;
    } else {
      m.unknownStaff++;
      m.unknownGrossPay += person.grossPay;
    }
    if (options.livingWageRate !== undefined && person.hourlyRate !== undefined) {
      withRate++;
      if (person.hourlyRate >= options.livingWageRate) atOrAbove++;
    }
  }
  if (!netKnown) {
    m.netPay = undefined;
    m.localNetPay = undefined;
  }
  m.fte = round2(m.fte);
  m.localFte = round2(m.localFte);
  m.payrollCost = m.grossPay + m.employerNi + m.employerPension;
  m.localPayShare = share(m.localGrossPay, m.grossPay);
  if (options.livingWageRate !== undefined) {
    m.livingWage = { rate: options.livingWageRate, atOrAbove, withRate, share: withRate === 0 ? 0 : atOrAbove / withRate };
  }
  ({ rows: m.byDistrict, rowOf: m.districtRows } = districtTable(staff));
  return m;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Staff by home district with small-group suppression: districts with fewer than MIN_GROUP staff
 * are pooled as "Other districts", and if that pool is itself too small the smallest shown districts
 * join it until it is not (otherwise the pool could be worked out by subtraction).
 */
function districtTable(staff: readonly StaffMember[]): { rows: WorkforceMeasures['byDistrict']; rowOf: Map<string, string> } {
  const groups = new Map<string, { district: string; status: LocalStatus | 'mixed'; staff: number; fte: number; grossPay: Pence }>();
  for (const person of staff) {
    const district = districtKey(person);
    let group = groups.get(district);
    if (!group) {
      group = { district, status: person.status, staff: 0, fte: 0, grossPay: 0 };
      groups.set(district, group);
    }
    if (group.status !== person.status) group.status = 'mixed';
    group.staff++;
    group.fte += person.fte ?? 0;
    group.grossPay += person.grossPay;
  }
  const shown = [...groups.values()].sort((a, b) => b.staff - a.staff || a.district.localeCompare(b.district));
  const other = { district: `Other districts (each fewer than ${MIN_GROUP} staff)`, status: 'mixed' as const, staff: 0, fte: 0, grossPay: 0 };
  const pooled: string[] = [];
  const pool = (group: (typeof shown)[number]) => {
    pooled.push(group.district);
    other.staff += group.staff;
    other.fte += group.fte;
    other.grossPay += group.grossPay;
  };
  while (shown.length > 0 && shown[shown.length - 1]!.staff < MIN_GROUP) pool(shown.pop()!);
  while (other.staff > 0 && other.staff < MIN_GROUP && shown.length > 0) pool(shown.pop()!);
  const rows = shown.map((group) => ({ ...group, fte: round2(group.fte) }));
  const rowOf = new Map(shown.map((group) => [group.district, group.district]));
  if (other.staff >= MIN_GROUP) {
    rows.push({ ...other, fte: round2(other.fte) });
    for (const district of pooled) rowOf.set(district, other.district);
  }
  return { rows, rowOf };
}
