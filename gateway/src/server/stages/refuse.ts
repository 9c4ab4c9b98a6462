/**
 * The one refusal path: whatever stage refuses — a bad token, a purpose the token does not
 * permit, a malformed body, an operation that does not validate, a mutation need-to-know denies,
 * an enforcement failure — the refusal is formatted with the one vocabulary (`errors.ts`,
 * `format-error.ts`), audited with everything the request had established (the verified
 * principal included), counted and answered by {@link Deliver}. An error no caller could have
 * caused is logged with the request id and answered 500 with a stable code and reason; its
 * message never leaves the gateway.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { InternalError, OperationRefusedError, PactumError, UnauthenticatedError, WIRE_STATUS } from '../../errors';
import type { OperatorLog } from '../../log';
import type { RequestFacts } from '../audit-event';
import { formatError, formatRefusal } from '../format-error';
import type { Answer, Deliver } from './deliver';
import { MethodNotAllowedError } from './read-graphql-request';

export type Refuse = (req: IncomingMessage, res: ServerResponse, facts: RequestFacts, error: unknown) => Promise<void>;

/** The answer to a refusal (see the file comment). */
export function refusalAnswer(error: unknown): Answer {
  if (error instanceof OperationRefusedError) {
    const errors = error.errors.map((e) => formatError(e, { code: error.code, reason: error.reason }));
    return { status: WIRE_STATUS[errors[0]?.extensions.code ?? error.code], body: { errors } };
  }
  if (error instanceof PactumError) {
    const formatted = formatRefusal(error);
    const headers: Record<string, string> = {};
    if (error instanceof UnauthenticatedError) headers['www-authenticate'] = 'Bearer';
    if (error instanceof MethodNotAllowedError) headers.allow = error.allow;
    // Any refusal that says when to come back (rate limits, the limiter down, the execution queue full).
    if ('retryAfterSeconds' in error && typeof error.retryAfterSeconds === 'number') headers['retry-after'] = String(error.retryAfterSeconds);
    return { status: formatted.extensions.code === error.code ? error.httpStatus : WIRE_STATUS.INTERNAL_SERVER_ERROR, body: { errors: [formatted] }, headers };
  }
  if (error instanceof GraphQLError) {
    const formatted = formatError(error);
    return { status: WIRE_STATUS[formatted.extensions.code], body: { errors: [formatted] } };
  }
  return refusalAnswer(new InternalError('internal', 'internal error'));
}

function describe(error: unknown): string {
  const cause = error instanceof InternalError && error.cause !== undefined ? error.cause : error;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return typeof cause;
}

export function createRefusal(deps: { readonly deliver: Deliver; readonly log: OperatorLog }): Refuse {
  return async (req, res, facts, error) => {
    // A request refused before its body was read: drain it, so the connection can be reused.
    if (!req.readableEnded) req.resume();
    const answer = refusalAnswer(error);
    const first = answer.body.errors?.[0]?.extensions;
    if (first?.code === 'GATEWAY_BUSY') {
      // Capacity, not a fault: the queue was full, or the client left while it waited.
      deps.log.warn({ event: 'gateway_busy', requestId: facts.start.requestId, auditId: facts.start.auditId, reason: first.reason }, 'request refused: gateway at capacity');
    } else if (answer.status >= 500) {
      deps.log.error(
        { event: 'internal_failure', requestId: facts.start.requestId, auditId: facts.start.auditId, code: first?.code, reason: first?.reason, error: describe(error) },
        'request failed',
      );
    }
    await deps.deliver(res, facts, answer);
  };
}
