import type { StaffMember } from '../domain/staff.js';
import { travelPublishable } from '../disclosure/travel.js';
import type { PostcodeDirectory } from '../geo/directory.js';
import { parsePostcode } from '../geo/postcode.js';
import { distanceMiles } from '../geo/resolve.js';
import { measureTravel, type StaffTravel } from '../measures/travel.js';
import { districtKey, type WorkforceMeasures } from '../measures/workforce.js';

export interface TravelRun {
  workplace: string;
  measured: StaffTravel;
  /** Whether the counts may be printed (the disclosure stage decides). */
  published: boolean;
}

/** The centre of a postcode district: the mean position of its live postcodes. */
function districtCentre(directory: PostcodeDirectory, district: string): [number, number] | undefined {
  const [from, to] = directory.rangeOf(district);
  let lat = 0;
  let long = 0;
  let n = 0;
  for (let row = from; row < to; row++) {
    if (directory.isTerminated(row)) continue;
    const [a, b] = directory.coordinates(row);
    if (a === undefined || b === undefined) continue;
    lat += a;
    long += b;
    n++;
  }
  return n === 0 ? undefined : [lat / n, long / n];
}

/** Staff travel, when the workplace postcode is set and the postcode directory knows it; undefined otherwise. */
export function staffTravel(workplace: string, directory: PostcodeDirectory, staff: readonly StaffMember[], workforce: WorkforceMeasures): TravelRun | undefined {
  const parsed = parsePostcode(workplace);
  if (parsed.kind !== 'full') return undefined;
  const row = directory.indexOf(parsed.postcode.replace(' ', ''));
  if (row < 0) return undefined;
  const at = directory.coordinates(row);
  if (at[0] === undefined) return undefined;
  const centres = new Map<string, number | undefined>();
  const miles = (district: string) => {
    if (!centres.has(district)) {
      const centre = districtCentre(directory, district);
      centres.set(district, centre && distanceMiles(at[0]!, at[1]!, centre[0], centre[1]));
    }
    return centres.get(district);
  };
  const measured = measureTravel(staff, miles, (district) => workforce.districtRows.get(districtKey({ district })) ?? districtKey({ district }));
  return { workplace: parsed.postcode, measured, published: travelPublishable(measured) };
}
