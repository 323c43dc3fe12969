import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { daysInMonth } from '../domain/calendar.js';

/**
 * A streaming reader for delimited text (RFC 4180 CSV and its cousins) that works on bytes.
 *
 * Why not csv-parse: on a 1,000,000-row council file it spends ~5 s building record arrays,
 * far over this tool's budget (npm run bench). Here the delimiters, quotes and newlines are
 * found in the raw bytes (all ASCII, so safe in UTF-8 and Windows-1252 alike), and a field becomes
 * a string only when the caller asks for it. Memory stays flat: one chunk at a time.
 * csv-parse remains the reference implementation the tests compare this reader against.
 */

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** UTF-16 ("Unicode text" exports): decoded to UTF-8 before the tokenizer sees it. */
export function isUtf16(encoding: Encoding): encoding is 'utf-16le' | 'utf-16be' {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}

// Buffer's own slice decoders: the public toString(encoding, start, end) adds checks on every call.
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The current record, valid only during the callback that receives it. */
export interface RecordView {
  /** 1-based physical line on which the record starts. */
  readonly line: number;
  readonly fieldCount: number;
  /**
   * Set when the record is one line of a damaged stretch (a stray or unclosed quote, an over-long line), re-read
   * on its own: the reader decides whether it is a row it can take (see `Recovery`). Undefined for every normal record.
   */
  readonly recovery: Recovery | undefined;
  field(index: number): string;
  /** The record as written in the file, without its line ending. */
  raw(): string;
  /**
   * The id that `interner` gives this field's text (see `Interner.texts`): identical bytes give the
   * identical id, found without decoding, for columns whose values repeat (supplier, postcode, category,
   * date). -1 when the interner is full and did not keep the text: then read it with `field`.
   */
  fieldId(index: number, interner: Interner): number;
  /**
   * The field as integer pence when it is a plain amount (`1234.56`, `-12`, `1,234.5`, `12.`): the
   * common case, read from the bytes without making a string. NaN for anything else, which
   * `parseAmount(field(index))` then decides (and explains); never a different answer from it.
   */
  plainPence(index: number): number;
  /**
   * The field as the date number yyyymmdd when it is written the usual way (`dd/mm/yyyy`, `dd.mm.yyyy`,
   * `dd-mm-yyyy` or `yyyy-mm-dd`, and a real date), read from the bytes. 0 for anything else, which
   * `parseUkDate(field(index))` then decides; never a different answer from it.
   */
  plainDate(index: number): number;
}

/**
 * A hash table from byte sequences to ids of the strings they decode to. Repeated values cost a hash and
 * a byte comparison instead of a decode and a string hash. The bytes of every key sit in one arena, so a
 * look-up touches two typed arrays, not an object per key. It stops growing at `limit` entries, so a
 * column of unique values costs no more.
 */
export class Interner {
  /** Each distinct text once, in the order first seen: its index is the text's id. */
  readonly texts: string[] = [];
  private mask = 1023;
  /** Per slot: the key's hash, and its id + 1 (0 = empty slot). */
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(1024);
  /** Per id: where its bytes start in the arena, and how many. */
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private arena = new Uint8Array(16 * 1024);
  private arenaUsed = 0;
  private pendingSlot = 0;
  private pendingHash = 0;
  private empty = -1;

  constructor(private readonly limit = Infinity) {}

  /** The id of these bytes, or -1: then call `add` with the decoded text. */
  find(buf: Uint8Array, start: number, end: number): number {
    return this.findHashed(buf, start, end, fnv1a(buf, start, end));
  }

