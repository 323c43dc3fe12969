import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { Interner, type RecordView } from '../csv/delimited.js';
import { tokenizeStream } from '../csv/stream.js';
import { InputError } from '../errors.js';
import { writeAllWhole } from '../write-whole.js';
import {
  DIRECTORY_BIN,
  DIRECTORY_META,
  type DirectoryMeta,
  directoryPath,
  encodePostcode,
  FORMAT,
  HEADER_BYTES,
  MAGIC,
  NO_COORD,
  NO_LSOA,
  type Place,
  SECTION_IMD,
  SECTION_LSOA,
  TERMINATED_BIT,
} from './directory.js';
import { type CouncilName, readCouncilNames } from './names.js';

export interface ImportOptions {
  /** A council code → name table; inside an NSPL zip the tool finds its own. */
  ladNames?: string;
  home?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  meta: DirectoryMeta;
  location: string;
  indexBytes: number;
}

interface Source {
  name: string;
  bytes: number;
  open: () => Promise<Readable>;
  /** The names file found beside the data, in a zip. */
  namesText?: string;
  namesName?: string;
  close?: () => void;
}

/** Reads the NSPL or ONSPD (zip, CSV, or gzipped CSV) and writes the postcode directory. */
export async function importDirectory(file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const info = await stat(file).catch(() => {
    throw new InputError(`Cannot read ${file}.`, { file, hint: 'Check the path to the downloaded NSPL zip or CSV.' });
  });
  if (info.isDirectory()) {
    throw new InputError(`${file} is a folder, not the postcode directory file.`, {
      file,
      hint: 'Give the NSPL zip as downloaded, or the CSV in its Data folder (e.g. Data/NSPL21_MAY_2025_UK.csv).',
    });
  }
  const source = /\.zip$/i.test(file) ? await openZip(file) : plainSource(file, info.size);
  let councils: CouncilName[] = [];
  let namesSource: string | undefined;
  if (options.ladNames) {
    councils = readCouncilNames(await readFile(options.ladNames, 'utf8').catch(() => {
      throw new InputError(`Cannot read ${options.ladNames}.`, { file: options.ladNames });
    }), options.ladNames);
    namesSource = basename(options.ladNames);
  } else if (source.namesText !== undefined) {
    councils = readCouncilNames(source.namesText, source.namesName ?? 'names file');
    namesSource = source.namesName;
  }

  const rows = await readRows(source, file, options.onProgress)
    .catch((error: unknown) => {
      throw unreadable(error, file);
    })
    .finally(() => source.close?.());
  const meta = rows.finish({
    ...(rows.lsoaColumn ? { lsoaColumn: rows.lsoaColumn } : {}),
    source: { file: basename(file), bytes: info.size, modified: info.mtime.toISOString() },
    namesSource,
    councils,
  });
  const location = directoryPath(options.home);
  await mkdir(location, { recursive: true });
  await writeAllWhole([
    { path: join(location, DIRECTORY_BIN), data: rows.bytes! },
    { path: join(location, DIRECTORY_META), data: JSON.stringify(meta) },
  ]);
  return { meta, location, indexBytes: rows.bytes!.byteLength };
}

/** A failure to read or unzip the file is the file's fault, not a bug: say which and what to give instead. */
function unreadable(error: unknown, file: string): unknown {
  if (error instanceof InputError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InputError(`${file} is not a readable gzip file (${message}).`, {
      file,
      hint: 'Give the NSPL zip as downloaded, its CSV, or a CSV compressed with gzip; a file named .gz must be gzip.',
    });
  }
  if (code === 'EISDIR' || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') {
    return new InputError(`Cannot read ${file}: ${message}`, { file, hint: 'Check the path to the downloaded NSPL zip or CSV, and that it can be read.' });
  }
  return error;
}

function plainSource(file: string, bytes: number): Source {
  const gz = /\.gz$/i.test(file);
  return {
    name: basename(file),
    bytes,
    open: async () => {
      const stream = createReadStream(file, { highWaterMark: 1 << 20 });
      return gz ? stream.pipe(createGunzip({ chunkSize: 1 << 20 })) : stream;
    },
  };
}

