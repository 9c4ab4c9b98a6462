import { KitOptionsError } from '../../errors';
import { openStore, type Store } from '../../store';
import { HIT_REFS_TABLE, hitReferencePattern, openHitReferenceStore, type HitReferenceStore } from '..';

const PREFIX = 'HIT-TST-';
const HOUR = 60 * 60 * 1000;
const T0 = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let store: Store;
let refs: HitReferenceStore;
beforeEach(() => {
  store = openStore({ file: ':memory:', migrations: ['CREATE TABLE things (id TEXT PRIMARY KEY)', HIT_REFS_TABLE] });
  refs = openHitReferenceStore(store.db, { prefix: PREFIX, kinds: ['person', 'container'], ttlSec: 24 * 60 * 60 });
});
afterEach(() => store.close());

const issueOne = (recordId: string, agency: string, now = T0, kind = 'person') => refs.issue(kind, [recordId], agency, now)[0] as string;

describe('openHitReferenceStore: issuing', () => {
  it('issues the prefix and 32 base32 characters: 160 random bits, nothing of the record', () => {
    const reference = issueOne('NLP-S-00001', 'NL-CUSTOMS');
    expect(reference).toMatch(hitReferencePattern(PREFIX));
    expect(reference).toMatch(/^HIT-TST-[A-Z2-7]{32}$/);
    expect(reference).not.toContain('00001');
  });

  it('gives each agency its own reference for the same record, and each record its own', () => {
    const customs = issueOne('NLP-S-00001', 'NL-CUSTOMS');
    const french = issueOne('NLP-S-00001', 'FR-POLICE');
    const other = issueOne('NLP-S-00002', 'NL-CUSTOMS');
    expect(new Set([customs, french, other]).size).toBe(3);
  });

  it('is random: two stores issuing for the same record and agency at the same instant disagree', () => {
    const second = openStore({ file: ':memory:', migrations: [HIT_REFS_TABLE] });
    try {
      const again = openHitReferenceStore(second.db, { prefix: PREFIX, kinds: ['person'] }).issue('person', ['NLP-S-00001'], 'NL-CUSTOMS', T0);
      expect(again[0]).not.toBe(issueOne('NLP-S-00001', 'NL-CUSTOMS'));
    } finally {
      second.close();
    }
  });

  it('stores kind, record, agency, issue time and expiry', () => {
    const reference = issueOne('MSCU1234566', 'NL-CUSTOMS', T0, 'container');
    expect(store.db.prepare('SELECT * FROM hit_refs').all()).toEqual([
      { reference, kind: 'container', record_id: 'MSCU1234566', issued_to: 'NL-CUSTOMS', issued_at: '2026-06-01T12:00:00.000Z', expires_at: '2026-06-02T12:00:00.000Z' },
    ]);
  });

  it('hands the same agency the same reference while more than half its life is left, then a new one', () => {
    const first = issueOne('NLP-S-00001', 'NL-CUSTOMS');
    expect(issueOne('NLP-S-00001', 'NL-CUSTOMS', at(11 * HOUR))).toBe(first);
    const renewed = issueOne('NLP-S-00001', 'NL-CUSTOMS', at(12 * HOUR));
    expect(renewed).not.toBe(first);
    // The older one stays good until its own expiry; the new one lives a full day from its issue.
    expect(refs.resolve(first, 'person', 'NL-CUSTOMS', at(23 * HOUR))).toBe('NLP-S-00001');
    expect(refs.resolve(first, 'person', 'NL-CUSTOMS', at(24 * HOUR))).toBeUndefined();
    expect(refs.resolve(renewed, 'person', 'NL-CUSTOMS', at(35 * HOUR))).toBe('NLP-S-00001');
    expect(issueOne('NLP-S-00001', 'NL-CUSTOMS', at(13 * HOUR))).toBe(renewed);
  });

  it('does not hand out, at an earlier time, a reference issued later (a clock set back)', () => {
    const later = issueOne('NLP-S-00001', 'NL-CUSTOMS', at(2 * HOUR));
    const earlier = issueOne('NLP-S-00001', 'NL-CUSTOMS', T0);
    expect(earlier).not.toBe(later);
    expect(refs.resolve(earlier, 'person', 'NL-CUSTOMS', at(24 * HOUR))).toBeUndefined();
    expect(refs.resolve(later, 'person', 'NL-CUSTOMS', at(24 * HOUR))).toBe('NLP-S-00001');
  });

  it('deletes expired references now and then while issuing, and they resolve to nothing before and after', () => {
    const old = refs.issue('person', ['NLP-S-00001'], 'NL-CUSTOMS', T0)[0] ?? '';
    const count = () => (store.db.prepare('SELECT count(*) AS n FROM hit_refs WHERE reference = ?').get(old) as { n: number }).n;
    expect(count()).toBe(1);
    const afterExpiry = at(25 * HOUR);
    expect(refs.resolve(old, 'person', 'NL-CUSTOMS', afterExpiry)).toBeUndefined();
    refs.issue('person', ['NLP-S-00002'], 'NL-CUSTOMS', afterExpiry);
    expect(count()).toBe(0);
    expect(refs.resolve(old, 'person', 'NL-CUSTOMS', afterExpiry)).toBeUndefined();
  });

  it('issues a batch in input order, duplicates included, with the same statements for 1 record as for 50', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `C-${i}`);
    const statementsFor = (batch: string[], agency: string) => {
      store.resetStatementCount();
      refs.issue('container', batch, agency, T0);
      return store.statementCount();
    };
    // The once-a-minute purge of expired references runs on the first issue at T0: out of the way first.
    refs.issue('container', ['C-warm-up'], 'ES-POLICE', T0);
    expect(statementsFor(ids, 'NL-CUSTOMS')).toBe(statementsFor(ids.slice(0, 1), 'FR-POLICE'));
    const batch = refs.issue('container', ['C-3', 'C-1', 'C-3'], 'NL-CUSTOMS', T0);
    expect(batch[0]).toBe(batch[2]);
    expect(batch).toEqual([issueOne('C-3', 'NL-CUSTOMS', T0, 'container'), issueOne('C-1', 'NL-CUSTOMS', T0, 'container'), batch[0]]);
    expect(refs.issue('container', [], 'NL-CUSTOMS', T0)).toEqual([]);
  });
});

