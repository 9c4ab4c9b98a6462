/**
 * Trusted operations end to end (`PACTUM_OPERATIONS`), with the committed manifest, real tokens
 * and the real audit trail: one fleet, a gateway per mode. `known` runs manifest documents only
 * (whatever their layout), `ids-only` runs them by id only, `any` runs everything and ids too;
 * an unknown id, a text that is not its id's document, a malformed id are refused — each
 * refusal with the code and reason its audit record holds.
 */
import path from 'node:path';
import { operationId, readOperationsManifest } from '@pactum/schema';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { runAuditCli } from '../../src/run-audit-cli';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

type Mode = 'any' | 'known' | 'ids-only';
const MODES: readonly Mode[] = ['any', 'known', 'ids-only'];

const manifest = readOperationsManifest();
const byName = (name: string) => {
  const op = manifest.operations.find((o) => o.name === name);
  if (!op) throw new Error(`no ${name} in the manifest`);
  return op;
};
const HIT_CHECK = byName('ContainerHitCheck');
const VARIABLES = { number: 'MSCU1234566' };
/** ContainerHitCheck as a person would write it: comments, commas, another layout. */
const HIT_CHECK_REWRAPPED = `# the same document, laid out by hand
query ContainerHitCheck($number: ContainerNumber!) { container(number: $number) {
  number, policeHit { hit reference } # Prüm-style
  europolHit { hit, reference } } }`;
const AD_HOC = 'query Mine($number: ContainerNumber!) { container(number: $number) { number sizeType } }';

let fleet: Fleet;
let token: string;
const gateways = new Map<Mode, RunningGateway>();
const auditFile = (mode: Mode) => path.join(fleet.stateDir, 'audit', `${mode}.sqlite`);

beforeAll(async () => {
  fleet = await startFleet();
  token = await fleet.keys.token(NL_INVESTIGATOR);
  for (const mode of MODES) {
    gateways.set(mode, await startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_OPERATIONS: mode, PACTUM_AUDIT_FILE: auditFile(mode) })));
  }
}, 180_000);
afterAll(async () => {
  for (const g of gateways.values()) await g.stop();
  await fleet?.stop();
});

interface Reply {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; reason?: string } }[]; extensions?: { auditId?: string } };
}

const url = (mode: Mode): string => (gateways.get(mode) as RunningGateway).url;
const headers = () => ({ authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking' });
const persisted = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });

