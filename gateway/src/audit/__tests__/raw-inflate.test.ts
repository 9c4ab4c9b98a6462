/**
 * verify's own raw-deflate decoder against zlib: on zlib's fixed-Huffman and stored output (every
 * level, the records' dictionaries, long and odd inputs) it must return zlib's text and decode it
 * itself (not hand it back); dynamic-Huffman streams (records written before packContent used
 * fixed codes) it hands to zlib; on corrupted streams it may hand back (null) but never answer
 * differently from zlib, and `unpackContent` must then give zlib's text or zlib's error.
 */
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { prng, RecordGenerator } from '../bench/generate-records';
import { dictionaryFor, packContent, shapeTextOf, unpackContent } from '../chain/content-codec';
import { inflateRawText } from '../chain/raw-inflate';
import { encodeContent } from '../chain/record-content';

const zlibText = (packed: Uint8Array, dictionary: Buffer): { text: string } | { error: string } => {
  try {
    return { text: inflateRawSync(packed, { dictionary }).toString('utf8') };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

function records(n: number): Array<{ text: string; dictionary: Buffer }> {
  const gen = new RecordGenerator({ entities: 200, seed: 7 });
  return Array.from({ length: n }, () => {
    const e = gen.next();
    return { text: encodeContent(e), dictionary: dictionaryFor(shapeTextOf(e)) };
  });
}

const STRATEGIES = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];

/** The first block's type (raw deflate: BFINAL is bit 0, BTYPE bits 1-2). */
const firstBlockType = (packed: Uint8Array) => ((packed[0] as number) >> 1) & 3;

describe('inflateRawText', () => {
  it('decodes what packContent writes (fixed-Huffman blocks) itself, to the same text; older dynamic-Huffman records still unpack', () => {
    let dynamic = 0;
    for (const { text, dictionary } of records(300)) {
      const packed = packContent(text, dictionary);
      expect(firstBlockType(packed)).toBe(1);
      expect(inflateRawText(packed, dictionary)).toBe(text);
      expect(unpackContent(packed, dictionary)).toBe(text);
      expect(inflateRawSync(packed, { dictionary }).toString('utf8')).toBe(text);
      // As records were packed before (zlib's default strategy: mostly dynamic codes, zlib's to read).
      const before = deflateRawSync(Buffer.from(text, 'utf8'), { dictionary, level: 4 });
      if (firstBlockType(before) === 2) {
        dynamic += 1;
        expect(inflateRawText(before, dictionary)).toBeNull();
      } else expect(inflateRawText(before, dictionary)).toBe(text);
      expect(unpackContent(before, dictionary)).toBe(text);
    }
    expect(dynamic).toBeGreaterThan(200);
    for (const { text, dictionary } of records(40)) {
      for (let level = 0; level <= 9; level++) {
        for (const strategy of STRATEGIES) {
          const packed = deflateRawSync(text, { dictionary, level, strategy });
          const mine = inflateRawText(packed, dictionary);
          if (level === 0 || strategy === constants.Z_FIXED) expect(mine).toBe(text);
          else expect(mine === null || mine === text).toBe(true);
          expect(unpackContent(packed, dictionary)).toBe(text);
        }
      }
    }
  });

  it('decodes long, repetitive, binary and non-ASCII inputs exactly as zlib does', () => {
    const rnd = prng(3);
    const randomBytes = Buffer.from(Array.from({ length: 70_000 }, () => Math.floor(rnd() * 256)));
    const words = Array.from({ length: 20_000 }, () => ['Container', 'Seizure', 'ÉUROPOL', '情報', 'x', '🙂', '"', '\\u0000'][Math.floor(rnd() * 8)]).join(' ');
    const farEnd = Buffer.from('the far end of the window: Container.seizures');
    const inputs: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('a'),
      Buffer.alloc(100_000, 'a'), // distance-1 matches overlapping what they produce, 258-byte lengths
      Buffer.from(words, 'utf8'), // several blocks, matches far back
      randomBytes, // stored blocks (several: one holds at most 65,535 bytes)
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x41]), // not UTF-8: replaced the same way
      Buffer.concat([farEnd, randomBytes.subarray(0, 100)]), // a match 32 KiB back, into the dictionary's start
    ];
    const dictionaries = [Buffer.from('x'), dictionaryFor(''), Buffer.concat([farEnd, randomBytes]).subarray(0, 32_768)];
    let decodedHere = 0;
    for (const input of inputs) {
      for (const dictionary of dictionaries) {
        for (const level of [0, 1, 4, 9]) {
          const packed = deflateRawSync(input, { dictionary, level, strategy: constants.Z_FIXED });
          const want = inflateRawSync(packed, { dictionary }).toString('utf8');
          expect(inflateRawText(packed, dictionary)).toBe(want);
          decodedHere += 1;
        }
      }
    }
    expect(decodedHere).toBe(inputs.length * dictionaries.length * 4);
  });

  it('never answers differently from zlib on corrupted streams, and unpackContent then says what zlib says', () => {
    const rnd = prng(11);
    let handedBack = 0;
    let zlibRejected = 0;
    let cases = 0;
    const check = (packed: Uint8Array, dictionary: Buffer) => {
      cases += 1;
      const z = zlibText(packed, dictionary);
      const mine = inflateRawText(packed, dictionary);
      if (mine === null) handedBack += 1;
      else expect(z).toEqual({ text: mine });
      if ('error' in z) {
        zlibRejected += 1;
        expect(() => unpackContent(packed, dictionary)).toThrow(z.error);
      } else expect(unpackContent(packed, dictionary)).toBe(z.text);
    };
    for (const { text, dictionary } of records(150)) {
      for (const level of [0, 4]) {
        const packed = deflateRawSync(text, { dictionary, level, strategy: constants.Z_FIXED });
        for (let i = 0; i < 12; i++) {
          const flipped = Buffer.from(packed);
          const at = Math.floor(rnd() * flipped.length);
          flipped[at] = (flipped[at] as number) ^ (1 << Math.floor(rnd() * 8));
          check(flipped, dictionary);
        }
        const garbled = Buffer.from(packed);
        for (let i = 0; i < 4; i++) garbled[Math.floor(rnd() * garbled.length)] = Math.floor(rnd() * 256);
        check(garbled, dictionary);
        check(packed.subarray(0, Math.floor(rnd() * packed.length)), dictionary); // cut short
        check(Buffer.concat([packed, Buffer.from([0x00, 0x42])]), dictionary); // bytes after the final block
        check(packed, dictionaryFor('["another","shape"]')); // the wrong dictionary
      }
    }
    check(Buffer.from([0x07]), dictionaryFor('')); // reserved block type
    check(Buffer.from([0x03, 0x00]), dictionaryFor('')); // fixed, empty: zlib reads it too
    check(Buffer.from([0x01, 0x01, 0x00, 0xfb, 0xff, 0x41]), dictionaryFor('')); // stored, LEN not ~NLEN
    check(Buffer.from([0x01, 0x05, 0x00, 0xfa, 0xff, 0x41]), dictionaryFor('')); // stored, shorter than LEN
    expect(inflateRawText(Buffer.from([0x01, 0x01, 0x00, 0xfe, 0xff, 0x41]), dictionaryFor(''))).toBe('A'); // stored, whole
    // Every kind of outcome was met: decoded here, handed back to zlib, and rejected by zlib.
    expect(handedBack).toBeGreaterThan(0);
    expect(handedBack).toBeLessThan(cases);
    expect(zlibRejected).toBeGreaterThan(0);
  });
});
