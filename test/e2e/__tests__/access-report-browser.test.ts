/**
 * The access matrix's HTML report (`pactum policy access --html`) in real headless Chromium:
 * it renders from the file alone (no request leaves the page), the filters by agency, purpose and
 * field group hide what they should, a click on a cell shows the grant with its intent, legal
 * basis and validity window, and a screenshot is written under the test output folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runPolicyCommand } from '@pactum/gateway/src/cli/commands/policy';
import type { AccessMatrix } from '@pactum/gateway/src/policy';
import { launchHeadlessBrowser, testOutputDir, type BrowserPage, type HeadlessBrowser } from '../../src/headless-browser';

const POLICIES = path.resolve(__dirname, '..', '..', '..', 'policies');
let browser: HeadlessBrowser;
let tab: BrowserPage;
let matrix: AccessMatrix;

async function quietly(argv: string[]): Promise<number> {
  const o = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await runPolicyCommand(argv);
  } finally {
    o.mockRestore();
  }
}

beforeAll(async () => {
  const file = path.join(testOutputDir('reports'), 'access-matrix.html');
  const at = ['--dir', POLICIES, '--at', '2026-06-01T12:00:00Z'];
  expect(await quietly(['access', ...at, '--html', file])).toBe(0);
  let json = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((json += String(c)), true));
  try {
    await runPolicyCommand(['access', ...at, '--json']);
  } finally {
    o.mockRestore();
  }
  matrix = JSON.parse(json) as AccessMatrix;
  browser = await launchHeadlessBrowser();
  tab = await browser.newPage();
  await tab.page.goto(`file://${file}`, { waitUntil: 'load' });
  await tab.page.waitForSelector('body[data-ready="yes"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const visibleRows = () => tab.page.$$eval('#matrix tbody tr:not([hidden])', (rows) => rows.map((r) => [r.getAttribute('data-agency'), r.getAttribute('data-purpose')]));
const visibleFields = () => tab.page.$$eval('#matrix th.field:not([hidden])', (ths) => ths.map((t) => t.getAttribute('title') ?? ''));

test('renders every profile that sees something, with no request leaving the page and no script error', async () => {
  const open = matrix.classes.filter((c) => c.released + c.conditional > 0);
  expect((await visibleRows()).length).toBe(open.length);
  expect(await visibleFields()).toHaveLength(matrix.fields.length);
  expect(await tab.page.$$eval('#matrix td.cell.allowed', (c) => c.length)).toBeGreaterThan(0);
  expect(await tab.page.$$eval('#matrix td.cell.conditional', (c) => c.length)).toBeGreaterThan(0);
  // The colours are the stylesheet's, not the browser's defaults.
  const colour = await tab.page.$eval('#matrix td.cell.allowed', (c) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(c).backgroundColor);
  expect(colour).toBe('rgb(46, 125, 50)');
  expect(tab.blockedRequests).toEqual([]);
  expect(tab.consoleErrors).toEqual([]);
});

test('the filters by agency, purpose and field group hide what they should', async () => {
  await tab.page.selectOption('#filter-agency', 'BE-POLICE');
  let rows = await visibleRows();
  expect(rows.length).toBe(matrix.classes.filter((c) => c.agency === 'BE-POLICE' && c.released + c.conditional > 0).length);
  expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['BE-POLICE']));
  await tab.page.selectOption('#filter-purpose', 'drug-trafficking');
  rows = await visibleRows();
  expect(rows).toEqual(rows.map(() => ['BE-POLICE', 'drug-trafficking']));
  expect(rows.length).toBe(3);
  await tab.page.selectOption('#filter-group', 'group:personal-data');
  const personal = matrix.fields.filter((f) => f.groups.includes('personal-data')).map((f) => f.coordinate);
  expect((await visibleFields()).sort()).toEqual(personal.sort());
  expect(await tab.page.textContent('#shown')).toBe(`3 profiles × ${personal.length} fields`);
  await tab.page.selectOption('#filter-group', 'type:Seizure');
  expect((await visibleFields()).every((f) => f.startsWith('Seizure.'))).toBe(true);
  await tab.screenshot('access-matrix-be-police-drug-trafficking');
});

test('a click on a cell shows the grant: intent, legal basis, validity window, row condition', async () => {
  await tab.page.selectOption('#filter-group', '');
  const row = matrix.classes.findIndex((c) => c.agency === 'BE-POLICE' && c.purpose === 'drug-trafficking' && c.label === 'investigator, clearance ≥ CONFIDENTIAL');
  const col = matrix.fields.findIndex((f) => f.coordinate === 'Seizure.substance');
  await tab.page.click(`#matrix td.cell[data-row="${row}"][data-col="${col}"]`);
  const detail = (await tab.page.textContent('#detail')) ?? '';
  expect(detail).toContain('Seizure.substance — conditional');
  expect(detail).toContain('joint-statement-2021-ports/seizures-and-movements');
  expect(detail).toContain('Seizures, the containers they were made in');
  expect(detail).toContain('Directive (EU) 2023/977 art. 5');
  expect(detail).toContain('2021-12-08 – 2030-12-31');
  expect(detail).toContain("row released by its owner to the principal's agency");
  expect(await tab.page.$$eval('td.cell.selected', (c) => c.length)).toBe(1);
  // A denied cell says why, naming no grant.
  const denied = matrix.fields.findIndex((f) => f.coordinate === 'CustomsDeclaration.goodsDescription');
  await tab.page.click(`#matrix td.cell[data-row="${row}"][data-col="${denied}"]`);
  expect(await tab.page.textContent('#detail')).toContain('No agreement of NL-CUSTOMS grants this field to BE-POLICE.');
  const shot = await tab.screenshot('access-matrix-grant-detail');
  expect(fs.readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});
