/**
 * The pipeline as a client meets it: the whole gateway server (node:http, the stages, a real
 * @apollo/gateway over two fixture subgraphs on loopback), with a stand-in authentication
 * (`x-agency` names the principal), hand-built access profiles, an in-memory audit sink and a
 * captured operator log. Every answer is checked against its audit record.
 */
import type { AuditEvent } from '../../audit';
import { principalOf } from '../../enforce/__tests__/fixtures/start-enforced-gateway';
import { fakePolicy, fakeProfile } from '../../enforce/__tests__/fixtures/fake-policy';
import { composeFixture, startFixtureSubgraphs, type RunningSubgraph } from '../../enforce/__tests__/fixtures/fixture-subgraphs';
import { UnauthenticatedError, isWireCode } from '../../errors';
import { memoryLog } from '../../log';
import { createGatewayServer, type RunningGateway } from '../create-gateway-server';
import { fixtureGatewayConfig } from './support/fixture-gateway-config';

const EVERYTHING = ['Query.*', 'Mutation.*', 'Container.*', 'Seizure.*', 'PortCall.*', 'RecordLabel.*', 'Hit.*', 'Investigation.*', 'Person.*'];
const policy = fakePolicy({
  'NL-POLICE': fakeProfile({ key: 'full', allow: EVERYTHING }),
  'BE-POLICE': fakeProfile({ key: 'be', allow: ['Query.*', 'Container.number'], deny: { 'Mutation.flagContainer': 'NO_AGREEMENT' } }),
  'XX-BROKEN': fakeProfile({
    key: 'broken',
    allow: ['Query.*', 'Container.number'],
    row: ['Container.sizeType'],
    rows: {
      Container: () => {
        throw new Error('row rules exploded');
      },
    },
  }),
});

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; locations?: unknown; path?: unknown[]; extensions: { code: string; reason: string } }[];
  extensions?: { auditId?: string };
}

let customs: RunningSubgraph;
let police: RunningSubgraph;
let gateway: RunningGateway;
const records = new Map<string, AuditEvent>();
const log = memoryLog();

