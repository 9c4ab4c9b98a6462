/**
 * Refusals at the door, end to end with real tokens and the real audit trail: a verified
 * principal that declares what it may not (purpose, missing justification, a case that is not
 * its own) is refused 403 and recorded by name; text that could rewrite how the trail reads
 * (control and bidi characters) is refused 400 wherever it comes in, while any UTF-8 text is
 * stored exactly; a document that does not say which of its operations to run is a 400. In
 * every case the answer's code and reason are the record's.
 */
import path from 'node:path';
import { runAuditCli } from '../../src/run-audit-cli';
import { startStack, type Stack } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.keys.token({ ...NL_INVESTIGATOR, purposes: ['drug-trafficking', 'asset-recovery'] });
}, 120_000);
afterAll(async () => stack?.stop());

interface Reply {
  status: number;
  body: { data?: unknown; errors?: { extensions?: { code?: string; reason?: string } }[]; extensions?: { auditId?: string } };
}
interface StoredRecord {
  outcome: string;
  httpStatus: number;
  principal: { subject: string; agency: string } | null;
  purpose: { code: string; justification?: string; caseRef?: string } | null;
  refusal?: { code: string; reason: string };
}

/** What a client's HTTP library sends for a header given as UTF-8 text: its bytes. */
const utf8Header = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

async function send(headers: Record<string, string>, body: unknown = { query: '{ container(number: "MSCU1234566") { number } }' }): Promise<Reply> {
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

async function recordOf(reply: Reply): Promise<StoredRecord> {
  const id = reply.body.extensions?.auditId;
  expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  const out = await runAuditCli(['query', '--id', id as string, '--format', 'jsonl', '--file', path.join(stack.stateDir, 'audit', 'audit.sqlite')]);
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout.trim()) as StoredRecord;
}

/** The answer is refused with `code`/`reason`, and its record says exactly that. */
async function expectRefusal(reply: Reply, status: number, code: string, reason: string): Promise<StoredRecord> {
  expect(reply.status).toBe(status);
  expect(reply.body.data).toBeUndefined();
  expect(reply.body.errors?.[0]?.extensions).toEqual({ code, reason });
  const record = await recordOf(reply);
  expect(record).toMatchObject({ outcome: 'refused', httpStatus: status, refusal: { code, reason } });
  return record;
}

const J_DEVRIES = { subject: 'j.devries', agency: 'NL-POLICE' };

describe('a verified principal declaring what it may not: 403, recorded with the principal', () => {
  test('a purpose the token does not permit', async () => {
    const record = await expectRefusal(await send({ 'x-purpose': 'money-laundering' }), 403, 'FORBIDDEN', 'purpose_not_permitted');
    expect(record.principal).toEqual(J_DEVRIES);
    expect(record.purpose).toEqual({ code: 'money-laundering' });
  });

  test('a purpose that requires a justification, without one', async () => {
    const record = await expectRefusal(await send({ 'x-purpose': 'asset-recovery' }), 403, 'FORBIDDEN', 'justification_required');
    expect(record.principal).toEqual(J_DEVRIES);
  });

  test("a case reference that is not one of the token's cases", async () => {
    const record = await expectRefusal(await send({ 'x-case-ref': 'EJ-2024-0173' }), 403, 'FORBIDDEN', 'case_not_permitted');
    expect(record).toMatchObject({ principal: J_DEVRIES, purpose: { code: 'drug-trafficking', caseRef: 'EJ-2024-0173' } });
  });

  test("the token's own case is accepted and recorded", async () => {
    const reply = await send({ 'x-case-ref': 'NL-ONB-2024-0456' });
    expect(reply.status).toBe(200);
    expect((await recordOf(reply)).purpose).toEqual({ code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' });
  });
});

describe('free text: refused with control or bidi characters, stored exactly otherwise', () => {
  test.each([
    ['a justification with a right-to-left override', { 'x-justification': utf8Header('routine check \u202etxt.exe') }],
    ['a justification with a line separator', { 'x-justification': utf8Header('first\u2028second') }],
    ['a case reference with a bidi isolate', { 'x-case-ref': utf8Header('NL-ONB-2024-0456\u2066') }],
  ])('%s → 400', async (_what, headers) => {
    const record = await expectRefusal(await send(headers), 400, 'BAD_USER_INPUT', 'control_characters');
    expect(JSON.stringify(record)).not.toMatch(/[\u202e\u2028\u2066]/);
  });

  test('a token whose sub carries a bidi override → 400, and no principal is recorded', async () => {
    const bad = await stack.keys.token({ ...NL_INVESTIGATOR, sub: 'j.devries\u202eexe.' });
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bad}`, 'x-purpose': 'drug-trafficking' },
      body: JSON.stringify({ query: '{ container(number: "MSCU1234566") { number } }' }),
    });
    const record = await expectRefusal({ status: res.status, body: (await res.json()) as Reply['body'] }, 400, 'BAD_USER_INPUT', 'control_characters');
    expect(record.principal).toBeNull();
  });

  test('UTF-8 in the sub and the justification round-trips into the audit record', async () => {
    const sub = 'jürgen.müller — 警察';
    const justification = 'contrôle conteneur € — 港口 Rotterdam';
    const unicode = await stack.keys.token({ ...NL_INVESTIGATOR, sub });
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${unicode}`, 'x-purpose': 'drug-trafficking', 'x-justification': utf8Header(justification) },
      body: JSON.stringify({ query: '{ container(number: "MSCU1234566") { number } }' }),
    });
    expect(res.status).toBe(200);
    const record = await recordOf({ status: res.status, body: (await res.json()) as Reply['body'] });
    expect(record.principal).toEqual({ subject: sub, agency: 'NL-POLICE' });
    expect(record.purpose).toEqual({ code: 'drug-trafficking', justification });
  });
});

describe('a document with several operations', () => {
  const query = 'query A { container(number: "MSCU1234566") { number } } query B { container(number: "MSCU1234566") { reefer } }';

  test('without operationName → 400 BAD_USER_INPUT, recorded', async () => {
    const record = await expectRefusal(await send({}, { query }), 400, 'BAD_USER_INPUT', 'operation_name_required');
    expect(record.principal).toEqual(J_DEVRIES);
  });

  test('with an unknown operationName → 400 BAD_USER_INPUT, recorded', async () => {
    await expectRefusal(await send({}, { query, operationName: 'C' }), 400, 'BAD_USER_INPUT', 'unknown_operation');
  });

  test('with a known operationName → that operation runs', async () => {
    const reply = await send({}, { query, operationName: 'A' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ container: { number: 'MSCU1234566' } });
  });
});
