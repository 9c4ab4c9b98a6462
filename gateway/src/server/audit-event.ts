/**
 * The one mapping from what the pipeline learnt about a request to its audit record: the
 * request's ids and time, the principal (also when it was refused: misuse is attributable), the
 * declared purpose, the operation, the enforcement report, and — for a refused request —
 * the refusal, whose code and reason are those of the answer's first error. Keys and paths
 * only: no field values.
 */
import type { AuditEnforcement, AuditEvent, AuditOutcome, AuditTransfer } from '../audit';
import type { DeclaredPurpose, Principal } from '../auth';
import type { EnforcementReport } from '../enforce';
import type { WireError } from './format-error';
import type { RequestStart } from './stages/begin-request';

export type { AuditOutcome } from '../audit';

/** Where audit events go; resolves once the record is durable, rejects otherwise. */
export interface AuditSink {
  append(event: AuditEvent): Promise<unknown>;
}

/** What the pipeline knows of a request when its answer is ready (more the further it got). */
export interface RequestFacts {
  readonly start: RequestStart;
  /** The verified principal and the purpose it declared; absent when it never got that far. */
  readonly identity?: { readonly principal: Principal; readonly purpose: DeclaredPurpose };
  /** The operation that ran (its name, the sha256 of the client's text). */
  readonly operation?: { readonly name: string | null; readonly hash: string };
  readonly enforcement?: EnforcementReport;
  /** The version of the policy the request's profile was computed from. */
  readonly policyVersion?: string;
  /** Personal data released to a third-country principal (stages/mark-transfer.ts). */
  readonly transfer?: AuditTransfer;
  /** The subgraphs called, in order (for the log line; never in the record). */
  readonly subgraphCalls?: readonly string[];
  /** For each of its subgraph calls that joined one in flight, the request id that call went out with (for the log line; never in the record). */
  readonly subgraphJoined?: readonly string[];
}

/** The answer as the record describes it. */
export interface AnswerFacts {
  readonly status: number;
  readonly hasData: boolean;
  readonly errors: readonly WireError[];
}

/** The enforcement report as the audit trail keeps it. */
export function auditEnforcement(report: EnforcementReport): AuditEnforcement {
  return {
    policyVersion: report.policyVersion,
    fieldsRequested: report.fieldsRequested,
    fieldDenials: report.fieldDenials,
    rowDenials: report.rowDenials,
    released: report.released,
    grants: report.grants,
    ...(report.executedOperationHash !== undefined ? { executedOperationHash: report.executedOperationHash } : {}),
  };
}

/** Classifies an answer for the audit trail. */
export function outcomeOf(answer: AnswerFacts, report: EnforcementReport | undefined): AuditOutcome {
  if (answer.status >= 400 && !answer.hasData) return 'refused';
  const denied = report ? report.fieldDenials.length + report.rowDenials.length : 0;
  if (!answer.hasData) return answer.errors.some((e) => e.extensions.code === 'FORBIDDEN') || denied > 0 ? 'denied' : 'error';
  if (denied > 0) return report && report.released.length === 0 && report.grants.length === 0 ? 'denied' : 'partial';
  return 'released';
}

function purposeOf(p: DeclaredPurpose): NonNullable<AuditEvent['purpose']> {
  return {
    code: p.code,
    ...(p.justification !== undefined ? { justification: p.justification } : {}),
    ...(p.caseRef !== undefined ? { caseRef: p.caseRef } : {}),
  };
}

/** The record of one request. */
export function auditRecord(facts: RequestFacts, answer: AnswerFacts, outcome: AuditOutcome): AuditEvent {
  const first = answer.errors[0];
  const refused = outcome === 'refused' && first !== undefined;
  const { start, identity, operation, enforcement } = facts;
  return {
    id: start.auditId,
    time: start.receivedAt,
    requestId: start.requestId,
    outcome,
    httpStatus: answer.status,
    principal: identity ? { subject: identity.principal.subject, agency: identity.principal.agency } : null,
    purpose: identity ? purposeOf(identity.purpose) : null,
    operation: operation
      ? { name: operation.name, hash: operation.hash, ...(enforcement?.executedOperationHash ? { executedHash: enforcement.executedOperationHash } : {}) }
      : null,
    ...(refused ? { refusal: { code: first.extensions.code, reason: first.extensions.reason } } : {}),
    ...(enforcement ? { enforcement: auditEnforcement(enforcement) } : {}),
    // A transfer is documented only for an answer that carried data (never for a refusal).
    ...(facts.transfer && !refused && answer.hasData ? { transfer: facts.transfer } : {}),
    policyVersion: enforcement?.policyVersion ?? facts.policyVersion ?? null,
  };
}
