import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import { decodeBytes, type Encoding, fieldText, type Interner, internField, plainDate, plainPence, type RecordView } from './delimited.js';

/**
 * The delimited reader's byte loop in WebAssembly (src/ingest/scan.as.ts, built into dist/wasm by
 * `npm run build`): it finds the records and fields of a chunk sixteen bytes at a time, and hashes the
 * fields of the columns asked for. JavaScript then decodes and uses only the fields it needs. On the
 * 1M-row bench file this reads in ~135 ms what the JavaScript loop read in ~305 ms (single thread).
 *
 * The records are exactly the JavaScript Tokenizer's (the tests run the reader's every case through both).
 * Where the module is missing (sources run without a build) or cannot be compiled, the reader uses the
 * JavaScript Tokenizer; LOCAL_IMPACT_WASM=0 asks for it.
 */

// The little of the WebAssembly API used here (Node's types leave it out without the DOM library).
interface WasmModule {
  readonly kind?: 'module';
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

interface ScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(input: number, length: number, final: number, delimiter: number, hashMask: number, records: number, recordCap: number, fields: number, flags: number, fieldCap: number): number;
  consumed: { value: number };
  full: { value: number };
}

const WASM_FILE = join(PACKAGE_ROOT, 'dist', 'wasm', 'scan.wasm');
let compiled: WasmModule | null | undefined;

/** The compiled module, once per thread; null when there is none to use. */
function module(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = process.env.LOCAL_IMPACT_WASM === '0' ? null : new wasm.Module(readFileSync(WASM_FILE));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the reader will use WebAssembly. */
export function wasmAvailable(): boolean {
  return module() !== null;
}

const PAGE = 65_536;
const RECORD_INTS = 5;
const FIELD_INTS = 3;

export class WasmTokenizer implements RecordView {
  line = 1;
  fieldCount = 0;
  private buf: Buffer = Buffer.alloc(0);
  private readonly exports: ScanExports;
  private records!: Int32Array;
  private fields!: Int32Array;
  private flags!: Uint8Array;
  private recordCap = 16_384;
  private fieldCap = 131_072;
  private inputAt = 0;
  private inputCap = 0;
  /** The current record's first field in `fields`, and where its offsets start in `buf`. */
  private base = 0;
  private shift = 0;
  private recordStart = 0;
  private recordEnd = 0;

  /** `hashMask`: bit i set to have column i (below 32) hashed, for `fieldId`. */
  constructor(
    private readonly delimiter: number,
    public encoding: Encoding,
    private readonly hashMask: number,
  ) {
    this.exports = new wasm.Instance(module()!, {}).exports as ScanExports;
    this.layout(2 * 1024 * 1024);
  }

  /** Records, fields and flags first; the input last, where it can grow. */
  private layout(inputBytes: number): void {
    const fieldsAt = this.recordCap * RECORD_INTS * 4;
    const flagsAt = fieldsAt + this.fieldCap * FIELD_INTS * 4;
    this.inputAt = Math.ceil((flagsAt + this.fieldCap) / 16) * 16;
    const memory = this.exports.memory;
    const needed = this.inputAt + inputBytes;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    this.inputCap = memory.buffer.byteLength - this.inputAt;
    this.records = new Int32Array(memory.buffer, 0, this.recordCap * RECORD_INTS);
    this.fields = new Int32Array(memory.buffer, fieldsAt, this.fieldCap * FIELD_INTS);
    this.flags = new Uint8Array(memory.buffer, flagsAt, this.fieldCap);
  }

  field(index: number): string {
    if (index >= this.fieldCount) return '';
    const at = (this.base + index) * FIELD_INTS;
    return fieldText(this.buf, this.shift + this.fields[at]!, this.shift + this.fields[at + 1]!, this.flags[this.base + index] === 1, this.encoding);
  }

  raw(): string {
    return decodeBytes(this.buf, this.recordStart, this.recordEnd, this.encoding);
  }

  fieldId(index: number, interner: Interner): number {
    if (index >= this.fieldCount) return interner.emptyId();
    const at = (this.base + index) * FIELD_INTS;
    const hashed = index < 32 && (this.hashMask >>> index) & 1;
    return internField(interner, this.buf, this.shift + this.fields[at]!, this.shift + this.fields[at + 1]!, this.flags[this.base + index] === 1, this.encoding, hashed ? this.fields[at + 2]! : undefined);
  }

  plainPence(index: number): number {
    if (index >= this.fieldCount || this.flags[this.base + index]) return NaN;
    const at = (this.base + index) * FIELD_INTS;
    return plainPence(this.buf, this.shift + this.fields[at]!, this.shift + this.fields[at + 1]!);
  }

  plainDate(index: number): number {
    if (index >= this.fieldCount) return 0;
    const at = (this.base + index) * FIELD_INTS;
    return plainDate(this.buf, this.shift + this.fields[at]!, this.shift + this.fields[at + 1]!);
  }

  /** As Tokenizer.run: emits every complete record in `buf` from `from`; returns where the first incomplete one starts. */
  run(buf: Buffer, from: number, final: boolean, emit: (record: RecordView) => void): number {
    this.buf = buf;
    const exports = this.exports;
    let start = from;
    let copied = -1;
    while (start < buf.length) {
      const length = buf.length - start;
      if (copied !== start) {
        if (length > this.inputCap) this.layout(length);
        new Uint8Array(exports.memory.buffer, this.inputAt, length).set(buf.subarray(start));
        copied = start;
      }
      const count = exports.scan(this.inputAt, length, final ? 1 : 0, this.delimiter, this.hashMask | 0, this.records.byteOffset, this.recordCap, this.fields.byteOffset, this.flags.byteOffset, this.fieldCap);
      if (count < 0) {
        // One record with more fields than there is room for: make room, and read it again.
        this.fieldCap *= 4;
        this.layout(length);
        copied = -1;
        continue;
      }
      const { records, fields } = this;
      this.shift = start;
      for (let r = 0; r < count; r++) {
        const at = r * RECORD_INTS;
        const n = records[at + 1]!;
        this.base = records[at]!;
        this.fieldCount = n;
        this.recordStart = start + records[at + 2]!;
        this.recordEnd = start + records[at + 3]!;
        const first = this.base * FIELD_INTS;
        // A blank line is not a record.
        if (!(n === 1 && fields[first] === fields[first + 1])) emit(this);
        this.line += records[at + 4]!;
      }
      const consumed = exports.consumed.value as number;
      // Stopped for want of room: read on, the rest of the input moved to the start of the input area.
      if (!(exports.full.value as number)) return start + consumed;
      start += consumed;
    }
    return start;
  }
}
