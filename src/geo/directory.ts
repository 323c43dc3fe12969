import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { CouncilName } from './names.js';

/**
 * The imported ONS postcode directory: every postcode as a sorted 32-bit key with parallel columns,
 * so loading is one file read and a lookup is a binary search.
 *
 * postcodes.bin, little-endian:
 *   header  32 bytes: magic "LIGEODIR", format u32, count u32, sections u32 (bit 0 LSOA, bit 1 IMD), 12 reserved
 *   keys    u32 × n, ascending (see `encodePostcode`)
 *   places  u16 × n, index into `meta.places`; the top bit marks a terminated postcode
 *   coords  6 bytes × n: latitude then longitude, each 24-bit round((deg + 90|180) × 1e4); 0xFFFFFF = none
 *   lsoa    u16 × n (when bit 0), index into `meta.lsoas`, 0xFFFF = none
 *   imd     u16 × n (when bit 1), the NSPL's IMD rank of the postcode's LSOA, 0 = none
 * directory.json holds `DirectoryMeta`.
 */
export const FORMAT = 1;
export const MAGIC = 'LIGEODIR';
export const HEADER_BYTES = 32;
export const SECTION_LSOA = 1;
export const SECTION_IMD = 2;
export const TERMINATED_BIT = 0x8000;
export const NO_COORD = 0xffffff;
export const NO_LSOA = 0xffff;

/** A distinct (council, region, country) combination; postcodes point at one. */
export interface Place {
  council: string;
  region: string;
  country: string;
}

export interface DirectoryMeta {
  format: number;
  source: { file: string; bytes: number; modified: string };
  namesSource: string | undefined;
  importedAt: string;
  count: number;
  live: number;
  terminated: number;
  withoutCoordinates: number;
  withoutCouncil: number;
  /** Rows whose postcode the index cannot hold (`GIR 0AA`, the old `NPT` codes). */
  skipped: number;
  districts: number;
  straddlingDistricts: number;
  places: Place[];
  /** The LSOA column read (`lsoa21` or `lsoa11`), which decides the IoD edition its codes match. */
  lsoaColumn?: string;
  lsoas: string[];
  councils: CouncilName[];
}

export const DIRECTORY_BIN = 'postcodes.bin';
export const DIRECTORY_META = 'directory.json';

/** `$LOCAL_IMPACT_HOME`, else the platform's user data directory. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOCAL_IMPACT_HOME) return env.LOCAL_IMPACT_HOME;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'local-impact');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'local-impact');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'local-impact');
}

export function directoryPath(home = dataHome()): string {
  return join(home, 'geo');
}

const AREA_LETTERS = 27;
const DISTRICT_CODES = 370;
const UNITS = 676;
const SECTOR_SPAN = UNITS;
const DISTRICT_SPAN = 10 * UNITS;

const letter = (c: number) => c - 65; // A → 0
const isLetter = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** `HX11RE` (compact, upper case) → area×district×sector×unit, < 2^31; -1 when the index cannot hold it. */
export function encodePostcode(compact: string): number {
  const n = compact.length;
  if (n < 5 || n > 7) return -1;
  const u1 = compact.charCodeAt(n - 2);
  const u2 = compact.charCodeAt(n - 1);
  const sector = compact.charCodeAt(n - 3);
  if (!isLetter(u1) || !isLetter(u2) || !isDigit(sector)) return -1;
  const district = encodeDistrictChars(compact, n - 3);
  if (district < 0) return -1;
  return (district * 10 + (sector - 48)) * UNITS + letter(u1) * 26 + letter(u2);
}

/** The district part of a key (`HX1`) as a number; -1 when not a district. */
export function encodeDistrict(district: string): number {
  return encodeDistrictChars(district, district.length);
}

function encodeDistrictChars(text: string, end: number): number {
  const a1 = text.charCodeAt(0);
  if (!isLetter(a1)) return -1;
  let i = 1;
  let a2 = 0;
  if (isLetter(text.charCodeAt(1))) {
    a2 = letter(text.charCodeAt(1)) + 1;
    i = 2;
  }
  const d = text.charCodeAt(i);
  if (!isDigit(d)) return -1;
  let extra = 0;
  if (i + 1 < end) {
    const c = text.charCodeAt(i + 1);
    if (isDigit(c)) extra = c - 48 + 1;
    else if (isLetter(c)) extra = letter(c) + 11;
    else return -1;
    if (i + 2 !== end) return -1;
  } else if (i + 1 !== end) {
    return -1;
  }
  return (letter(a1) * AREA_LETTERS + a2) * DISTRICT_CODES + (d - 48) * 37 + extra;
}

