/**
 * Every answer of /graphql carries the id of its audit record, and that record exists — also
 * for requests Apollo Server refuses before its pipeline (no query, CSRF-blocked, batched).
 */
import { runAuditCli } from '../../src/run-audit-cli';
import { startStack, type Stack } from '../../src/stack';
import path from 'node:path';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.keys.token(NL_CUSTOMS_OFFICER);
}, 120_000);
afterAll(async () => stack?.stop());

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[]; extensions?: { auditId?: string } } };
}

test.each([
  ['an empty object', '{}'],
  ['an empty query', '{"query":""}'],
  ['a batch', '[{"query":"{ __typename }"}]'],
  ['a JSON null', 'null'],
])('%s is refused with 400, an auditId, and a record of the refusal', async (_what, body) => {
  const reply = await post(body);
  expect(reply.status).toBe(400);
  expect(reply.body.data).toBeUndefined();
  const auditId = reply.body.extensions?.auditId;
  expect(auditId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  const out = await runAuditCli(['query', '--id', auditId as string, '--format', 'jsonl', '--file', path.join(stack.stateDir, 'audit', 'audit.sqlite')]);
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout.trim()) as { outcome: string }).toMatchObject({ outcome: 'refused' });
});

test('a CSRF-blocked request (text/plain) is refused with an auditId and no data', async () => {
  const reply = await post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' });
  expect(reply.status).toBe(400);
  expect(reply.body.data).toBeUndefined();
  expect(reply.body.extensions?.auditId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
});
