/**
 * The pre-aggregated counts `stats` reads instead of scanning records: per time bucket (hour,
 * and minute for the ragged edges of a period), agency, purpose and outcome, the number of
 * requests, released entities and field/row denials; and per bucket, agency, purpose, kind and
 * reason, the number of denials. The append transaction adds a record's counts, prune subtracts
 * them, and `verify` re-tallies them from the records' hashed content and compares: they are
 * derived data, never evidence, and `pactum audit migrate` rebuilds them.
 *
 * A request row has `kind = ''`; a denial row has `outcome = ''`. An unauthenticated request's
 * agency and an undeclared purpose are stored as `''` (primary-key columns cannot be null).
 */
import type { AgencyStats, AuditStats, AuditStatsFilter, DenialStats } from '../audit-filter';
import { entityCount, type IndexRows } from './record-content';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** One aggregate row (either kind). */
export interface StatRow {
  readonly bucket: number;
  readonly agency: string;
  readonly purpose: string;
  readonly outcome: string;
  readonly kind: string;
  readonly reason: string;
  n: number;
  entities: number;
  fieldDenials: number;
  rowDenials: number;
}

/** What one record adds to the aggregates. */
export interface RecordCounts {
  readonly timeMs: number;
  readonly agency: string | null;
  readonly purpose: string | null;
  readonly outcome: string;
  /** Released entities, each once. */
  readonly entities: number;
  /** Denials as `[kind, reason, count]`, each (kind, reason) once. */
  readonly denials: ReadonlyArray<readonly [string, string, number]>;
}

const NO_DENIALS: RecordCounts['denials'] = [];

/** The counts of a record's index rows. */
export function countsOf(x: IndexRows): RecordCounts {
  let denials = NO_DENIALS;
  if (x.denials.length > 0) {
    const byKey = new Map<string, [string, string, number]>();
    for (const d of x.denials) {
      const k = `${d.kind}\u0000${d.reason}`;
      const c = byKey.get(k);
      if (c) c[2] += 1;
      else byKey.set(k, [d.kind, d.reason, 1]);
    }
    denials = [...byKey.values()];
  }
  return { timeMs: x.timeMs, agency: x.agency, purpose: x.purpose, outcome: x.outcome, entities: entityCount(x.entities), denials };
}

/** Accumulates aggregate rows by key; `add` with sign -1 subtracts. */
export class StatTally {
  readonly rows = new Map<string, StatRow>();

  constructor(readonly bucketMs: number) {}

  add(x: IndexRows, sign: 1 | -1 = 1): void {
    this.addCounts(countsOf(x), sign);
  }

  /** Adds (sign -1: subtracts) one record's counts. */
  addCounts(x: RecordCounts, sign: 1 | -1 = 1): void {
    const bucket = Math.floor(x.timeMs / this.bucketMs);
    const agency = x.agency ?? '';
    const purpose = x.purpose ?? '';
    let field = 0;
    let row = 0;
    for (const [kind, reason, n] of x.denials) {
      if (kind === 'field') field += n;
      else if (kind === 'row') row += n;
      this.bump(bucket, agency, purpose, '', kind, reason, sign * n, 0, 0, 0);
    }
    this.bump(bucket, agency, purpose, x.outcome, '', '', sign, sign * x.entities, sign * field, sign * row);
  }

  /** Adds a row of another tally (of the same bucket size). */
  merge(r: StatRow): void {
    this.bump(r.bucket, r.agency, r.purpose, r.outcome, r.kind, r.reason, r.n, r.entities, r.fieldDenials, r.rowDenials);
  }

  private bump(bucket: number, agency: string, purpose: string, outcome: string, kind: string, reason: string, n: number, entities: number, fieldDenials: number, rowDenials: number): void {
    const key = `${bucket}\u0000${agency}\u0000${purpose}\u0000${outcome}\u0000${kind}\u0000${reason}`;
    const r = this.rows.get(key);
    if (r) {
      r.n += n;
      r.entities += entities;
      r.fieldDenials += fieldDenials;
      r.rowDenials += rowDenials;
    } else {
      this.rows.set(key, { bucket, agency, purpose, outcome, kind, reason, n, entities, fieldDenials, rowDenials });
    }
  }
}

/** The key of a stored row, as `StatTally` builds it. */
export function statKey(r: Pick<StatRow, 'bucket' | 'agency' | 'purpose' | 'outcome' | 'kind' | 'reason'>): string {
  return `${r.bucket}\u0000${r.agency}\u0000${r.purpose}\u0000${r.outcome}\u0000${r.kind}\u0000${r.reason}`;
}