async function post(mode: Mode, body: unknown): Promise<Reply> {
  const res = await fetch(url(mode), { method: 'POST', headers: { 'content-type': 'application/json', ...headers() }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

async function get(mode: Mode, params: Record<string, unknown>): Promise<Reply> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(`${url(mode)}?${search}`, { headers: { ...headers(), 'apollo-require-preflight': '1' } });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

interface StoredRecord {
  outcome: string;
  httpStatus: number;
  principal: { subject: string; agency: string } | null;
  operation: { name: string | null; hash: string } | null;
  refusal?: { code: string; reason: string };
}

async function recordOf(mode: Mode, reply: Reply): Promise<StoredRecord> {
  const id = reply.body.extensions?.auditId;
  expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  const out = await runAuditCli(['query', '--id', id as string, '--format', 'jsonl', '--file', auditFile(mode)]);
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout.trim()) as StoredRecord;
}

/** Released with the hit check's data, and recorded under the manifest id. */
async function expectHitCheckRan(mode: Mode, reply: Reply): Promise<void> {
  expect(reply.body.errors).toBeUndefined();
  expect(reply.status).toBe(200);
  expect(reply.body.data).toEqual({ container: { number: 'MSCU1234566', policeHit: { hit: true, reference: expect.any(String) }, europolHit: { hit: expect.any(Boolean), reference: expect.anything() } } });
  const record = await recordOf(mode, reply);
  expect(record.outcome).toBe('released');
  expect(record.operation).toMatchObject({ name: 'ContainerHitCheck', hash: HIT_CHECK.id });
}

/** Refused with `code`/`reason` and no data; the record is the principal's refusal with the same words. */
async function expectRefused(mode: Mode, reply: Reply, status: number, code: string, reason: string): Promise<StoredRecord> {
  expect({ status: reply.status, data: reply.body.data, error: reply.body.errors?.[0]?.extensions }).toEqual({ status, data: undefined, error: { code, reason } });
  const record = await recordOf(mode, reply);
  expect(record).toMatchObject({ outcome: 'refused', httpStatus: status, principal: { agency: 'NL-POLICE', subject: NL_INVESTIGATOR.sub }, refusal: { code, reason } });
  return record;
}

describe('known: only manifest documents run', () => {
  it('an ad-hoc query is refused PERSISTED_QUERY_NOT_IN_LIST, and the record names the attempted text', async () => {
    const reply = await post('known', { query: AD_HOC, variables: VARIABLES });
    expect(reply.body.errors?.[0]?.message).toBe('this document is not a trusted operation of this gateway (see schema/operations/manifest.json)');
    const record = await expectRefused('known', reply, 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'operation_not_trusted');
    expect(record.operation).toEqual({ name: null, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('the manifest document with other whitespace and comments runs, recorded under its manifest id', async () => {
    expect(operationId(HIT_CHECK_REWRAPPED)).toBe(HIT_CHECK.id);
    await expectHitCheckRan('known', await post('known', { query: HIT_CHECK_REWRAPPED, variables: VARIABLES }));
    // Seen again: the remembered text takes the same way.
    await expectHitCheckRan('known', await post('known', { query: HIT_CHECK_REWRAPPED, variables: VARIABLES }));
  });

  it('a manifest document changed by one field is not in the list', async () => {
    const widened = HIT_CHECK_REWRAPPED.replace('number,', 'number sizeType,');
    await expectRefused('known', await post('known', { query: widened, variables: VARIABLES }), 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'operation_not_trusted');
  });

  it('text that is not GraphQL is not in the list either (it never reaches the parser unbounded)', async () => {
    await expectRefused('known', await post('known', { query: '{ container(number: ' }), 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'operation_not_trusted');
  });

  it('a text past a request limit is refused by the limit before any lookup', async () => {
    const deep = `{ ${'a { '.repeat(40)}b${' }'.repeat(40)} }`;
    await expectRefused('known', await post('known', { query: deep }), 400, 'BAD_USER_INPUT', 'limit_depth');
  });
});

describe('ids-only: only by id', () => {
  it('the manifest text without its id is refused PERSISTED_QUERY_ID_REQUIRED', async () => {
    await expectRefused('ids-only', await post('ids-only', { query: HIT_CHECK.body, variables: VARIABLES }), 400, 'PERSISTED_QUERY_ID_REQUIRED', 'operation_id_required');
  });

  it('the id alone runs, over POST and over GET', async () => {
    await expectHitCheckRan('ids-only', await post('ids-only', { extensions: persisted(HIT_CHECK.id), variables: VARIABLES }));
    await expectHitCheckRan('ids-only', await get('ids-only', { extensions: persisted(HIT_CHECK.id), variables: VARIABLES, operationName: 'ContainerHitCheck' }));
  });

  it('the id with its own text runs; with another text it is refused persisted_query_mismatch', async () => {
    await expectHitCheckRan('ids-only', await post('ids-only', { query: HIT_CHECK_REWRAPPED, extensions: persisted(HIT_CHECK.id), variables: VARIABLES }));
    await expectRefused('ids-only', await post('ids-only', { query: AD_HOC, extensions: persisted(HIT_CHECK.id), variables: VARIABLES }), 400, 'BAD_USER_INPUT', 'persisted_query_mismatch');
  });
});

describe.each(MODES)('in mode %s', (mode) => {
  it('an id the manifest does not hold is PERSISTED_QUERY_NOT_SUPPORTED (no APQ), with or without its text', async () => {
    const unknown = operationId(AD_HOC);
    const reply = await post(mode, { extensions: persisted(unknown), variables: VARIABLES });
    await expectRefused(mode, reply, 400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'unknown_document_id');
    // An APQ registration (text + its own hash) is not honoured either.
    await expectRefused(mode, await post(mode, { query: AD_HOC, extensions: persisted(unknown), variables: VARIABLES }), 400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'unknown_document_id');
  });

  it('a known id with variables that do not fit its document is BAD_USER_INPUT', async () => {
    // $number missing (another document's variable instead); $number not a container number.
    await expectRefused(mode, await post(mode, { extensions: persisted(HIT_CHECK.id), variables: { iban: 'NL91ABNA0417164300' } }), 400, 'BAD_USER_INPUT', 'invalid_variables');
    await expectRefused(mode, await post(mode, { extensions: persisted(HIT_CHECK.id), variables: { number: 42 } }), 400, 'BAD_USER_INPUT', 'invalid_input');
    await expectRefused(mode, await post(mode, { extensions: persisted(HIT_CHECK.id), variables: VARIABLES, operationName: 'Other' }), 400, 'BAD_USER_INPUT', 'unknown_operation');
  });

  it('a known id runs its manifest document', async () => {
    await expectHitCheckRan(mode, await post(mode, { extensions: persisted(HIT_CHECK.id), variables: VARIABLES }));
  });

  it.each<[string, unknown]>([
    ['not hex', { persistedQuery: { version: 1, sha256Hash: 'g'.repeat(64) } }],
    ['too short', { persistedQuery: { version: 1, sha256Hash: HIT_CHECK.id.slice(0, 63) } }],
    ['too long', { persistedQuery: { version: 1, sha256Hash: `${HIT_CHECK.id}0` } }],
    ['not a string', { persistedQuery: { version: 1, sha256Hash: 7 } }],
    ['another version', { persistedQuery: { version: 2, sha256Hash: HIT_CHECK.id } }],
    ['not an object', { persistedQuery: HIT_CHECK.id }],
  ])('a malformed id (%s) is BAD_USER_INPUT malformed_persisted_query, over POST and GET', async (_what, extensions) => {
    await expectRefused(mode, await post(mode, { extensions, variables: VARIABLES }), 400, 'BAD_USER_INPUT', 'malformed_persisted_query');
    await expectRefused(mode, await get(mode, { extensions, variables: VARIABLES }), 400, 'BAD_USER_INPUT', 'malformed_persisted_query');
  });

  it('the draft documentId field is refused with a pointer to extensions.persistedQuery', async () => {
    const reply = await post(mode, { documentId: HIT_CHECK.id, variables: VARIABLES });
    await expectRefused(mode, reply, 400, 'BAD_USER_INPUT', 'malformed_persisted_query');
    expect(reply.body.errors?.[0]?.message).toContain('extensions.persistedQuery');
  });
});

describe('any: everything runs', () => {
  it('an ad-hoc query runs, recorded under the hash of its own text', async () => {
    const reply = await post('any', { query: AD_HOC, variables: VARIABLES });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ container: { number: 'MSCU1234566', sizeType: expect.any(String) } });
    expect((await recordOf('any', reply)).operation?.name).toBe('Mine');
  });

  it('the upper-case spelling of a known id is the same id', async () => {
    await expectHitCheckRan('any', await post('any', { extensions: persisted(HIT_CHECK.id.toUpperCase()), variables: VARIABLES }));
  });
});
