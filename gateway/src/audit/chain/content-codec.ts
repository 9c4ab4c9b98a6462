/**
 * How a record's canonical text is kept on disk: raw deflate with a preset dictionary. The text
 * is what the content hash covers, so it must come back byte for byte; deflate is lossless and
 * the hash, checked on every read by `verify`, proves it did. Most of a record is the same from
 * one request to the next (the keys, the operation's requested fields and grants), so the
 * dictionary is the record layout's skeleton followed by the operation's "shape" — its name,
 * document hash, requested fields and grants — which is stored once per distinct shape
 * (`audit_shape`) and referenced from each record. A ContainerDossier record of ~900 bytes of
 * text is kept in ~200.
 *
 * The dictionary's bytes are part of the stored format: `LAYOUT_DICTIONARY` must never change
 * (a new one needs a new layout version), and a shape's stored text is the dictionary tail its
 * records were compressed with.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { AuditEvent } from '../audit-event';
import { canonicalJson } from '../canonical-json';
import { inflateRawText } from './raw-inflate';

/**
 * The canonical layout of a record with its values left out, keys in canonical order, so that
 * every key and the usual punctuation between them is one back-reference away. Frozen.
 */
const LAYOUT_DICTIONARY =
  '{"coordinate":"","path":"","reason":"NO_AGREEMENT"},{"key":"","owner":"","path":"","reason":"HANDLING_RESTRICTED"}' +
  '"transfer":{"bases":[{"agreement":"","article":"","terms":""}],"country":"","dataCategories":[""],"onwardTransfer":"","recipient":""}' +
  '"refusal":{"code":"FORBIDDEN","reason":""},"outcome":"refused","httpStatus":403,"outcome":"denied","outcome":"released","httpStatus":200,' +
  '{"enforcement":{"executedOperationHash":"","fieldDenials":[{"coordinate":"","path":"","reason":""}],"fieldsRequested":["Query.",""],' +
  '"grants":[{"agreement":"","grant":""}],"policyVersion":"","released":[{"key":"","owner":"","type":""},{"key":"","owner":"","type":""}],' +
  '"rowDenials":[]},"httpStatus":200,"id":"","operation":{"executedHash":"","hash":"","name":""},"outcome":"partial","policyVersion":"",' +
  '"principal":{"agency":"","subject":""},"purpose":{"caseRef":"","code":"","justification":""},"requestId":"","time":"20';

const LAYOUT_BYTES = Buffer.from(LAYOUT_DICTIONARY, 'utf8');

/** What stays the same across the requests of one operation: the dictionary tail of its records. */
export function shapeTextOf(event: AuditEvent): string {
  const en = event.enforcement;
  return canonicalJson([event.operation?.name ?? null, event.operation?.hash ?? null, en?.fieldsRequested ?? [], en?.grants ?? [], en?.policyVersion ?? null]);
}

/** The full preset dictionary for records of `shapeText` (deflate looks back at most 32 KiB). */
export function dictionaryFor(shapeText: string): Buffer {
  const dict = Buffer.concat([LAYOUT_BYTES, Buffer.from(shapeText, 'utf8')]);
  return dict.length > 32_768 ? dict.subarray(dict.length - 32_768) : dict;
}

/**
 * Compresses a record's canonical text against `dictionary`: standard raw deflate, in
 * fixed-Huffman blocks (Z_FIXED). On these ~1.1 KB texts, most of them back-references into the
 * dictionary, a block's own Huffman tables cost more to send and to rebuild than they save:
 * fixed codes make records ~2% bigger (244 bytes instead of 240 in the trail benchmark), deflate
 * ~8% cheaper, and let `unpackContent` decode them in JavaScript without a zlib stream per call
 * (`raw-inflate.ts`): ~3.7 µs a record, where zlib takes ~6 on dynamic-code records and ~4.7 on
 * fixed-code ones. Records written before with dynamic codes read as they always did.
 */
export function packContent(text: string, dictionary: Buffer): Buffer {
  // Level 4: within a few per cent of level 6's size on records this small, at about half the CPU.
  return deflateRawSync(Buffer.from(text, 'utf8'), { dictionary, level: 4, strategy: constants.Z_FIXED });
}

/**
 * The canonical text back; throws (zlib's error) on bytes that are not such a stream. Fixed-code
 * and stored blocks are decoded here (`inflateRawText`); anything else — older records'
 * dynamic-code blocks, and every stream that does not decode cleanly — goes to zlib, which has
 * the last word.
 */
export function unpackContent(packed: Uint8Array, dictionary: Buffer): string {
  return inflateRawText(packed, dictionary) ?? inflateRawSync(packed, { dictionary }).toString('utf8');
}
