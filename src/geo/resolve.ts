import type { Placement, PostcodeNote } from '../domain/placement.js';
import { UsageError } from '../errors.js';
import type { Finding } from '../findings.js';
import { type Area, parseAreaSpec, parseTier } from './area.js';
import { directoryMissing, type PostcodeDirectory } from './directory.js';
import { type CouncilName, CouncilNames, nameKey } from './names.js';
import { type ParsedPostcode, parsePostcode } from './postcode.js';
import { COUNTRIES, countryName, CROWN_DEPENDENCY_AREAS, METROPOLITAN_COUNTIES, type NamedArea, REGIONS, regionName } from './regions.js';

const EARTH_RADIUS_MILES = 3958.8;

/** Great-circle (haversine) distance in miles. */
export function distanceMiles(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLong = (long2 - long1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Radius {
  centre: string;
  lat: number;
  long: number;
  miles: number;
}

/** What an area is made of once resolved against the directory. */
interface Terms {
  /** Postcode areas, districts and sectors, placed by their text. */
  postcodes: Area | undefined;
  councils: Set<string>;
  regions: Set<string>;
  countries: Set<string>;
  radii: Radius[];
}

/**
 * Turns `--area` or `--tier` into an `Area`. Postcode areas, districts and sectors work without the directory;
 * councils (by code or name), regions, countries and `radius:<postcode>:<miles>` need it.
 * A tier may be labelled first (`Halifax=HX`): see `parseTier`.
 */
export function resolveArea(text: string, directory: PostcodeDirectory | undefined): Area {
  const { label, spec } = parseTier(text);
  const parts = splitSpec(spec, directory);
  if (parts.length === 0) throw new UsageError('The area is empty.', { hint: 'Give postcode districts, councils, a region or a radius, e.g. --area "Calderdale" or "radius:HX1 1RE:10".' });
  const postcodeParts: string[] = [];
  const others: string[] = [];
  for (const part of parts) (isPostcodeTerm(part) ? postcodeParts : others).push(part);
  const postcodes = postcodeParts.length > 0 ? parseAreaSpec(postcodeParts.join(',')) : undefined;
  if (others.length === 0 && !directory) return { ...postcodes!, spec, label };
  if (!directory) throw directoryMissing(`--area "${others[0]}"`);

  const names = new CouncilNames(directory.meta.councils);
  const knownCouncils = new Set(directory.meta.places.map((p) => p.council));
  const terms: Terms = { postcodes, councils: new Set(), regions: new Set(), countries: new Set(), radii: [] };
  const labels: string[] = [];
  const findings: Finding[] = [];
  for (const part of parts) {
    if (isPostcodeTerm(part)) {
      labels.push(...parseAreaSpec(part).terms);
      continue;
    }
    const term = resolveTerm(part, directory, names, knownCouncils);
    switch (term.kind) {
      case 'council': {
        let council = term.code;
        const known = names.byCodeOf(council);
        if (known?.successor) {
          const current = names.current(council)!;
          // Same name, new code (Gateshead E08000020 → E08000037) is a recoding; a new name is a merger, which widens the area.
          const code = nameKey(known.name) === nameKey(current.name) ? 'COUNCIL_RECODED' : 'COUNCIL_SUCCEEDED';
          findings.push({ code, args: { given: part, code: council, name: known.name, successor: current.code, successorName: current.name } });
          council = current.code;
        }
        if (!knownCouncils.has(council)) {
          throw new UsageError(`${council} is not a council in the imported postcode directory.`, { hint: 'Check the code, or import a newer NSPL: local-impact geo import <file>' });
        }
        terms.councils.add(council);
        labels.push(`${directory.councilName(council)} (council ${council})`);
        break;
      }
      case 'region':
        terms.regions.add(term.area.code);
        labels.push(`${term.area.name} (region ${term.area.code})`);
        break;
      case 'country':
        terms.countries.add(term.area.code);
        labels.push(`${term.area.name} (country ${term.area.code})`);
        break;
      case 'radius':
        terms.radii.push(term.radius);
        labels.push(`within ${term.radius.miles} miles of ${term.radius.centre} (radius)`);
        break;
    }
  }
  return new DirectoryArea(spec, label, labels, findings, terms, directory);
}

/** Whether the spec names anything beyond postcode areas, districts and sectors, so needs the directory. */
export function areaNeedsDirectory(text: string): boolean {
  return splitSpec(parseTier(text).spec, undefined).some((part) => !isPostcodeTerm(part));
}

/** Splits on commas, but keeps ONS names that contain one (`Bristol, City of`) whole. */
function splitSpec(spec: string, directory: PostcodeDirectory | undefined): string[] {
  const raw = spec.split(',').map((part) => part.trim().replace(/\s+/g, ' ')).filter((part) => part !== '');
  if (!directory) return raw;
  const withComma = new Set(directory.meta.councils.flatMap((c) => [c.name, ...c.otherNames]).filter((n) => n.includes(',')).map(nameKey));
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const next = raw[i + 1];
    if (next !== undefined && withComma.has(nameKey(`${raw[i]}, ${next}`))) {
      parts.push(`${raw[i]}, ${next}`);
      i++;
    } else {
      parts.push(raw[i]!);
    }
  }
  return parts;
}

function isPostcodeTerm(part: string): boolean {
  try {
    parseAreaSpec(part);
    return true;
  } catch {
    return false;
  }
}

type Term =
  | { kind: 'council'; code: string }
  | { kind: 'region' | 'country'; area: NamedArea }
  | { kind: 'radius'; radius: Radius };

const COUNCIL_CODE = /^(E0[6-9]|W06|S12|N09)\d{6}$/;
const RADIUS = /^radius\s*:\s*(.+?)\s*:\s*([0-9]+(?:\.[0-9]+)?)\s*(?:mi|miles?)?$/i;

function resolveTerm(part: string, directory: PostcodeDirectory, names: CouncilNames, knownCouncils: Set<string>): Term {
  const prefixed = /^(council|region|country)\s*:\s*(.+)$/i.exec(part);
  const kind = prefixed?.[1]!.toLowerCase();
  const text = prefixed ? prefixed[2]!.trim() : part;
  if (/^radius\s*:/i.test(part)) return { kind: 'radius', radius: resolveRadius(part, directory) };
  const code = text.toUpperCase();
  if (!kind || kind === 'region' || kind === 'country') {
    const region = matchNamed(REGIONS, text);
    if (region && kind !== 'country') return { kind: 'region', area: region };
    const country = matchNamed(COUNTRIES, text);
    if (country && kind !== 'region') return { kind: 'country', area: country };
    if (kind) {
      const list = kind === 'region' ? REGIONS : COUNTRIES;
      throw new UsageError(`"${text}" is not a ${kind}.`, { hint: `The ${kind === 'region' ? 'regions' : 'countries'} are: ${list.map((a) => a.name).join(', ')}.` });
    }
  }
  if (COUNCIL_CODE.test(code)) {
    if (!knownCouncils.has(code) && !names.byCodeOf(code)) {
      throw new UsageError(`${code} is not a council code the postcode directory knows.`, { hint: 'Check the code (e.g. E08000033 is Calderdale), or give the council by name.' });
    }
    return { kind: 'council', code };
  }
  if (names.councils.length === 0) {
    throw new UsageError(`Cannot find the council "${text}" by name: the postcode directory was imported without council names.`, {
      hint: 'Give its code (e.g. E08000033), or import again with the names file: local-impact geo import <NSPL zip> (or --lad-names <file>).',
    });
  }
  const match = names.find(text);
  if (match.kind === 'found') return { kind: 'council', code: match.council.code };
  const county = METROPOLITAN_COUNTIES.find((c) => [c.name, ...c.aliases].some((n) => nameKey(n) === nameKey(text)));
  const shire = names.councils.filter((c) => c.county && nameKey(c.county) === nameKey(text)).map((c) => names.current(c.code) ?? c);
  const members = county ? county.councils : [...new Set(shire.map((c) => c.name))];
  if (members.length > 0) {
    throw new UsageError(`"${text}" is not a region or a council: it is a county made of several councils.`, {
      hint: `Name its councils: --area "${members.join(',')}". The regions are: ${REGIONS.map((r) => r.name).join(', ')}.`,
    });
  }
  const list = (councils: CouncilName[]) => councils.map((c) => `${c.name} (${c.code})`).join(', ');
  if (match.kind === 'ambiguous') {
    throw new UsageError(`"${text}" could be more than one council: ${list(match.candidates)}.`, { hint: 'Give the council code instead.' });
  }
  throw new UsageError(`"${text}" is not a council, region or country the tool knows.`, {
    hint:
      (match.candidates.length > 0 ? `Did you mean: ${list(match.candidates)}? ` : '') +
      'Give a council by name or code (Calderdale, E08000033), a region (Yorkshire and The Humber), a country, postcode districts or radius:<postcode>:<miles>.',
  });
}

function matchNamed(list: readonly NamedArea[], text: string): NamedArea | undefined {
  const key = nameKey(text);
  return list.find((a) => a.code === text.toUpperCase() || nameKey(a.name) === key || a.aliases.some((alias) => nameKey(alias) === key));
}

function resolveRadius(part: string, directory: PostcodeDirectory): Radius {
  const m = RADIUS.exec(part);
  const usage = { hint: 'Write it as radius:<postcode>:<miles>, e.g. radius:HX1 1RE:10.' };
  if (!m) throw new UsageError(`"${part}" is not a radius.`, usage);
  const miles = Number(m[2]);
  if (!(miles > 0 && miles <= 1000)) throw new UsageError(`The radius in "${part}" must be between 0 and 1000 miles.`, usage);
  const centre = parsePostcode(m[1]);
  if (centre.kind === 'full') {
    const row = directory.indexOf(centre.postcode.replace(' ', ''));
    if (row < 0) throw new UsageError(`The radius centre ${centre.postcode} is not in the postcode directory.`, usage);
    const [lat, long] = directory.coordinates(row);
    if (lat === undefined) throw new UsageError(`The radius centre ${centre.postcode} has no coordinates in the postcode directory.`, { hint: 'Use a nearby postcode.' });
    return { centre: centre.postcode, lat, long, miles };
  }
  if (centre.kind === 'district') {
    const point = districtCentroid(directory, centre.district);
    if (!point) throw new UsageError(`The radius centre ${centre.district} is not a postcode district in the directory.`, usage);
    return { centre: centre.district, lat: point[0], long: point[1], miles };
  }
  throw new UsageError(`The radius centre "${m[1]}" is not a postcode.`, usage);
}

function districtCentroid(directory: PostcodeDirectory, district: string): [number, number] | undefined {
  const [from, to] = directory.rangeOf(district);
  let lat = 0;
  let long = 0;
  let n = 0;
  for (let row = from; row < to; row++) {
    const [a, b] = directory.coordinates(row);
    if (a === undefined) continue;
    lat += a;
    long += b;
    n++;
  }
  return n === 0 ? undefined : [lat / n, long / n];
}

/** Foreign postal codes people put in address fields: Eircode, US ZIP, Dutch, Canadian, plain digits. */
export function looksNonUk(text: string): boolean {
  const t = text.trim().toUpperCase();
  return (
    /^\d{4,6}$/.test(t) ||
    /^\d{5}-\d{4}$/.test(t) ||
    /^\d{3} \d{2}$/.test(t) ||
    /^\d{4} ?[A-Z]{2}$/.test(t) ||
    /^([AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}$/.test(t) ||
    /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/.test(t) ||
    /^[A-Z]{1,2}-\d{4,5}$/.test(t)
  );
}

class DirectoryArea implements Area {
  private readonly districtCache = new Map<string, Placement>();
  /** Many suppliers share a postcode (a council's files: thousands of suppliers, hundreds of postcodes). */
  private readonly postcodeCache = new Map<string, Placement>();
  /** Whether each (council, region, country) is inside: -1 not yet judged, 0 no, 1 yes. */
  private readonly placeVerdicts: Int8Array;

  constructor(
    readonly spec: string,
    readonly label: string,
    readonly terms: readonly string[],
    readonly findings: readonly Finding[],
    private readonly parts: Terms,
    private readonly directory: PostcodeDirectory,
  ) {
    this.placeVerdicts = new Int8Array(directory.meta.places.length).fill(-1);
  }

  /** Whether the area holds the postcode at a row; undefined when only a radius could say and the row has no coordinates. */
  private containsRow(row: number): boolean | undefined {
    const p = this.parts;
    const index = this.directory.placeIndexOf(row);
    let verdict = this.placeVerdicts[index]!;
    if (verdict < 0) {
      const place = this.directory.meta.places[index]!;
      verdict = p.councils.has(place.council) || p.regions.has(place.region) || p.countries.has(place.country) ? 1 : 0;
      this.placeVerdicts[index] = verdict;
    }
    if (verdict === 1) return true;
    if (p.postcodes && this.textual(parsePostcode(this.directory.postcodeAt(row)))) return true;
    if (p.radii.length > 0) {
      const [lat, long] = this.directory.coordinates(row);
      if (lat === undefined) return undefined;
      for (const r of p.radii) if (distanceMiles(r.lat, r.long, lat, long) <= r.miles) return true;
    }
    return false;
  }

  private describe(council: string, region: string, country: string): Pick<Placement, 'council' | 'councilName' | 'region' | 'regionName'> {
    const out: Pick<Placement, 'council' | 'councilName' | 'region' | 'regionName'> = {};
    if (council !== '') {
      out.council = council;
      out.councilName = this.directory.councilName(council);
    }
    const area = region !== '' ? region : country;
    if (area !== '') {
      out.region = area;
      out.regionName = regionName(area) ?? countryName(area) ?? area;
    }
    return out;
  }

  private distance(lat: number | undefined, long: number | undefined): number | undefined {
    const r = this.parts.radii[0];
    if (!r || lat === undefined || long === undefined) return undefined;
    return Math.round(distanceMiles(r.lat, r.long, lat, long) * 100) / 100;
  }

  place(postcode: ParsedPostcode): Placement {
    switch (postcode.kind) {
      case 'blank':
        return { status: 'unknown', reason: 'NO_POSTCODE' };
      case 'invalid':
        if (looksNonUk(postcode.text)) return { status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_NOT_UK' };
        return { status: 'unknown', reason: 'POSTCODE_INVALID' };
      case 'district':
        return this.placeDistrict(postcode.district, postcode.area);
      case 'full': {
        let placement = this.postcodeCache.get(postcode.postcode);
        if (placement === undefined) this.postcodeCache.set(postcode.postcode, (placement = this.placeFull(postcode)));
        return placement;
      }
    }
  }

  private textual(postcode: ParsedPostcode): Placement | undefined {
    const placed = this.parts.postcodes?.place(postcode);
    return placed?.status === 'local' ? placed : undefined;
  }

  private placeFull(postcode: Extract<ParsedPostcode, { kind: 'full' }>): Placement {
    const crown = CROWN_DEPENDENCY_AREAS.has(postcode.area);
    const row = this.directory.indexOf(postcode.postcode.replace(' ', ''));
    if (row < 0 || crown) {
      const byText = this.textual(postcode);
      const note: PostcodeNote = crown ? 'POSTCODE_CROWN_DEPENDENCY' : postcode.area === 'BT' ? 'POSTCODE_NORTHERN_IRELAND' : 'POSTCODE_UNKNOWN';
      if (byText) return { ...byText, note };
      if (crown) return { status: 'non-local', reason: 'OUTSIDE_AREA', note };
      if (note === 'POSTCODE_NORTHERN_IRELAND') return this.placeNorthernIreland();
      // A postcode newer than the directory: its district still places it when the district lies wholly in or out.
      return { ...this.placeDistrict(postcode.district, postcode.area), note };
    }
    const place = this.directory.place(row);
    const [lat, long] = this.directory.coordinates(row);
    const note: PostcodeNote | undefined = this.directory.isTerminated(row) ? 'POSTCODE_TERMINATED' : undefined;
    const about: Partial<Placement> = this.describe(place.council, place.region, place.country);
    const distance = this.distance(lat, long);
    if (distance !== undefined) about.distanceMiles = distance;
    if (note) Object.assign(about, { note });
    const inside = this.containsRow(row);
    if (inside === undefined) {
      const byDistrict = this.placeDistrict(postcode.district, postcode.area);
      return { ...byDistrict, ...about };
    }
    return inside ? { status: 'local', reason: 'IN_AREA', ...about } : { status: 'non-local', reason: 'OUTSIDE_AREA', ...about };
  }

  /** The GB directory has no BT rows: outside any GB council or region; unknown for a radius or a Northern Ireland term. */
  private placeNorthernIreland(): Placement {
    const p = this.parts;
    const mayInclude = p.radii.length > 0 || p.countries.has('N92000002') || [...p.councils].some((c) => c.startsWith('N'));
    return mayInclude
      ? { status: 'unknown', reason: 'POSTCODE_INVALID', note: 'POSTCODE_NORTHERN_IRELAND' }
      : { status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_NORTHERN_IRELAND' };
  }

  /** A district alone is local only when all its live postcodes are; partly inside, it is unknown with the share as an estimate. */
  private placeDistrict(district: string, area: string): Placement {
    const cached = this.districtCache.get(district);
    if (cached) return cached;
    const placement = this.judgeDistrict(district, area);
    this.districtCache.set(district, placement);
    return placement;
  }

  private judgeDistrict(district: string, area: string): Placement {
    const asDistrict: ParsedPostcode = { kind: 'district', area, district };
    const byText = this.textual(asDistrict);
    if (byText) return byText;
    const [from, to] = this.directory.rangeOf(district);
    if (from === to) {
      if (CROWN_DEPENDENCY_AREAS.has(area)) return { status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_CROWN_DEPENDENCY' };
      if (area === 'BT') return this.placeNorthernIreland();
      return { status: 'unknown', reason: 'POSTCODE_INVALID', note: 'POSTCODE_UNKNOWN' };
    }
    const directory = this.directory;
    let live = 0;
    for (let row = from; row < to; row++) if (!directory.isTerminated(row)) live++;
    const useTerminated = live === 0;
    // The centre of the district is wanted only for the distance to a radius's centre.
    const centre = this.parts.radii.length > 0;
    let counted = 0;
    let inside = 0;
    let undecided = 0;
    let lat = 0;
    let long = 0;
    let located = 0;
    const places = new Set<number>();
    let lastPlace = -1;
    for (let row = from; row < to; row++) {
      if (!useTerminated && directory.isTerminated(row)) continue;
      counted++;
      // A district's postcodes run in order, so its places come in runs.
      const place = directory.placeIndexOf(row);
      if (place !== lastPlace) places.add((lastPlace = place));
      if (centre) {
        const [a, b] = directory.coordinates(row);
        if (a !== undefined) {
          lat += a;
          long += b;
          located++;
        }
      }
      const verdict = this.containsRow(row);
      if (verdict === undefined) undecided++;
      else if (verdict) inside++;
    }
    const placeList = [...places].map((i) => this.directory.meta.places[i]!);
    const councils = new Set(placeList.map((p) => p.council));
    const regions = new Set(placeList.map((p) => (p.region !== '' ? p.region : p.country)));
    const about: Partial<Placement> = {};
    if (councils.size === 1) Object.assign(about, this.describe([...councils][0]!, '', ''));
    if (regions.size === 1) {
      const code = [...regions][0]!;
      Object.assign(about, { region: code, regionName: regionName(code) ?? countryName(code) ?? code });
    }
    const distance = located > 0 ? this.distance(lat / located, long / located) : undefined;
    if (distance !== undefined) about.distanceMiles = distance;
    const judged = counted - undecided;
    if (judged > 0 && inside === judged) return { status: 'local', reason: 'IN_AREA', ...about };
    if (inside === 0 && undecided === 0) return { status: 'non-local', reason: 'OUTSIDE_AREA', ...about };
    const share = judged === 0 ? undefined : Math.round((inside / judged) * 10_000) / 10_000;
    return share === undefined
      ? { status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE', ...about }
      : { status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE', localShareEstimate: share, ...about };
  }
}
