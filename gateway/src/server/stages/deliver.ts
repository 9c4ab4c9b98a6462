/**
 * Stages 7 and 8, audit → respond, for every answer (released or refused): the record is
 * appended, durably, and only then does the answer leave, stamped with `extensions.auditId`.
 * When the trail cannot take the record the client gets 503 AUDIT_UNAVAILABLE and nothing else:
 * no audit, no data.
 */
import type { ServerResponse } from 'node:http';
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

export function createDelivery(deps: { readonly audit: AuditSink; readonly metrics: GatewayMetrics }): Deliver {
  const { audit, metrics } = deps;
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
      metrics.duration.observe({ outcome: 'audit_unavailable' }, seconds());
      sendJson(
        res,
        503,
        { errors: [{ message: 'audit trail unavailable; no data released', extensions: { code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' } }], extensions: { auditId: start.auditId } },
        { ...idHeader, 'retry-after': '1' },
      );
      return;
    }
    appended();
    for (const d of enforcement?.fieldDenials ?? []) metrics.denials.inc({ reason: d.reason });
    for (const d of enforcement?.rowDenials ?? []) metrics.denials.inc({ reason: d.reason });
    metrics.requests.inc({ outcome });
    metrics.duration.observe({ outcome }, seconds());
    sendJson(res, answer.status, { ...answer.body, extensions: { ...answer.body.extensions, auditId: start.auditId } }, { ...answer.headers, ...idHeader });
  };
}
