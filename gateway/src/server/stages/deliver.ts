/**
 * Stages 7 and 8, audit → respond, for every answer (released or refused): the record is
 * appended, durably, and only then does the answer leave, stamped with `extensions.auditId`.
 * When the trail cannot take the record the client gets 503 AUDIT_UNAVAILABLE and nothing else:
 * no audit, no data. Each answer is counted and gets its one log line (`log/request-log-line.ts`).
 */
import type { ServerResponse } from 'node:http';
import { requestLogFields, type OperatorLog } from '../../log';
import { auditRecord, outcomeOf, type AuditSink, type RequestFacts } from '../audit-event';
import type { WireError } from '../format-error';
import type { GatewayMetrics } from '../metrics';
import { sendJson } from '../send-json';

/** An answer ready to be audited and sent. */
export interface Answer {
  readonly status: number;
  readonly body: {
    readonly data?: Record<string, unknown> | null;
    readonly errors?: readonly WireError[];
    readonly extensions?: Readonly<Record<string, unknown>>;
  };
  readonly headers?: Readonly<Record<string, string>>;
}

export type Deliver = (res: ServerResponse, facts: RequestFacts, answer: Answer) => Promise<void>;

/** The log line of an answered request, from the facts (only what `RequestLogInput` allows). */
function logRequest(log: OperatorLog, facts: RequestFacts, outcome: string, status: number, seconds: number, errors: readonly WireError[]): void {
  // Below the log level the line is not even built.
  if (log.isLevelEnabled && !log.isLevelEnabled('info')) return;
  const { start, identity, operation, enforcement } = facts;
  const first = errors[0]?.extensions;
  log.info(
    requestLogFields({
      requestId: start.requestId,
      auditId: start.auditId,
      ...(identity ? { principal: { agency: identity.principal.agency, subject: identity.principal.subject }, purpose: identity.purpose.code } : {}),
      ...(operation
        ? { operation: { name: operation.name, hash: operation.hash, ...(enforcement?.executedOperationHash ? { executedHash: enforcement.executedOperationHash } : {}) } }
        : {}),
      outcome,
      status,
      durationMs: seconds * 1000,
      ...(status >= 400 && first ? { refusal: { code: first.code, reason: first.reason } } : {}),
      ...(enforcement ? { denials: enforcement.fieldDenials.length + enforcement.rowDenials.length } : {}),
      subgraphCalls: facts.subgraphCalls ?? [],
    }),
    'request',
  );
}

export function createDelivery(deps: { readonly audit: AuditSink; readonly metrics: GatewayMetrics; readonly log: OperatorLog }): Deliver {
  const { audit, metrics, log } = deps;
  return async (res, facts, answer) => {
    const { start, enforcement } = facts;
    const errors = answer.body.errors ?? [];
    const answerFacts = { status: answer.status, hasData: answer.body.data !== undefined && answer.body.data !== null, errors };
    const outcome = outcomeOf(answerFacts, enforcement);
    const event = auditRecord(facts, answerFacts, outcome);
    const idHeader = { 'x-request-id': start.requestId };
    const seconds = (): number => Number(process.hrtime.bigint() - start.startedAt) / 1e9;

    const appended = metrics.auditAppend.startTimer();
    try {
      await audit.append(event);
    } catch {
      appended();
      metrics.requests.inc({ outcome: 'audit_unavailable' });
      const took = seconds();
      metrics.duration.observe({ outcome: 'audit_unavailable' }, took);
      if (facts.operation) metrics.countOperation(facts.operation.name, facts.operation.hash, 'audit_unavailable');
      sendJson(
        res,
        503,
        { errors: [{ message: 'audit trail unavailable; no data released', extensions: { code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' } }], extensions: { auditId: start.auditId } },
        { ...idHeader, 'retry-after': '1' },
      );
      logRequest(log, facts, 'audit_unavailable', 503, took, [{ message: '', extensions: { code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' } }]);
      return;
    }
    appended();
    for (const d of enforcement?.fieldDenials ?? []) metrics.denials.inc({ reason: d.reason });
    for (const d of enforcement?.rowDenials ?? []) metrics.denials.inc({ reason: d.reason });
    metrics.requests.inc({ outcome });
    const took = seconds();
    metrics.duration.observe({ outcome }, took);
    if (facts.operation) metrics.countOperation(facts.operation.name, facts.operation.hash, outcome);
    sendJson(res, answer.status, { ...answer.body, extensions: { ...answer.body.extensions, auditId: start.auditId } }, { ...answer.headers, ...idHeader });
    logRequest(log, facts, outcome, answer.status, took, errors);
  };
}