/** In the NSPL zip: `Data/NSPL21_MAY_2025_UK.csv` and `Documents/LA_UA names and codes UK as at 04_25.csv`. */
async function openZip(file: string): Promise<Source> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, z) => (error || !z ? reject(error ?? new Error('no zip')) : resolve(z))),
  ).catch((error: Error) => {
    throw new InputError(`${file} is not a readable zip file: ${error.message}`, { file });
  });
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  const csvs = entries.filter((e) => /\.csv$/i.test(e.fileName) && !/multi_csv/i.test(e.fileName));
  const data = csvs.filter((e) => !/documents\//i.test(e.fileName)).sort((a, b) => b.uncompressedSize - a.uncompressedSize)[0];
  if (!data) {
    zip.close();
    throw new InputError(`${file} holds no postcode CSV.`, { file, hint: 'Give the NSPL or ONSPD zip as downloaded, or the CSV inside its Data folder.' });
  }
  const openEntry = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolve(stream))));
  const names = csvs.find((e) => /(LA_UA|LAD).*names? and codes/i.test(basename(e.fileName)));
  const source: Source = { name: data.fileName, bytes: data.compressedSize, open: () => openEntry(data), close: () => zip.close() };
  if (names) {
    const chunks: Buffer[] = [];
    for await (const chunk of await openEntry(names)) chunks.push(chunk as Buffer);
    source.namesText = Buffer.concat(chunks).toString('utf8');
    source.namesName = basename(names.fileName);
  }
  return source;
}

const COLUMNS = {
  postcode: ['pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8', 'postcode'],
  council: ['laua', 'lad25cd', 'lad24cd', 'lad23cd', 'oslaua'],
  region: ['rgn', 'rgn25cd'],
  country: ['ctry', 'ctry25cd'],
  lat: ['lat'],
  long: ['long', 'lng', 'lon'],
  terminated: ['doterm'],
  lsoa: ['lsoa21', 'lsoa21cd', 'lsoa11', 'lsoa11cd'],
  imd: ['imd'],
} as const;

/** Growable column store for the rows as read, turned into the index by `finish`. */
class Rows {
  count = 0;
  skipped = 0;
  keys = new Float64Array(1 << 21);
  places = new Uint16Array(1 << 21);
  lat = new Uint32Array(1 << 21);
  long = new Uint32Array(1 << 21);
  lsoa: Uint16Array | undefined;
  imd: Uint16Array | undefined;
  readonly placeIndex = new Map<string, number>();
  readonly placeList: Place[] = [];
  readonly lsoaIndex = new Map<string, number>();
  readonly lsoaList: string[] = [];
  /** The same few hundred councils, regions and countries, and LSOAs, repeat row after row: their bytes are decoded once each. */
  readonly councils = new Interner();
  readonly regions = new Interner();
  readonly countries = new Interner();
  readonly lsoas = new Interner();
  private readonly lsoaOfId: number[] = [];
  private last = { council: -1, region: -1, country: -1, place: 0 };
  bytes: Uint8Array | undefined;
  lsoaColumn: string | undefined;

  constructor(withLsoa: boolean, withImd: boolean) {
    if (withLsoa) this.lsoa = new Uint16Array(this.keys.length);
    if (withImd) this.imd = new Uint16Array(this.keys.length);
  }

  /** A row's place (council, region, country), from the ids the interners gave its texts. */
  placeOf(councilId: number, regionId: number, countryId: number): number {
    // Rows come in postcode order, so a row's place is nearly always the row before's.
    if (councilId === this.last.council && regionId === this.last.region && countryId === this.last.country) return this.last.place;
    const council = this.councils.texts[councilId]!;
    // The NSPL's "no region" outside England is a pseudo-code (W99999999), not a region.
    const written = this.regions.texts[regionId]!;
    const region = /^[A-Z]99999999$/.test(written) ? '' : written;
    const country = this.countries.texts[countryId]!;
    const placeKey = `${council}|${region}|${country}`;
    let place = this.placeIndex.get(placeKey);
    if (place === undefined) {
      place = this.placeList.length;
      if (place >= TERMINATED_BIT) throw new InputError('The postcode file has more council/region/country combinations than the index can hold.');
      this.placeIndex.set(placeKey, place);
      this.placeList.push({ council, region, country });
    }
    this.last = { council: councilId, region: regionId, country: countryId, place };
    return place;
  }

  /** The LSOA's index in `lsoaList` from the id of its text; NO_LSOA for none. */
  lsoaOf(lsoaId: number): number {
    let index = this.lsoaOfId[lsoaId];
    if (index !== undefined) return index;
    const lsoa = this.lsoas.texts[lsoaId]!;
    index = lsoa === '' ? NO_LSOA : (this.lsoaIndex.get(lsoa) ?? -1);
    if (index < 0) {
      index = this.lsoaList.length;
      if (index >= NO_LSOA) throw new InputError('The postcode file has more LSOAs than the index can hold.');
      this.lsoaIndex.set(lsoa, index);
      this.lsoaList.push(lsoa);
    }
    this.lsoaOfId[lsoaId] = index;
    return index;
  }