  /** `find`, the bytes' hash (`fnv1a`) already known. */
  findHashed(buf: Uint8Array, start: number, end: number, h: number): number {
    const length = end - start;
    const { hashes, slots, arena, offsets, lengths, mask } = this;
    let slot = h & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (hashes[slot] === h && lengths[id] === length) {
        const offset = offsets[id]! - start;
        let i = start;
        while (i < end && arena[offset + i] === buf[i]) i++;
        if (i === end) return id;
      }
      slot = (slot + 1) & mask;
    }
    this.pendingSlot = slot;
    this.pendingHash = h;
    return -1;
  }

  /** Keeps the text for the bytes of the last unsuccessful `find`; its id, or -1 past the limit. */
  add(buf: Uint8Array, start: number, end: number, text: string): number {
    const id = this.texts.length;
    if (id >= this.limit) return -1;
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.arena = grown(this.arena, this.arenaUsed + length);
    // `>=`, not `===`: the empty text (emptyId) takes an id without a place here.
    if (id >= this.offsets.length) {
      this.offsets = grown(this.offsets, id + 1);
      this.lengths = grown(this.lengths, id + 1);
    }
    this.arena.set(buf.subarray(start, end), this.arenaUsed);
    this.offsets[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.arenaUsed += length;
    this.texts.push(text);
    this.slots[this.pendingSlot] = id + 1;
    this.hashes[this.pendingSlot] = this.pendingHash;
    if (this.texts.length * 2 > this.mask) this.rehash();
    return id;
  }

  /** The id of a text that arrives as a string (spreadsheet cells): its UTF-8 bytes are the key. */
  idOf(text: string): number {
    if (text === '') return this.emptyId();
    const bytes = Buffer.from(text, 'utf8');
    const id = this.find(bytes, 0, bytes.length);
    return id >= 0 ? id : this.add(bytes, 0, bytes.length, text);
  }

  /** The id of the empty text (a blank cell), kept like any other. */
  emptyId(): number {
    if (this.empty < 0) {
      this.empty = this.texts.length;
      this.texts.push('');
    }
    return this.empty;
  }

  private rehash(): void {
    const { hashes, slots } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.slots = new Int32Array(size);
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === 0) continue;
      let slot = hashes[i]! & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = slots[i]!;
      this.hashes[slot] = hashes[i]!;
    }
  }
}

/** FNV-1a (32-bit) of the bytes, as a signed integer: the interner's hash. */
function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

