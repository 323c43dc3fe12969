import type { Readable } from 'node:stream';
import { type Encoding, type RecordView, Tokenizer } from './delimited.js';

/**
 * The same tokenizer as every other CSV the tool reads, for text that is not a plain file on disk: a
 * decompressed stream (the postcode directory inside a zip or a .gz) or a small table already in memory.
 */
export interface TokenizeOptions {
  /** One character; a comma unless told. */
  delimiter?: string;
  /** UTF-8 unless told; ASCII, the common case, reads the same either way. */
  encoding?: Encoding;
  /** Each record, valid only during the call (see RecordView). */
  onRecord: (record: RecordView) => void;
  /** Each chunk as it arrives, before its records are emitted (for progress). */
  onChunk?: (chunk: Buffer) => void;
}

const EMPTY = Buffer.alloc(0);

/** Reads every record of the stream; returns how many there were. A UTF-8 byte-order mark at the start is skipped. */
export async function tokenizeStream(readable: Readable, options: TokenizeOptions): Promise<number> {
  const reader = new ChunkReader(options);
  for await (const chunk of readable) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    options.onChunk?.(bytes);
    reader.push(bytes, false);
  }
  reader.push(EMPTY, true);
  return reader.records;
}

/** `tokenizeStream` for a table already in memory (a string is read as its UTF-8 bytes). */
export function tokenizeText(text: string | Buffer, options: TokenizeOptions): number {
  const reader = new ChunkReader(options);
  reader.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, true);
  return reader.records;
}

/** Feeds chunks to one Tokenizer, carrying the incomplete record at each chunk's end over to the next. */
class ChunkReader {
  records = 0;
  private readonly tokenizer: Tokenizer;
  private readonly emit: (record: RecordView) => void;
  private carry = EMPTY;
  private started = false;

  constructor(options: TokenizeOptions) {
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f) throw new Error(`A delimiter is one ASCII character, not ${JSON.stringify(delimiter)}.`);
    this.tokenizer = new Tokenizer(delimiter.charCodeAt(0), options.encoding ?? 'utf-8');
    const { onRecord } = options;
    this.emit = (record) => {
      this.records++;
      onRecord(record);
    };
  }

  push(chunk: Buffer, final: boolean): void {
    const data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    let from = 0;
    if (!this.started) {
      // The byte-order mark could be split across the first chunks: wait for three bytes.
      if (data.length < 3 && !final) {
        this.carry = Buffer.from(data);
        return;
      }
      this.started = true;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) from = 3;
    }
    const consumed = this.tokenizer.run(data, from, final, this.emit);
    // A copy: the stream may reuse its chunk's memory once we return.
    this.carry = consumed < data.length ? Buffer.from(data.subarray(consumed)) : EMPTY;
  }
}