beforeAll(async () => {
  ({ customs, police } = await startFixtureSubgraphs());
  const { supergraphSdl } = composeFixture({ customs: customs.url, police: police.url });
  const config = fixtureGatewayConfig(supergraphSdl, { customs: customs.url, police: police.url }, { introspection: true });
  gateway = await createGatewayServer(config, {
    async authenticate(headers) {
      const agency = headers['x-agency'];
      if (typeof agency !== 'string') throw new UnauthenticatedError('missing_token', 'no principal');
      return { principal: principalOf(agency), purpose: { code: 'drug-trafficking' } };
    },
    policy: () => policy,
    audit: {
      async append(event) {
        records.set(event.id, event);
      },
    },
    contextToken: async (_subgraph, caller) => ({ token: 'fixture', requestId: caller.requestId }),
    scalars: {},
    log,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([customs?.stop(), police?.stop()]);
});

async function send(init: { method?: string; body?: string; agency?: string | null; headers?: Record<string, string>; search?: string }) {
  const headers: Record<string, string> = { ...(init.method === 'GET' ? {} : { 'content-type': 'application/json' }), ...init.headers };
  if (init.agency !== null) headers['x-agency'] = init.agency ?? 'NL-POLICE';
  const res = await fetch(`${gateway.url}${init.search ?? ''}`, { method: init.method ?? 'POST', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const body = (await res.json()) as Body;
  const record = records.get(body.extensions?.auditId ?? '');
  return { status: res.status, headers: res.headers, body, record };
}
const post = (query: string, extra: Record<string, unknown> = {}, agency?: string) => send({ body: JSON.stringify({ query, ...extra }), ...(agency ? { agency } : {}) });

describe('one vocabulary: the wire code, the HTTP status and the audit record agree', () => {
  const MULTI = 'query A { containers { number } } query B { containers { number } }';
  const rows: [string, () => ReturnType<typeof send>, string, string, number][] = [
    ['no principal', () => send({ body: '{"query":"{ containers { number } }"}', agency: null }), 'UNAUTHENTICATED', 'missing_token', 401],
    ['malformed JSON', () => send({ body: '{"query":' }), 'BAD_USER_INPUT', 'malformed_json', 400],
    ['a batch', () => send({ body: '[{"query":"{ containers { number } }"}]' }), 'BAD_USER_INPUT', 'batch_not_supported', 400],
    ['no query', () => send({ body: '{}' }), 'BAD_USER_INPUT', 'missing_query', 400],
    ['a CSRF-shaped request', () => send({ body: '{"query":"{ containers { number } }"}', headers: { 'content-type': 'text/plain' } }), 'BAD_USER_INPUT', 'csrf_blocked', 400],
    ['an unknown persisted query id (APQ off)', () => post('{ containers { number } }', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }), 'PERSISTED_QUERY_NOT_SUPPORTED', 'unknown_document_id', 400],
    ['a malformed persisted query id', () => post('{ containers { number } }', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } }), 'BAD_USER_INPUT', 'malformed_persisted_query', 400],
    ['a syntax error', () => post('{ containers { number '), 'GRAPHQL_PARSE_FAILED', 'syntax_error', 400],
    ['an unknown field', () => post('{ containers { numbr } }'), 'GRAPHQL_VALIDATION_FAILED', 'invalid_operation', 400],
    ['a missing variable', () => post('query($n: String!) { container(number: $n) { number } }'), 'BAD_USER_INPUT', 'invalid_variables', 400],
    ['several operations, no operationName', () => post(MULTI), 'BAD_USER_INPUT', 'operation_name_required', 400],
    ['an unknown operationName', () => post(MULTI, { operationName: 'C' }), 'BAD_USER_INPUT', 'unknown_operation', 400],
    ['a subscription', () => post('subscription { containers { number } }'), 'BAD_USER_INPUT', 'subscription', 400],
    ['a mutation over GET', () => send({ method: 'GET', search: `?query=${encodeURIComponent('mutation { flagContainer(number: "MSCU1234566") { number } }')}`, headers: { 'apollo-require-preflight': '1' } }), 'BAD_USER_INPUT', 'method_not_allowed', 405],
    ['a denied mutation', () => post('mutation { flagContainer(number: "MSCU1234566") { number } }', {}, 'BE-POLICE'), 'FORBIDDEN', 'NO_AGREEMENT', 403],
    ['a failure inside enforcement', () => post('{ container(number: "MSCU1234566") { number sizeType } }', {}, 'XX-BROKEN'), 'INTERNAL_SERVER_ERROR', 'enforcement_failed', 500],
    ['a principal no profile can be built for', () => post('{ containers { number } }', {}, 'NOBODY'), 'INTERNAL_SERVER_ERROR', 'enforcement_failed', 500],
  ];
  // The HTTP status is written out per row, not read from the table under test.
  test.each(rows.map(([what, request, code, reason, status]) => ({ what, request, code, reason, status })))(
    '$what → $code / $reason',
    async ({ request, code, reason, status }) => {
    const reply = await request();
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors?.[0]?.extensions).toEqual({ code, reason });
    expect(isWireCode(code)).toBe(true);
    expect(reply.status).toBe(status);
    expect(reply.record).toMatchObject({ outcome: 'refused', httpStatus: reply.status, refusal: { code, reason } });
    expect(reply.headers.get('x-request-id')).toBe(reply.record?.requestId);
  },
  );

  test('an answer with data and field errors: the same codes, 200, no refusal on the record', async () => {
    const reply = await post('{ c: container(number: "MSCU1234566") { number } i: investigation(agency: "NL-POLICE", localId: "NL-ONB-2024-0456") { codeName } }', {}, 'BE-POLICE');
    expect(reply.status).toBe(200);
    expect(reply.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_IN_POLICY' }]);
    expect(reply.record?.outcome).toBe('partial');
    expect(reply.record?.refusal).toBeUndefined();
    expect(reply.record?.enforcement?.fieldDenials.map((d) => d.reason)).toContain('NOT_IN_POLICY');
  });
});

describe('operations', () => {
  test('a multi-operation document runs the one named', async () => {
    const reply = await post('query A { containers { number } } query B { c: container(number: "MSCU1234566") { number } }', { operationName: 'B' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ c: { number: 'MSCU1234566' } });
    expect(reply.record?.operation).toMatchObject({ name: 'B' });
  });

  test('a query over GET is served (with a preflight header), its auditId on the answer', async () => {
    const reply = await send({ method: 'GET', search: `?query=${encodeURIComponent('{ c: container(number: "MSCU1234566") { number } }')}`, headers: { 'apollo-require-preflight': '1' } });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ c: { number: 'MSCU1234566' } });
    expect(reply.record?.outcome).toBe('released');
  });

  test('a GET without a preflight header is refused as a potential CSRF', async () => {
    const reply = await send({ method: 'GET', search: `?query=${encodeURIComponent('{ containers { number } }')}` });
    expect([reply.status, reply.body.errors?.[0]?.extensions.reason]).toEqual([400, 'csrf_blocked']);
  });

  test('no "Did you mean" in any message', async () => {
    const reply = await post('{ containers { numbe } }');
    expect(reply.body.errors?.[0]?.message).toBe('Cannot query field "numbe" on type "Container".');
  });

  test('introspection alone is answered from the filtered schema, without any subgraph', async () => {
    customs.received.length = 0;
    police.received.length = 0;
    const reply = await post('{ __typename t: __type(name: "Investigation") { name } }', {}, 'BE-POLICE');
    expect(reply.body).toMatchObject({ data: { __typename: 'Query', t: null } });
    expect([...customs.received, ...police.received]).toEqual([]);
    const full = await post('{ t: __type(name: "Investigation") { name } }');
    expect(full.body.data).toEqual({ t: { name: 'Investigation' } });
  });
});

describe('an internal failure', () => {
  test('is answered 500 with a stable code and no data, and logged with the request id (never sent)', async () => {
    log.lines.length = 0;
    const reply = await send({ body: JSON.stringify({ query: '{ container(number: "MSCU1234566") { number sizeType } }' }), agency: 'XX-BROKEN', headers: { 'x-request-id': 'req-broken-1' } });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'enforcement_failed' } }], extensions: { auditId: reply.record?.id } });
    expect(JSON.stringify(reply.body)).not.toContain('exploded');
    const failures = log.lines.filter((l) => l.level === 'error');
    expect(failures).toEqual([expect.objectContaining({ fields: expect.objectContaining({ requestId: 'req-broken-1', reason: 'enforcement_failed' }) })]);
    expect(failures[0]?.fields.error).toContain('row rules exploded');
    // The request's own line says how it ended, without the internal detail.
    const line = log.lines.find((l) => l.fields.event === 'request' && l.fields.requestId === 'req-broken-1');
    expect(line?.fields).toMatchObject({ outcome: 'refused', status: 500, code: 'INTERNAL_SERVER_ERROR', reason: 'enforcement_failed', agency: 'XX-BROKEN' });
    expect(JSON.stringify(line)).not.toContain('exploded');
    expect(reply.record).toMatchObject({ requestId: 'req-broken-1', principal: { agency: 'XX-BROKEN' }, refusal: { code: 'INTERNAL_SERVER_ERROR', reason: 'enforcement_failed' } });
  });
});
