/**
 * In-flight deduplication of subgraph calls: while a query is on its way to a subgraph, an
 * identical one made for the same caller waits for that answer instead of sending its own.
 * Repeated dossiers (fifty analysts opening the same container) then cost one subgraph call per
 * distinct fetch, as they do behind Hive Gateway or Grafbase.
 *
 * What makes it safe for need-to-know: a subgraph may answer differently per caller (it reads the
 * context token), so a call is joined only when everything the subgraph sees that could change
 * its answer is the same — the subgraph and path (one table per data source), the exact body, the
 * context token itself and, beside it, the identity the token vouches for (agency, subject,
 * purpose, case). Two callers differing in any of these never share a call. Only queries are merged (the operation type is parsed, never guessed from a
 * prefix), and only while in flight: the entry leaves the table the moment the answer (or the
 * failure) is in, so nothing is ever served from it afterwards.
 *
 * What is shared is the raw answer (status and body text), never an object every waiter sees:
 * each gets a tree of its own, because @apollo/gateway merges subgraph results into its own
 * objects and post-processing rewrites them per request. The text is parsed once
 * ({@link SharedReading}); the waiters but the last get copies of that tree, the last the tree.
 */
import { Kind, OperationTypeNode, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ByteLruCache } from '../cache';

/** What the one HTTP call came back with, before parsing; never a rejected promise. */
export type RawSubgraphOutcome =
  | { readonly ok: true; readonly statusCode: number; readonly text: string }
  | { readonly ok: false; readonly detail: string };

/** A call in flight, as a waiter sees it. */
export interface InFlightCall {
  readonly outcome: Promise<RawSubgraphOutcome>;
  /** The `x-request-id` the call was sent with (the first request's). */
  readonly requestId: string | undefined;
  /** How its waiters read the answer's text: each joiner {@link SharedReading.join}s it. */
  readonly reading: SharedReading;
}

const UNREAD: unique symbol = Symbol('unread');

/**
 * Reads one answer's text for every waiter of a call, each into a tree of its own. Parsing the
 * text again for each waiter was the largest item of the main thread on a repeated 1,000-row list
 * (a 540 kB answer, 16 % of the profile); copying a parsed tree takes a quarter of the time of a
 * parse, and shares its strings (which nobody can change) rather than making new ones. The first
 * reader parses and keeps the tree untouched; every reader but the last gets a copy of it, the
 * last the tree itself. A waiter that gave up (its own time limit) never reads, so the last
 * reader then copies too: correct, only slower.
 */
export class SharedReading {
  private waiters = 1;
  private taken = 0;
  private tree: unknown = UNREAD;

  /** Another waiter for the same answer (called before the answer is in). */
  join(): void {
    this.waiters += 1;
  }

  /** This waiter's own tree of `text`; throws what `JSON.parse` throws on a malformed text (every reader alike). */
  read(text: string): unknown {
    this.taken += 1;
    const last = this.taken >= this.waiters;
    if (this.tree === UNREAD) {
      if (last) return JSON.parse(text);
      this.tree = JSON.parse(text);
      return copyJson(this.tree);
    }
    if (!last) return copyJson(this.tree);
    const tree = this.tree;
    this.tree = UNREAD;
    return tree;
  }
}

/**
 * A deep copy of a tree `JSON.parse` made: plain objects, arrays and primitives only. Keys are
 * the object's own ones in their order (which the response shaping relies on), and a
 * `__proto__` key stays an own property, as `JSON.parse` makes it, never a prototype.
 */
export function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyJson(source[key]), writable: true, enumerable: true, configurable: true });
    else out[key] = copyJson(source[key]);
  }
  return out;
}

/** Who a subgraph call is for, as far as its answer can depend on it. One table per subgraph and path. */
export interface DedupIdentity {
  /** The context token the call carries (`authorization: Bearer`). */
  readonly token: string;
  readonly agency: string;
  readonly subject: string;
  readonly purpose: string;
  readonly caseRef: string | undefined;
}

interface Entry {
  readonly identity: DedupIdentity;
  readonly body: string;
  readonly call: InFlightCall;
  /** When the call was sent (`performance.now()`). */
  readonly sentAt: number;
}

function sameCall(entry: Entry, identity: DedupIdentity, body: string): boolean {
  const a = entry.identity;
  return (
    a.token === identity.token &&
    a.agency === identity.agency &&
    a.subject === identity.subject &&
    a.purpose === identity.purpose &&
    a.caseRef === identity.caseRef &&
    entry.body === body
  );
}

/**
 * Calls in flight to one subgraph endpoint (one table per data source). Calls are found by a
 * short bucket key — the identity and the body's length, never the body or the token itself: a
 * Map hashes its whole key, and hashing a fresh entity fetch of several kB on every call cost
 * more than a parse — then matched exactly, token and body included, against the bucket's few
 * entries.
 */
