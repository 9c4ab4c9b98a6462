/**
 * Sealed records (layout 4), on both stores: a record's seal covers its stored content bytes, its
 * shape's text, its id, columns, denial tally and entity rows, so `verify` (without `--deep`)
 * catches an edit of any of them from what is stored, and names the record as `--deep` does;
 * a forger who rewrites a record and re-seals it is caught by its successor; and a trail of
 * layout 3 (records chained without a seal) is upgraded in place and keeps verifying, its old
 * records against their content, its new ones by their seal.
 */
import { contentHashOf, sealedLinkHash } from '../chain/chain-hash';
import { dictionaryFor, packContent } from '../chain/content-codec';
import { prepareRecord } from '../chain/prepare-record';
import { denialTallyText, parseDenialTally, sealOf, sealPartsOf, shapeDigestOf } from '../chain/record-seal';
import { deriveIndexRows, decodeContent } from '../chain/record-content';
import { collect, type AuditEvent, type AuditTrail } from '../index';
import { openPostgresStore } from '../stores/postgres-store';
import { openSqliteStore } from '../stores/sqlite-store';
import { releasedEvent, refusedEvent } from './support/events';
import { createHarness, type StoreHarness } from './support/store-harness';
import { blob, contentOf, editContent, hexOf, seqIs } from './support/tamper';

describe('denial tally text', () => {
  test('counts per kind and reason, sorted; empty without denials; read back', () => {
    const index = deriveIndexRows(releasedEvent(1, {}));
    expect(denialTallyText(index)).toBe('[["field","NO_AGREEMENT",1],["row","HANDLING_RESTRICTED",1]]');
    expect(parseDenialTally(denialTallyText(index))).toEqual([
      ['field', 'NO_AGREEMENT', 1],
      ['row', 'HANDLING_RESTRICTED', 1],
    ]);
    expect(denialTallyText(deriveIndexRows({ ...releasedEvent(2), enforcement: { ...releasedEvent(2).enforcement!, fieldDenials: [], rowDenials: [] } }))).toBe('');
    expect(parseDenialTally('')).toEqual([]);
  });

  test.each(['{}', '[["field","X"]]', '[["field","X",0]]', '[["field",1,1]]', '[["field","X",1.5]]', 'not json'])('a malformed tally %s is refused', (text) => {
    expect(() => parseDenialTally(text)).toThrow();
  });

  test('a lone surrogate is recorded as U+FFFD, as every UTF-8 column keeps it; other text as it is', () => {
    const e = releasedEvent(3, { principal: { subject: 'officer-\ud800', agency: 'NL-CUSTOMS' } });
    const r = prepareRecord({ ...e, enforcement: { ...e.enforcement!, released: [{ type: 'Container', key: 'K\udc00-1', owner: 'NL-CUSTOMS' }] } });
    expect(r.index.subject).toBe('officer-\ufffd');
    expect(r.index.entities.key).toEqual(['K\ufffd-1']);
    expect(decodeContent(r.content).principal?.subject).toBe('officer-\ufffd');
    expect(r.content).not.toContain('\\ud800');
    // A pair is kept, and so is text that only looks like an escape.
    const kept = prepareRecord(releasedEvent(4, { principal: { subject: 'officer-\ud83d\ude00 \\ud800', agency: 'NL-CUSTOMS' } }));
    expect(kept.index.subject).toBe('officer-\ud83d\ude00 \\ud800');
  });
});

