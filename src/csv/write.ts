import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { temporaryFor } from '../write-whole.js';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: "CSV injection"), or one
 * that already starts with the guard, gets a leading `'`; `unguardCell` takes it off again on reading, so a
 * file written and read back is unchanged. Plain numbers (-12.50) are left alone: they are not formulas.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d[\d,]*(\.\d+)?$/;

export function guardCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Undoes `guardCell`: one `'` off a cell that `guardCell` would have guarded. */
export function unguardCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) && !PLAIN_NUMBER.test(text.slice(1)) ? text.slice(1) : text;
}

/** One RFC 4180 cell, guarded against formulas, quoted when it must be. */
export function csvCell(raw: string): string {
  const text = guardCell(raw);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Writes a CSV (UTF-8 with a byte-order mark, so Excel reads it as UTF-8; CRLF line ends) row by row, to a
 * temporary file beside `path` renamed over it by `close`: never half-written, whatever the row count.
 */
export class CsvWriter {
  private readonly temporary: string;
  private readonly stream: WriteStream;
  private failed: unknown;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.temporary = temporaryFor(path);
    this.stream = createWriteStream(this.temporary, { flags: 'wx' });
    this.stream.on('error', (error) => (this.failed ??= error));
    this.stream.write('\ufeff');
    this.row(header);
  }

  row(cells: readonly (string | number)[]): void {
    this.stream.write(`${cells.map((cell) => csvCell(String(cell))).join(',')}\r\n`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failed !== undefined) {
      await this.abort();
      throw this.failed;
    }
    await rename(this.temporary, this.path);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await unlink(this.temporary).catch(() => {});
  }
}
