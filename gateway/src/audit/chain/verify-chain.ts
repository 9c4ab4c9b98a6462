/**
 * Walks every chain of a store and names the first record that breaks it.
 *
 * Per record, in seq order: the seq follows the previous one (else `removed`); its shape exists
 * and, where it is unpacked, the stored content unpacks (else `changed`); `prevHash` is the previous record's hash (else `reordered`
 * when that hash belongs to another record of the chain, `changed` naming the predecessor
 * when this record is self-consistent — the predecessor was rewritten and re-hashed — or
 * `removed` otherwise). A sealed record (layout 4, `record-seal.ts`) must then have
 * `hash = sha256(prevHash || contentHash || seal || seq)` with the seal of what is stored — its
 * content bytes, shape, id, columns, denial tally and entity rows — and nothing is unpacked; when
 * it does not, or with `deep`, or for a record written before layout 4 (whose hash is
 * `sha256(prevHash || sha256(content) || seq)`), the content is unpacked and hashed, decodes to a
 * record with the same id, and the index columns, entity rows (and denial tally) equal what it
 * implies; any difference is `changed`, naming what was edited (an edited index could hide a
 * release from `query`). Finally the chain's last record must be its anchor (the
 * head row written in the same transaction): a shorter chain is `truncated`, a missing or
 * different anchor is `anchor-mismatch`.
 *
 * When every chain is walked, the hour and minute aggregates `stats` reads are re-tallied from
 * the records (a sealed one's sealed columns and tally, an older one's content) and compared row
 * by row (`aggregates` in the report): they are derived data, so a difference fails the
 * verification without naming a record.
 *
 * Limit: someone who can write the database can rewrite a whole chain and its anchor
 * consistently. `expectHeads` (an anchor copied elsewhere earlier, e.g. printed by
 * `pactum audit verify` into a ticket or a WORM bucket) detects that too.
 */
import type { AuditStore, ChainHead, ChainWalkMemo, StoredRow } from '../stores/audit-store';
import { contentHashOf, GENESIS_HASH, linkHash, sealedLinkHash } from './chain-hash';
import { firstPageSize, nextPageSize } from './page-size';
import { decodeContent, deriveIndexRows, entityCount, entityIdentity, indexColumns, type EntityColumns, type EntityRow, type IndexRows } from './record-content';
import { denialTallyText, parseDenialTally, sealOfStored } from './record-seal';
import { countsOf, HOUR_MS, MINUTE_MS, statKey, StatTally, type RecordCounts, type StatRow } from './stat-rows';

/** What kind of break was found. */
export type VerifyProblem = 'changed' | 'removed' | 'reordered' | 'truncated' | 'anchor-mismatch' | 'bad-signature';

/** The first break in one chain. */
export interface VerifyFinding {
  readonly chain: string;
  readonly problem: VerifyProblem;
  /** Position of the bad (or first missing) record. */
  readonly seq: number;
  /** Id of the record named, or null when it is gone. */
  readonly id: string | null;
  readonly detail: string;
}

/** One chain's result. */
export interface ChainSummary {
  readonly chain: string;
  readonly checked: number;
  /** The anchor as stored (null when absent). Copy it elsewhere to detect a rewrite of the whole chain later. */
  readonly head: { readonly seq: number; readonly hash: string; readonly id: string } | null;
  /** Records 1..throughSeq were deleted by retention (before `before`); the chain verifies from the signed checkpoint there. */
  readonly pruned?: { readonly throughSeq: number; readonly before?: string };
  /** The newest signed checkpoint the chain was checked against. */
  readonly signedHead?: { readonly seq: number; readonly at: string; readonly kid: string; readonly kind: string };
  readonly problem?: VerifyFinding;
}

/** A point the chain must pass through: an anchor noted earlier, or a signed checkpoint. */
export interface ChainExpectation {
  readonly seq: number;
  readonly hash: string;
  /** Says who vouches for it, in messages: `the anchor noted earlier`, `the signed checkpoint of …`. */
  readonly source: string;
}

/** Where a pruned chain starts: the signed retention checkpoint of its last deleted record. */
export interface ChainStart {
  readonly seq: number;
  readonly hash: string;
  readonly id: string;
  readonly before?: string;
}