  add(key: number, place: number, terminated: boolean, lat: number, long: number, lsoa: number, imd: number): void {
    if (this.count === this.keys.length) this.grow();
    const i = this.count++;
    this.keys[i] = key;
    this.places[i] = terminated ? place | TERMINATED_BIT : place;
    const located = Number.isFinite(lat) && Number.isFinite(long) && Math.abs(lat) <= 90 && Math.abs(long) <= 180 && !(lat === 99.999999);
    this.lat[i] = located ? Math.round((lat + 90) * 1e4) : NO_COORD;
    this.long[i] = located ? Math.round((long + 180) * 1e4) : NO_COORD;
    if (this.lsoa) this.lsoa[i] = lsoa;
    if (this.imd) this.imd[i] = Number.isInteger(imd) && imd > 0 && imd < 65536 ? imd : 0;
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const grown = <T extends Float64Array | Uint16Array | Uint32Array>(array: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(array as never);
      return next;
    };
    this.keys = grown(this.keys, (n) => new Float64Array(n));
    this.places = grown(this.places, (n) => new Uint16Array(n));
    this.lat = grown(this.lat, (n) => new Uint32Array(n));
    this.long = grown(this.long, (n) => new Uint32Array(n));
    if (this.lsoa) this.lsoa = grown(this.lsoa, (n) => new Uint16Array(n));
    if (this.imd) this.imd = grown(this.imd, (n) => new Uint16Array(n));
  }

  /** Sorts by postcode, drops repeats, packs the index and returns its description. */
  finish(about: Pick<DirectoryMeta, 'source' | 'namesSource' | 'councils' | 'lsoaColumn'>): DirectoryMeta {
    const n = this.count;
    // key < 2^31 and row < 2^22, so key × 2^22 + row is exact in a double and sorts by key, then file order.
    const order = new Float64Array(n);
    for (let i = 0; i < n; i++) order[i] = this.keys[i]! * 4194304 + i;
    order.sort();
    const rowsOf = new Uint32Array(n);
    let unique = 0;
    let previous = -1;
    for (let i = 0; i < n; i++) {
      const value = order[i]!;
      const key = Math.floor(value / 4194304);
      if (key === previous) continue;
      previous = key;
      rowsOf[unique++] = value - key * 4194304;
    }
    const sections = (this.lsoa ? SECTION_LSOA : 0) | (this.imd ? SECTION_IMD : 0);
    const total = HEADER_BYTES + unique * (4 + 2 + 6) + (this.lsoa ? unique * 2 : 0) + (this.imd ? unique * 2 : 0);
    const bytes = new Uint8Array(total);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode(MAGIC), 0);
    view.setUint32(8, FORMAT, true);
    view.setUint32(12, unique, true);
    view.setUint32(16, sections, true);
    let offset = HEADER_BYTES;
    const keys = new Uint32Array(bytes.buffer, offset, unique);
    offset += unique * 4;
    const places = new Uint16Array(bytes.buffer, offset, unique);
    offset += unique * 2;
    const coords = new Uint8Array(bytes.buffer, offset, unique * 6);
    offset += unique * 6;
    const lsoa = this.lsoa ? new Uint16Array(bytes.buffer, offset, unique) : undefined;
    offset += lsoa ? unique * 2 : 0;
    const imd = this.imd ? new Uint16Array(bytes.buffer, offset, unique) : undefined;
    let terminated = 0;
    let withoutCoordinates = 0;
    let withoutCouncil = 0;
    let districts = 0;
    let straddling = 0;
    let district = -1;
    const councilsInDistrict = new Set<string>();
    for (let i = 0; i < unique; i++) {
      const row = rowsOf[i]!;
      const key = this.keys[row]!;
      keys[i] = key;
      const place = this.places[row]!;
      places[i] = place;
      const lat = this.lat[row]!;
      const long = this.long[row]!;
      const o = i * 6;
      coords[o] = lat & 0xff;
      coords[o + 1] = (lat >> 8) & 0xff;
      coords[o + 2] = (lat >> 16) & 0xff;
      coords[o + 3] = long & 0xff;
      coords[o + 4] = (long >> 8) & 0xff;
      coords[o + 5] = (long >> 16) & 0xff;
      if (lsoa) lsoa[i] = this.lsoa![row]!;
      if (imd) imd[i] = this.imd![row]!;
      const council = this.placeList[place & ~TERMINATED_BIT]!.council;
      if (place & TERMINATED_BIT) terminated++;
      if (lat === NO_COORD) withoutCoordinates++;
      if (council === '') withoutCouncil++;
      const d = Math.floor(key / 6760);
      if (d !== district) {
        if (councilsInDistrict.size > 1) straddling++;
        councilsInDistrict.clear();
        district = d;
        districts++;
      }
      if (council !== '' && !(place & TERMINATED_BIT)) councilsInDistrict.add(council);
    }
    if (councilsInDistrict.size > 1) straddling++;
    this.bytes = bytes;
    return {
      format: FORMAT,
      ...about,
      importedAt: new Date().toISOString(),
      count: unique,
      live: unique - terminated,
      terminated,
      withoutCoordinates,
      withoutCouncil,
      skipped: this.skipped + (n - unique),
      districts,
      straddlingDistricts: straddling,
      places: this.placeList,
      lsoas: this.lsoaList,
    };
  }
}

