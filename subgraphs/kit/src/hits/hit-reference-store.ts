import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { KitOptionsError } from '../errors';
import { checkHitReferenceTtl, DEFAULT_HIT_REFERENCE_TTL_SEC } from './hit-reference-ttl';

/** Options of {@link openHitReferenceStore}. */
export interface HitReferenceStoreOptions {
  /**
   * What every reference starts with, naming the issuing agency so a follow-up can be routed
   * by eye (`HIT-NLP-`, `HIT-EPL-`): 2-16 of `A-Z 0-9 -`. It carries no secret and no record.
   */
  readonly prefix: string;
  /** The kinds of record this agency answers hits on, e.g. `['person', 'container']`. */
  readonly kinds: readonly string[];
  /** Lifetime of a reference in seconds (1 s to 30 days). Default 24 h. */
  readonly ttlSec?: number;
}

/**
 * The hit references of one subgraph's store (table `hit_refs`, see `HIT_REFS_TABLE`).
 * `now` is an argument so that tests, and the caller's one clock, decide what time it is.
 */
export interface HitReferenceStore {
  /**
   * The reference for each record, issued to `agency`, in the order of `recordIds`. An
   * agency that asks again while its reference has more than half its lifetime left gets
   * the same reference (so repeated checks give repeated answers and the table does not grow
   * per question); otherwise a new random one is issued, and the older one stays valid until
   * its own expiry. Every call costs the same two statements, whatever the batch size.
   */
  issue(kind: string, recordIds: readonly string[], agency: string, now: Date): string[];
  /**
   * The record behind `reference` — only when it was issued for this `kind` to this `agency`
   * and has not expired at `now`. An unknown, guessed, malformed, expired or other agency's
   * reference all give `undefined`, from the same single statement: nothing to tell them apart.
   */
  resolve(reference: string, kind: string, agency: string, now: Date): string | undefined;
}

const PREFIX = /^[A-Z0-9-]{2,16}$/;
const KIND = /^[a-z][a-z0-9-]{0,31}$/;
// 20 random bytes = 160 bits, exactly 32 base32 characters (no padding, no partial symbol).
const RANDOM_BYTES = 20;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The shape of a reference with `prefix`: the prefix and 32 base32 characters (160 random bits). */
export function hitReferencePattern(prefix: string): RegExp {
  // The prefix is A-Z 0-9 - only (checked below), none of which is special outside a class.
  return new RegExp(`^${prefix}[A-Z2-7]{32}$`);
}

/**
 * Opens the hit references kept in `db` (the table must exist: add `HIT_REFS_TABLE` to the
 * subgraph's migrations). References are random, never derived from the record, so reading
 * the source or the seed tells nobody a reference; they are good only for the agency they
 * were issued to, and only until they expire.
 *
 * @throws KitOptionsError on bad options, or when `hit_refs` is missing.
 */
export function openHitReferenceStore(db: Database.Database, options: HitReferenceStoreOptions): HitReferenceStore {
  const { prefix, kinds, ttlSec } = checkHitReferenceStoreOptions(options);
  const ttlMs = ttlSec * 1000;

  let statements: ReturnType<typeof prepare>;
  try {
    statements = prepare(db);
  } catch (cause) {
    throw new KitOptionsError('hit_refs', `openHitReferenceStore: cannot use table hit_refs (add HIT_REFS_TABLE to the migrations): ${(cause as Error).message}`, { cause });
  }
  const checkKind = (kind: string): void => {
    if (!kinds.has(kind)) throw new KitOptionsError('hit_kind', `hit reference kind ${JSON.stringify(kind)} is not one of ${[...kinds].join(', ')}`);
  };

  // Expired references resolve to nothing already; they are deleted now and then (not on every
  // hit, which would scan the table each time), so the table holds about one lifetime of them.
  let purgedAt = Number.NEGATIVE_INFINITY;
  const issueBatch = db.transaction((kind: string, ids: string[], agency: string, now: Date): Map<string, string> => {
    if (Math.abs(now.getTime() - purgedAt) >= PURGE_EVERY_MS) {
      statements.purge.run({ now: now.toISOString() });
      purgedAt = now.getTime();
    }
    const random = randomBytes(RANDOM_BYTES * ids.length);
    const candidates = ids.map((recordId, i) => ({ recordId, reference: prefix + base32(random.subarray(i * RANDOM_BYTES, (i + 1) * RANDOM_BYTES)) }));
    const params = {
      kind,
      agency,
      now: now.toISOString(),
      expires: new Date(now.getTime() + ttlMs).toISOString(),
      // A reference with less than half its life left is not handed out again; nor is one
      // issued after `now` (a clock set back), which did not exist yet at that time.
      reuseUntil: new Date(now.getTime() + ttlMs / 2).toISOString(),
    };
    statements.insertMissing.run({ ...params, candidates: JSON.stringify(candidates) });
    const byRecord = new Map<string, string>();
    // Newest expiry first: the first row per record is the one to hand out.
    for (const row of statements.valid.all({ ...params, ids: JSON.stringify(ids) }) as { record_id: string; reference: string }[]) {
      if (!byRecord.has(row.record_id)) byRecord.set(row.record_id, row.reference);
    }
    return byRecord;
  });

  return {
    issue(kind, recordIds, agency, now) {
      checkKind(kind);
      checkAgency(agency);
      checkNow(now);
      if (!Array.isArray(recordIds) || !recordIds.every((id) => typeof id === 'string' && id !== '')) {
        throw new KitOptionsError('hit_record', 'hit reference record ids must be non-empty strings');
      }
      if (recordIds.length === 0) return [];
      const byRecord = issueBatch(kind, [...new Set(recordIds)], agency, now);
      return recordIds.map((id) => {
        const reference = byRecord.get(id);
        // Cannot happen (the insert guarantees a valid row); refuse rather than answer without one.
        if (reference === undefined) throw new KitOptionsError('hit_issue', 'a hit reference was not issued');
        return reference;
      });
    },
    resolve(reference, kind, agency, now) {
      checkKind(kind);
      checkAgency(agency);
      checkNow(now);
      // No shape check first: a malformed string takes the very path a well-formed unknown one takes.
      const text = typeof reference === 'string' ? reference : '';
      const row = statements.resolve.get({ reference: text, kind, agency, now: now.toISOString() }) as { record_id: string } | undefined;
      return row?.record_id;
    },
  };
}