/** What the aggregate check found. */
export interface AggregateCheck {
  /** False when not checked: only one chain was walked, or a chain is broken. */
  readonly checked: boolean;
  /** Rows compared (hour and minute tables). */
  readonly rows: number;
  /** The first difference, when they do not agree with the records. */
  readonly problem?: string;
}

/** The result of `verify`. */
export interface VerifyReport {
  readonly ok: boolean;
  /** Records checked over all chains. */
  readonly checked: number;
  readonly chains: readonly ChainSummary[];
  /** The first problem found (chains in name order). */
  readonly firstBad?: VerifyFinding;
  /** Whether the aggregates `stats` reads agree with the records. */
  readonly aggregates: AggregateCheck;
  /** Seq ranges checked on worker threads (0: every chain was walked on this thread). */
  readonly ranges: number;
  /** Whether sealed records were checked against their content too (`VerifyOptions.deep`). */
  readonly deep: boolean;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** Only this chain (replica id). */
  readonly chain?: string;
  /** Anchors noted earlier; each chain must still contain that record with that hash. */
  readonly expectHeads?: readonly { readonly chain: string; readonly seq: number; readonly hash: string }[];
  /** Records read per page (default 1000). */
  readonly pageSize?: number;
  /**
   * Also check every sealed record against its content: unpack it, hash it, decode it and
   * re-derive its index (what every record of layout 3 and before always gets). Without it a
   * sealed record is checked from its stored parts, which its seal covers (`record-seal.ts`).
   */
  readonly deep?: boolean;
  /** Public keys (JWK, with `kid`) the signed checkpoints are checked with; see `checkpoints.ts`. */
  readonly checkpointKeys?: readonly import('jose').JWK[];
  /** Worker threads for long chains (default: the machine's cores, at most 4; 1: none). */
  readonly workers?: number;
  /** A chain is split among workers only in ranges of at least this many records (default 100000). */
  readonly parallelMinRecords?: number;
}

/** What the signed checkpoints add to one chain's walk (computed by `checkpoints.ts`). */
export interface ChainCheckpoints {
  readonly start?: ChainStart;
  readonly expectations: readonly ChainExpectation[];
  readonly signedHead?: ChainSummary['signedHead'];
  /** A checkpoint whose signature does not hold: the chain fails with `bad-signature`. */
  readonly badSignature?: { readonly seq: number; readonly id: string; readonly detail: string };
}

/**
 * Verifies the chains of `store`. `checkpointsOf` (from `checkpoints.ts`) tells, per chain, where a
 * pruned chain starts and which signed heads it must still contain.
 */
export async function verifyChains(
  store: AuditStore,
  options: VerifyOptions = {},
  checkpointsOf: (chain: string) => ChainCheckpoints = () => ({ expectations: [] }),
  extraChains: readonly string[] = [],
  parallel?: ParallelVerify,
): Promise<VerifyReport> {
  const heads = new Map<string, ChainHead>((await store.heads()).map((h) => [h.chain, h]));
  const expected = options.expectHeads ?? [];
  const names = new Set([...(await store.chains()), ...extraChains]);
  for (const e of expected) names.add(e.chain);
  const chains: ChainSummary[] = [];
  // Minutes only while walking; the hour rows are their roll-up (one tally per record, not two).
  const tally = options.chain === undefined ? new StatTally(MINUTE_MS) : null;
  for (const chain of [...names].sort()) {
    if (options.chain !== undefined && chain !== options.chain) continue;
    const head = heads.get(chain);
    const cps = checkpointsOf(chain);
    const expectations = [
      ...expected.filter((e) => e.chain === chain).map((e) => ({ seq: e.seq, hash: e.hash, source: 'the anchor noted earlier' })),
      ...cps.expectations,
    ];
    chains.push(await verifyOne(store, chain, head, expectations, cps, { pageSize: options.pageSize ?? 1000, deep: options.deep === true }, tally, parallel));
  }
  const firstBad = chains.find((c) => c.problem)?.problem;
  const aggregates = tally && !firstBad ? await compareAggregates(store, tally) : { checked: false, rows: 0 };
  return { ok: !firstBad && aggregates.problem === undefined, checked: chains.reduce((s, c) => s + c.checked, 0), chains, ...(firstBad ? { firstBad } : {}), aggregates, ranges: parallel?.used ?? 0, deep: options.deep === true };
}