async function readRows(source: Source, file: string, onProgress?: (done: number, total: number) => void): Promise<Rows> {
  const input = await source.open();
  let rows: Rows | undefined;
  let column: Record<keyof typeof COLUMNS, number> | undefined;
  const onRecord = (record: RecordView) => {
    if (!column) {
      column = findColumns(record, source.name, file);
      rows = new Rows(column.lsoa >= 0, column.imd >= 0);
      if (column.lsoa >= 0) rows.lsoaColumn = record.field(column.lsoa).trim().toLowerCase().replace(/cd$/, '');
      return;
    }
    // Only the columns the index keeps are decoded, of the NSPL's 35.
    const key = encodePostcode(record.field(column.postcode).replace(/ /g, '').toUpperCase());
    if (key < 0) {
      rows!.skipped++;
      return;
    }
    const place = rows!.placeOf(
      record.fieldId(column.council, rows!.councils),
      column.region < 0 ? rows!.regions.emptyId() : record.fieldId(column.region, rows!.regions),
      column.country < 0 ? rows!.countries.emptyId() : record.fieldId(column.country, rows!.countries),
    );
    rows!.add(
      key,
      place,
      column.terminated >= 0 && record.field(column.terminated).trim() !== '',
      column.lat < 0 ? NaN : parseFloat(record.field(column.lat)),
      column.long < 0 ? NaN : parseFloat(record.field(column.long)),
      column.lsoa < 0 ? NO_LSOA : rows!.lsoaOf(record.fieldId(column.lsoa, rows!.lsoas)),
      column.imd < 0 ? 0 : Number(record.field(column.imd)),
    );
  };
  let bytesRead = 0;
  let lastReport = 0;
  await tokenizeStream(input, {
    onRecord,
    onChunk: (chunk) => {
      bytesRead += chunk.length;
      if (onProgress && bytesRead - lastReport >= 1 << 22) {
        lastReport = bytesRead;
        onProgress(Math.min(progressOf(input, bytesRead), source.bytes), source.bytes);
      }
    },
  });
  if (!rows) throw new InputError(`${source.name} is empty.`, { file });
  if (rows.count === 0) throw new InputError(`${source.name} has no postcodes the tool can read.`, { file });
  onProgress?.(source.bytes, source.bytes);
  return rows;
}

/** Where each column the index needs is, from the header; the postcode and council columns must be there. */
function findColumns(header: RecordView, name: string, file: string): Record<keyof typeof COLUMNS, number> {
  const names: string[] = [];
  for (let i = 0; i < header.fieldCount; i++) names.push(header.field(i).trim().toLowerCase());
  const find = (wanted: readonly string[]) => {
    for (const w of wanted) {
      const i = names.indexOf(w);
      if (i >= 0) return i;
    }
    return -1;
  };
  const column = Object.fromEntries(Object.entries(COLUMNS).map(([k, wanted]) => [k, find(wanted)])) as Record<keyof typeof COLUMNS, number>;
  const missing = (['postcode', 'council'] as const).filter((k) => column[k] < 0);
  if (missing.length > 0) {
    throw new InputError(`${name} is not the ONS postcode directory: it has no ${missing.map((k) => COLUMNS[k][0]).join(' or ')} column.`, {
      file,
      hint: 'Give the NSPL or ONSPD as downloaded from the ONS Open Geography Portal (the zip, or the CSV in its Data folder).',
    });
  }
  return column;
}

/** Bytes of the file on disk consumed so far (a gunzip or inflate stream counts what it was given). */
function progressOf(stream: Readable, decompressed: number): number {
  const gunzip = stream as Readable & { bytesWritten?: number };
  return typeof gunzip.bytesWritten === 'number' ? gunzip.bytesWritten : decompressed;
}
