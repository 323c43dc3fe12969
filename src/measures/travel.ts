/**
 * Staff travel (characteristic 6): how far staff live from the workplace, measured from the centre of their home
 * postcode district (payroll often holds only the district, and the report never holds more). Pure: the
 * distances come in already worked out; the counts come out, grouped by the staff-by-district row each person
 * is counted in, so the disclosure stage can judge them (disclosure/travel.ts).
 */
export const TRAVEL_MILES = 5;

export interface StaffTravel {
  /** Staff whose home district has a centre in the directory. */
  measured: number;
  /** Of them, living within TRAVEL_MILES of the workplace. */
  within: number;
  /** Staff with no usable district, or one the directory does not know. */
  unmeasured: number;
  /** The split within each staff-by-district row, for the disclosure stage. */
  byRow: { row: string; within: number; beyond: number }[];
}

export function measureTravel(staff: readonly { district: string | undefined }[], miles: (district: string) => number | undefined, rowOf: (district: string | undefined) => string): StaffTravel {
  const rows = new Map<string, { row: string; within: number; beyond: number }>();
  let measured = 0;
  let within = 0;
  for (const person of staff) {
    const distance = person.district === undefined ? undefined : miles(person.district);
    if (distance === undefined) continue;
    measured++;
    const key = rowOf(person.district);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { row: key, within: 0, beyond: 0 }));
    if (distance <= TRAVEL_MILES) {
      within++;
      row.within++;
    } else row.beyond++;
  }
  return { measured, within, unmeasured: staff.length - measured, byRow: [...rows.values()] };
}
