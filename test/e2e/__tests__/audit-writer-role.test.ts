/**
 * The least-privilege audit writer of docs/operating.md, as written there: the SQL block is
 * taken from the document and run; a gateway runs as that role and serves with its records
 * appended; the role cannot change, remove or create anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { TEST_PG_URL, assertPostgresReachable } from '@pactum/gateway/src/audit/__tests__/support/store-harness';
import { loadGatewayConfig, memoryLog, startGateway } from '@pactum/gateway/src/testing';
import { checkpointKeys } from '../../src/checkpoint-keys';
import { ask } from '../../src/client';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

const repoRoot = path.resolve(__dirname, '../../..');
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const schema = `audit_role_${suffix}`;
const role = `pactum_audit_writer_${suffix}`;

/** The SQL block under "A least-privilege audit writer", for this test's schema and role. */
function documentedSql(): string {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs/operating.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## A least-privilege audit writer'));
  const sql = /```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!sql) throw new Error('no SQL block in docs/operating.md');
  return sql.replaceAll('"pactum_audit"', `"${schema}"`).replaceAll('pactum_audit_writer', role);
}

const writerUrl = (): string => {
  const url = new URL(TEST_PG_URL);
  url.username = role;
  url.password = 'change-me';
  return url.toString();
};

let admin: Client;
let fleet: Fleet | undefined;

beforeAll(async () => {
  await assertPostgresReachable();
  admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  // The owner creates the layout once (any open does), then the writer role is made.
  const owner = await openAuditTrail({ url: TEST_PG_URL, schema, replicaId: 'owner' });
  await owner.close();
  await admin.query(documentedSql());
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

test('a gateway running as the writer role serves, and every answer has its record; the chain verifies', async () => {
  fleet = await startFleet({ env: { PACTUM_AUDIT_URL: writerUrl(), PACTUM_AUDIT_SCHEMA: schema, PACTUM_AUDIT_REPLICA: 'writer-replica' } });
  const log = memoryLog();
  const gateway = await startGateway(loadGatewayConfig(fleet.gatewayEnv), log);
  const ids: string[] = [];
  try {
    const token = await fleet.keys.token(NL_CUSTOMS_OFFICER);
    for (let i = 0; i < 5; i++) {
      const reply = await ask(gateway.url, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
      expect(reply.status).toBe(200);
      ids.push(reply.body.extensions?.auditId as string);
    }
    const ready = await fetch(gateway.url.replace('/graphql', '/readyz'));
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.audit).toBe('ok');
  } finally {
    await gateway.stop();
  }
  // Nothing the gateway does needed more than the role has: no failure logged, the shutdown checkpoint signed and stored.
  expect(log.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  const checkpoints = await admin.query(`SELECT kind FROM "${schema}".audit_checkpoint WHERE chain = 'writer-replica'`);
  expect(checkpoints.rows.map((r: { kind: string }) => r.kind)).toContain('shutdown');
  const trail = await openAuditTrail({ url: TEST_PG_URL, schema, replicaId: 'reader' });
  try {
    const stored = new Set<string>();
    for await (const r of trail.query({})) stored.add(r.id);
    expect(ids.filter((id) => !stored.has(id))).toEqual([]);
    expect((await trail.verify({ checkpointKeys: checkpointKeys(fleet) })).ok).toBe(true);
  } finally {
    await trail.close();
  }
}, 120_000);

describe('what the writer role may not do', () => {
  let writer: Client;
  beforeAll(async () => {
    writer = new Client({ connectionString: writerUrl() });
    await writer.connect();
  });
  afterAll(async () => writer.end());

  test.each([
    ['change a record', `UPDATE "${schema}".audit_record SET outcome = 'released'`],
    ['delete a record', `DELETE FROM "${schema}".audit_record`],
    ['truncate the records', `TRUNCATE "${schema}".audit_record`],
    ['change an entity row', `UPDATE "${schema}".audit_entity SET owner = 'X'`],
    ['delete an entity link', `DELETE FROM "${schema}".audit_entity_link`],
    ['delete an entity index row', `DELETE FROM "${schema}".audit_entity_second`],
    ['delete an aggregate', `DELETE FROM "${schema}".audit_stat_hour`],
    ['delete a chain head', `DELETE FROM "${schema}".audit_head`],
    ['change a checkpoint', `UPDATE "${schema}".audit_checkpoint SET jws = 'x'`],
    ['delete a checkpoint', `DELETE FROM "${schema}".audit_checkpoint`],
    ['drop a table', `DROP TABLE "${schema}".audit_record`],
    ['create a table in the schema', `CREATE TABLE "${schema}".shadow (id int)`],
    ['create an index', `CREATE INDEX shadow_idx ON "${schema}".audit_record (agency)`],
    ['read the entity links (not needed to write)', `SELECT * FROM "${schema}".audit_entity_link`],
  ])('%s: permission denied', async (_what, sql) => {
    await expect(writer.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/^(42501)$/) });
  });
});