async function compareAggregates(store: AuditStore, minutes: StatTally): Promise<AggregateCheck> {
  const hours = new Map<string, StatRow>();
  for (const m of minutes.rows.values()) {
    const h = { ...m, bucket: Math.floor((m.bucket * MINUTE_MS) / HOUR_MS) };
    const key = statKey(h);
    const sum = hours.get(key);
    if (sum) {
      sum.n += h.n;
      sum.entities += h.entities;
      sum.fieldDenials += h.fieldDenials;
      sum.rowDenials += h.rowDenials;
    } else hours.set(key, h);
  }
  let rows = 0;
  for (const [table, t] of [['hour', hours], ['minute', minutes.rows]] as const) {
    const want = new Map([...t].filter(([, r]) => r.n !== 0));
    for (const r of await store.aggregates(table)) {
      rows += 1;
      const key = statKey(r);
      const w = want.get(key);
      const what = `${table} ${new Date(r.bucket * (table === 'hour' ? HOUR_MS : MINUTE_MS)).toISOString()} agency ${r.agency || '(none)'} purpose ${r.purpose || '(none)'} ${r.kind ? `${r.kind} denial ${r.reason}` : `outcome ${r.outcome}`}`;
      if (!w) return { checked: true, rows, problem: `the ${what} aggregate counts ${r.n} but no record adds to it` };
      if (w.n !== r.n || w.entities !== r.entities || w.fieldDenials !== r.fieldDenials || w.rowDenials !== r.rowDenials) {
        return { checked: true, rows, problem: `the ${what} aggregate says ${r.n} (${r.entities} entities, ${r.fieldDenials}/${r.rowDenials} field/row denials), the records say ${w.n} (${w.entities}, ${w.fieldDenials}/${w.rowDenials})` };
      }
      want.delete(key);
    }
    const [, missing] = [...want][0] ?? [];
    if (missing) return { checked: true, rows, problem: `the records add ${missing.n} to the ${table} aggregate ${[missing.agency || '(none)', missing.purpose || '(none)', missing.outcome || `${missing.kind} denial ${missing.reason}`].join(' / ')}, which is missing` };
  }
  return { checked: true, rows };
}

async function verifyOne(
  store: AuditStore,
  chain: string,
  head: ChainHead | undefined,
  expectations: readonly ChainExpectation[],
  cps: ChainCheckpoints,
  read: ReadPlan,
  tally: StatTally | null,
  parallel: ParallelVerify | undefined,
): Promise<ChainSummary> {
  const start = cps.start;
  let prev = start ? { seq: start.seq, hash: start.hash, id: start.id as string | null } : { seq: 0, hash: GENESIS_HASH, id: null as string | null };
  let checked = 0;
  const summary = (problem?: VerifyFinding): ChainSummary => ({
    chain,
    checked,
    head: head && head.seq > 0 ? { seq: head.seq, hash: head.hash, id: head.id } : null,
    ...(start ? { pruned: { throughSeq: start.seq, ...(start.before ? { before: start.before } : {}) } } : {}),
    ...(cps.signedHead ? { signedHead: cps.signedHead } : {}),
    ...(problem ? { problem } : {}),
  });
  const bad = (problem: VerifyProblem, seq: number, id: string | null, detail: string) => summary({ chain, problem, seq, id, detail });
  if (cps.badSignature) return bad('bad-signature', cps.badSignature.seq, cps.badSignature.id, cps.badSignature.detail);
  const bySeq = new Map<number, ChainExpectation[]>();
  for (const e of expectations) {
    if (start && e.seq < start.seq) continue; // vouches for a pruned record
    if (start && e.seq === start.seq && e.hash !== start.hash) {
      return bad('changed', e.seq, start.id, `the retention checkpoint says record ${e.seq} had hash ${start.hash}, ${e.source} says ${e.hash}`);
    }
    bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
  }

  let walked: WalkResult | null = null;
  if (parallel && (head?.seq ?? 0) - prev.seq >= parallel.minRecords * 2) {
    walked = await walkInParallel(parallel, chain, prev, head?.seq ?? 0, bySeq, read, tally);
  }
  // Sequential: the whole chain, or (after the workers) whatever lies beyond the anchor.
  walked = walked ? await walkChain(store, chain, walked.prev, bySeq, read, tally, walked.checked) : await walkChain(store, chain, prev, bySeq, read, tally, 0);
  checked = walked.checked;
  prev = walked.prev;
  if (walked.problem) return bad(walked.problem.problem, walked.problem.seq, walked.problem.id, walked.problem.detail);
  const furthest = [...bySeq.values()].flat().sort((a, b) => b.seq - a.seq)[0];
  if (furthest && prev.seq < furthest.seq) {
    return bad('truncated', prev.seq + 1, null, `chain ends at seq ${prev.seq}, ${furthest.source} says ${furthest.seq}: records were removed${furthest.source.startsWith('the signed') ? ' (and the anchor moved back)' : ''}`);
  }
  const headSeq = head?.seq ?? 0;
  if (headSeq > prev.seq) {
    return bad('truncated', prev.seq + 1, null, `chain ends at seq ${prev.seq} but its anchor says ${headSeq} (last id ${head?.id}): the tail was removed`);
  }
  if (headSeq < prev.seq) {
    return bad('anchor-mismatch', headSeq + 1, null, `chain has ${prev.seq} records but its anchor says ${headSeq}: records were added outside the trail or the anchor was edited`);
  }
  if (head && headSeq > 0 && (head.hash !== prev.hash || head.id !== prev.id)) {
    return bad('anchor-mismatch', prev.seq, prev.id, `the anchor (${head.id}, ${head.hash}) does not match the last record (${prev.id}, ${prev.hash})`);
  }
  return summary();
}

