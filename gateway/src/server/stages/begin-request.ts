/**
 * Stage 0: what every answer needs before anything can go wrong — the request id (the client's
 * `x-request-id` when it is a sane token, else a fresh UUID), the audit record's id (so even a
 * refusal carries it), and the time the request arrived: the one clock reading of the request,
 * from which its access profile is computed too.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { newAuditId } from '../../audit';

/** The identity of one request, fixed as it arrives. */
export interface RequestStart {
  readonly requestId: string;
  /** Id of this request's audit record, returned to the client as `extensions.auditId`. */
  readonly auditId: string;
  /** The request's own time: audit record, agreement validity and profile all read this one. */
  readonly receivedAt: Date;
  /** Monotonic start (`process.hrtime.bigint()`), for the duration metric. */
  readonly startedAt: bigint;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function beginRequest(req: IncomingMessage, now: () => Date): RequestStart {
  const startedAt = process.hrtime.bigint();
  const receivedAt = now();
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  return { requestId, auditId: newAuditId(receivedAt), receivedAt, startedAt };
}