describe('openHitReferenceStore: resolving', () => {
  it('resolves a reference for the agency it was issued to, until it expires', () => {
    const reference = issueOne('NLP-S-00001', 'NL-CUSTOMS');
    expect(refs.resolve(reference, 'person', 'NL-CUSTOMS', T0)).toBe('NLP-S-00001');
    expect(refs.resolve(reference, 'person', 'NL-CUSTOMS', at(24 * HOUR - 1))).toBe('NLP-S-00001');
  });

  it.each([
    ['a guessed well-formed reference', () => `${PREFIX}${'A'.repeat(32)}`, T0, 'NL-CUSTOMS', 'person'],
    ['an expired reference (at the exact expiry)', () => issueOne('NLP-S-00001', 'NL-CUSTOMS'), at(24 * HOUR), 'NL-CUSTOMS', 'person'],
    ['an expired reference (a year later)', () => issueOne('NLP-S-00001', 'NL-CUSTOMS'), at(365 * 24 * HOUR), 'NL-CUSTOMS', 'person'],
    ["another agency's reference", () => issueOne('NLP-S-00001', 'FR-POLICE'), T0, 'NL-CUSTOMS', 'person'],
    ['a reference for another kind of record', () => issueOne('MSCU1234566', 'NL-CUSTOMS', T0, 'container'), T0, 'NL-CUSTOMS', 'person'],
    ['a malformed string', () => "HIT-TST-' OR 1=1 --", T0, 'NL-CUSTOMS', 'person'],
    ['the empty string', () => '', T0, 'NL-CUSTOMS', 'person'],
    ['a record id', () => 'NLP-S-00001', T0, 'NL-CUSTOMS', 'person'],
  ])('answers %s like an unknown one: undefined', (_what, reference, now, agency, kind) => {
    const ref = reference();
    issueOne('NLP-S-00002', 'NL-CUSTOMS');
    expect(refs.resolve(ref, kind, agency, now)).toBeUndefined();
  });

  it('takes a non-string reference (a JavaScript caller) as unknown, not as an error', () => {
    expect(refs.resolve(42 as unknown as string, 'person', 'NL-CUSTOMS', T0)).toBeUndefined();
  });
});

describe('openHitReferenceStore: options and programming errors', () => {
  const reasonOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      if (error instanceof KitOptionsError) return error.reason;
      throw error;
    }
    return undefined;
  };

  it.each([
    [{ prefix: 'hit-', kinds: ['person'] }, 'hit_prefix'],
    [{ prefix: 'HIT-NLP-WITH-A-LONG-PREFIX-', kinds: ['person'] }, 'hit_prefix'],
    [{ prefix: 'HIT-(', kinds: ['person'] }, 'hit_prefix'],
    [{ prefix: 'HIT-', kinds: [] }, 'hit_kinds'],
    [{ prefix: 'HIT-', kinds: ['Person'] }, 'hit_kinds'],
    [{ prefix: 'HIT-', kinds: ['person'], ttlSec: 0 }, 'hit_reference_ttl'],
    [{ prefix: 'HIT-', kinds: ['person'], ttlSec: 1.5 }, 'hit_reference_ttl'],
    [{ prefix: 'HIT-', kinds: ['person'], ttlSec: 31 * 24 * 3600 }, 'hit_reference_ttl'],
  ])('refuses options %j (%s)', (options, reason) => {
    expect(reasonOf(() => openHitReferenceStore(store.db, options))).toBe(reason);
  });

  it('refuses a store without the hit_refs table', () => {
    const bare = openStore({ file: ':memory:', migrations: ['CREATE TABLE things (id TEXT)'] });
    try {
      expect(reasonOf(() => openHitReferenceStore(bare.db, { prefix: PREFIX, kinds: ['person'] }))).toBe('hit_refs');
    } finally {
      bare.close();
    }
  });

  it('refuses an unknown kind, an empty agency, an invalid clock and empty record ids', () => {
    expect(reasonOf(() => refs.issue('vessel', ['x'], 'NL-CUSTOMS', T0))).toBe('hit_kind');
    expect(reasonOf(() => refs.resolve('x', 'vessel', 'NL-CUSTOMS', T0))).toBe('hit_kind');
    expect(reasonOf(() => refs.issue('person', ['x'], '', T0))).toBe('hit_agency');
    expect(reasonOf(() => refs.resolve('x', 'person', '', T0))).toBe('hit_agency');
    expect(reasonOf(() => refs.issue('person', ['x'], 'NL-CUSTOMS', new Date('nonsense')))).toBe('hit_clock');
    expect(reasonOf(() => refs.issue('person', [''], 'NL-CUSTOMS', T0))).toBe('hit_record');
    expect(store.db.prepare('SELECT count(*) AS n FROM hit_refs').get()).toEqual({ n: 0 });
  });
});
