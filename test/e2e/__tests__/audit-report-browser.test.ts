/**
 * `pactum audit report --html` in real headless Chromium, on a SQLite trail written for the test:
 * the page renders from the file alone, the agency filter hides other agencies' rows, a click on
 * a refused person lists their refused requests with the justification, and a screenshot is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newAuditId, openAuditTrail, type AuditEvent } from '@pactum/gateway/src/audit';
import { runAuditCommand } from '@pactum/gateway/src/cli/commands/audit';
import { launchHeadlessBrowser, testOutputDir, type BrowserPage, type HeadlessBrowser } from '../../src/headless-browser';

let browser: HeadlessBrowser;
let tab: BrowserPage;
let dir: string;

function event(n: number, agency: string, subject: string, outcome: AuditEvent['outcome'], extra: Partial<AuditEvent> = {}): AuditEvent {
  const time = new Date(Date.UTC(2025, 2, 1, 9) + n * 60_000);
  return {
    id: newAuditId(time), time, requestId: `r${n}`, outcome, httpStatus: outcome === 'refused' ? 403 : 200,
    principal: { agency, subject }, purpose: { code: 'drug-trafficking', justification: `case note ${n} <b>not markup</b>` },
    operation: { name: 'ContainerDossier', hash: 'a'.repeat(64) }, policyVersion: 'p1',
    ...(outcome === 'refused' ? { refusal: { code: 'FORBIDDEN', reason: 'purpose_not_permitted' } } : {
      enforcement: {
        policyVersion: 'p1', fieldsRequested: ['Query.container'], fieldDenials: [], rowDenials: [],
        released: [{ type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' }], grants: [],
      },
    }),
    ...extra,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-report-'));
  const file = path.join(dir, 'audit.sqlite');
  const trail = await openAuditTrail({ file, replicaId: 'gw-1' });
  await trail.append(event(1, 'BE-POLICE', 'be-investigator-7', 'released'));
  await trail.append(event(2, 'BE-POLICE', 'be-investigator-7', 'refused'));
  await trail.append(event(3, 'BE-POLICE', 'be-investigator-7', 'refused'));
  await trail.append(event(4, 'NL-CUSTOMS', 'officer-17', 'released'));
  await trail.append(event(5, 'NL-CUSTOMS', 'officer-17', 'refused'));
  await trail.close();
  const html = path.join(testOutputDir('reports'), 'audit-report.html');
  let err = '';
  const code = await runAuditCommand(['report', '--since', '2025-03-01', '--until', '2025-03-02', '--html', html, '--file', file], {
    stdout: () => undefined, stderr: (t) => (err += t), env: {}, now: () => new Date(Date.UTC(2025, 2, 2)),
  });
  expect([code, err]).toEqual([0, '']);
  browser = await launchHeadlessBrowser();
  tab = await browser.newPage();
  await tab.page.goto(`file://${html}`, { waitUntil: 'load' });
  await tab.page.waitForSelector('body[data-ready="yes"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const visible = (table: string) => tab.page.$$eval(`#${table} tr[data-agencies]:not([hidden])`, (rows) => rows.map((r) => r.textContent ?? ''));

test('renders the period: per agency, top entities, refused persons; nothing leaves the page', async () => {
  expect(await tab.page.textContent('header h1')).toBe('Audit report 2025-03-01T00:00:00.000Z – 2025-03-02T00:00:00.000Z');
  const agencies = await visible('per-agency');
  expect(agencies[0]).toMatch(/^BE-POLICE3122/); // 3 requests, 1 releasing, 2 with denials (refused), 2 refused
  expect((await visible('entities'))[0]).toMatch(/^Container:MSCU1234566NL-CUSTOMS2/);
  expect(await visible('people')).toEqual(['BE-POLICEbe-investigator-72', 'NL-CUSTOMSofficer-171']);
  expect(tab.blockedRequests).toEqual([]);
  expect(tab.consoleErrors).toEqual([]);
});

test('the agency filter hides the other agencies, a click on a person lists their refusals', async () => {
  await tab.page.selectOption('#filter-agency', 'NL-CUSTOMS');
  expect(await visible('people')).toEqual(['NL-CUSTOMSofficer-171']);
  expect((await visible('per-agency')).map((r) => r.slice(0, 10))).toEqual(['NL-CUSTOMS']);
  await tab.page.selectOption('#filter-agency', '');
  await tab.page.click('#people tr[data-person="0"]');
  const detail = (await tab.page.textContent('#detail')) ?? '';
  expect(detail).toContain('be-investigator-7 (BE-POLICE): 2 refused request(s)');
  expect(detail).toContain('FORBIDDEN/purpose_not_permitted');
  expect(detail).toContain('case note 2 <b>not markup</b>'); // text, never HTML
  expect(await tab.page.$$eval('#detail b', (b) => b.length)).toBe(0);
  const shot = await tab.screenshot('audit-report-refusals');
  expect(fs.readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});