describe.each(['sqlite', 'postgres'] as const)('sealed records on %s', (kind) => {
  let h: StoreHarness;
  let trail: AuditTrail;
  let ids: string[];

  beforeEach(async () => {
    h = await createHarness(kind);
    trail = await h.open();
    ids = [];
    for (let i = 1; i <= 8; i++) {
      const e = i === 6 ? refusedEvent(i) : releasedEvent(i);
      ids.push(e.id);
      await trail.append(e);
    }
  });

  afterEach(async () => {
    await trail.close();
    await h.cleanup();
  });

  /** Both modes name the same record with the same problem. */
  async function expectNamed(seq: number, detail?: RegExp): Promise<void> {
    for (const deep of [false, true]) {
      const report = await trail.verify({ deep });
      expect(report).toMatchObject({ ok: false, deep, firstBad: { problem: 'changed', seq, id: ids[seq - 1] } });
      if (detail) expect(report.firstBad?.detail).toMatch(detail);
    }
  }

  test('every record is written sealed, and verifies with and without --deep', async () => {
    const rows = await h.sql('SELECT content_hash, denials FROM audit_record ORDER BY pos');
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(hexOf(r.content_hash)).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof r.denials).toBe('string');
    }
    expect(rows[5]?.denials).toBe('[["refusal","token_expired",1]]');
    const fast = await trail.verify();
    const deep = await trail.verify({ deep: true });
    expect(fast).toMatchObject({ ok: true, checked: 8, deep: false, aggregates: { checked: true } });
    expect(deep).toMatchObject({ ok: true, checked: 8, deep: true, aggregates: { checked: true, rows: fast.aggregates.rows } });
    // The export carries the seal: hash = sha256(prevHash || contentHash || seal || seq).
    const [first] = await collect(trail.query({ limit: 1 }));
    expect(first?.seal).toMatch(/^[0-9a-f]{64}$/);
    expect(sealedLinkHash(first?.prevHash ?? '', first?.contentHash ?? '', first?.seal ?? '', first?.seq ?? 0)).toBe(first?.hash);
  });

  test('a large release (repeats, several types and owners, odd keys) verifies, and one edited link is named', async () => {
    const released = Array.from({ length: 300 }, (_, i) => ({ type: i % 3 ? 'Container' : 'Seizure', key: i === 7 ? 'K-\ud800' : `K${(i * 37) % 250}`, owner: i % 2 ? 'NL-CUSTOMS' : 'BE-POLICE' }));
    const e = releasedEvent(20);
    await trail.append({ ...e, enforcement: { ...e.enforcement!, released } });
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 9 });
    expect(await trail.verify({ deep: true })).toMatchObject({ ok: true, checked: 9 });
    await h.sql(`DELETE FROM audit_entity_link WHERE ${seqIs(9)} AND eid = (SELECT MAX(eid) FROM audit_entity_link WHERE ${seqIs(9)})`);
    ids.push(e.id);
    await expectNamed(9, /entity rows/);
  });

  test('editing the stored content', async () => {
    await editContent(h, 4, (t) => t.replace('officer-17', 'officer-99'));
    await expectNamed(4, /content edited/);
  });

  test('editing the stored content hash, or emptying it', async () => {
    await h.sql(`UPDATE audit_record SET content_hash = ${blob(h, Buffer.alloc(32, 7))} WHERE ${seqIs(3)}`);
    await expectNamed(3, /content hash/);
    await h.sql(`UPDATE audit_record SET content_hash = NULL WHERE ${seqIs(3)}`);
    await expectNamed(3, /content hash/);
  });

  test('editing the denial tally (to hide a denial from stats)', async () => {
    await h.sql(`UPDATE audit_record SET denials = '[["row","HANDLING_RESTRICTED",1]]' WHERE ${seqIs(2)}`);
    await expectNamed(2, /denial tally/);
  });

  test('unsealing a record (its columns emptied, so it would be checked the old way)', async () => {
    await h.sql(`UPDATE audit_record SET denials = NULL, content_hash = NULL WHERE ${seqIs(5)}`);
    await expectNamed(5, /content or hash edited/);
  });

  test('editing searchable columns', async () => {
    await h.sql(`UPDATE audit_record SET subject = 'someone-else' WHERE ${seqIs(7)}`);
    await expectNamed(7, /columns/);
  });

  test('re-pointing an entity row at another key (every record that names it)', async () => {
    await h.sql(`UPDATE audit_entity SET key = 'MSCU7654321' WHERE key = 'MSCU1234566'`);
    await expectNamed(1, /entity rows/);
  });

  test('an entity row edited after a pass is named by the next pass of the same reader (entity rows are kept for one pass only)', async () => {
    // Small pages, so that one pass reads the entity in one page and meets it again in the next.
    expect(await trail.verify({ pageSize: 2 })).toMatchObject({ ok: true, checked: 8 });
    await h.sql(`UPDATE audit_entity SET owner = 'XX-NOBODY' WHERE key = 'MSCU1234566'`);
    for (const deep of [false, true]) {
      expect(await trail.verify({ deep, pageSize: 2 })).toMatchObject({ ok: false, firstBad: { problem: 'changed', seq: 1, id: ids[0] } });
    }
  });

  test('editing the shape text its content is deflated against', async () => {
    const [shape] = await h.sql(`SELECT shape FROM audit_record WHERE ${seqIs(1)}`);
    await h.sql(`UPDATE audit_shape SET text = replace(text, 'Container.number', 'Container.nomber') WHERE shape = ${Number(shape?.shape)}`);
    // A fresh reader: the gateway's connection caches shapes it has read.
    const reader = await h.open({ replicaId: 'gw-reader' });
    try {
      for (const deep of [false, true]) {
        const report = await reader.verify({ deep });
        expect(report).toMatchObject({ ok: false, firstBad: { problem: 'changed', seq: 1, id: ids[0] } });
      }
    } finally {
      await reader.close();
    }
  });

  test('a record rewritten and re-sealed by a forger is named through its successor', async () => {
    const [row] = await h.sql(`SELECT r.prev_hash, r.denials, s.text FROM audit_record r JOIN audit_shape s ON s.shape = r.shape WHERE r.${seqIs(3)}`);
    const before = await contentOf(h, 3);
    const content = before.replace('"req-3"', '"req-x"');
    expect(content).not.toBe(before);
    const stored = packContent(content, dictionaryFor(String(row?.text)));
    const index = deriveIndexRows(decodeContent(content));
    const seal = sealOf(sealPartsOf(ids[2] as string, index, String(row?.denials), shapeDigestOf(String(row?.text)), stored));
    const contentHash = contentHashOf(content);
    const hash = sealedLinkHash(hexOf(row?.prev_hash), contentHash, seal, 3);
    await h.sql(
      `UPDATE audit_record SET content = ${blob(h, stored)}, content_hash = ${blob(h, Buffer.from(contentHash, 'hex'))}, hash = ${blob(h, Buffer.from(hash, 'hex'))} WHERE ${seqIs(3)}`,
    );
    for (const deep of [false, true]) {
      const report = await trail.verify({ deep });
      expect(report.firstBad).toMatchObject({ problem: 'changed', seq: 3, id: ids[2], detail: expect.stringContaining('rewritten') });
    }
  });

  test('a chain split among worker threads names the same record in both modes', async () => {
    for (let i = 9; i <= 60; i++) await trail.append(releasedEvent(i));
    expect(await trail.verify({ workers: 2, parallelMinRecords: 10 })).toMatchObject({ ok: true, checked: 60 });
    expect(await trail.verify({ workers: 2, parallelMinRecords: 10, deep: true })).toMatchObject({ ok: true, checked: 60, deep: true });
    await h.sql(`UPDATE audit_record SET agency = 'EUROPOL' WHERE ${seqIs(47)}`);
    for (const deep of [false, true]) {
      const split = await trail.verify({ workers: 2, parallelMinRecords: 10, deep });
      expect(split.firstBad).toMatchObject({ problem: 'changed', seq: 47 });
      expect(split.firstBad).toEqual((await trail.verify({ workers: 1, deep })).firstBad);
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('a trail of layout 3 on %s', (kind) => {
  test('is upgraded in place: old records verify against their content, new ones by their seal, edits of either are named', async () => {
    const h = await createHarness(kind);
    try {
      // Layout 3 as it was: records chained without a seal, no seal columns.
      const store = kind === 'sqlite' ? await openSqliteStore({ file: h.config.file as string }) : await openPostgresStore({ url: h.config.url as string, schema: h.config.schema as string });
      const old: AuditEvent[] = Array.from({ length: 5 }, (_, i) => releasedEvent(i + 1));
      const out = await store.appendBatch('gw-1', old.map((e) => ({ ...prepareRecord(e), unsealed: true as const })));
      expect(out.every((o) => !(o instanceof Error))).toBe(true);
      await store.close();
      await h.sql('ALTER TABLE audit_record DROP COLUMN content_hash');
      await h.sql('ALTER TABLE audit_record DROP COLUMN denials');
      if (kind === 'sqlite') await h.sql('PRAGMA user_version = 3');

      const trail = await h.open();
      try {
        if (kind === 'sqlite') expect(await h.sql('PRAGMA user_version')).toEqual([{ user_version: 4 }]);
        expect(await trail.verify()).toMatchObject({ ok: true, checked: 5 });
        const fresh = Array.from({ length: 3 }, (_, i) => releasedEvent(i + 6));
        for (const e of fresh) await trail.append(e);
        const rows = await h.sql('SELECT denials FROM audit_record ORDER BY pos');
        expect(rows.map((r) => r.denials === null)).toEqual([true, true, true, true, true, false, false, false]);
        expect(await trail.verify()).toMatchObject({ ok: true, checked: 8, aggregates: { checked: true } });
        expect(await trail.verify({ deep: true })).toMatchObject({ ok: true, checked: 8 });

        await h.sql(`UPDATE audit_record SET subject = 'someone-else' WHERE ${seqIs(2)}`);
        expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 2, id: old[1]?.id });
        await h.sql(`UPDATE audit_record SET subject = 'officer-17' WHERE ${seqIs(2)}`);
        // Sealing an old record after the fact does not make it pass: its hash has no seal in it.
        await h.sql(`UPDATE audit_record SET denials = '', content_hash = ${blob(h, Buffer.alloc(32, 1))} WHERE ${seqIs(4)}`);
        expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 4, id: old[3]?.id });
        await h.sql(`UPDATE audit_record SET denials = NULL, content_hash = NULL WHERE ${seqIs(4)}`);
        await h.sql(`UPDATE audit_record SET subject = 'someone-else' WHERE ${seqIs(7)}`);
        expect((await trail.verify()).firstBad).toMatchObject({ problem: 'changed', seq: 7, id: fresh[1]?.id });
      } finally {
        await trail.close();
      }
    } finally {
      await h.cleanup();
    }
  });
});
