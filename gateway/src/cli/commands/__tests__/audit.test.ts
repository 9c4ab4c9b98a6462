/** `pactum audit …` against real trails: SQLite files and a PostgreSQL schema. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runAudit, storeOptions } from './support/run-audit-command';
import { belgianEvent, refusedEvent, releasedEvent } from '../../../audit/__tests__/support/events';
import { createHarness, type StoreHarness } from '../../../audit/__tests__/support/store-harness';
import { seqIs } from '../../../audit/__tests__/support/tamper';
import type { AuditEvent, PeriodReport } from '../../../audit';

const NOW = new Date(Date.UTC(2025, 0, 10, 12, 0, 0));

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runAudit(argv, env, NOW);

describe.each(['sqlite', 'postgres'] as const)('pactum audit on %s', (kind) => {
  let h: StoreHarness;
  let store: string[];
  let events: AuditEvent[];

  beforeAll(async () => {
    h = await createHarness(kind);
    store = storeOptions(kind, h);
    const trail = await h.open();
    const csvTrap = releasedEvent(3, { purpose: { code: 'money-laundering', justification: '=HYPERLINK("x"), "quoted"' } });
    events = [releasedEvent(1), belgianEvent(2), csvTrap, refusedEvent(4)];
    for (const e of events) await trail.append(e);
    await trail.close();
  });

  afterAll(async () => {
    await h.cleanup();
  });

  test('query --entity finds every request that released the container, as a table', async () => {
    const { code, out } = await run(['query', '--entity', 'Container:MSCU1234566', ...store]);
    expect(code).toBe(0);
    expect(out).toContain(events[0]?.id);
    expect(out).toContain(events[2]?.id);
    expect(out).not.toContain(events[1]?.id);
    expect(out).toMatch(/^TIME \(UTC\)\s+AUDIT ID\s+AGENCY\s+SUBJECT\s+PURPOSE\s+JUSTIFICATION\s+CASE/);
    expect(out).toMatch(/NL-CUSTOMS\s+officer-17\s+drug-trafficking\s+reefer from Guayaquil flagged by risk profile\s+NL-ONB-2024-0456\s+partial\s+Container:MSCU1234566, Seizure:SZ-2024-0042\s+1 field NO_AGREEMENT, 1 row HANDLING_RESTRICTED/);
    expect(out).toContain('2 record(s)');
  });

  test('query --format jsonl exports whole records; filters combine', async () => {
    const { code, out } = await run(['query', '--agency', 'NL-CUSTOMS', '--purpose', 'money-laundering', '--format', 'jsonl', ...store]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: events[2]?.id, seq: 3, outcome: 'partial', time: events[2]?.time.toISOString() });
    expect(lines[0]?.enforcement).toMatchObject({ released: events[2]?.enforcement?.released });
  });

  test('query --format csv quotes and defuses formulas; --denied-only and --since with a relative time', async () => {
    const { code, out } = await run(['query', '--denied-only', '--since', '3h', '--format', 'csv', ...store]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^time,auditId,requestId,agency/);
    // since 09:00 (12:00 - 3h): the two denied customs requests and the refused one.
    expect(lines).toHaveLength(4);
    expect(out).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
    expect(out).toContain('UNAUTHENTICATED/token_expired');
  });

  test('report --since: per agency and purpose, denials by reason, top entities; --html writes a standalone page', async () => {
    const { code, out } = await run(['report', '--since', '2025-01-01', '--json', ...store]);
    expect(code).toBe(0);
    const r = JSON.parse(out) as PeriodReport;
    expect(r.requests).toBe(4);
    expect(r.perAgency.find((a) => a.name === 'NL-CUSTOMS')).toMatchObject({ requests: 2, releasing: 2, denying: 2 });
    expect(r.perAgency.find((a) => a.name === '(unauthenticated)')).toMatchObject({ requests: 1, refused: 1 });
    expect(r.topEntities[0]).toMatchObject({ type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS', releases: 2 });
    expect(r.denialReasons).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'refusal', reason: 'UNAUTHENTICATED/token_expired', count: 1 })]));
    const text = await run(['report', '--since', '2025-01-01', '--agency', 'BE-POLICE', ...store]);
    expect(text.out).toMatch(/^audit report 2025-01-01T00:00:00.000Z – 2025-01-10T12:00:00.000Z: 1 request\(s\)/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-report-'));
    const file = path.join(dir, 'r.html');
    expect((await run(['report', '--since', '7d', '--html', file, ...store])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>[^]*id="report-data"/);
    rmSync(dir, { recursive: true, force: true });
    expect((await run(['report', ...store])).code).toBe(2);
    expect((await run(['report', '--since', '7d', '--json', '--html', 'x.html', ...store])).code).toBe(2);
    expect((await run(['report', '--since', 'last tuesday', ...store])).code).toBe(2);
  });

  test('verify passes and prints the anchor; after tampering it fails naming the record', async () => {
    const ok = await run(['verify', ...store]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/OK — 4 record\(s\) checked in 1 chain\(s\)/);
    const anchor = /--expect-head (\S+)\)/.exec(ok.out)?.[1];
    expect(anchor).toMatch(/^gw-1:4:[0-9a-f]{64}$/);
    expect((await run(['verify', '--expect-head', String(anchor), ...store])).code).toBe(0);

    expect(ok.out).toMatch(/aggregates: \d+ row\(s\) agree with the records/);
    expect(ok.out).toContain('sealed records checked from their stored parts');
    const deep = await run(['verify', '--deep', ...store]);
    expect(deep.code).toBe(0);
    expect(deep.out).toContain('every record checked against its content (--deep)');
    await h.sql(`UPDATE audit_record SET subject = 'someone-else' WHERE ${seqIs(2)}`);
    for (const mode of [[], ['--deep']]) {
      const bad = await run(['verify', ...mode, ...store]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`CHANGED at seq 2 (record ${events[1]?.id})`);
    }
    await h.sql(`UPDATE audit_record SET subject = 'be-analyst-3' WHERE ${seqIs(2)}`);
    await h.sql("UPDATE audit_stat_minute SET entities = entities + 1 WHERE kind = ''");
    const skewed = await run(['verify', ...store]);
    expect(skewed.code).toBe(1);
    expect(skewed.out).toMatch(/AGGREGATES differ from the records: the minute .* aggregate says/);
    await h.sql("UPDATE audit_stat_minute SET entities = entities - 1 WHERE kind = ''");
  });

  test('stats per agency and reason over a period', async () => {
    const { code, out } = await run(['stats', '--since', '2025-01-10', '--until', '2025-01-11', ...store]);
    expect(code).toBe(0);
    expect(out).toContain('requests: 4');
    expect(out).toMatch(/NL-CUSTOMS\s+2\s+0\s+2\s+0\s+0\s+0\s+4\s+2\s+2/);
    expect(out).toMatch(/\(unauthenticated\)\s+refusal\s+token_expired\s+1/);
    const json = await run(['stats', '--agency', 'BE-POLICE', '--json', ...store]);
    expect(JSON.parse(json.out)).toMatchObject({ requests: 1, byAgency: [{ agency: 'BE-POLICE', released: 1 }] });
  });
});

describe('pactum audit: bad arguments exit 2 with a clear message', () => {
  let file: string;
  let h: StoreHarness;
  beforeAll(async () => {
    h = await createHarness('sqlite');
    const trail = await h.open();
    await trail.append(releasedEvent(1));
    await trail.close();
    file = String(h.config.file);
  });
  afterAll(() => h.cleanup());

  test.each([
    [[], /missing audit command/],
    [['explode'], /unknown audit command "explode"/],
    [['query', '--format', 'xml'], /--format must be table, jsonl or csv/],
    [['query', '--since', 'yesterday'], /--since "yesterday" is neither/],
    [['query', '--since', '2025-13-45'], /--since "2025-13-45"/],
    [['query', '--since', '1h', '--until', '2h'], /--since must be before --until/],
    [['query', '--entity', 'MSCU1234566'], /--entity "MSCU1234566" must be Type:Key/],
    [['query', '--limit', '0'], /--limit must be a positive integer/],
    [['query', '--outcome', 'leaked'], /--outcome must be one of/],
    [['query', '--bogus'], /Unknown option '--bogus'/],
    [['verify', '--format', 'csv'], /--format does not apply to "audit verify"/],
    [['verify', '--expect-head', 'gw-1:abc'], /--expect-head "gw-1:abc" must be/],
    [['query', '--deep'], /--deep does not apply to "audit query"/],
    [['query', '--schema', 'x'], /--schema applies to PostgreSQL/],
  ])('%j', async (argv, message) => {
    const r = await run([...argv, '--file', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('--url with --file, and a file that does not exist', async () => {
    expect((await run(['query', '--url', 'postgres://x@127.0.0.1/test', '--file', file])).err).toMatch(/not both/);
    const missing = await run(['query', '--file', `${file}.missing`]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no audit trail at/);
  });

  test('PACTUM_AUDIT_FILE selects the store; an unreachable PACTUM_AUDIT_URL exits 1 promptly', async () => {
    expect((await run(['query', '--format', 'jsonl'], { PACTUM_AUDIT_FILE: file })).out.trim().split('\n')).toHaveLength(1);
    const down = await run(['verify'], { PACTUM_AUDIT_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot connect to audit database/);
  });

  test('a file that is not an audit trail is refused, not reported as OK', async () => {
    const other = `${file}.other`;
    new Database(other).exec('CREATE TABLE audit_record (x)').close();
    const r = await run(['verify', '--file', other]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/audit database/);
  });
});
