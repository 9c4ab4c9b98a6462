/**
 * The record's hashed text: version 1 (each released entity an object) for small releases,
 * version 2 (the released list in columns) from COLUMNAR_FROM entities on. Both read back to the
 * same event, order kept; version-2 columns that do not fit together are refused, not guessed.
 */
import { canonicalJson } from '../canonical-json';
import { COLUMNAR_FROM, decodeContent, deriveIndexRows, encodeContent, entityColumns, entityRowsOf, type EntityRow } from '../chain/record-content';
import { collect, type AuditEvent } from '../index';
import { releasedEvent } from './support/events';
import { createHarness } from './support/store-harness';

function withReleased(n: number, owners = ['NL-POLICE', 'BE-POLICE'], types = ['Person', 'Alert', 'Vehicle']): AuditEvent {
  const base = releasedEvent(1);
  const released = Array.from({ length: n }, (_, i) => ({ type: types[(i * 7) % types.length] as string, key: `K-${(i * 37) % 101}-${i}`, owner: owners[i % owners.length] as string }));
  return { ...base, enforcement: { ...(base.enforcement as NonNullable<AuditEvent['enforcement']>), released } };
}

describe('record content versions', () => {
  test(`below ${COLUMNAR_FROM} released entities: version 1, each entity an object`, () => {
    const text = encodeContent(withReleased(COLUMNAR_FROM - 1));
    expect(text.startsWith('{')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ v: 1, enforcement: { released: expect.arrayContaining([{ key: 'K-0-0', owner: 'NL-POLICE', type: 'Person' }]) } });
  });

  test(`from ${COLUMNAR_FROM} on: version 2, in columns, a third of the text; read back to the same event, order kept`, () => {
    const event = withReleased(600);
    const text = encodeContent(event);
    const parsed = JSON.parse(text) as { v: number; enforcement: { released: Record<string, unknown[]> } };
    expect(parsed.v).toBe(2);
    expect(parsed.enforcement.released.owners).toEqual(['NL-POLICE', 'BE-POLICE']);
    expect(parsed.enforcement.released.types).toEqual(['Person', 'Alert', 'Vehicle']);
    expect(text.length).toBeLessThan(canonicalJson({ v: 1, ...event }).length / 2);
    const back = decodeContent(text);
    expect(canonicalJson(back)).toBe(canonicalJson(event));
    expect(back.enforcement?.released.map((e) => e.key)).toEqual(event.enforcement?.released.map((e) => e.key));
    expect(deriveIndexRows(back)).toEqual(deriveIndexRows(event));
  });

  test('index rows: each (type, key, owner) once, at its first place; same key under another type or owner kept apart', () => {
    const released: EntityRow[] = [
      { type: 'Person', key: 'K1', owner: 'NL-POLICE' },
      { type: 'Person', key: 'K1', owner: 'BE-POLICE' },
      { type: 'Vehicle', key: 'K1', owner: 'NL-POLICE' },
      { type: 'Person', key: 'K1', owner: 'NL-POLICE' },
      { type: 'Person', key: 'K2', owner: 'NL-POLICE' },
      { type: 'Vehicle', key: 'K1', owner: 'NL-POLICE' },
    ];
    expect(entityRowsOf(entityColumns(released))).toEqual([released[0], released[1], released[2], released[4]]);
    const base = withReleased(1);
    const event = { ...base, enforcement: { ...(base.enforcement as NonNullable<AuditEvent['enforcement']>), released } };
    expect(entityRowsOf(deriveIndexRows(event).entities)).toEqual([released[0], released[1], released[2], released[4]]);
  });

  test.each([
    ['without repeats', 40, false],
    ['with repeats', 40, true],
  ])('the columns handed to encodeContent give the text it makes on its own (%s)', (_what, n, repeat) => {
    const base = withReleased(n);
    const released = base.enforcement?.released ?? [];
    const event = repeat ? { ...base, enforcement: { ...(base.enforcement as NonNullable<AuditEvent['enforcement']>), released: [...released, ...released.slice(0, 5)] } } : base;
    const text = encodeContent(event, entityColumns(event.enforcement?.released ?? []));
    expect(text).toBe(encodeContent(event));
    expect(decodeContent(text).enforcement?.released).toEqual(event.enforcement?.released);
  });

  test.each([
    ['columns of different lengths', (c: Record<string, unknown[]>) => ({ ...c, owner: c.owner?.slice(1) }), 'differ in length'],
    ['an owner index outside the table', (c: Record<string, unknown[]>) => ({ ...c, owner: c.owner?.map(() => 9) }), 'refer outside their tables'],
    ['a type index that is not a whole number', (c: Record<string, unknown[]>) => ({ ...c, type: c.type?.map(() => 0.5) }), 'refer outside their tables'],
    ['a key that is not a string', (c: Record<string, unknown[]>) => ({ ...c, key: c.key?.map(() => 7) }), 'not a string'],
    ['a missing column', (c: Record<string, unknown[]>) => ({ ...c, types: undefined }), 'are not arrays'],
  ])('version 2 with %s is refused', (_what, edit, message) => {
    const parsed = JSON.parse(encodeContent(withReleased(40))) as { enforcement: { released: Record<string, unknown[]> } };
    parsed.enforcement.released = edit(parsed.enforcement.released) as Record<string, unknown[]>;
    expect(() => decodeContent(JSON.stringify(parsed))).toThrow(message);
  });

  test.each(['sqlite', 'postgres'] as const)('a trail holding both versions verifies, and queries see each entity (%s)', async (kind) => {
    const h = await createHarness(kind);
    const trail = await h.open();
    try {
      const big = { ...withReleased(500), id: 'v2-big' };
      const small = { ...withReleased(3), id: 'v1-small', time: new Date(big.time.getTime() + 5) };
      await trail.append(big);
      await trail.append(small);
      expect(await trail.verify()).toMatchObject({ ok: true, checked: 2 });
      const last = big.enforcement?.released[499] as { type: string; key: string };
      expect((await collect(trail.query({ entity: last }))).map((r) => r.id)).toEqual(['v2-big']);
      const [read] = await collect(trail.query({ id: 'v2-big' }));
      expect(canonicalJson(read?.event)).toBe(canonicalJson(big));
    } finally {
      await trail.close();
      await h.cleanup();
    }
  });
});
