/** The ONS codes of England's regions and the UK's countries, as used in the NSPL's `rgn` and `ctry`. */
export interface NamedArea {
  code: string;
  name: string;
  /** Other spellings people write. */
  aliases: string[];
}

export const REGIONS: readonly NamedArea[] = [
  { code: 'E12000001', name: 'North East', aliases: ['North East England'] },
  { code: 'E12000002', name: 'North West', aliases: ['North West England'] },
  { code: 'E12000003', name: 'Yorkshire and The Humber', aliases: ['Yorkshire and Humber', 'Yorkshire', 'Yorkshire & the Humber'] },
  { code: 'E12000004', name: 'East Midlands', aliases: [] },
  { code: 'E12000005', name: 'West Midlands', aliases: ['West Midlands region'] },
  { code: 'E12000006', name: 'East of England', aliases: ['East', 'Eastern'] },
  { code: 'E12000007', name: 'London', aliases: ['Greater London'] },
  { code: 'E12000008', name: 'South East', aliases: ['South East England'] },
  { code: 'E12000009', name: 'South West', aliases: ['South West England'] },
];

export const COUNTRIES: readonly NamedArea[] = [
  { code: 'E92000001', name: 'England', aliases: [] },
  { code: 'W92000004', name: 'Wales', aliases: ['Cymru'] },
  { code: 'S92000003', name: 'Scotland', aliases: [] },
  { code: 'N92000002', name: 'Northern Ireland', aliases: [] },
];

/** Pseudo council codes the NSPL gives the Crown dependencies. */
export const CROWN_DEPENDENCY_COUNCILS = new Set(['L99999999', 'M99999999']);
export const CROWN_DEPENDENCY_AREAS = new Set(['GY', 'JE', 'IM']);

/**
 * Names people give for "local" that are not regions, with the councils they cover: metropolitan
 * counties and the combined authorities built on them. (West Midlands is also a region, which wins.)
 */
export const METROPOLITAN_COUNTIES: readonly { name: string; aliases: string[]; councils: string[] }[] = [
  {
    name: 'Greater Manchester',
    aliases: ['Greater Manchester Combined Authority', 'GMCA'],
    councils: ['Bolton', 'Bury', 'Manchester', 'Oldham', 'Rochdale', 'Salford', 'Stockport', 'Tameside', 'Trafford', 'Wigan'],
  },
  { name: 'Merseyside', aliases: ['Liverpool City Region'], councils: ['Knowsley', 'Liverpool', 'Sefton', 'St. Helens', 'Wirral'] },
  { name: 'South Yorkshire', aliases: ['South Yorkshire Mayoral Combined Authority'], councils: ['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield'] },
  { name: 'Tyne and Wear', aliases: [], councils: ['Gateshead', 'Newcastle upon Tyne', 'North Tyneside', 'South Tyneside', 'Sunderland'] },
  {
    name: 'West Midlands County',
    aliases: ['West Midlands Combined Authority'],
    councils: ['Birmingham', 'Coventry', 'Dudley', 'Sandwell', 'Solihull', 'Walsall', 'Wolverhampton'],
  },
  { name: 'West Yorkshire', aliases: ['West Yorkshire Combined Authority'], councils: ['Bradford', 'Calderdale', 'Kirklees', 'Leeds', 'Wakefield'] },
];

export function regionName(code: string): string | undefined {
  return REGIONS.find((r) => r.code === code)?.name;
}

export function countryName(code: string): string | undefined {
  return COUNTRIES.find((c) => c.code === code)?.name ?? (code === 'L93000001' ? 'Channel Islands' : code === 'M83000003' ? 'Isle of Man' : undefined);
}