/** A copy of `array` with room for at least `needed` elements. */
export function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, needed: number): T {
  let size = Math.max(array.length * 2, 16);
  while (size < needed) size *= 2;
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

export interface ScanOptions {
  delimiter: number;
  encoding: Encoding;
  /** Bytes at the start of the file to skip (a byte-order mark). */
  skipBytes: number;
  onRecord: (record: RecordView) => void;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Sees every byte of the file, BOM included, in order (for a checksum). */
  onChunk?: (chunk: Buffer) => void;
  /** Called once if a chunk turns out not to be UTF-8 after all; reading continues as Windows-1252. */
  onEncodingChange?: (encoding: Encoding, line: number) => void;
  chunkSize?: number;
  /** Byte range to read; the byte-order mark is skipped only when starting at 0. */
  start?: number;
  end?: number;
  /** Line number of the first record read (for a range that starts mid-file, when known). */
  firstLine?: number;
  /** Columns whose fields `fieldId` will be asked for. */
  hashColumns?: readonly number[];
  /** The number of fields the file's rows have: a quoted field spanning lines is judged by it (see Tokenizer.expectedFields). */
  expectedFields?: number;
  /** A field (a record) longer than this is damage, re-read by lines or skipped: memory stays bounded. Default 1 MiB. */
  maxFieldBytes?: number;
}

let iconv: typeof import('iconv-lite') | undefined;

/** Loads iconv-lite on the first Windows-1252 text that needs it: most files are ASCII or UTF-8, and it is large. */
function decodeWindows1252(bytes: Buffer): string {
  iconv ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
  return iconv.decode(bytes, 'win1252');
}

const DIGIT_0 = 0x30;
const COMMA = 0x2c;
const DOT = 0x2e;
const MINUS = 0x2d;

/**
 * `-?d{1,3}(,ddd)*(.d{0,2})?` or `-?d+(.d{0,2})?` as pence; NaN for anything else (blanks, signs, currency,
 * brackets, credit markers, a third decimal place), which the full parser then reads. Exact: whole pounds
 * stay below 2^53 / 100.
 */
export function plainPence(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  let whole = 0;
  let digits = 0;
  let groupDigits = 0;
  let commas = false;
  for (; i < end; i++) {
    const d = buf[i]! - DIGIT_0;
    if (d >= 0 && d <= 9) {
      whole = whole * 10 + d;
      digits++;
      groupDigits++;
    } else if (buf[i] === COMMA) {
      // Thousands separators: 1-3 digits before the first, exactly 3 between.
      if (groupDigits === 0 || groupDigits > 3 || (commas && groupDigits !== 3)) return NaN;
      commas = true;
      groupDigits = 0;
    } else break;
  }
  if (digits === 0 || digits > 13 || (commas && groupDigits !== 3)) return NaN;
  let pence = whole * 100;
  if (i < end) {
    if (buf[i] !== DOT || end - i > 3) return NaN;
    i++;
    let scale = 10;
    for (; i < end; i++) {
      const d = buf[i]! - DIGIT_0;
      if (d < 0 || d > 9) return NaN;
      pence += d * scale;
      scale = 1;
    }
  }
  return negative && pence !== 0 ? -pence : pence;
}

const SLASH = 0x2f;

/** Two ASCII digits as a number, or -1. */
function twoDigits(buf: Uint8Array, at: number): number {
  const a = buf[at]! - DIGIT_0;
  const b = buf[at + 1]! - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** See RecordView.plainDate: the ten-byte forms parseUkDate reads, as yyyymmdd; 0 for anything else. */
export function plainDate(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 10) return 0;
  let day: number;
  let month: number;
  let century: number;
  let years: number;
  const third = buf[start + 2];
  if ((third === SLASH || third === DOT || third === MINUS) && (buf[start + 5] === SLASH || buf[start + 5] === DOT || buf[start + 5] === MINUS)) {
    day = twoDigits(buf, start);
    month = twoDigits(buf, start + 3);
    century = twoDigits(buf, start + 6);
    years = twoDigits(buf, start + 8);
  } else if (buf[start + 4] === MINUS && buf[start + 7] === MINUS) {
    century = twoDigits(buf, start);
    years = twoDigits(buf, start + 2);
    month = twoDigits(buf, start + 5);
    day = twoDigits(buf, start + 8);
  } else return 0;
  if (day < 1 || month < 1 || month > 12 || century < 19 || century > 21 || years < 0) return 0;
  const year = century * 100 + years;
  if (day > daysInMonth(year, month)) return 0;
  return year * 10_000 + month * 100 + day;
}

/** The text of `buf[start, end)` in the file's encoding. */
export function decodeBytes(buf: Buffer, start: number, end: number, encoding: Encoding): string {
  const fast = buf as FastBuffer;
  let i = start;
  while (i < end && buf[i]! < 0x80) i++;
  // ASCII, the common case, decodes the same in every encoding read here.
  if (i === end) return fast.latin1Slice(start, end);
  if (encoding === 'utf-8') return fast.utf8Slice(start, end);
  return decodeWindows1252(buf.subarray(start, end));
}

/** A field's text: its bytes decoded, doubled quotes made single. */
export function fieldText(buf: Buffer, start: number, end: number, escaped: boolean, encoding: Encoding): string {
  if (start === end) return '';
  const text = decodeBytes(buf, start, end, encoding);
  return escaped ? text.replaceAll('""', '"') : text;
}

/** The interner's id for a field's bytes (`hash`, their fnv1a, when the reader has it already). */
export function internField(interner: Interner, buf: Buffer, start: number, end: number, escaped: boolean, encoding: Encoding, hash?: number): number {
  if (start === end) return interner.emptyId();
  const id = hash === undefined ? interner.find(buf, start, end) : interner.findHashed(buf, start, end, hash);
  return id >= 0 ? id : interner.add(buf, start, end, fieldText(buf, start, end, escaped, encoding));
}

/**
 * Why a record was re-read line by line instead of as the tokenizer first found it (see `RecordView.recovery`).
 * - `QUOTE_SPANS_ROWS`: a quoted field ran over line breaks, and the lines it swallowed each read as a row of
 *   the file (or the record came out wider than the file's rows): a stray quote, not a field with a newline.
 * - `QUOTE_UNCLOSED`: a quote opened and never closed, to the end of the file or for more than the field limit.
 * - `FIELD_TOO_LONG`: this one line is longer than the field limit; it was skipped, not read.
 */
export type RecoveryCode = 'QUOTE_SPANS_ROWS' | 'QUOTE_UNCLOSED' | 'FIELD_TOO_LONG';

export interface Recovery {
  code: RecoveryCode;
  /** The lines the damaged record spanned, first and last. */
  firstLine: number;
  lastLine: number;
  /** FIELD_TOO_LONG: the line's length in bytes (its raw text is only its start). */
  bytes?: number;
}

/** Finds the records and fields in chunks of bytes: `run` emits each complete record and returns where the incomplete one starts. */
export class Tokenizer implements RecordView {
  line = 1;
  fieldCount = 0;
  /** Set on the records of a damaged stretch, each one line, re-read with its quotes taken literally where they do not close. */
  recovery: Recovery | undefined = undefined;
  /** The number of fields the file's rows have (its header's, or its usual width): a quoted field spanning lines is judged by it. 0: unknown. */
  expectedFields = 0;
  /** A record longer than this that has not ended is damage (see `salvage`). */
  maxFieldBytes = 1024 * 1024;
  private buf = Buffer.alloc(0) as FastBuffer;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  private recordStart = 0;
  private recordEnd = 0;
  /** A line longer than the limit, being skipped to its end: its line, its bytes so far and its first bytes. */
  private skipping: { line: number; bytes: number; head: Buffer } | undefined;

  /** 1 for the bytes that end an unquoted field: the delimiter, CR and LF. */
  private readonly stops = new Uint8Array(256);

  /** The encoding of the bytes it is given: UTF-16 arrives already decoded to UTF-8 (see scanTranscoded). */
  encoding: Encoding;

  constructor(
    private readonly delimiter: number,
    encoding: Encoding,
  ) {
    this.encoding = isUtf16(encoding) ? 'utf-8' : encoding;
    this.stops[delimiter] = 1;
    this.stops[CR] = 1;
    this.stops[LF] = 1;
  }

  field(index: number): string {
    if (index >= this.fieldCount) return '';
    return fieldText(this.buf, this.starts[index]!, this.ends[index]!, this.escaped[index] === 1, this.encoding);
  }

  raw(): string {
    return decodeBytes(this.buf, this.recordStart, this.recordEnd, this.encoding);
  }

  fieldId(index: number, interner: Interner): number {
    if (index >= this.fieldCount) return interner.emptyId();
    return internField(interner, this.buf, this.starts[index]!, this.ends[index]!, this.escaped[index] === 1, this.encoding);
  }

  plainPence(index: number): number {
    if (index >= this.fieldCount || this.escaped[index]) return NaN;
    return plainPence(this.buf, this.starts[index]!, this.ends[index]!);
  }

  plainDate(index: number): number {
    if (index >= this.fieldCount) return 0;
    return plainDate(this.buf, this.starts[index]!, this.ends[index]!);
  }

  /**
   * Emits every complete record in `buf` from `from`; returns the offset of the first byte
   * not consumed (the start of an incomplete record), or buf.length.
   */
  run(buf: Buffer, from: number, final: boolean, emit: (record: RecordView) => void): number {
    this.buf = buf as FastBuffer;
    const len = buf.length;
    const delimiter = this.delimiter;
    const stops = this.stops;
    let pos = from;
    if (this.skipping !== undefined) {
      pos = this.skipLine(buf, from, final, emit);
      if (pos < 0) return len;
    }
    while (pos < len) {
      const recordStart = pos;
      let newlines = 0;
      let quotedNewlines = 0;
      let n = 0;
      let complete = false;
      for (;;) {
        let fieldStart: number;
        let fieldEnd: number;
        let escaped = 0;
        if (buf[pos] === QUOTE) {
          pos++;
          fieldStart = pos;
          for (;;) {
            if (pos >= len) {
              if (!final) return recordStart;
              // A quote that never closes: its lines are re-read one by one, the quote taken as a character.
              this.lenient(buf, recordStart, len, 'QUOTE_UNCLOSED', emit);
              return len;
            }
            const c = buf[pos]!;
            if (c === QUOTE) {
              if (pos + 1 >= len && !final) return recordStart;
              if (buf[pos + 1] === QUOTE) {
                escaped = 1;
                pos += 2;
                continue;
              }
              fieldEnd = pos;
              pos++;
              break;
            }
            if (c === LF || (c === CR && buf[pos + 1] !== LF)) quotedNewlines++;
            pos++;
          }
          // Text after a closing quote ("abc" def) is kept with the field, as spreadsheets do.
          while (pos < len) {
            const c = buf[pos]!;
            if (c === delimiter || c === LF || c === CR) break;
            pos++;
            fieldEnd = pos;
          }
        } else {
          fieldStart = pos;
          while (pos < len && stops[buf[pos]!] === 0) pos++;
          fieldEnd = pos;
        }
        if (pos >= len && !final) return recordStart;
        if (n === this.starts.length) this.grow();
        this.starts[n] = fieldStart;
        this.ends[n] = fieldEnd;
        this.escaped[n] = escaped;
        n++;
        if (pos >= len) {
          this.recordEnd = len;
          complete = true;
          break;
        }
        const c = buf[pos]!;
        if (c === delimiter) {
          pos++;
          continue;
        }
        this.recordEnd = pos;
        if (c === CR) {
          if (pos + 1 >= len && !final) return recordStart;
          pos += buf[pos + 1] === LF ? 2 : 1;
        } else {
          pos++;
        }
        newlines++;
        complete = true;
        break;
      }
      if (complete) {
        // A record over the field limit, though complete in this chunk, is damage as it would be across chunks.
        if (this.recordEnd - recordStart > this.maxFieldBytes) {
          this.lenient(buf, recordStart, pos, 'QUOTE_UNCLOSED', emit);
          continue;
        }
        if (quotedNewlines > 0 && this.expectedFields > 0 && this.swallowedRows(buf, recordStart, this.recordEnd, n)) {
          this.lenient(buf, recordStart, pos, 'QUOTE_SPANS_ROWS', emit);
          continue;
        }
        this.fieldCount = n;
        this.recordStart = recordStart;
        // A blank line is not a record.
        if (!(n === 1 && this.starts[0] === this.ends[0])) emit(this);
        this.line += newlines + quotedNewlines;
      }
    }
    return pos;
  }

  /**
   * For a reader whose unread record has grown past `maxFieldBytes` (a quote that does not close, or a line
   * with no end): re-reads the whole lines of it one by one, or, when it is one line, skips that line to its
   * end. Memory stays bounded by the limit whatever the file holds. Returns the offset to carry on from.
   */
  salvage(buf: Buffer, from: number, final: boolean, emit: (record: RecordView) => void): number {
    this.buf = buf as FastBuffer;
    let lineEnd = -1;
    for (let i = buf.length - 1; i >= from; i--) {
      if (buf[i] === LF || buf[i] === CR) {
        lineEnd = i;
        break;
      }
    }
    // A CR at the very end may be half of a CRLF: leave it for the next chunk.
    if (lineEnd === buf.length - 1 && buf[lineEnd] === CR && !final) lineEnd--;
    while (lineEnd >= from && buf[lineEnd] !== LF && buf[lineEnd] !== CR) lineEnd--;
    if (lineEnd >= from) {
      const next = lineEnd + 1;
      this.lenient(buf, from, next, 'QUOTE_UNCLOSED', emit);
      return next;
    }
    this.skipping = { line: this.line, bytes: 0, head: Buffer.from(buf.subarray(from, from + 240)) };
    const at = this.skipLine(buf, from, final, emit);
    return at < 0 ? buf.length : at;
  }

  /** Skips the rest of an over-long line; emits it (as FIELD_TOO_LONG) at its end. -1 when it has not ended in `buf`. */
  private skipLine(buf: Buffer, from: number, final: boolean, emit: (record: RecordView) => void): number {
    const skipping = this.skipping!;
    let pos = from;
    while (pos < buf.length && buf[pos] !== LF && buf[pos] !== CR) pos++;
    skipping.bytes += pos - from;
    if (pos >= buf.length && !final) return -1;
    this.skipping = undefined;
    const head = skipping.head;
    this.buf = head as FastBuffer;
    this.fieldCount = 0;
    this.recordStart = 0;
    this.recordEnd = head.length;
    this.recovery = { code: 'FIELD_TOO_LONG', firstLine: skipping.line, lastLine: skipping.line, bytes: skipping.bytes };
    this.line = skipping.line;
    emit(this);
    this.recovery = undefined;
    this.buf = buf as FastBuffer;
    this.line = skipping.line + 1;
    if (pos < buf.length) pos += buf[pos] === CR && buf[pos + 1] === LF ? 2 : 1;
    return pos;
  }

  /**
   * Whether a record whose quoted field spans lines is damage: it has more fields than the file's rows; or every
   * line of it, or two or more, read on their own, have the file's number of fields (rows a stray quote swallowed);
   * or it has not the file's number of fields itself while some line of it does. A real multi-line address or
   * description is one record of the file's width whose lines are not rows.
   */
  private swallowedRows(buf: Buffer, start: number, end: number, fields: number): boolean {
    if (fields > this.expectedFields) return true;
    let whole = 0;
    let lines = 0;
    let lineStart = start;
    while (lineStart < end) {
      let lineEnd = lineStart;
      while (lineEnd < end && buf[lineEnd] !== LF && buf[lineEnd] !== CR) lineEnd++;
      lines++;
      if (this.lenientFields(buf, lineStart, lineEnd, false) === this.expectedFields) whole++;
      lineStart = lineEnd + (buf[lineEnd] === CR && buf[lineEnd + 1] === LF ? 2 : 1);
    }
    return whole === lines || whole >= 2 || (fields !== this.expectedFields && whole > 0);
  }

  /** Emits each line of `buf[start, end)` as its own record, flagged with `code` (see `Recovery`). */
  private lenient(buf: Buffer, start: number, end: number, code: RecoveryCode, emit: (record: RecordView) => void): void {
    let breaks = 0;
    for (let i = start; i < end; i++) if (buf[i] === LF || (buf[i] === CR && buf[i + 1] !== LF)) breaks++;
    const lastByte = buf[end - 1];
    const endsWithBreak = lastByte === LF || lastByte === CR;
    const firstLine = this.line;
    const recovery: Recovery = { code, firstLine, lastLine: firstLine + breaks - (endsWithBreak ? 1 : 0) };
    let lineStart = start;
    while (lineStart < end) {
      let lineEnd = lineStart;
      while (lineEnd < end && buf[lineEnd] !== LF && buf[lineEnd] !== CR) lineEnd++;
      this.buf = buf as FastBuffer;
      this.fieldCount = this.lenientFields(buf, lineStart, lineEnd, true);
      this.recordStart = lineStart;
      this.recordEnd = lineEnd;
      if (lineEnd - lineStart > this.maxFieldBytes) {
        this.recovery = { ...recovery, code: 'FIELD_TOO_LONG', bytes: lineEnd - lineStart };
        this.fieldCount = 0;
        this.recordEnd = Math.min(lineEnd, lineStart + 240);
      } else this.recovery = recovery;
      if (!(this.fieldCount === 1 && this.starts[0] === this.ends[0])) emit(this);
      this.line++;
      lineStart = lineEnd + (buf[lineEnd] === CR && buf[lineEnd + 1] === LF ? 2 : 1);
    }
    this.recovery = undefined;
    this.line = firstLine + breaks;
  }

  /**
   * The fields of one line read leniently: a quote opens a quoted field only when it closes on the same line
   * (followed by the delimiter or the line's end); otherwise it is a character of the field. With `keep`, the
   * fields' bounds are kept for `field`.
   */
  private lenientFields(buf: Buffer, start: number, end: number, keep: boolean): number {
    const delimiter = this.delimiter;
    let n = 0;
    let pos = start;
    for (;;) {
      let fieldStart = pos;
      let fieldEnd = -1;
      let escaped = 0;
      if (buf[pos] === QUOTE && pos < end) {
        let q = pos + 1;
        while (q < end) {
          if (buf[q] === QUOTE) {
            if (buf[q + 1] === QUOTE && q + 1 < end) {
              escaped = 1;
              q += 2;
              continue;
            }
            if (q + 1 === end || buf[q + 1] === delimiter) {
              fieldStart = pos + 1;
              fieldEnd = q;
              pos = q + 1;
            }
            break;
          }
          q++;
        }
      }
      if (fieldEnd < 0) {
        escaped = 0;
        while (pos < end && buf[pos] !== delimiter) pos++;
        fieldEnd = pos;
      }
      if (keep) {
        if (n === this.starts.length) this.grow();
        this.starts[n] = fieldStart;
        this.ends[n] = fieldEnd;
        this.escaped[n] = escaped;
      }
      n++;
      if (pos >= end) return n;
      pos++; // the delimiter
    }
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const escaped = new Uint8Array(size);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}

/** Reads `path` once from start to end, calling `onRecord` for each record. */
export interface ScanResult {
  /** The line the next record would start on. */
  nextLine: number;
  /** Bytes at the end of the range that did not complete a record (only when the range ends before the file does). */
  unconsumedBytes: number;
}

/**
 * Reads `path` once from `start` to `end` (default: the whole file), calling `onRecord` for each record.
 * A range that ends before the file does leaves its last, incomplete record unread and says how many
 * bytes that was: a parallel reader uses it to check that its split fell between records.
 */
export async function scanDelimited(path: string, options: ScanOptions): Promise<ScanResult> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const start = options.start ?? 0;
    const end = Math.min(size, options.end ?? size);
    const endsFile = end >= size;
    const chunkSize = options.chunkSize ?? 1024 * 1024;
    // One reader for every CSV: a WebAssembly scanner beside it saved ~5% of wall time at 1M rows (measured
    // side by side), not worth every quoting and line-ending fix being made twice.
    const tokenizer = new Tokenizer(options.delimiter, options.encoding);
    tokenizer.line = options.firstLine ?? 1;
    tokenizer.expectedFields = options.expectedFields ?? 0;
    if (options.maxFieldBytes !== undefined) tokenizer.maxFieldBytes = options.maxFieldBytes;
    if (isUtf16(options.encoding)) return await scanTranscoded(handle, start, end, tokenizer, options);
    let position = start;
    let skip = start === 0 ? options.skipBytes : 0;
    // One buffer for the whole read: a record left incomplete at a chunk's end moves to its start, and the
    // next chunk is read in after it. (A new buffer per chunk made the garbage collector run for each.)
    let buf = Buffer.allocUnsafe(2 * chunkSize);
    let carry = 0;
    let checkUtf8 = options.encoding === 'utf-8';
    for (;;) {
      const want = Math.max(0, Math.min(chunkSize, end - position));
      if (carry + want > buf.length) {
        // A record longer than a chunk: make room for it.
        const bigger = Buffer.allocUnsafe(Math.max(2 * buf.length, carry + want));
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      let { bytesRead } = want > 0 ? await handle.read(buf, carry, want, position) : { bytesRead: 0 };
      position += bytesRead;
      const final = bytesRead === 0 || position >= end;
      options.onChunk?.(buf.subarray(carry, carry + bytesRead));
      if (skip > 0) {
        const skipped = Math.min(skip, bytesRead);
        buf.copyWithin(carry, carry + skipped, carry + bytesRead);
        bytesRead -= skipped;
        skip -= skipped;
      }
      const data = buf.subarray(0, carry + bytesRead);
      if (checkUtf8) {
        // Check up to the last line ending (LF, or CR in old Mac files), so a character split across chunks is not mistaken for bad bytes.
        const upTo = final && endsFile ? data.length : Math.max(data.lastIndexOf(LF), data.lastIndexOf(CR)) + 1;
        if (!isUtf8(data.subarray(0, upTo))) {
          checkUtf8 = false;
          tokenizer.encoding = 'windows-1252';
          options.onEncodingChange?.('windows-1252', tokenizer.line);
        }
      }
      let consumed = tokenizer.run(data, 0, final && endsFile, options.onRecord);
      // An unread record past the field limit (a quote that never closes, a line that never ends) is damage:
      // re-read or skipped, so no input makes the buffer grow without bound.
      if (data.length - consumed > tokenizer.maxFieldBytes) consumed = tokenizer.salvage(data, consumed, final && endsFile, options.onRecord);
      options.onProgress?.(position - start, end - start);
      carry = data.length - consumed;
      if (carry > 0 && consumed > 0) buf.copyWithin(0, consumed, data.length);
      if (final) break;
    }
    return { nextLine: tokenizer.line, unconsumedBytes: carry };
  } finally {
    await handle.close();
  }
}

/**
 * The scan of a UTF-16 file: each chunk decoded (a character split across chunks kept for the next) and
 * given to the tokenizer as UTF-8. Rare, so simple: one pass, whole file.
 */
async function scanTranscoded(handle: FileHandle, start: number, end: number, tokenizer: Tokenizer, options: ScanOptions): Promise<ScanResult> {
  const decoder = new TextDecoder(options.encoding);
  const chunkSize = options.chunkSize ?? 1024 * 1024;
  const chunk = Buffer.allocUnsafe(chunkSize);
  let carry = Buffer.alloc(0);
  let skip = start === 0 ? options.skipBytes : 0;
  for (let position = start; ; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunkSize, end - position), position);
    position += bytesRead;
    const final = bytesRead === 0 || position >= end;
    const bytes = chunk.subarray(0, bytesRead);
    options.onChunk?.(bytes);
    const skipped = Math.min(skip, bytes.length);
    skip -= skipped;
    const text = decoder.decode(bytes.subarray(skipped), { stream: !final });
    const data = carry.length === 0 ? Buffer.from(text, 'utf8') : Buffer.concat([carry, Buffer.from(text, 'utf8')]);
    let consumed = tokenizer.run(data, 0, final, options.onRecord);
    if (data.length - consumed > tokenizer.maxFieldBytes) consumed = tokenizer.salvage(data, consumed, final, options.onRecord);
    carry = Buffer.from(data.subarray(consumed));
    options.onProgress?.(position - start, end - start);
    if (final) break;
  }
  return { nextLine: tokenizer.line, unconsumedBytes: 0 };
}

