/**
 * The one log line per request: who (agency, subject), why (the purpose code), what (operation
 * name and hash, the subgraphs called, the requests whose identical calls in flight served some
 * of them), how it ended (outcome, HTTP status, refusal code and reason, duration) and the ids
 * that lead to its audit record. Built from an allow-list: the
 * record's justification and case reference, the token, variables and every field value stay
 * out by construction — the input type has no place for them.
 */
import type { LogFields } from './operator-log';

/** What a request log line may say, and nothing else. */
export interface RequestLogInput {
  readonly requestId: string;
  readonly auditId: string;
  /** The verified principal; absent when the request was refused before authentication. */
  readonly principal?: { readonly agency: string; readonly subject: string };
  /** The declared purpose's code (never its justification or case reference). */
  readonly purpose?: string;
  /** The operation (name, sha256 of the client's text) and the hash of the document that ran. */
  readonly operation?: { readonly name: string | null; readonly hash: string; readonly executedHash?: string };
  readonly outcome: string;
  readonly status: number;
  readonly durationMs: number;
  /** A refusal's wire code and reason (words of the errors vocabulary). */
  readonly refusal?: { readonly code: string; readonly reason: string };
  /** Field and row denials, by count. */
  readonly denials?: number;
  /** The subgraph calls made, in order (a subgraph called twice is named twice). */
  readonly subgraphCalls: readonly string[];
  /**
   * For each of them that joined an identical call in flight instead of being sent, the request
   * id that call went out with: the `x-request-id` the subgraph's logs show for it.
   */
  readonly subgraphJoined?: readonly string[];
}

/** The fields of the request's line (see the file comment). */
export function requestLogFields(r: RequestLogInput): LogFields {
  const subgraphs = [...new Set(r.subgraphCalls)].sort();
  return {
    event: 'request',
    requestId: r.requestId,
    auditId: r.auditId,
    ...(r.principal ? { agency: r.principal.agency, subject: r.principal.subject } : {}),
    ...(r.purpose !== undefined ? { purpose: r.purpose } : {}),
    ...(r.operation
      ? {
          operationName: r.operation.name,
          operationHash: r.operation.hash,
          ...(r.operation.executedHash !== undefined ? { executedHash: r.operation.executedHash } : {}),
        }
      : {}),
    outcome: r.outcome,
    status: r.status,
    durationMs: Math.round(r.durationMs * 1000) / 1000,
    ...(r.refusal ? { code: r.refusal.code, reason: r.refusal.reason } : {}),
    ...(r.denials !== undefined ? { denials: r.denials } : {}),
    subgraphCalls: r.subgraphCalls.length,
    subgraphs,
    ...(r.subgraphJoined && r.subgraphJoined.length > 0 ? { joinedCalls: r.subgraphJoined.length, joinedRequestIds: [...new Set(r.subgraphJoined)].sort() } : {}),
  };
}
