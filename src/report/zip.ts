import zlib from 'node:zlib';

/**
 * A zip archive of our own output, as one buffer: each entry deflated, in the order given, with a
 * central directory. No zip64: a report is a few MB, so anything near the classic limits is a bug.
 */

export interface ZipEntry {
  /** The path inside the archive, `/`-separated. */
  name: string;
  data: string | Buffer;
}

/** The most entries and bytes a zip without zip64 can describe (0xFFFF and 0xFFFFFFFF mean "see zip64"). */
const MAX_ENTRIES = 0xffff - 1;
const MAX_BYTES = 0xffffffff - 1;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const VERSION = 20;

/** `modified` stamps every entry (its UTC date and time, so the same report gives the same bytes anywhere). */
export function zip(entries: readonly ZipEntry[], modified: Date, level = 6): Buffer {
  if (entries.length > MAX_ENTRIES) throw new Error(`A zip without zip64 holds at most ${MAX_ENTRIES} entries, not ${entries.length}`);
  const { time, date } = dosDateTime(modified);
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const packed = zlib.deflateRawSync(data, { level });
    if (data.length > MAX_BYTES || offset + 30 + name.length + packed.length > MAX_BYTES) {
      throw new Error(`${entry.name} does not fit a zip without zip64 (${data.length} bytes at offset ${offset})`);
    }
    const crc = crc32(data);

    // The local header and the central directory's entry describe the file alike, the latter two bytes on
    // (it also says which version made it); the extra field and the rest that follow are all zero.
    const describe = (header: Buffer, at: number) => {
      header.writeUInt16LE(VERSION, at);
      header.writeUInt16LE(UTF8_NAMES, at + 2);
      header.writeUInt16LE(DEFLATE, at + 4);
      header.writeUInt16LE(time, at + 6);
      header.writeUInt16LE(date, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      return header;
    };
    const local = describe(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const central = describe(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION, 4);
    central.writeUInt32LE(offset, 42);

    parts.push(local, name, packed);
    directory.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  if (offset + directorySize > MAX_BYTES) throw new Error(`A zip without zip64 holds at most ${MAX_BYTES} bytes`);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...directory, end]);
}

/** MS-DOS date and time: 2-second resolution, years 1980 to 2107. */
function dosDateTime(when: Date): { time: number; date: number } {
  const year = Math.min(Math.max(when.getUTCFullYear(), 1980), 2107);
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

// Node has zlib.crc32 from 20.15; earlier 20.x releases get the table below.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : tableCrc32(data);
}

let table: Uint32Array | undefined;

/** CRC-32 (the zip and PNG one, polynomial 0xEDB88320), a byte at a time. Exported to be tested against Node's own. */
export function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
