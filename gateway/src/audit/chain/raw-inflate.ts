/**
 * A raw-deflate (RFC 1951) decoder for verify's hot path, for the blocks `packContent` writes:
 * fixed-Huffman blocks (and stored ones), one record's ~240 bytes against its shape's preset
 * dictionary, without what `inflateRawSync` costs per call (a zlib stream object, its native
 * state and window, a 16 KiB output buffer, a close — and the garbage of all that).
 *
 * It answers null, never a guess, for anything it does not decode exactly as zlib would: a
 * dynamic-Huffman block (records written before packContent used fixed codes; zlib reads those
 * as fast as this would), a reserved block type or symbol, a distance before the dictionary's
 * start, input that ends early, bytes after the final block. The caller then asks zlib, which
 * decides and words the error. So the text it returns is always the text zlib returns for the
 * same bytes; the tests hold it to that on zlib's own output and on corrupted streams.
 *
 * Not reentrant (module-level output buffer), which is fine: it is synchronous, and every
 * worker thread has its own copy of the module.
 */

const LENGTH_BASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LENGTH_EXTRA = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = new Uint16Array([
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
]);
const DIST_EXTRA = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
/** zlib's window: no distance reaches further back. */
const MAX_DISTANCE = 32_768;

/** Bit-reversal of `code`, `len` bits long (deflate sends Huffman codes most significant bit first). */
function reversed(code: number, len: number): number {
  let r = 0;
  for (let b = 0; b < len; b++) r = (r << 1) | ((code >>> b) & 1);
  return r;
}

/**
 * The fixed literal/length code (RFC 1951 3.2.6) as a 9-bit lookup table of `symbol << 4 | length`:
 * every code is at most 9 bits, so every 9 bits of input name exactly one symbol.
 */
const FIXED_LIT = new Uint16Array(512);
{
  // Canonical order: 7-bit codes (256..279), then 8-bit (0..143, 280..287), then 9-bit (144..255).
  const runs: Array<[number, number, number]> = [
    [7, 256, 280],
    [8, 0, 144],
    [8, 280, 288],
    [9, 144, 256],
  ];
  let code = 0;
  let len = 7;
  for (const [bits, from, to] of runs) {
    code <<= bits - len;
    len = bits;
    for (let s = from; s < to; s++, code++) {
      for (let i = reversed(code, len); i < 512; i += 1 << len) FIXED_LIT[i] = (s << 4) | len;
    }
  }
}
/** The fixed distance code: 5 bits, the symbol is the bit-reversed code. */
const FIXED_DIST = new Uint8Array(32);
for (let c = 0; c < 32; c++) FIXED_DIST[reversed(c, 5)] = c;

/** Output: the dictionary, then the record's bytes. Grown on demand, kept between calls. */
let out = Buffer.allocUnsafe(64 * 1024);
/** The dictionary now at the start of `out` (the same object is not copied again). */
let outDictionary: Uint8Array | null = null;

/**
 * Decodes the raw deflate stream `input` with preset dictionary `dictionary` to UTF-8 text (as
 * `Buffer.toString('utf8')` reads it, like the zlib path), or null to leave it to zlib.
 */
export function inflateRawText(input: Uint8Array, dictionary: Uint8Array): string | null {
  if (dictionary.length > MAX_DISTANCE) return null;
  if (outDictionary !== dictionary || out.length < dictionary.length + 1024) {
    if (out.length < dictionary.length + 1024) out = Buffer.allocUnsafe(2 * (dictionary.length + 1024));
    out.set(dictionary, 0);
    outDictionary = dictionary;
  }
  const end = decode(input, dictionary.length);
  return end < 0 ? null : out.toString('utf8', dictionary.length, end);
}

/** Room for `more` bytes at `pos` (the dictionary stays at the start). */
function grow(pos: number, more: number): void {
  const grown = Buffer.allocUnsafe(Math.max(out.length * 2, pos + more));
  out.copy(grown, 0, 0, pos);
  out = grown;
}

/**
 * Decodes into `out` from `start`; the end offset, or -1 to leave it to zlib. The bit buffer is
 * kept in locals, refilled to at least 25 bits before each symbol (a literal/length code and its
 * extra bits take at most 14, a distance code and its extra bits at most 18); reads past the end
 * feed zeros, and more than a few such bytes means the stream ended early.
 */
function decode(input: Uint8Array, start: number): number {
  const inLen = input.length;
  const overrun = inLen + 4;
  let ip = 0;
  let bits = 0;
  let nbits = 0;
  let pos = start;
  let o = out;

  for (;;) {
    while (nbits < 25) {
      if (ip < inLen) bits |= (input[ip] as number) << nbits;
      ip += 1;
      nbits += 8;
    }
    if (ip > overrun) return -1;
    const final = bits & 1;
    const type = (bits >>> 1) & 3;
    bits >>>= 3;
    nbits -= 3;
    if (type === 0) {
      // Stored: drop the bits to the byte boundary, give back whole buffered bytes, then LEN and ~LEN.
      ip -= nbits >> 3;
      bits = 0;
      nbits = 0;
      if (ip + 4 > inLen) return -1;
      const len = (input[ip] as number) | ((input[ip + 1] as number) << 8);
      const nlen = (input[ip + 2] as number) | ((input[ip + 3] as number) << 8);
      ip += 4;
      if (len !== (~nlen & 0xffff) || ip + len > inLen) return -1;
      if (pos + len > o.length) {
        grow(pos, len);
        o = out;
      }
      o.set(input.subarray(ip, ip + len), pos);
      ip += len;
      pos += len;
    } else if (type === 1) {
      for (;;) {
        while (nbits < 25) {
          if (ip < inLen) bits |= (input[ip] as number) << nbits;
          ip += 1;
          nbits += 8;
        }
        if (ip > overrun) return -1;
        const e = FIXED_LIT[bits & 511] as number;
        bits >>>= e & 15;
        nbits -= e & 15;
        const s = e >>> 4;
        if (s < 256) {
          if (pos >= o.length) {
            grow(pos, 1);
            o = out;
          }
          o[pos++] = s;
          continue;
        }
        if (s === 256) break;
        const li = s - 257;
        if (li >= 29) return -1; // 286, 287: reserved
        const extra = LENGTH_EXTRA[li] as number;
        const length = (LENGTH_BASE[li] as number) + (bits & ((1 << extra) - 1));
        bits >>>= extra;
        nbits -= extra;
        while (nbits < 25) {
          if (ip < inLen) bits |= (input[ip] as number) << nbits;
          ip += 1;
          nbits += 8;
        }
        const di = FIXED_DIST[bits & 31] as number;
        bits >>>= 5;
        nbits -= 5;
        if (di >= 30) return -1; // 30, 31: reserved
        const dextra = DIST_EXTRA[di] as number;
        const distance = (DIST_BASE[di] as number) + (bits & ((1 << dextra) - 1));
        bits >>>= dextra;
        nbits -= dextra;
        if (distance > pos || distance > MAX_DISTANCE) return -1; // before the dictionary, or beyond the window
        if (pos + length > o.length) {
          grow(pos, length);
          o = out;
        }
        // Byte by byte: a match may overlap the bytes it produces (and a loop beats copyWithin's call at these lengths).
        for (let from = pos - distance, stop = pos + length; pos < stop; ) o[pos++] = o[from++] as number;
      }
    } else return -1; // dynamic codes: zlib's; 3: reserved
    if (final) break;
  }
  // Every bit read must have been input, and nothing may follow (zlib ignores trailing bytes: its call).
  if (ip - (nbits >> 3) !== inLen) return -1;
  return pos;
}
