/** Where an area places a supplier or a member of staff: local, not local, or unknown, and why. */
export type LocalStatus = 'local' | 'non-local' | 'unknown';

export const STATUSES: readonly LocalStatus[] = ['local', 'non-local', 'unknown'];

/** Why a postcode was placed where it was. */
export type PlacementReason =
  | 'IN_AREA'
  | 'OUTSIDE_AREA'
  | 'DISTRICT_PARTLY_INSIDE'
  | 'NO_POSTCODE'
  | 'POSTCODE_INVALID'
  | 'NO_AREA';

/** Something worth a finding about the postcode itself, whatever its placement. Each is a finding code. */
export type PostcodeNote =
  | 'POSTCODE_UNKNOWN'
  | 'POSTCODE_TERMINATED'
  | 'POSTCODE_NORTHERN_IRELAND'
  | 'POSTCODE_CROWN_DEPENDENCY'
  | 'POSTCODE_NOT_UK';

export interface Placement {
  status: LocalStatus;
  reason: PlacementReason;
  /** Set when the postcode directory was used. */
  note?: PostcodeNote;
  /** The council (LAD code) of a full postcode, or of a district lying wholly in one council. */
  council?: string;
  councilName?: string;
  /** The English region code (or the country code outside England). */
  region?: string;
  regionName?: string;
  /** Great-circle distance from the centre of the area's first radius; from the district's centroid for a district. */
  distanceMiles?: number;
  /** For a district partly inside the area: the share of its postcodes inside, as an estimate (0–1). */
  localShareEstimate?: number;
}