/** How a walk reads: records per page, and whether sealed records are checked against their content too. */
export interface ReadPlan {
  readonly pageSize: number;
  readonly deep: boolean;
}

/** A finding about one record. */
type RowProblem = { problem: VerifyProblem; seq: number; id: string | null; detail: string };

/** Where a walk got to. */
export interface WalkResult {
  readonly prev: { seq: number; hash: string; id: string | null };
  readonly checked: number;
  readonly problem?: RowProblem;
}

/**
 * Checks the records of `chain` after `prev` in seq order, up to `untilSeq` (default: the end),
 * against `prev` and the expectations; with `entry` the first record's predecessor is taken as
 * read (a worker's range: the caller checks that boundary).
 */
export async function walkChain(
  store: AuditStore,
  chain: string,
  start: { seq: number; hash: string; id: string | null },
  bySeq: ReadonlyMap<number, readonly ChainExpectation[]>,
  read: ReadPlan,
  tally: StatTally | null,
  checkedBefore: number,
  untilSeq = Number.POSITIVE_INFINITY,
  entry?: (row: StoredRow) => void,
): Promise<WalkResult> {
  let prev = start;
  let checked = checkedBefore;
  let first = entry !== undefined;
  const walk: ChainWalkMemo = new Map();
  // Pages sized by entity links as well as records (`page-size.ts`).
  let size = firstPageSize(read.pageSize);
  for (;;) {
    const want = Math.min(size, untilSeq - prev.seq);
    if (want <= 0) break;
    const page = await store.readChain(chain, prev.seq, want, read.deep, walk);
    size = nextPageSize(read.pageSize, page);
    for (const row of page) {
      if (first) {
        entry?.(row);
        prev = { seq: row.seq - 1, hash: row.prevHash, id: null };
        first = false;
      }
      const checkedRow = await checkRow(store, row, prev, read.deep);
      if ('problem' in checkedRow) return { prev, checked, problem: checkedRow };
      tally?.addCounts(checkedRow);
      for (const e of bySeq.get(row.seq) ?? []) {
        if (row.hash !== e.hash) return { prev, checked, problem: { problem: 'changed', seq: row.seq, id: row.id, detail: `record ${row.seq} has hash ${row.hash}, ${e.source} says ${e.hash}: the chain was rewritten` } };
      }
      prev = { seq: row.seq, hash: row.hash, id: row.id };
      checked += 1;
    }
    if (page.length < want) break;
  }
  return { prev, checked };
}

/**
 * The chain's records up to the anchor, split in seq ranges checked by worker threads at once
 * (`verify-worker.ts`), each on its own connection. Stitched in order: each range must start
 * right after the previous one's last record and be chained to its hash. Any problem or seam
 * that does not hold returns null: the caller then walks the chain alone, from the start, so
 * what it names is exactly what the sequential walk names.
 */
