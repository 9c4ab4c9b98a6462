/**
 * `pactum audit transfers`: the art. 37(3) / 38(3) documentation, on both stores — a period,
 * one country or all, three formats; bad arguments exit 2 and touch nothing.
 */
import { runAudit, storeOptions } from './support/run-audit-command';
import { belgianEvent, colombianTransferEvent, refusedEvent, releasedEvent } from '../../../audit/__tests__/support/events';
import { createHarness, type StoreHarness } from '../../../audit/__tests__/support/store-harness';
import type { AuditEvent } from '../../../audit';
import { AuditUnavailableError } from '../../../errors';

const NOW = new Date(Date.UTC(2025, 0, 10, 12, 0, 0));

const run = (argv: string[]) => runAudit(argv, {}, NOW);

const ukTransfer = (n: number): AuditEvent =>
  colombianTransferEvent(n, {
    principal: { subject: 'nca-4', agency: 'UK-NCA' },
    purpose: { code: 'drug-trafficking', justification: 'vessel of interest off Falmouth' },
    transfer: {
      recipient: 'UK-NCA',
      country: 'GB',
      bases: [{ agreement: 'nl-police-to-uk-nca', terms: 'uk-led-adequacy-2021', article: '36' }],
      dataCategories: ['personal-data'],
      onwardTransfer: 'No onward transfer without the prior authorisation of NL-POLICE (art. 35(1)(e)).',
    },
  });

describe.each(['sqlite', 'postgres'] as const)('pactum audit transfers on %s', (kind) => {
  let h: StoreHarness;
  let store: string[];
  let events: AuditEvent[];

  beforeAll(async () => {
    h = await createHarness(kind);
    store = storeOptions(kind, h);
    const trail = await h.open();
    // 09:00:01 Colombia, 09:00:02 Belgium (no transfer), 09:00:03 UK, 09:00:04 Colombia with a formula trap, 10:00:05 refused.
    events = [
      colombianTransferEvent(1),
      belgianEvent(2),
      ukTransfer(3),
      colombianTransferEvent(4, { purpose: { code: 'drug-trafficking', justification: '=cmd|" /c calc"!A1', caseRef: 'NL-ONB-2024-0456' } }),
      refusedEvent(5),
      releasedEvent(6),
    ];
    for (const e of events) await trail.append(e);
    await trail.close();
  });

  afterAll(async () => {
    await h.cleanup();
  });

  test('every personal-data transfer to Colombia in a period, and on what basis: one command', async () => {
    const { code, out, err } = await run(['transfers', '--since', '2025-01-10T09:00:00Z', '--until', '2025-01-10T10:00:00Z', '--country', 'CO', ...store]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^TIME \(UTC\)\s+AUDIT ID\s+RECIPIENT\s+COUNTRY\s+BASIS\s+JUSTIFICATION\s+CASE\s+DATA\s+ENTITIES/);
    expect(out).toContain(events[0]?.id);
    expect(out).toContain(events[3]?.id);
    expect(out).not.toContain(events[2]?.id); // the UK transfer
    expect(out).not.toContain(events[1]?.id); // no transfer at all
    expect(out).toMatch(/2025-01-10 09:00:01\s+\S+\s+CO-POLICE\s+CO\s+nl-police-to-latam-police-case-by-case: derogation:individual-case \(art\. 38\(1\)\(d\)\)\s+identify the consignee of the Buenaventura shipment\s+NL-ONB-2024-0456\s+personal-data\s+Investigation:NL-POLICE\/NL-ONB-2024-0456@NL-POLICE, Suspect:NLP-S-00017@NL-POLICE/);
    expect(out).toContain('2 transfer(s) of personal data');
  });

  test('without --country every third country; the period bounds hold (since inclusive, until exclusive)', async () => {
    const all = await run(['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--format', 'jsonl', ...store]);
    expect(all.code).toBe(0);
    const lines = all.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.auditId)).toEqual([events[0]?.id, events[2]?.id, events[3]?.id]);
    expect(lines[1]).toMatchObject({ recipient: 'UK-NCA', country: 'GB', bases: ['nl-police-to-uk-nca: uk-led-adequacy-2021 (art. 36)'], subject: 'nca-4' });
    const bounded = await run(['transfers', '--since', '2025-01-10T09:00:03Z', '--until', '2025-01-10T09:00:04Z', '--format', 'jsonl', ...store]);
    expect(bounded.out.trim().split('\n').map((l) => (JSON.parse(l) as { auditId: string }).auditId)).toEqual([events[2]?.id]);
    const none = await run(['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--country', 'EC', ...store]);
    expect(none.out).toContain('0 transfer(s) of personal data');
  });

  test('csv: one row per transfer, keys never values, formulas defused', async () => {
    const { code, out } = await run(['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--country', 'CO', '--format', 'csv', ...store]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('time,auditId,recipient,country,subject,purpose,basis,justification,caseRef,dataCategories,entities,onwardTransfer');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`"'=cmd|"" /c calc""!A1"`);
    expect(lines[1]).toContain('Suspect:NLP-S-00017@NL-POLICE');
  });

  test.each([
    [['transfers', '--until', '2025-01-11'], 'needs --since and --until'],
    [['transfers', '--since', '2025-01-10'], 'needs --since and --until'],
    [['transfers', '--since', '2025-01-11', '--until', '2025-01-10'], '--since must be before --until'],
    [['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--country', 'Colombia'], 'two-letter ISO 3166 code'],
    [['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--format', 'xml'], '--format must be table, jsonl or csv'],
    [['transfers', '--since', '2025-01-10', '--until', '2025-01-11', '--agency', 'CO-POLICE'], '--agency does not apply to "audit transfers"'],
    [['query', '--country', 'CO'], '--country does not apply to "audit query"'],
  ])('refuses %j with exit 2', async (argv, message) => {
    const { code, err, out } = await run([...argv, ...store]);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe('');
  });
});

describe('the record of a transfer is checked like the rest of the event', () => {
  test.each([
    ['no basis', { bases: [] }, 'transfer.bases must name at least one basis'],
    ['a basis without its article', { bases: [{ agreement: 'a', terms: 'b' }] }, 'transfer.bases[0].article must be a non-empty string'],
    ['no recipient', { recipient: '' }, 'transfer.recipient must be a non-empty string'],
  ])('%s is refused (no audit, no data)', async (_name, broken, message) => {
    const h = await createHarness('sqlite');
    const trail = await h.open();
    try {
      const base = colombianTransferEvent(1);
      const event = { ...base, transfer: { ...base.transfer, ...broken } } as unknown as AuditEvent;
      await expect(trail.append(event)).rejects.toThrow(AuditUnavailableError);
      await expect(trail.append(event)).rejects.toThrow(message);
    } finally {
      await trail.close();
      await h.cleanup();
    }
  });
});