/**
 * Where a stats period's counts come from: whole hours from the hour table, whole minutes of
 * the ragged edges from the minute table, and the records of the partial minutes at each end.
 */
export interface StatPlan {
  /** [from, to) in hour buckets, or null. */
  readonly hours: readonly [number, number] | null;
  /** [from, to) ranges in minute buckets. */
  readonly minutes: ReadonlyArray<readonly [number, number]>;
  /** [from, to) ranges in ms whose records are tallied one by one. */
  readonly records: ReadonlyArray<readonly [number, number]>;
}

/** Splits [since, until) (either open) into hours, minutes and records. */
export function planStats(since: number | undefined, until: number | undefined): StatPlan {
  const lo = since ?? Number.NEGATIVE_INFINITY;
  const hi = until ?? Number.POSITIVE_INFINITY;
  const minutes: Array<readonly [number, number]> = [];
  const records: Array<readonly [number, number]> = [];
  const mLo = Number.isFinite(lo) ? Math.ceil(lo / MINUTE_MS) * MINUTE_MS : lo;
  const mHi = Number.isFinite(hi) ? Math.floor(hi / MINUTE_MS) * MINUTE_MS : hi;
  if (mLo >= mHi) return { hours: null, minutes, records: lo < hi ? [[lo, hi]] : [] };
  if (lo < mLo) records.push([lo, mLo]);
  if (mHi < hi) records.push([mHi, hi]);
  const hLo = Number.isFinite(mLo) ? Math.ceil(mLo / HOUR_MS) * HOUR_MS : mLo;
  const hHi = Number.isFinite(mHi) ? Math.floor(mHi / HOUR_MS) * HOUR_MS : mHi;
  const toMin = (ms: number) => (Number.isFinite(ms) ? ms / MINUTE_MS : ms);
  const toHour = (ms: number) => (Number.isFinite(ms) ? ms / HOUR_MS : ms);
  if (hLo >= hHi) return { hours: null, minutes: [[toMin(mLo), toMin(mHi)]], records };
  if (mLo < hLo) minutes.push([toMin(mLo), toMin(hLo)]);
  if (hHi < mHi) minutes.push([toMin(hHi), toMin(mHi)]);
  return { hours: [toHour(hLo), toHour(hHi)], minutes, records };
}

/** Folds aggregate rows (already filtered to the period, agency and purpose) into `AuditStats`. */
export function statsFromRows(filter: AuditStatsFilter, rows: Iterable<Omit<StatRow, 'bucket'>>): AuditStats {
  const agencies = new Map<string, { -readonly [K in keyof AgencyStats]: AgencyStats[K] }>();
  const denials = new Map<string, DenialStats>();
  for (const r of rows) {
    const agency = r.agency === '' ? null : r.agency;
    if (r.kind !== '') {
      const key = `${r.agency}\u0000${r.kind}\u0000${r.reason}`;
      const d = denials.get(key);
      denials.set(key, { agency, kind: r.kind as DenialStats['kind'], reason: r.reason, count: (d?.count ?? 0) + r.n });
      continue;
    }
    let a = agencies.get(r.agency);
    if (!a) {
      a = { agency, requests: 0, released: 0, partial: 0, denied: 0, refused: 0, errors: 0, entitiesReleased: 0, fieldDenials: 0, rowDenials: 0 };
      agencies.set(r.agency, a);
    }
    a.requests += r.n;
    if (r.outcome === 'released') a.released += r.n;
    else if (r.outcome === 'partial') a.partial += r.n;
    else if (r.outcome === 'denied') a.denied += r.n;
    else if (r.outcome === 'refused') a.refused += r.n;
    else if (r.outcome === 'error') a.errors += r.n;
    a.entitiesReleased += r.entities;
    a.fieldDenials += r.fieldDenials;
    a.rowDenials += r.rowDenials;
  }
  const byAgency = [...agencies.values()].filter((a) => a.requests > 0).sort((a, b) => cmp(a.agency, b.agency));
  const denialList = [...denials.values()]
    .filter((d) => d.count > 0)
    .sort((a, b) => cmp(a.agency, b.agency) || a.kind.localeCompare(b.kind) || b.count - a.count || a.reason.localeCompare(b.reason));
  return {
    since: filter.since ?? null,
    until: filter.until ?? null,
    requests: byAgency.reduce((s, a) => s + a.requests, 0),
    byAgency,
    denials: denialList,
  };
}

/** Orders agencies by name, unauthenticated (null) last. */
function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