/** How often issuing also deletes the references that have expired. */
const PURGE_EVERY_MS = 60_000;

function prepare(db: Database.Database) {
  return {
    purge: db.prepare('DELETE FROM hit_refs WHERE expires_at <= @now'),
    insertMissing: db.prepare(`INSERT INTO hit_refs (reference, kind, record_id, issued_to, issued_at, expires_at)
      SELECT c.value ->> 'reference', @kind, c.value ->> 'recordId', @agency, @now, @expires FROM json_each(@candidates) c
      WHERE NOT EXISTS (SELECT 1 FROM hit_refs h
        WHERE h.kind = @kind AND h.record_id = c.value ->> 'recordId' AND h.issued_to = @agency AND h.issued_at <= @now AND h.expires_at > @reuseUntil)`),
    valid: db.prepare(`SELECT record_id, reference FROM hit_refs
      WHERE kind = @kind AND issued_to = @agency AND record_id IN (SELECT value FROM json_each(@ids)) AND issued_at <= @now AND expires_at > @reuseUntil
      ORDER BY expires_at DESC, reference`),
    resolve: db.prepare(`SELECT record_id FROM hit_refs
      WHERE reference = @reference AND kind = @kind AND issued_to = @agency AND expires_at > @now`),
  };
}

/**
 * Checks the options of {@link openHitReferenceStore} (also run by `defineHitReferences` at
 * definition time) and fills in the default lifetime.
 *
 * @throws KitOptionsError naming the bad option.
 */
export function checkHitReferenceStoreOptions(options: HitReferenceStoreOptions): { prefix: string; kinds: Set<string>; ttlSec: number } {
  if (typeof options !== 'object' || options === null) throw new KitOptionsError('options', 'openHitReferenceStore: options must be an object');
  if (typeof options.prefix !== 'string' || !PREFIX.test(options.prefix)) {
    throw new KitOptionsError('hit_prefix', 'openHitReferenceStore: options.prefix must be 2-16 of A-Z 0-9 - (e.g. "HIT-NLP-")');
  }
  if (!Array.isArray(options.kinds) || options.kinds.length === 0 || !options.kinds.every((k) => typeof k === 'string' && KIND.test(k))) {
    throw new KitOptionsError('hit_kinds', 'openHitReferenceStore: options.kinds must be a non-empty list of lower-case kind names (e.g. ["person"])');
  }
  const ttlSec = checkHitReferenceTtl(options.ttlSec ?? DEFAULT_HIT_REFERENCE_TTL_SEC, 'openHitReferenceStore: options.ttlSec');
  return { prefix: options.prefix, kinds: new Set(options.kinds), ttlSec };
}

function checkAgency(agency: string): void {
  // The agency comes from the verified context token; an empty one is a wiring bug, never "anyone".
  if (typeof agency !== 'string' || agency === '' || agency.length > 256) throw new KitOptionsError('hit_agency', 'hit references need the verified caller agency');
}

function checkNow(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new KitOptionsError('hit_clock', 'hit references need a valid current date');
}

/** RFC 4648 base32 without padding, for a multiple of 5 bytes. */
function base32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    // 40 bits in a plain number (safe up to 2^53), read 5 bits at a time from the top.
    let chunk = 0;
    for (let j = 0; j < 5; j++) chunk = chunk * 256 + (bytes[i + j] ?? 0);
    for (let shift = 35; shift >= 0; shift -= 5) out += BASE32[Math.floor(chunk / 2 ** shift) % 32];
  }
  return out;
}
