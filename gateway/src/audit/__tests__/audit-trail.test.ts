/**
 * The one suite both stores must pass: append and query, group commit, chain
 * continuity across reopen and writers, bad input, and the tamper cases.
 */
import { blob, contentOf, editContent, hexOf, posOf, seqIs } from './support/tamper';
import { AuditUnavailableError } from '../../errors';
import { collect, type AuditEvent, type AuditTrail } from '../index';
import { belgianEvent, refusedEvent, releasedEvent } from './support/events';
import { createHarness, type StoreHarness } from './support/store-harness';

describe.each(['sqlite', 'postgres'] as const)('audit trail on %s', (kind) => {
  let h: StoreHarness;
  let trail: AuditTrail;

  beforeEach(async () => {
    h = await createHarness(kind);
    trail = await h.open();
  });

  afterEach(async () => {
    await trail.close();
    await h.cleanup();
  });

  async function seed(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const e = i % 3 === 2 ? belgianEvent(i) : releasedEvent(i);
      ids.push((await trail.append(e)).id);
    }
    return ids;
  }

  test('an appended record is found by id, with its fields and entities, and verifies', async () => {
    const event = releasedEvent(1);
    const receipt = await trail.append(event);
    expect(receipt).toMatchObject({ id: event.id, chain: 'gw-1', seq: 1 });
    expect(receipt.hash).toMatch(/^[0-9a-f]{64}$/);
    const [found, ...rest] = await collect(trail.query({ id: event.id }));
    expect(rest).toHaveLength(0);
    expect(found?.event).toEqual(event);
    expect(found?.event.enforcement?.released).toContainEqual({ type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' });
    await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 1 });
  });

  test('filters: entity, agency, subject, purpose, time range, denied-only, limit', async () => {
    const customs = await trail.append(releasedEvent(1));
    const belgian = await trail.append(belgianEvent(2));
    const refused = await trail.append(refusedEvent(3));
    const ids = async (f: Parameters<AuditTrail['query']>[0]) => (await collect(trail.query(f))).map((r) => r.id);

    expect(await ids({ entity: { type: 'Container', key: 'MSCU1234566' } })).toEqual([customs.id]);
    expect(await ids({ entity: { type: 'Container', key: 'HLXU7032104' } })).toEqual([belgian.id]);
    expect(await ids({ entity: { type: 'Container', key: 'CMAU4598214' } })).toEqual([]);
    expect(await ids({ agency: 'BE-POLICE' })).toEqual([belgian.id]);
    expect(await ids({ subject: 'officer-17' })).toEqual([customs.id]);
    expect(await ids({ purpose: 'drug-trafficking' })).toEqual([customs.id, belgian.id]);
    expect(await ids({ deniedOnly: true })).toEqual([customs.id, refused.id]);
    expect(await ids({ since: new Date(Date.UTC(2025, 0, 10, 9, 30)) })).toEqual([refused.id]);
    expect(await ids({ until: new Date(Date.UTC(2025, 0, 10, 9, 30)) })).toEqual([customs.id, belgian.id]);
    expect(await ids({ limit: 2 })).toEqual([customs.id, belgian.id]);
    expect(await ids({ outcome: 'refused' })).toEqual([refused.id]);
  });

  test('queries page through more records than one page, in time order', async () => {
    const events = Array.from({ length: 1203 }, (_, i) => releasedEvent(i));
    await Promise.all(events.map((e) => trail.append(e)));
    const got = await collect(trail.query({ agency: 'NL-CUSTOMS' }));
    expect(got.map((r) => r.id)).toEqual(events.map((e) => e.id));
  });

  test('bad filters are refused with BAD_USER_INPUT', () => {
    expect(() => trail.query({ since: new Date('nope') })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => trail.query({ entity: { type: 'Container', key: '' } })).toThrow(/entity/);
    expect(() => trail.query({ limit: 0 })).toThrow(/limit/);
  });

  test('concurrent appends share commits and form one unbroken chain', async () => {
    const events = Array.from({ length: 200 }, (_, i) => releasedEvent(i));
    const receipts = await Promise.all(events.map((e) => trail.append(e)));
    expect(receipts.map((r) => r.seq).sort((a, b) => a - b)).toEqual(events.map((_, i) => i + 1));
    // 200 appends issued in one turn go out in one batch (maxBatch 500), i.e. one commit.
    const seqOrder = [...receipts].sort((a, b) => a.seq - b.seq).map((r) => r.id);
    expect(seqOrder).toEqual(events.map((e) => e.id));
    await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 200 });
  });

  test('a full batch is split at maxBatch and the chain stays whole', async () => {
    await trail.close();
    trail = await h.open({ maxBatch: 7 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => trail.append(releasedEvent(i))));
    await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 30 });
  });

  test('the chain continues from the stored head after reopening, and two replicas keep their own chains', async () => {
    await seed(3);
    await trail.close();
    trail = await h.open();
    expect((await trail.append(releasedEvent(10))).seq).toBe(4);
    const other = await h.open({ replicaId: 'gw-2' });
    try {
      const both = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => trail.append(releasedEvent(100 + i))),
        ...Array.from({ length: 20 }, (_, i) => other.append(belgianEvent(200 + i))),
      ]);
      expect(both.filter((r) => r.chain === 'gw-2').map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const report = await other.verify();
      expect(report).toMatchObject({ ok: true, checked: 44 });
      expect(report.chains.map((c) => [c.chain, c.checked, c.head?.seq])).toEqual([
        ['gw-1', 24, 24],
        ['gw-2', 20, 20],
      ]);
    } finally {
      await other.close();
    }
  });

  test('two writers configured with the same replica id do not fork the chain', async () => {
    const twin = await h.open();
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? trail : twin).append(releasedEvent(i))));
      await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 40 });
    } finally {
      await twin.close();
    }
  });

  test('a duplicate id is refused alone; the rest of its batch is written', async () => {
    const first = releasedEvent(1);
    await trail.append(first);
    const results = await Promise.allSettled([trail.append(releasedEvent(2)), trail.append(first), trail.append(releasedEvent(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'duplicate_id' });
    await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 3 });
  });

  test('malformed events are refused with AUDIT_UNAVAILABLE naming the field, and nothing is written', async () => {
    const good = releasedEvent(1);
    const bad = [
      { ...good, id: 'has space' },
      { ...good, time: new Date('x') },
      { ...good, outcome: 'leaked' },
      { ...good, httpStatus: 42 },
      { ...good, principal: { subject: '', agency: 'NL-POLICE' } },
      { ...good, enforcement: { ...good.enforcement, released: [{ type: 'Container', key: 'MSCU1234566' }] } },
      { ...good, purpose: { code: 'drug-trafficking', justification: 'x'.repeat(5000) } },
    ];
    const messages = [/id/, /time/, /outcome/, /httpStatus/, /principal\.subject/, /released\[0\]\.owner/, /justification/];
    for (const [i, e] of bad.entries()) {
      const attempt = trail.append(e as unknown as AuditEvent); // deliberately malformed at run time
      await expect(attempt).rejects.toBeInstanceOf(AuditUnavailableError);
      await expect(attempt).rejects.toThrow(messages[i] as RegExp);
    }
    expect(await collect(trail.query())).toHaveLength(0);
  });

  test('stats: requests, releases and denials per agency and reason', async () => {
    await trail.append(releasedEvent(1));
    await trail.append(releasedEvent(2));
    await trail.append(belgianEvent(3));
    await trail.append(refusedEvent(4));
    const stats = await trail.stats({});
    expect(stats.requests).toBe(4);
    expect(stats.byAgency).toEqual([
      { agency: 'BE-POLICE', requests: 1, released: 1, partial: 0, denied: 0, refused: 0, errors: 0, entitiesReleased: 1, fieldDenials: 0, rowDenials: 0 },
      { agency: 'NL-CUSTOMS', requests: 2, released: 0, partial: 2, denied: 0, refused: 0, errors: 0, entitiesReleased: 4, fieldDenials: 2, rowDenials: 2 },
      { agency: null, requests: 1, released: 0, partial: 0, denied: 0, refused: 1, errors: 0, entitiesReleased: 0, fieldDenials: 0, rowDenials: 0 },
    ]);
    expect(stats.denials).toEqual([
      { agency: 'NL-CUSTOMS', kind: 'field', reason: 'NO_AGREEMENT', count: 2 },
      { agency: 'NL-CUSTOMS', kind: 'row', reason: 'HANDLING_RESTRICTED', count: 2 },
      { agency: null, kind: 'refusal', reason: 'token_expired', count: 1 },
    ]);
    const period = await trail.stats({ since: new Date(Date.UTC(2025, 0, 10, 9, 0, 2)), agency: 'NL-CUSTOMS' });
    expect(period.byAgency).toEqual([expect.objectContaining({ agency: 'NL-CUSTOMS', requests: 1 })]);
  });

  describe('tampering is detected and the record named', () => {
    let ids: string[];
    beforeEach(async () => {
      ids = await seed(8);
      await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 8 });
    });

    test('editing a field of the hashed content', async () => {
      await editContent(h, 4, (t) => t.replace('officer-17', 'officer-99'));
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 4, id: ids[3] });
    });

    test('editing a searchable column (to hide who asked)', async () => {
      await h.sql(`UPDATE audit_record SET agency = 'EUROPOL' WHERE ${seqIs(5)}`);
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 5, id: ids[4] });
    });

    test('deleting an entity index row (to hide a release from queries)', async () => {
      await h.sql(`DELETE FROM audit_entity_link WHERE ${seqIs(2)} AND eid = (SELECT eid FROM audit_entity WHERE key = 'MSCU1234566')`);
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 2, id: ids[1] });
    });

    test('re-pointing an entity index row at another entity (to credit a release to the wrong one)', async () => {
      await h.sql(`INSERT INTO audit_entity (type, key, owner) VALUES ('Container', 'MSCU7654321', 'NL-CUSTOMS')`);
      await h.sql(
        `UPDATE audit_entity_link SET eid = (SELECT eid FROM audit_entity WHERE key = 'MSCU7654321') WHERE ${seqIs(4)} AND eid = (SELECT eid FROM audit_entity WHERE key = 'MSCU1234566')`,
      );
      // The entity index gets its row too, so only the comparison with the content can tell.
      await h.sql(
        `INSERT INTO audit_entity_second (eid, sec) SELECT e.eid, r.time_ms / 1000 FROM audit_entity e, audit_record r WHERE e.key = 'MSCU7654321' AND r.${seqIs(4)}`,
      );
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 4, id: ids[3], detail: expect.stringContaining('entity rows') });
    });

    test('rewriting a record and recomputing its hashes', async () => {
      // The forger edits record 3 and recomputes its content and link hash; record 4 still
      // points to the old hash, so record 3 is named.
      const [row] = await h.sql(`SELECT prev_hash FROM audit_record WHERE ${seqIs(3)}`);
      const { contentHashOf, linkHash } = await import('../chain/chain-hash');
      const before = await contentOf(h, 3);
      const content = before.replace('"req-2"', '"req-x"');
      expect(content).not.toBe(before);
      const hash = linkHash(hexOf(row?.prev_hash), contentHashOf(content), 3);
      await editContent(h, 3, () => content, `hash = ${blob(h, Buffer.from(hash, 'hex'))}`);
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 3, id: ids[2] });
    });

    test('deleting a record', async () => {
      await h.sql(`DELETE FROM audit_record WHERE ${seqIs(6)}`);
      const report = await trail.verify();
      expect(report.ok).toBe(false);
      expect(report.firstBad).toMatchObject({ problem: 'removed', seq: 6, id: null });
      expect(report.firstBad?.detail).toContain(String(ids[4]));
      expect(report.firstBad?.detail).toContain(String(ids[6]));
    });

    test('swapping two records', async () => {
      await h.sql(`UPDATE audit_record SET pos = -1 WHERE ${seqIs(3)}`);
      await h.sql(`UPDATE audit_record SET pos = ${posOf(3)} WHERE ${seqIs(6)}`);
      await h.sql(`UPDATE audit_record SET pos = ${posOf(6)} WHERE pos = -1`);
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'reordered', seq: 3, id: ids[5] });
    });

    test('truncating the tail', async () => {
      await h.sql(`DELETE FROM audit_record WHERE pos >= ${posOf(7)}`);
      const report = await trail.verify();
      expect(report.firstBad).toMatchObject({ problem: 'truncated', seq: 7 });
      expect(report.firstBad?.detail).toContain(String(ids[7]));
    });

    test('truncating the tail and moving the anchor back is caught by an anchor noted earlier', async () => {
      const before = await trail.verify();
      const head = before.chains[0]?.head;
      await h.sql(`DELETE FROM audit_record WHERE pos >= ${posOf(7)}`);
      const [six] = await h.sql(`SELECT id, hash FROM audit_record WHERE ${seqIs(6)}`);
      await h.sql(`UPDATE audit_head SET seq = 6, hash = '${hexOf(six?.hash)}', id = '${String(six?.id)}'`);
      // The chain alone is consistent (the documented limit without an outside anchor); the
      // aggregates still count the removed records, which fails the verification without naming one.
      const alone = await trail.verify();
      expect(alone).toMatchObject({ ok: false, aggregates: { checked: true, problem: expect.stringContaining('the records say') } });
      expect(alone.firstBad).toBeUndefined();
      const report = await trail.verify({ expectHeads: [{ chain: 'gw-1', seq: head?.seq ?? 0, hash: head?.hash ?? '' }] });
      expect(report.firstBad).toMatchObject({ problem: 'truncated', seq: 7 });
    });

    test('deleting the anchor', async () => {
      await h.sql(`DELETE FROM audit_head`);
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'anchor-mismatch' });
    });

    test('after tampering, appends still succeed and verify still names the old damage', async () => {
      await editContent(h, 2, (t) => t.replace('officer-17', 'officer-99'));
      await trail.append(releasedEvent(50));
      expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 2, id: ids[1] });
    });
  });

  test('store down: appends fail promptly with AUDIT_UNAVAILABLE; when it returns they succeed without restart', async () => {
    const outage = await h.outage();
    const t = await h.open({ ...outage.config, appendTimeoutMs: 3000 });
    try {
      await t.append(releasedEvent(1));
      await outage.down();
      const failed = await Promise.allSettled([t.append(releasedEvent(2)), t.append(releasedEvent(3))]);
      for (const r of failed) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
      }
      expect(await t.health()).toBe(false);
      await outage.up();
      const back = await t.append(releasedEvent(4));
      expect(back.seq).toBe(2);
      expect(await t.health()).toBe(true);
      await expect(t.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
    } finally {
      await t.close();
    }
  });
});
