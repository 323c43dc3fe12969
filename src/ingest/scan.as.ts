// AssemblyScript, compiled to WebAssembly by `npm run build` (scripts/wasm.mjs): the byte loop of the
// delimited reader (delimited.ts), which JavaScript cannot run faster than ~2 ns a byte.
//
// It finds records and fields exactly as Tokenizer.run in delimited.ts does (that code is the
// specification, and the tests hold the two to the same records on every chunk size), and writes their
// offsets to memory for JavaScript, which decodes and uses the fields. For the columns asked for, it
// also writes each field's FNV-1a hash, the one Interner.find computes, so repeating texts are looked
// up without hashing them again.
//
// Memory layout, set by the caller: the input bytes at `input`; per record five i32 (first field, field
// count, start, end, newlines) at `records`; per field three i32 (start, end, hash) at `fields`, and one
// byte (1 = it holds doubled quotes) at `flags`.

const QUOTE: u8 = 0x22;
const LF: u8 = 0x0a;
const CR: u8 = 0x0d;

/** Where the first record not written begins: the incomplete one at the end, or the one that did not fit. */
export let consumed: i32 = 0;
/** Whether the last scan stopped for want of room (not at the end of the input, nor at an incomplete record). */
export let full: bool = false;

@inline function byte(input: usize, at: i32): u8 {
  return load<u8>(input + <usize>at);
}

@inline function fnv(input: usize, start: i32, end: i32): i32 {
  let h: u32 = 0x811c9dc5;
  for (let i = start; i < end; i++) h = (h ^ <u32>byte(input, i)) * 0x01000193;
  return <i32>h;
}

/**
 * Where an unquoted field from `pos` ends: the first delimiter, CR or LF, or `length`. Sixteen bytes at a
 * time (a field is usually shorter), then byte by byte for the last few.
 */
@inline function fieldStop(input: usize, pos: i32, length: i32, delimiter: u8, delimiters: v128): i32 {
  const lf = i8x16.splat(<i8>LF);
  const cr = i8x16.splat(<i8>CR);
  while (pos + 16 <= length) {
    const v = v128.load(input + <usize>pos);
    const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, delimiters), i8x16.eq(v, lf)), i8x16.eq(v, cr)));
    if (stops != 0) return pos + ctz(stops);
    pos += 16;
  }
  while (pos < length) {
    const c = byte(input, pos);
    if (c == delimiter || c == LF || c == CR) break;
    pos++;
  }
  return pos;
}

/**
 * Records of `input[0, length)`; returns how many were written (at most `recordCap`, using at most
 * `fieldCap` fields). `final`: the input ends the file, so a last record without a line ending is complete.
 * -1 when the first record alone has more than `fieldCap` fields (the caller gives more room).
 */
export function scan(input: usize, length: i32, final: bool, delimiter: u8, hashMask: u32, records: usize, recordCap: i32, fields: usize, flags: usize, fieldCap: i32): i32 {
  const delimiters = i8x16.splat(<i8>delimiter);
  let pos: i32 = 0;
  let count: i32 = 0;
  let used: i32 = 0;
  consumed = 0;
  full = false;
  while (pos < length && count < recordCap) {
    const recordStart = pos;
    let newlines: i32 = 0;
    let n: i32 = 0;
    let recordEnd: i32 = 0;
    let incomplete = false;
    while (true) {
      let fieldStart: i32;
      let fieldEnd: i32 = 0;
      let escaped: u8 = 0;
      if (pos < length && byte(input, pos) == QUOTE) {
        pos++;
        fieldStart = pos;
        while (true) {
          if (pos >= length) {
            if (!final) {
              incomplete = true;
              break;
            }
            fieldEnd = length; // an unterminated quote runs to the end of the file
            break;
          }
          const c = byte(input, pos);
          if (c == QUOTE) {
            if (pos + 1 >= length && !final) {
              incomplete = true;
              break;
            }
            if (pos + 1 < length && byte(input, pos + 1) == QUOTE) {
              escaped = 1;
              pos += 2;
              continue;
            }
            fieldEnd = pos;
            pos++;
            break;
          }
          if (c == LF) newlines++;
          pos++;
        }
        if (incomplete) break;
        // Text after a closing quote ("abc" def) is kept with the field, as spreadsheets do.
        while (pos < length) {
          const c = byte(input, pos);
          if (c == delimiter || c == LF || c == CR) break;
          pos++;
          fieldEnd = pos;
        }
      } else {
        fieldStart = pos;
        pos = fieldStop(input, pos, length, delimiter, delimiters);
        fieldEnd = pos;
      }
      if (pos >= length && !final) {
        incomplete = true;
        break;
      }
      if (used + n >= fieldCap) {
        // No room for this record's fields: stop before it.
        if (count == 0) return -1;
        full = true;
        consumed = recordStart;
        return count;
      }
      const at = fields + (<usize>(used + n) * 12);
      store<i32>(at, fieldStart);
      store<i32>(at, fieldEnd, 4);
      store<i32>(at, n < 32 && ((hashMask >>> <u32>n) & 1) != 0 ? fnv(input, fieldStart, fieldEnd) : 0, 8);
      store<u8>(flags + <usize>(used + n), escaped);
      n++;
      if (pos >= length) {
        recordEnd = length;
        break;
      }
      const c = byte(input, pos);
      if (c == delimiter) {
        pos++;
        continue;
      }
      recordEnd = pos;
      if (c == CR) {
        if (pos + 1 >= length && !final) {
          incomplete = true;
          break;
        }
        pos += pos + 1 < length && byte(input, pos + 1) == LF ? 2 : 1;
      } else {
        pos++;
      }
      newlines++;
      break;
    }
    if (incomplete) {
      consumed = recordStart;
      return count;
    }
    const r = records + (<usize>count * 20);
    store<i32>(r, used);
    store<i32>(r, n, 4);
    store<i32>(r, recordStart, 8);
    store<i32>(r, recordEnd, 12);
    store<i32>(r, newlines, 16);
    used += n;
    count++;
  }
  consumed = pos;
  full = count == recordCap && pos < length;
  return count;
}
