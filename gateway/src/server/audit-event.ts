/**
 * Builds the one audit record of a request from the shared request context and the response
 * the client is about to get. Keys and paths only: no field values.
 */
import type { AuditEvent, AuditOutcome } from '../audit';
import type { PactumRequestContext } from '../context';
import type { PactumError } from '../errors';

export type { AuditOutcome } from '../audit';
/** What the gateway hands the audit trail; see `gateway/src/audit`. */
export type GatewayAuditEvent = AuditEvent;

/** Where audit events go; resolves once the record is durable, rejects otherwise. */
export interface AuditSink {
  append(event: GatewayAuditEvent): Promise<unknown>;
}

/** The record of a request refused before it reached GraphQL (bad token, purpose, body). */
export function refusalEvent(
  ids: { auditId: string; requestId: string; receivedAt: Date },
  error: PactumError,
  identity?: Pick<PactumRequestContext, 'principal' | 'purpose'>,
): GatewayAuditEvent {
  return {
    id: ids.auditId,
    time: ids.receivedAt,
    requestId: ids.requestId,
    outcome: 'refused',
    httpStatus: error.httpStatus,
    principal: identity ? { subject: identity.principal.subject, agency: identity.principal.agency } : null,
    purpose: identity ? purposeOf(identity.purpose) : null,
    operation: null,
    refusal: { code: error.code, reason: error.reason },
    policyVersion: null,
  };
}

function purposeOf(p: PactumRequestContext['purpose']): GatewayAuditEvent['purpose'] {
  return {
    code: p.code,
    ...(p.justification !== undefined ? { justification: p.justification } : {}),
    ...(p.caseRef !== undefined ? { caseRef: p.caseRef } : {}),
  };
}

/** Classifies a GraphQL response for the audit trail. */
export function outcomeOf(ctx: PactumRequestContext, httpStatus: number, hasData: boolean, errorCodes: readonly string[]): AuditOutcome {
  if (httpStatus >= 400 && !hasData) return 'refused';
  const e = ctx.enforcement;
  const denied = e ? e.fieldDenials.length + e.rowDenials.length : 0;
  if (!hasData) return errorCodes.includes('FORBIDDEN') || denied > 0 ? 'denied' : 'error';
  if (denied > 0) return e && e.released.length === 0 && e.grants.length === 0 ? 'denied' : 'partial';
  return 'released';
}

/** The record of a request that went through GraphQL. */
export function responseEvent(
  ctx: PactumRequestContext,
  httpStatus: number,
  outcome: AuditOutcome,
  refusal?: { code: string; reason: string },
): GatewayAuditEvent {
  return {
    id: ctx.auditId,
    time: ctx.receivedAt,
    requestId: ctx.requestId,
    outcome,
    httpStatus,
    principal: { subject: ctx.principal.subject, agency: ctx.principal.agency },
    purpose: purposeOf(ctx.purpose),
    operation: ctx.operation
      ? {
          name: ctx.operation.name,
          hash: ctx.operation.hash,
          ...(ctx.enforcement?.executedOperationHash ? { executedHash: ctx.enforcement.executedOperationHash } : {}),
        }
      : null,
    ...(refusal ? { refusal } : {}),
    ...(ctx.enforcement ? { enforcement: ctx.enforcement } : {}),
    policyVersion: ctx.enforcement?.policyVersion ?? null,
  };
}
