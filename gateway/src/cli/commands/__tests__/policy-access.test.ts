/**
 * `pactum policy access`: Markdown for one agency on one screen, JSON, the standalone HTML
 * file (no external asset, data that cannot close its script element), and refused names.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessMatrix } from '../../../policy';
import { runPolicyCommand } from '../policy';
import { copyShippedPolicies, runCaptured, SHIPPED_POLICIES } from './support/run-command';

const BASE = ['access', '--dir', SHIPPED_POLICIES, '--at', '2026-06-01T12:00:00Z'];

it('--agency BE-POLICE answers "what may BE-POLICE see" in one screen of Markdown', async () => {
  const r = await runCaptured(runPolicyCommand, [...BASE, '--agency', 'BE-POLICE']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('## BE-POLICE');
  expect(r.out).not.toContain('## NL-POLICE');
  expect(r.out).toContain('### drug-trafficking — investigator, clearance ≥ CONFIDENTIAL');
  expect(r.out).toContain('| Query.{container, vessel, seizures}, Vessel.{imo, name, flag, portCalls} | allowed | joint-statement-2021-ports/lookups-and-vessels |  |');
  expect(r.out).toMatch(/PortCall\.\*, Seizure\.\* \| conditional \| joint-statement-2021-ports\/seizures-and-movements \| row released by its owner to the principal's agency/);
  expect(r.out).toContain('as investigator, clearance ≥ CONFIDENTIAL except:\n\n- denied `ROLE_REQUIRED` (4): Suspect.{name, dateOfBirth, nationality, documentNumbers}');
  expect(r.out).toContain('Nothing released for: asset-recovery, terrorism, strategic-analysis.');
  expect(r.out).toContain('| joint-statement-2021-ports/seizures-and-movements | Seizures, the containers they were made in');
  expect(r.out.split('\n').length).toBeLessThan(130);
});

it('--json is the matrix, and --html a standalone page', async () => {
  const json = await runCaptured(runPolicyCommand, [...BASE, '--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', '--json']);
  const m = JSON.parse(json.out) as AccessMatrix;
  expect(m.agencies).toEqual(['BE-POLICE']);
  expect(m.classes.every((c) => c.agency === 'BE-POLICE' && c.purpose === 'drug-trafficking')).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'pactum-access-html-'));
  try {
    const file = join(dir, 'report.html');
    const r = await runCaptured(runPolicyCommand, [...BASE, '--html', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*report\.html: \d+ profiles × \d+ fields/);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    const data = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).not.toContain('<');
    expect((JSON.parse(data) as AccessMatrix).grants['joint-statement-2021-ports/lookups-and-vessels']?.legalBasis).toContain('2023/977');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.each([
  [['--agency', 'BE-POLCE'], 'unknown agency "BE-POLCE" (did you mean "BE-POLICE"?)'],
  [['--purpose', 'terorism'], 'unknown purpose "terorism" (did you mean "terrorism"?)'],
  [['--json', '--html', 'x.html'], '--json and --html exclude each other'],
  [['--colour'], "Unknown option '--colour'"],
])('refuses %j with exit code 2', async (args, message) => {
  const r = await runCaptured(runPolicyCommand, [...BASE, ...args]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(message);
});

describe('on a policy with bad YAML, every subcommand exits 1 naming the file and prints no result', () => {
  let root: string;
  let dir: string;
  beforeAll(() => {
    ({ root, dir } = copyShippedPolicies('pactum-policy-badyaml-'));
    writeFileSync(join(dir, 'agreements', 'joint-statement-2021-ports.yaml'), 'id: joint-statement-2021-ports\ngrants: [unclosed\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [['access']],
    [['access', '--html', 'never-written.html']],
    [['lint']],
    [['test', '--coverage']],
    [['explain', '--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Vessel.name']],
    [['check']],
  ])('%j', async (args) => {
    const r = await runCaptured(runPolicyCommand, [...args, '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('joint-statement-2021-ports.yaml');
    expect(r.out).toBe('');
  });
});
