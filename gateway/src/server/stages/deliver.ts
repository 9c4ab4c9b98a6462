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
import { sendJson, sendJsonText } from '../send-json';

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

/** What the log line of an answered request takes from its facts: small, so it can outlive them. */
interface LogFacts {
  readonly start: RequestFacts['start'];
  readonly identity: RequestFacts['identity'];
  readonly operation: RequestFacts['operation'];
  readonly executedHash: string | undefined;
  readonly denials: number | undefined;
  readonly subgraphCalls: readonly string[];
  readonly subgraphJoined: readonly string[];
}

function logFactsOf(facts: RequestFacts): LogFacts {
  const { start, identity, operation, enforcement } = facts;
  return {
    start,
    identity,
    operation,
    executedHash: enforcement?.executedOperationHash,
    denials: enforcement ? enforcement.fieldDenials.length + enforcement.rowDenials.length : undefined,
    subgraphCalls: facts.subgraphCalls ?? [],
    subgraphJoined: facts.subgraphJoined ?? [],
  };
}

/** The log line of an answered request (only what `RequestLogInput` allows). */
function logRequest(log: OperatorLog, facts: LogFacts, outcome: string, status: number, seconds: number, errors: readonly WireError[]): void {
  // Below the log level the line is not even built.
  if (log.isLevelEnabled && !log.isLevelEnabled('info')) return;
  const { start, identity, operation } = facts;
  const first = errors[0]?.extensions;
  log.info(
    requestLogFields({
      requestId: start.requestId,
      auditId: start.auditId,
      ...(identity ? { principal: { agency: identity.principal.agency, subject: identity.principal.subject }, purpose: identity.purpose.code } : {}),
      ...(operation ? { operation: { name: operation.name, hash: operation.hash, ...(facts.executedHash ? { executedHash: facts.executedHash } : {}) } } : {}),
      outcome,
      status,
      durationMs: seconds * 1000,
      ...(status >= 400 && first ? { refusal: { code: first.code, reason: first.reason } } : {}),
      ...(facts.denials !== undefined ? { denials: facts.denials } : {}),
      subgraphCalls: facts.subgraphCalls,
      subgraphJoined: facts.subgraphJoined,
    }),
    'request',
  );
}

const AUDIT_UNAVAILABLE = { code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' } as const;

export function createDelivery(deps: { readonly audit: AuditSink; readonly metrics: GatewayMetrics; readonly log: OperatorLog }): Deliver {
  const { audit, metrics, log } = deps;
  /**
   * The answer is serialised, and everything the rest needs taken from the facts, before the
   * audit wait: that wait spans a group commit on the writer thread, during which the main thread
   * serves other requests and the young generation is collected more than once. An answer's
   * object tree held across it (a 1,000-row list: thousands of objects) survives those
   * collections and is promoted, to be marked and compacted later; its text is one flat string
   * that costs the collector next to nothing. The caller passes the facts and the answer on and
   * keeps neither (`handle-graphql-request.ts` returns this promise rather than awaiting it).
   */
  return (res, facts, answer) => {
    const { start, enforcement } = facts;
    const errors = answer.body.errors ?? [];
    const answerFacts = { status: answer.status, hasData: answer.body.data !== undefined && answer.body.data !== null, errors };
    const outcome = outcomeOf(answerFacts, enforcement);
    const appended = metrics.auditAppend.startTimer();
    let appending: Promise<unknown>;
    try {
      appending = audit.append(auditRecord(facts, answerFacts, outcome));
    } catch (error) {
      appending = Promise.reject(error); // a sink that throws instead of rejecting: the same 503
    }
    const text = JSON.stringify({ ...answer.body, extensions: { ...answer.body.extensions, auditId: start.auditId } });
    const headers = { ...answer.headers, 'x-request-id': start.requestId };
    const denialReasons = [...(enforcement?.fieldDenials ?? []), ...(enforcement?.rowDenials ?? [])].map((d) => d.reason);
    return finish(res, appending, appended, { status: answer.status, text, headers, outcome, logged: errors.slice(0, 1), denialReasons, logFacts: logFactsOf(facts) });
  };

  async function finish(
    res: ServerResponse,
    appending: Promise<unknown>,
    appended: () => void,
    a: { status: number; text: string; headers: Record<string, string>; outcome: string; logged: readonly WireError[]; denialReasons: string[]; logFacts: LogFacts },
  ): Promise<void> {
    const { start, operation } = a.logFacts;
    const seconds = (): number => Number(process.hrtime.bigint() - start.startedAt) / 1e9;
    try {
      await appending;
    } catch {
      appended();
      metrics.requests.inc({ outcome: 'audit_unavailable' });
      const took = seconds();
      metrics.duration.observe({ outcome: 'audit_unavailable' }, took);
      if (operation) metrics.countOperation(operation.name, operation.hash, 'audit_unavailable');
      sendJson(
        res,
        503,
        { errors: [{ message: 'audit trail unavailable; no data released', extensions: AUDIT_UNAVAILABLE }], extensions: { auditId: start.auditId } },
        { 'x-request-id': start.requestId, 'retry-after': '1' },
      );
      logRequest(log, a.logFacts, 'audit_unavailable', 503, took, [{ message: '', extensions: AUDIT_UNAVAILABLE }]);
      return;
    }
    appended();
    for (const reason of a.denialReasons) metrics.denials.inc({ reason });
    metrics.requests.inc({ outcome: a.outcome });
    const took = seconds();
    metrics.duration.observe({ outcome: a.outcome }, took);
    if (operation) metrics.countOperation(operation.name, operation.hash, a.outcome);
    sendJsonText(res, a.status, a.text, a.headers);
    logRequest(log, a.logFacts, a.outcome, a.status, took, a.logged);
  }
}