async function walkInParallel(
  parallel: ParallelVerify,
  chain: string,
  start: { seq: number; hash: string; id: string | null },
  headSeq: number,
  bySeq: ReadonlyMap<number, readonly ChainExpectation[]>,
  read: ReadPlan,
  tally: StatTally | null,
): Promise<WalkResult | null> {
  const total = headSeq - start.seq;
  const parts = Math.max(1, Math.min(parallel.workers, Math.floor(total / parallel.minRecords)));
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < parts; i++) ranges.push([start.seq + Math.floor((total * i) / parts), start.seq + Math.floor((total * (i + 1)) / parts)]);
  const expectations = [...bySeq.entries()].flatMap(([, list]) => list);
  const results = await Promise.all(
    ranges.map(([after, until]) => parallel.run({ chain, afterSeq: after, untilSeq: until, expectations, pageSize: read.pageSize, deep: read.deep, tally: tally !== null })),
  );
  let prev = start;
  let checked = 0;
  for (const [i, r] of results.entries()) {
    const [after] = ranges[i] as [number, number];
    if (r.problem || !r.entry || r.entry.seq !== after + 1 || r.entry.prevHash !== prev.hash || !r.last) return null;
    prev = r.last;
    checked += r.checked;
  }
  for (const r of results) for (const row of r.minutes) tally?.merge(row);
  parallel.used += results.length;
  return { prev, checked };
}

/** How `verify` runs ranges of a chain on worker threads (see `verify-worker.ts`). */
export interface ParallelVerify {
  readonly workers: number;
  /** Ranges used so far (counted for the report). */
  used: number;
  /** Ranges are at least this many records (smaller chains are walked alone). */
  readonly minRecords: number;
  run(range: VerifyRange): Promise<RangeResult>;
}

/** One worker's job. */
export interface VerifyRange {
  readonly chain: string;
  readonly afterSeq: number;
  readonly untilSeq: number;
  readonly expectations: readonly ChainExpectation[];
  readonly pageSize: number;
  readonly deep: boolean;
  readonly tally: boolean;
}

/** What a worker found in its range. */
export interface RangeResult {
  readonly checked: number;
  /** The first record's seq and the hash it is chained to (the seam with the range before). */
  readonly entry: { readonly seq: number; readonly prevHash: string } | null;
  readonly last: { readonly seq: number; readonly hash: string; readonly id: string } | null;
  readonly problem: RowProblem | null;
  readonly minutes: readonly StatRow[];
}

/** Checks one range (what a worker runs). */
export async function verifyRange(store: AuditStore, range: VerifyRange): Promise<RangeResult> {
  const bySeq = new Map<number, ChainExpectation[]>();
  for (const e of range.expectations) bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
  const tally = range.tally ? new StatTally(MINUTE_MS) : null;
  let entry: RangeResult['entry'] = null;
  const r = await walkChain(store, range.chain, { seq: range.afterSeq, hash: '', id: null }, bySeq, { pageSize: range.pageSize, deep: range.deep }, tally, 0, range.untilSeq, (row) => {
    entry = { seq: row.seq, prevHash: row.prevHash };
  });
  const last = r.checked > 0 && r.prev.id !== null ? { seq: r.prev.seq, hash: r.prev.hash, id: r.prev.id } : null;
  return { checked: r.checked, entry, last, problem: r.problem ?? null, minutes: tally ? [...tally.rows.values()] : [] };
}

