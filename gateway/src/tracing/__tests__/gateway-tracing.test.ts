/**
 * The stage spans of `createGatewayTracing`: an async stage ends its span when it settles (with
 * the error's kind when it fails), and while it waits nothing keeps the stage's function — whose
 * closure holds the stage's inputs, such as deliver's answer — reachable.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Span, Tracer } from '@opentelemetry/api';
import { createGatewayTracing } from '../gateway-tracing';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Recorded {
  readonly name: string;
  ended: boolean;
  readonly attributes: Record<string, unknown>;
  status?: number;
}

function recordingTracer(): { tracer: Tracer; spans: Recorded[] } {
  const spans: Recorded[] = [];
  const tracer = {
    startSpan(name: string) {
      const r: Recorded = { name, ended: false, attributes: {} };
      spans.push(r);
      const span = {
        end: () => void (r.ended = true),
        setAttribute: (k: string, v: unknown) => ((r.attributes[k] = v), span),
        setStatus: (s: { code: number }) => ((r.status = s.code), span),
        spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
        isRecording: () => true,
      };
      return span as unknown as Span;
    },
  };
  return { tracer: tracer as unknown as Tracer, spans };
}

function sendAfter(gate: Promise<void>, answer: object): Promise<number> {
  const text = JSON.stringify(answer);
  return gate.then(() => text.length);
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('stage spans', () => {
  test("an async stage's inputs are not kept while it waits; its span ends when it settles", async () => {
    const { tracer, spans } = recordingTracer();
    const t = createGatewayTracing(tracer);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    // Like the traced deliver: the stage's function holds the answer and calls a function that
    // serialises it and then waits, holding only the text.
    const deliverLike = (answer: object) => () => sendAfter(gate, answer);
    let answer: object | null = { rows: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const held = new WeakRef(answer);
    const sent = t.stage('audit_and_respond', deliverLike(answer));
    answer = null;
    await nextTurn();
    gc();
    expect(held.deref()).toBeUndefined();
    expect(spans).toMatchObject([{ name: 'pactum.audit_and_respond', ended: false }]);
    open();
    expect(await sent).toBeGreaterThan(1000);
    expect(spans[0]?.ended).toBe(true);
  });

  test('a stage that rejects or throws ends its span as an error and passes the error on', async () => {
    const { tracer, spans } = recordingTracer();
    const t = createGatewayTracing(tracer);
    const coded = Object.assign(new Error('the store said no, quoting a value'), { code: 'AUDIT_UNAVAILABLE' });
    await expect(t.stage('audit_and_respond', () => Promise.reject(coded))).rejects.toBe(coded);
    expect(() => t.stage('prepare', () => { throw new TypeError('bad'); })).toThrow('bad');
    expect(t.stage('trust', () => 7)).toBe(7);
    expect(spans).toMatchObject([
      { name: 'pactum.audit_and_respond', ended: true, status: 2, attributes: { 'error.type': 'AUDIT_UNAVAILABLE' } },
      { name: 'pactum.prepare', ended: true, status: 2, attributes: { 'error.type': 'TypeError' } },
      { name: 'pactum.trust', ended: true },
    ]);
    expect(spans[2]?.status).toBeUndefined();
  });
});
