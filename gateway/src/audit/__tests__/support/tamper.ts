/**
 * What a forger with write access to the trail's tables does, in layout 2's terms, for the
 * tampering tests of both stores: a record is addressed by its seq in the trail's first chain
 * (pos = 2^40 + seq), and its content is unpacked, edited and packed again (the content is
 * stored deflated, so a plain SQL `replace` would only break the stream).
 */
import { dictionaryFor, packContent, unpackContent } from '../../chain/content-codec';
import type { StoreHarness } from './store-harness';

/** The pos of record `seq` of the trail's first chain (`gw-1` in these tests). */
export function posOf(seq: number): number {
  return 2 ** 40 + seq;
}

/** SQL condition on `pos` for record `seq` of the first chain. */
export function seqIs(seq: number): string {
  return `pos = ${posOf(seq)}`;
}

/** SQL literal of a blob, in the harness's dialect. */
export function blob(h: StoreHarness, bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return h.kind === 'sqlite' ? `X'${hex}'` : `decode('${hex}', 'hex')`;
}

/** Hex of a blob column as read back by either driver. */
export function hexOf(value: unknown): string {
  return Buffer.from(value as Uint8Array).toString('hex');
}

/** The canonical text of record `seq`, as stored. */
export async function contentOf(h: StoreHarness, seq: number): Promise<string> {
  const [row] = await h.sql(`SELECT r.content, s.text FROM audit_record r JOIN audit_shape s ON s.shape = r.shape WHERE r.${seqIs(seq)}`);
  if (!row) throw new Error(`no record ${seq}`);
  return unpackContent(row.content as Uint8Array, dictionaryFor(String(row.text)));
}

/** Rewrites the stored content of record `seq` with `edit(text)` (hashes left as they are, unless `set` adds columns). */
export async function editContent(h: StoreHarness, seq: number, edit: (text: string) => string, set = ''): Promise<string> {
  const [row] = await h.sql(`SELECT s.text FROM audit_record r JOIN audit_shape s ON s.shape = r.shape WHERE r.${seqIs(seq)}`);
  const text = edit(await contentOf(h, seq));
  const packed = packContent(text, dictionaryFor(String(row?.text)));
  await h.sql(`UPDATE audit_record SET content = ${blob(h, packed)}${set ? `, ${set}` : ''} WHERE ${seqIs(seq)}`);
  return text;
}