/** The postcode a key stands for, as `HX1 1RE`. */
export function decodePostcode(key: number): string {
  const unit = key % UNITS;
  const sector = Math.floor(key / UNITS) % 10;
  const district = Math.floor(key / DISTRICT_SPAN);
  return `${decodeDistrict(district)} ${sector}${String.fromCharCode(65 + Math.floor(unit / 26), 65 + (unit % 26))}`;
}

export function decodeDistrict(code: number): string {
  const extra = code % 37;
  const digit = Math.floor(code / 37) % 10;
  const area = Math.floor(code / DISTRICT_CODES);
  const a2 = area % AREA_LETTERS;
  const a1 = Math.floor(area / AREA_LETTERS);
  let text = String.fromCharCode(65 + a1);
  if (a2 > 0) text += String.fromCharCode(64 + a2);
  text += String(digit);
  if (extra > 0) text += extra <= 10 ? String(extra - 1) : String.fromCharCode(65 + extra - 11);
  return text;
}

/** What the directory knows of one postcode. */
export interface DirectoryEntry {
  postcode: string;
  council: string;
  region: string;
  country: string;
  terminated: boolean;
  lat: number | undefined;
  long: number | undefined;
  lsoa: string | undefined;
  imdRank: number | undefined;
}

export class PostcodeDirectory {
  private columns: DirectoryColumns | undefined;
  private readonly councilsByCode: Map<string, CouncilName>;

  /**
   * `bytes` is the index file, or a function that reads it: the 32 MB of postcodes are read only when the
   * first postcode is looked up, so a run resolves its area (from the names in `meta`) and reads its spend
   * files before holding them.
   */
  constructor(
    readonly meta: DirectoryMeta,
    private readonly bytes: Uint8Array | (() => Uint8Array),
    readonly location = '',
  ) {
    this.councilsByCode = new Map(meta.councils.map((c) => [c.code, c]));
    if (typeof bytes !== 'function') this.columns = readColumns(bytes, location);
  }

  private get cols(): DirectoryColumns {
    if (this.columns === undefined) {
      const bytes = this.bytes;
      this.columns = readColumns(typeof bytes === 'function' ? bytes() : bytes, this.location);
    }
    return this.columns;
  }

  get count(): number {
    return this.cols.count;
  }

  /** Lets go of the postcodes (read again if looked up later): a run holds them only while it places suppliers. */
  release(): void {
    if (typeof this.bytes === 'function') this.columns = undefined;
  }

  private get keys(): Uint32Array {
    return this.cols.keys;
  }

  private get places(): Uint16Array {
    return this.cols.places;
  }

  private get coords(): Uint8Array {
    return this.cols.coords;
  }

  private get lsoa(): Uint16Array | undefined {
    return this.cols.lsoa;
  }

  private get imd(): Uint16Array | undefined {
    return this.cols.imd;
  }

  get hasLsoa(): boolean {
    return this.lsoa !== undefined;
  }

  get hasImd(): boolean {
    return this.imd !== undefined;
  }

