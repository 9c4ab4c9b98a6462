/**
 * `pactum policy explain` refuses every kind of unknown name with a did-you-mean (exit 2) instead
 * of answering NO_AGREEMENT as if the name were real, and explains an operation file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolicyCommand } from '../policy';
import { runCaptured, SHIPPED_POLICIES } from './support/run-command';

const BASE = ['explain', '--dir', SHIPPED_POLICIES, '--at', '2026-06-01T12:00:00Z'];
const OK = ['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', '--roles', 'investigator', '--clearance', 'CONFIDENTIAL'];

it.each([
  [['--agency', 'BE-POLCE', '--purpose', 'drug-trafficking', 'Seizure.substance'], 'unknown agency "BE-POLCE" (did you mean "BE-POLICE"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-traficking', 'Seizure.substance'], 'unknown purpose "drug-traficking" (did you mean "drug-trafficking"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', '--roles', 'investigator,analist', 'Seizure.substance'], 'unknown role "analist" (did you mean "analyst"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', '--clearance', 'CONFIDENTAL', 'Seizure.substance'], 'unknown clearance level "CONFIDENTAL" (did you mean "CONFIDENTIAL"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Siezure.substance'], 'unknown type "Siezure" (did you mean "Seizure"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Seizure.substanse'], 'unknown field "Seizure.substanse" (did you mean "substance"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Seizure.substance', '--label', '{"owner":"NL-CUSTOM","handling":[],"releasableTo":[],"caseRefs":[]}'], 'unknown agency "NL-CUSTOM" (did you mean "NL-CUSTOMS"?)'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Seizure.substance', '--label', '{"owner":'], '--label is not JSON'],
  [['--agency', 'BE-POLICE', '--purpose', 'drug-trafficking', 'Seizure.substance', '--at', 'yesterday'], '--at is not a date'],
])('refuses %j', async (args, message) => {
  const r = await runCaptured(runPolicyCommand, [...BASE, ...args]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(message);
  expect(r.out).toBe('');
});

it('still explains a real decision (the names all known)', async () => {
  const r = await runCaptured(runPolicyCommand, [...BASE, ...OK, 'Vessel.name']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('RELEASED Vessel.name by joint-statement-2021-ports / lookups-and-vessels');
});

describe('an operation file', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pactum-explain-op-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is explained field by field, by response path', async () => {
    const file = join(dir, 'dossier.graphql');
    writeFileSync(file, 'query Dossier { container(number: "MSCU1234566") { number reefer declarations { mrn } box: investigations { codeName } } }');
    const r = await runCaptured(runPolicyCommand, [...BASE, ...OK, '--operation', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('RELEASED     container (Query.container) by joint-statement-2021-ports/lookups-and-vessels');
    expect(r.out).toContain('CONDITIONAL  container.reefer (Container.reefer)');
    expect(r.out).toContain('DENIED       container.declarations (Container.declarations): NO_AGREEMENT');
    expect(r.out).toContain('container.box (Container.investigations)');
    const json = await runCaptured(runPolicyCommand, [...BASE, ...OK, '--operation', file, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ operation: 'Dossier', fields: expect.arrayContaining([{ path: 'container.declarations', coordinate: 'Container.declarations', effect: 'deny', reason: 'NO_AGREEMENT' }]) });
  });

  it.each([
    ['query Q { container(number: "X") { numbr } }', 'Cannot query field "numbr"'],
    ['query Q { container(', 'Syntax Error'],
    ['query A { vessel(imo: "IMO9321483") { name } } query B { vessel(imo: "IMO9321483") { flag } }', 'holds A, B: pick one with --operation-name'],
  ])('refuses %j', async (source, message) => {
    const file = join(dir, 'bad.graphql');
    writeFileSync(file, source);
    const r = await runCaptured(runPolicyCommand, [...BASE, ...OK, '--operation', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('refuses a missing file and a field together with an operation', async () => {
    expect((await runCaptured(runPolicyCommand, [...BASE, ...OK, '--operation', join(dir, 'none.graphql')])).code).toBe(2);
    expect((await runCaptured(runPolicyCommand, [...BASE, ...OK, '--operation', join(dir, 'none.graphql'), 'Vessel.name'])).code).toBe(2);
  });
});