export class InFlightCalls {
  private readonly buckets = new Map<string, Entry[]>();
  private count = 0;

  /** Calls in flight now. */
  get size(): number {
    return this.count;
  }

  private static bucketOf(identity: DedupIdentity, body: string): string {
    // A JSON array: unambiguous whatever the strings hold.
    return JSON.stringify([identity.agency, identity.subject, identity.purpose, identity.caseRef ?? null, identity.token.length, body.length]);
  }

  /**
   * The call in flight for exactly this identity and body, sent less than `maxAgeMs` ago, if any.
   * An older one is not joined (a call whose headers are late, or whose body trickles in, is
   * not one to wait for): the caller sends its own, which later identical calls then join.
   */
  find(identity: DedupIdentity, body: string, maxAgeMs: number): InFlightCall | undefined {
    if (this.count === 0) return undefined;
    const entries = this.buckets.get(InFlightCalls.bucketOf(identity, body));
    if (!entries) return undefined;
    const now = performance.now();
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as Entry;
      if (now - e.sentAt < maxAgeMs && sameCall(e, identity, body)) return e.call;
    }
    return undefined;
  }

  /**
   * Makes `outcome` the call in flight for this identity and body until it settles. The entry is
   * removed before anyone awaiting the returned promise resumes, so a call made once the answer
   * is in is sent anew.
   */
  lead(
    identity: DedupIdentity,
    body: string,
    requestId: string | undefined,
    outcome: Promise<RawSubgraphOutcome>,
    reading: SharedReading = new SharedReading(),
  ): Promise<RawSubgraphOutcome> {
    const bucket = InFlightCalls.bucketOf(identity, body);
    const leave = (): void => {
      const entries = this.buckets.get(bucket);
      const at = entries ? entries.indexOf(entry) : -1;
      if (entries && at >= 0) {
        entries.splice(at, 1);
        this.count -= 1;
        if (entries.length === 0) this.buckets.delete(bucket);
      }
    };
    // Left on either outcome: a call that failed in flight must not stay joinable.
    const settled = outcome.then(
      (raw) => {
        leave();
        return raw;
      },
      (error: unknown) => {
        leave();
        throw error;
      },
    );
    const entry: Entry = { identity, body, call: { outcome: settled, requestId, reading }, sentAt: performance.now() };
    const entries = this.buckets.get(bucket);
    if (entries) entries.push(entry);
    else this.buckets.set(bucket, [entry]);
    this.count += 1;
    return settled;
  }
}

/** Subgraph operation texts whose operation type is known, by text; bounded (see {@link operationTypeOf}). */
const OPERATION_TYPE_MEMO_BYTES = 256 * 1024;

/**
 * Remembers the operation type of subgraph operation texts. The planner produces the same few
 * texts over and over (they are part of cached plans), and parsing one costs several µs: the memo
 * keeps that off the hot path. It is keyed by the text alone, the very string of the cached plan
 * (whose hash V8 keeps, so a lookup does not read the text again). Its bound is small and fixed
 * (a text of up to 32 kB is kept, and 256 kB of them at most per subgraph, ~2 bytes per
 * character), outside the cache budget.
 */
export class OperationTypes {
  private readonly memo = new ByteLruCache<string, { readonly operationName: string | null; readonly type: OperationTypeNode | null }>({
    maxBytes: OPERATION_TYPE_MEMO_BYTES,
    maxEntryBytes: 64 * 1024,
    sizeOf: (_value, key) => 2 * key.length + 96,
  });

  /**
   * The type of the operation `query` runs (the one named `operationName`, or its only one), or
   * undefined when that cannot be told: not parseable, no such operation, several without a name.
   * Undefined is never merged.
   */
  of(query: string, operationName: string | null | undefined): OperationTypeNode | undefined {
    const name = operationName ?? null;
    const known = this.memo.get(query);
    if (known !== undefined && known.operationName === name) return known.type ?? undefined;
    const type = operationTypeOf(query, operationName);
    this.memo.set(query, { operationName: name, type: type ?? null });
    return type;
  }
}

/** Parses `query` and returns the type of the operation that would run; see {@link OperationTypes.of}. */
export function operationTypeOf(query: string, operationName: string | null | undefined): OperationTypeNode | undefined {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return undefined;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName ? operations.filter((o) => o.name?.value === operationName) : operations;
  if (chosen.length !== 1) return undefined;
  return chosen[0]?.operation;
}

/** Whether a subgraph call may be merged with an identical one in flight: queries only. */
export function isMergeable(type: OperationTypeNode | undefined): boolean {
  return type === OperationTypeNode.QUERY;
}