  /** The row of a compact postcode (`HX11RE`), or -1. */
  indexOf(compact: string): number {
    const key = encodePostcode(compact);
    if (key < 0) return -1;
    let lo = 0;
    let hi = this.count - 1;
    const keys = this.keys;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Rows `[from, to)` of a district (`M3`) or sector (`M3 4`). */
  rangeOf(districtOrSector: string): [number, number] {
    const [district, sector] = districtOrSector.split(' ');
    const code = encodeDistrict(district ?? '');
    if (code < 0) return [0, 0];
    let low = code * DISTRICT_SPAN;
    let high = low + DISTRICT_SPAN;
    if (sector !== undefined && /^[0-9]$/.test(sector)) {
      low += Number(sector) * SECTOR_SPAN;
      high = low + SECTOR_SPAN;
    }
    return [this.lowerBound(low), this.lowerBound(high)];
  }

  private lowerBound(key: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  entry(row: number): DirectoryEntry {
    const placeIndex = this.places[row]!;
    const place = this.meta.places[placeIndex & ~TERMINATED_BIT]!;
    const [lat, long] = this.coordinates(row);
    const lsoa = this.lsoa?.[row];
    const imd = this.imd?.[row];
    return {
      postcode: decodePostcode(this.keys[row]!),
      council: place.council,
      region: place.region,
      country: place.country,
      terminated: (placeIndex & TERMINATED_BIT) !== 0,
      lat,
      long,
      lsoa: lsoa === undefined || lsoa === NO_LSOA ? undefined : this.meta.lsoas[lsoa],
      imdRank: imd === undefined || imd === 0 ? undefined : imd,
    };
  }

  /** The row's index into `meta.places`. */
  placeIndexOf(row: number): number {
    return this.places[row]! & ~TERMINATED_BIT;
  }

  postcodeAt(row: number): string {
    return decodePostcode(this.keys[row]!);
  }

  place(row: number): Place {
    return this.meta.places[this.places[row]! & ~TERMINATED_BIT]!;
  }

  isTerminated(row: number): boolean {
    return (this.places[row]! & TERMINATED_BIT) !== 0;
  }

  coordinates(row: number): [number, number] | [undefined, undefined] {
    const c = this.coords;
    const o = row * 6;
    const lat = c[o]! | (c[o + 1]! << 8) | (c[o + 2]! << 16);
    const long = c[o + 3]! | (c[o + 4]! << 8) | (c[o + 5]! << 16);
    if (lat === NO_COORD || long === NO_COORD) return [undefined, undefined];
    return [(lat - 900_000) / 1e4, (long - 1_800_000) / 1e4];
  }

  council(code: string): CouncilName | undefined {
    return this.councilsByCode.get(code);
  }

  /** The council's name, else its code. */
  councilName(code: string): string {
    return this.councilsByCode.get(code)?.name ?? PSEUDO_COUNCILS[code] ?? code;
  }
}

/** The NSPL's codes for places with no council. */
const PSEUDO_COUNCILS: Record<string, string> = { L99999999: 'Channel Islands (no council)', M99999999: 'Isle of Man (no council)' };

/** Reads the imported directory, or returns undefined when none has been imported. */
interface DirectoryColumns {
  count: number;
  keys: Uint32Array;
  places: Uint16Array;
  coords: Uint8Array;
  lsoa: Uint16Array | undefined;
  imd: Uint16Array | undefined;
}

function readColumns(source: Uint8Array, location: string): DirectoryColumns {
  let bytes = source;
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (magic !== MAGIC || view.getUint32(8, true) !== FORMAT) throw directoryStale(location);
  const n = view.getUint32(12, true);
  const sections = view.getUint32(16, true);
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  let offset = bytes.byteOffset + HEADER_BYTES;
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, width: number): T => {
    const array = make(bytes.buffer, offset, n);
    offset += n * width;
    return array;
  };
  return {
    count: n,
    keys: take((b, o, l) => new Uint32Array(b, o, l), 4),
    places: take((b, o, l) => new Uint16Array(b, o, l), 2),
    coords: take((b, o, l) => new Uint8Array(b, o, l * 6), 6),
    lsoa: sections & SECTION_LSOA ? take((b, o, l) => new Uint16Array(b, o, l), 2) : undefined,
    imd: sections & SECTION_IMD ? take((b, o, l) => new Uint16Array(b, o, l), 2) : undefined,
  };
}

export function loadDirectory(home = dataHome()): PostcodeDirectory | undefined {
  const dir = directoryPath(home);
  const metaFile = join(dir, DIRECTORY_META);
  const binFile = join(dir, DIRECTORY_BIN);
  if (!existsSync(metaFile) || !existsSync(binFile)) return undefined;
  let meta: DirectoryMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as DirectoryMeta;
  } catch {
    throw directoryStale(dir);
  }
  if (meta.format !== FORMAT) throw directoryStale(dir);
  return new PostcodeDirectory(meta, () => readFileSync(binFile), dir);
}

export const IMPORT_HINT =
  'Download the National Statistics Postcode Lookup (NSPL) from the ONS Open Geography Portal (geoportal.statistics.gov.uk), ' +
  'then run: local-impact geo import <the downloaded zip>';

/** The one message for "this needs the postcode directory and there is none". */
export function directoryMissing(what: string): UsageError {
  return new UsageError(`${what} needs the ONS postcode directory, which has not been imported.`, { hint: IMPORT_HINT });
}

function directoryStale(where: string): UsageError {
  return new UsageError(`The postcode directory in ${where} was made by another version of local-impact.`, {
    hint: 'Import it again: local-impact geo import <the NSPL zip>',
  });
}