async function checkRow(store: AuditStore, row: StoredRow, prev: { seq: number; hash: string; id: string | null }, deep: boolean): Promise<RowProblem | RecordCounts> {
  if (row.seq !== prev.seq + 1) {
    const missing = row.seq - prev.seq - 1;
    return {
      problem: 'removed',
      seq: prev.seq + 1,
      id: null,
      detail: `${missing} record(s) missing at seq ${prev.seq + 1}${missing > 1 ? `..${row.seq - 1}` : ''}, between ${prev.id ?? 'the start'} and ${row.id}`,
    };
  }
  if (row.unreadable !== undefined) return changed(row, `content is unreadable (${row.unreadable})`);
  const seal = row.seal;
  // Hex from the store (SQLite's hex(), the driver's Buffer): only an empty column is not 64 long.
  if (seal && seal.contentHash.length !== 64) return changed(row, 'its stored content hash is missing');
  // The link hash the record's own stored parts give: a sealed record's from what is stored, an older one's from its content.
  const own = seal
    ? sealedLinkHash(row.prevHash, seal.contentHash, sealOfStored(row, seal), row.seq)
    : linkHash(row.prevHash, contentHashOf(row.content), row.seq);
  if (row.prevHash !== prev.hash) {
    const owner = await store.seqOfHash(row.chain, row.prevHash);
    if (owner !== null) {
      return { problem: 'reordered', seq: row.seq, id: row.id, detail: `record ${row.seq} (${row.id}) was chained after record ${owner}, not after record ${prev.seq}` };
    }
    if (own === row.hash && prev.id !== null) {
      return { problem: 'changed', seq: prev.seq, id: prev.id, detail: `record ${prev.seq} (${prev.id}) was rewritten: its successor was chained to a different hash` };
    }
    return { problem: 'removed', seq: row.seq, id: null, detail: `the record ${row.id} was chained after is missing (chain renumbered at seq ${row.seq})` };
  }
  if (seal && !deep && own === row.hash) {
    // Sealed and unchanged since written: the counts come from the stored parts the seal covers.
    if (row.linkIndexBroken) return changed(row, 'searchable index (entity rows) differs from the hashed content');
    let denials: RecordCounts['denials'];
    try {
      denials = parseDenialTally(seal.denials);
    } catch (error) {
      return changed(row, `its denial tally is unreadable (${error instanceof Error ? error.message : String(error)})`);
    }
    const [timeMs, agency, , purpose, , outcome] = row.columns as [number, string | null, unknown, string | null, unknown, string];
    return { timeMs, agency, purpose, outcome, entities: row.entities.length, denials };
  }
  // Checked against the content: an older record always, every record with `deep`, and a sealed
  // one whose seal does not hold (read again unpacked, to name what was edited).
  const full = seal && !deep ? (await store.readChain(row.chain, row.seq - 1, 1, true))[0] : row;
  if (!full || full.seq !== row.seq) return changed(row, 'it could not be read again to check its content');
  if (full.unreadable !== undefined) return changed(row, `content is unreadable (${full.unreadable})`);
  const derived = againstContent(full);
  if (typeof derived === 'string') return changed(row, derived);
  if (own !== row.hash) {
    return changed(row, `content or hash edited: hash does not match ${seal ? 'sha256(prevHash || contentHash || seal || seq)' : 'sha256(prevHash || sha256(content) || seq)'}`);
  }
  return countsOf(derived);
}

/** A `changed` finding naming `row`. */
function changed(row: StoredRow, detail: string): RowProblem {
  return { problem: 'changed', seq: row.seq, id: row.id, detail: `record ${row.seq} (${row.id}): ${detail}` };
}

/** The index rows `row`'s content implies, or what in the stored record disagrees with its content. */
function againstContent(row: StoredRow): IndexRows | string {
  if (row.seal && contentHashOf(row.content) !== row.seal.contentHash) return 'content edited: it does not match its stored content hash';
  let derived: IndexRows;
  try {
    const event = decodeContent(row.content);
    if (event.id !== row.id) return `id column differs from the hashed content (${event.id})`;
    derived = deriveIndexRows(event);
  } catch (error) {
    return `content is unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
  const want = indexColumns(derived);
  const columnsDiffer = want.length !== row.columns.length || want.some((v, i) => v !== row.columns[i]);
  if (columnsDiffer || row.linkIndexBroken || !sameEntities(derived.entities, row.entities)) {
    return `searchable index (${columnsDiffer ? 'columns' : 'entity rows'}) differs from the hashed content`;
  }
  if (row.seal && row.seal.denials !== denialTallyText(derived)) return 'searchable index (denial tally) differs from the hashed content';
  return derived;
}

/**
 * Whether the derived entities and the stored ones are the same (type, key, owner) triples, in
 * any order. The derived ones are each once (the derivation deduplicates); each stored one must
 * match a derived one not matched before — the store's keys should make stored repeats
 * impossible, but an edited file need not keep them.
 */
function sameEntities(derived: EntityColumns, stored: readonly EntityRow[]): boolean {
  const n = entityCount(derived);
  if (n !== stored.length) return false;
  const identity = (i: number): string => entityIdentity({ type: derived.types[derived.type[i] as number] as string, key: derived.key[i] as string, owner: derived.owners[derived.owner[i] as number] as string });
  if (n === 1) return identity(0) === entityIdentity(stored[0] as EntityRow);
  const want = new Set<string>();
  for (let i = 0; i < n; i++) want.add(identity(i));
  return stored.every((e) => want.delete(entityIdentity(e)));
}
