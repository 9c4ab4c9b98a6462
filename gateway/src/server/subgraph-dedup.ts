/**
 * In-flight deduplication of subgraph calls: while a query is on its way to a subgraph, an
 * identical one made for the same caller waits for that answer instead of sending its own.
 * Repeated dossiers (fifty analysts opening the same container) then cost one subgraph call per
 * distinct fetch, as they do behind Hive Gateway or Grafbase.
 *
 * What makes it safe for need-to-know: a subgraph may answer differently per caller (it reads the
 * context token), so the key holds everything the subgraph sees that could change its answer —
 * the subgraph, the path, the exact body, the context token itself and, beside it, the identity
 * the token vouches for (agency, subject, purpose, case). Two callers differing in any of these
 * never share a call. Only queries are merged (the operation type is parsed, never guessed from a
 * prefix), and only while in flight: the entry leaves the table the moment the answer (or the
 * failure) is in, so nothing is ever served from it afterwards.
 *
 * What is shared is the raw answer (status and body text), never an object: every waiter parses
 * its own copy, because @apollo/gateway merges subgraph results into its own objects and
 * post-processing rewrites them per request.
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
}

/** Who a subgraph call is for, as far as its answer can depend on it. */
export interface DedupIdentity {
  readonly subgraph: string;
  /** Path and query string of the subgraph endpoint. */
  readonly path: string;
  /** The context token the call carries (`authorization: Bearer`). */
  readonly token: string;
  readonly agency: string;
  readonly subject: string;
  readonly purpose: string;
  readonly caseRef: string | undefined;
}

/**
 * The key of a call. The identity is a JSON array, which ends unambiguously, so the body can
 * follow it as it is (no second escaping of a large entity fetch).
 */
export function dedupKey(identity: DedupIdentity, body: string): string {
  const { subgraph, path, token, agency, subject, purpose, caseRef } = identity;
  return JSON.stringify([subgraph, path, token, agency, subject, purpose, caseRef ?? null]) + body;
}

/** Calls in flight by key; one table per subgraph data source. */
export class InFlightCalls {
  private readonly calls = new Map<string, InFlightCall>();

  /** Calls in flight now. */
  get size(): number {
    return this.calls.size;
  }

  /** The call in flight under `key`, if any. */
  find(key: string): InFlightCall | undefined {
    return this.calls.get(key);
  }

  /**
   * Makes `outcome` the call in flight under `key` until it settles. The entry is removed before
   * anyone awaiting the returned promise resumes, so a call made once the answer is in is sent anew.
   */
  lead(key: string, requestId: string | undefined, outcome: Promise<RawSubgraphOutcome>): Promise<RawSubgraphOutcome> {
    const settled = outcome.then((raw) => {
      if (this.calls.get(key) === call) this.calls.delete(key);
      return raw;
    });
    const call: InFlightCall = { outcome: settled, requestId };
    this.calls.set(key, call);
    return settled;
  }
}

/** Subgraph operation texts whose operation type is known, by text; bounded (see {@link operationTypeOf}). */
const OPERATION_TYPE_MEMO_BYTES = 256 * 1024;

/**
 * Remembers the operation type of subgraph operation texts. The planner produces the same few
 * texts over and over (they are part of cached plans), and parsing one costs ~15 µs: the memo
 * keeps that off the hot path. Its bound is small and fixed (a text of up to 32 kB is kept, and
 * 256 kB of them at most per subgraph, ~2 bytes per character), outside the cache budget.
 */
export class OperationTypes {
  private readonly memo = new ByteLruCache<string, OperationTypeNode | null>({
    maxBytes: OPERATION_TYPE_MEMO_BYTES,
    maxEntryBytes: 64 * 1024,
    sizeOf: (_value, key) => 2 * key.length + 64,
  });

  /**
   * The type of the operation `query` runs (the one named `operationName`, or its only one), or
   * undefined when that cannot be told: not parseable, no such operation, several without a name.
   * Undefined is never merged.
   */
  of(query: string, operationName: string | null | undefined): OperationTypeNode | undefined {
    const memoKey = `${operationName ?? ''}\u0000${query}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known ?? undefined;
    const found = operationTypeOf(query, operationName);
    this.memo.set(memoKey, found ?? null);
    return found;
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
