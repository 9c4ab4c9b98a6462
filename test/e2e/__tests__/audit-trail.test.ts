/**
 * Who saw what, and why, end to end on both stores: every response carries an auditId that
 * `pactum audit query` finds with what it released; no audit, no data; service resumes when the
 * store returns; the chain verifies.
 */
import { e2eAuditStore, type E2eAuditStore, type StoreKind } from '../../src/audit-store';
import { ask } from '../../src/client';
import { runAuditCli } from '../../src/run-audit-cli';
import { startStack, type Stack } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

/** One line of `pactum audit query --format jsonl`: the event plus its place in the chain. */
interface StoredRecord {
  id: string;
  outcome: string;
  principal: { subject: string; agency: string } | null;
  purpose: { code: string; justification?: string } | null;
  refusal?: { code: string; reason: string };
  enforcement?: { fieldsRequested: string[]; released: { type: string; key: string; owner: string }[]; grants: { agreement: string; grant: string }[] };
  chain: string;
  seq: number;
  hash: string;
}

describe.each<StoreKind>(['sqlite', 'postgres'])('audit trail on %s', (kind) => {
  let store: E2eAuditStore;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    store = await e2eAuditStore(kind);
    stack = await startStack({ env: store.env });
    token = await stack.keys.token(NL_INVESTIGATOR);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await store?.cleanup();
  });

  const dossier = () =>
    ask(stack.gatewayUrl, {
      token,
      purpose: 'drug-trafficking',
      justification: 'seizure follow-up',
      operation: 'ContainerDossier',
      variables: { number: 'MSCU1234566' },
    });

  async function recordOf(auditId: string): Promise<StoredRecord> {
    const out = await runAuditCli(['query', '--id', auditId, '--format', 'jsonl', ...store.cliArgs(stack.stateDir)]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0] as string) as StoredRecord;
  }

  test('a released response carries an auditId that `pactum audit query` finds with what it released', async () => {
    const reply = await dossier();
    expect(reply.status).toBe(200);
    const auditId = reply.body.extensions?.auditId as string;
    expect(auditId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const record = await recordOf(auditId);
    expect(record.principal).toEqual({ subject: 'j.devries', agency: 'NL-POLICE' });
    expect(record.purpose).toMatchObject({ code: 'drug-trafficking', justification: 'seizure follow-up' });
    expect(record.enforcement?.fieldsRequested).toEqual(expect.arrayContaining(['Query.container', 'Container.number']));
    expect(record.enforcement?.released).toEqual(
      expect.arrayContaining([{ type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' }]),
    );
    expect(record.enforcement?.grants.length).toBeGreaterThan(0);

    // "Who saw container MSCU1234566?" finds this request.
    const byEntity = await runAuditCli(['query', '--entity', 'Container:MSCU1234566', '--format', 'jsonl', ...store.cliArgs(stack.stateDir)]);
    expect(byEntity.code).toBe(0);
    expect(byEntity.stdout).toContain(auditId);
    // Keys and paths only: no field values of the released records.
    expect(JSON.stringify(record)).not.toContain('BANAANSCHIL');
  });

  test('a refused request is recorded too', async () => {
    const reply = await ask(stack.gatewayUrl, { purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
    expect(reply.status).toBe(401);
    const record = await recordOf(reply.body.extensions?.auditId as string);
    expect(record.outcome).toBe('refused');
    expect(record.refusal).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
  });

  test('no audit, no data: the store down gives 503 AUDIT_UNAVAILABLE, and service resumes when it returns', async () => {
    await store.down(stack.stateDir);
    try {
      const reply = await dossier();
      expect(reply.status).toBe(503);
      expect(reply.body.data).toBeUndefined();
      expect(reply.body.errors?.[0]?.extensions?.code).toBe('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(reply.body)).not.toContain('MSCU1234566');
    } finally {
      await store.up();
    }
    let reply = await dossier();
    for (let i = 0; i < 20 && reply.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      reply = await dossier();
    }
    expect(reply.status).toBe(200);
    expect((reply.body.data as { container: { number: string } }).container.number).toBe('MSCU1234566');
  }, 60_000);

  test('`pactum audit verify` passes on the trail the gateway wrote', async () => {
    const out = await runAuditCli(['verify', ...store.cliArgs(stack.stateDir)]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
  });
});
