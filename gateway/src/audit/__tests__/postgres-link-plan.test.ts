/**
 * How PostgreSQL runs the link read of verify and query (`linkIndexedSql`): one probe of the
 * entity index per link, never a hashed subplan over the whole index. Left to itself the planner
 * hashes the index while it is small enough to look cheap — on a trail of 10^5 records every page
 * then hashed 140,000 rows, and verify ran four times slower than at 2·10^5. A trail of a few
 * hundred records, analysed, is enough for the planner to make that choice.
 */
import { linkIndexedSql, type AuditTables } from '../stores/filter-sql';
import { collect, type AuditEvent, type AuditTrail } from '../index';
import { RecordGenerator } from '../bench/generate-records';
import { createHarness, type StoreHarness } from './support/store-harness';

let h: StoreHarness;
let trail: AuditTrail;

beforeAll(async () => {
  h = await createHarness('postgres');
  trail = await h.open();
  const gen = new RecordGenerator({ seed: 5 });
  const events: AuditEvent[] = Array.from({ length: 600 }, () => gen.next());
  for (let i = 0; i < events.length; i += 100) await Promise.all(events.slice(i, i + 100).map((e) => trail.append(e)));
  for (const table of ['audit_record', 'audit_entity_link', 'audit_entity_second', 'audit_entity']) await h.sql(`ANALYZE ${table}`);
}, 60_000);

afterAll(async () => {
  await trail.close();
  await h.cleanup();
});

// Unqualified names: the harness's connection has the trail's schema on its search path.
const tables = { link: 'audit_entity_link', entitySecond: 'audit_entity_second' } as AuditTables;
const plan = async (indexed: string): Promise<string> =>
  (await h.sql(`EXPLAIN (VERBOSE) SELECT l.pos, l.eid, l.time_ms, ${indexed} FROM audit_entity_link l WHERE l.pos >= 0`)).map((r) => String(r['QUERY PLAN'])).join('\n');

test('the link read probes the entity index per link; the same EXISTS unfenced is hashed', async () => {
  const fenced = await plan(linkIndexedSql(tables));
  expect(fenced).toMatch(/Index Only Scan using audit_entity_second_pkey/);
  expect(fenced).not.toMatch(/hashed SubPlan/i);
  // What the fence prevents, on the same tables: without it this planner hashes the whole index.
  const unfenced = linkIndexedSql(tables).replace(' OFFSET 0', '');
  expect(unfenced).not.toBe(linkIndexedSql(tables));
  expect(await plan(unfenced)).toMatch(/hashed SubPlan/i);
});

test('verify and query --entity still read every link with its index flag', async () => {
  const report = await trail.verify();
  expect(report).toMatchObject({ ok: true, checked: 600 });
  const first = (await collect(trail.query({ limit: 1 })))[0];
  const entity = first?.event.enforcement?.released[0];
  if (!entity) throw new Error('the generated trail released no entity');
  expect((await collect(trail.query({ entity: { type: entity.type, key: entity.key } }))).length).toBeGreaterThan(0);
});