/** The SHA-256 of a file (or of the bytes from `start` to `end` added to `hash`), read in large chunks. */
export async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashRange(hash, path, 0, Infinity);
  return hash.digest('hex');
}

export async function hashRange(hash: Hash, path: string, start: number, end: number): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let position = start; position < end; ) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, end - position), position);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export interface Sniffed {
  encoding: Encoding;
  delimiter: ',' | ';' | '\t' | '|';
  /** Bytes of byte-order mark to skip: 3 for a BOM, 6 for a BOM that was itself encoded twice. */
  bomBytes: number;
  /** The first records of the file (up to `limit`), decoded, with their line numbers. */
  records: { line: number; fields: string[] }[];
  sizeBytes: number;
  /** The records are every record of the file (it was read to its end within the limit). */
  complete: boolean;
  /** True when the head of the file is not text (see `looksBinary`): nothing else was read. */
  notText?: boolean;
}

/**
 * Whether the first bytes are not text: any NUL byte (binary formats, and UTF-16, which this tool does not
 * read), or more than one byte in twenty a control character other than tab, CR, LF and form feed.
 */
export function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f) control++;
  }
  return control * 20 > sample.length;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Looks at the start of a file to choose its encoding, byte-order mark and delimiter. */
export async function sniffDelimited(path: string, limit = 60): Promise<Sniffed> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, 256 * 1024));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  // UTF-16 ("Unicode text" from Excel) is found by its byte-order mark, before the test for binary (its NULs).
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16 === undefined && looksBinary(head)) return { encoding: 'utf-8', delimiter: ',', bomBytes: 0, records: [], sizeBytes: size, complete: false, notText: true };
  let bomBytes = 0;
  let body: Buffer;
  if (utf16 !== undefined) {
    bomBytes = 2;
    body = Buffer.from(new TextDecoder(utf16).decode(head.subarray(2, head.length - (head.length % 2))), 'utf8');
  } else {
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) bomBytes = 3;
    else if (head.subarray(0, 6).equals(Buffer.from([0xc3, 0xaf, 0xc2, 0xbb, 0xc2, 0xbf]))) bomBytes = 6;
    body = head.subarray(bomBytes);
  }
  // Up to the last line ending of the head, whichever a file uses: LF, CRLF, or CR alone (old Mac exports).
  const complete = head.length === size ? body : body.subarray(0, Math.max(body.lastIndexOf(LF), body.lastIndexOf(CR)) + 1);
  const encoding: Encoding = utf16 ?? (isUtf8(complete) ? 'utf-8' : 'windows-1252');
  const delimiter = chooseDelimiter(complete.toString('latin1'));
  const records: Sniffed['records'] = [];
  const tokenizer = new Tokenizer(delimiter.charCodeAt(0), encoding);
  tokenizer.run(complete, 0, head.length === size, (record) => {
    if (records.length >= limit) return;
    const fields: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) fields.push(record.field(i));
    records.push({ line: record.line, fields });
  });
  return { encoding, delimiter, bomBytes, records, sizeBytes: size, complete: head.length === size && records.length < limit };
}

/** The delimiter that splits the most of the first lines into the same number (>1) of fields. */
function chooseDelimiter(text: string): Sniffed['delimiter'] {
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').slice(0, 40);
  let best: Sniffed['delimiter'] = ',';
  let bestScore = -1;
  for (const delimiter of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const n = countOutsideQuotes(line, delimiter);
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let score = 0;
    for (const [fields, lineCount] of counts) score = Math.max(score, lineCount * 1000 + fields);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
