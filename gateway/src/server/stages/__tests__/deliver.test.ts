/**
 * Delivery on its own, behind a real node:http server: the answer leaves only once its record is
 * appended; a sink that rejects, or throws instead of rejecting, gets 503 AUDIT_UNAVAILABLE and
 * no data; and the answer is the one handed over, serialised then — what its objects become while
 * the append is under way is not what is sent (nothing of it is held through the wait).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '../../../audit';
import { memoryLog } from '../../../log';
import type { AuditSink } from '../../audit-event';
import { createGatewayMetrics } from '../../metrics';
import { beginRequest } from '../begin-request';
import { createDelivery, type Answer } from '../deliver';

async function serve(audit: AuditSink, answer: () => Answer): Promise<{ url: string; close: () => Promise<void> }> {
  const deliver = createDelivery({ audit, metrics: createGatewayMetrics(), log: memoryLog() });
  const server = http.createServer((req, res) => {
    void deliver(res, { start: beginRequest(req, () => new Date()) }, answer());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

const answered = (): Answer => ({ status: 200, body: { data: { container: { number: 'MSCU1234566' } } } });

test.each<[string, AuditSink['append']]>([
  ['rejects', async () => Promise.reject(new Error('store down'))],
  [
    'throws instead of rejecting',
    () => {
      throw new Error('store down');
    },
  ],
])('a sink that %s: 503 AUDIT_UNAVAILABLE, no data', async (_what, append) => {
  const s = await serve({ append }, answered);
  try {
    const res = await fetch(s.url);
    const body = (await res.json()) as { data?: unknown; errors: { extensions: unknown }[] };
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.extensions).toEqual({ code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' });
  } finally {
    await s.close();
  }
});

test('the answer leaves after its append, as it was when handed over, with the record id', async () => {
  let commit: () => void = () => undefined;
  const events: AuditEvent[] = [];
  let handed: Answer | undefined;
  const s = await serve(
    {
      append: (event) => {
        events.push(event);
        return new Promise<void>((r) => (commit = r));
      },
    },
    () => (handed = answered()),
  );
  try {
    const reply = fetch(s.url);
    while (events.length === 0) await new Promise((r) => setTimeout(r, 5));
    // Changed while the append waits: not what is sent.
    (handed?.body.data?.container as Record<string, unknown>).number = 'EDITED';
    let settled = false;
    void reply.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    commit();
    const res = await reply;
    const body = (await res.json()) as { data: unknown; extensions: { auditId: string } };
    expect(res.status).toBe(200);
    expect(body.data).toEqual({ container: { number: 'MSCU1234566' } });
    expect(body.extensions.auditId).toBe(events[0]?.id);
    expect(res.headers.get('x-request-id')).toBe(events[0]?.requestId);
  } finally {
    await s.close();
  }
});
