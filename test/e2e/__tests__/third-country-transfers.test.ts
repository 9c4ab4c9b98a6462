/**
 * Transfers to third countries (LED Chapter V, docs/transfers.md) through the real gateway, the
 * real subgraphs and their seeded data, on both audit stores:
 *
 * - non-personal data goes to the source and transit countries' police on rows Customs released
 *   to them; Antwerp seizures Belgian police provided go only where Belgium authorised (Brazil);
 * - suspects' identities go to Colombia only case by case: a request naming the case with a
 *   justification (a derogation), and only that case's records;
 * - every answer to a third-country principal carries its onward-transfer condition, and each
 *   release of personal data is a documented transfer that `pactum audit transfers` lists — keys,
 *   never values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig, prepareTestKeys, startGateway } from '@pactum/gateway/src/testing';
import { ask, type GraphQLReply } from '../../src/client';
import { freePort } from '../../src/free-port';
import { e2eAuditStore, type E2eAuditStore, type StoreKind } from '../../src/audit-store';
import { runAuditCli } from '../../src/run-audit-cli';
import { copyPolicies, startStack, type Stack } from '../../src/stack';

const SEIZURES = 'query Seizures($port: UNLocode) { seizures(port: $port, first: 100) { id port quantityKg label { owner handling releasableTo origin } } }';
const CASE_FILE = 'query CaseFile($localId: String!) { investigation(localId: $localId) { localId codeName suspects { id name role } } }';
const BANAANSCHIL = 'NL-ONB-2024-0456';
const JUSTIFICATION = 'identify the consignee of the Buenaventura reefer seized in Rotterdam';

interface SeizureRow {
  id: string;
  port: string;
  quantityKg: number | null;
  label: { owner: string; handling: string[]; releasableTo: string[]; origin: string | null };
}

/** Which of the owner's rows a third-country recipient may see, by the rules stated independently here. */
function expectedFor(agency: string, ownerRows: readonly SeizureRow[], authorisedOrigins: readonly string[]): string[] {
  return ownerRows
    .filter((r) => r.label.releasableTo.includes(agency) && !r.label.handling.includes('H2') && !r.label.handling.includes('H3'))
    .filter((r) => r.label.origin === null || r.label.origin === r.label.owner || authorisedOrigins.includes(r.label.origin))
    .map((r) => r.id)
    .sort();
}

const idsOf = (reply: GraphQLReply): string[] => ((reply.body.data?.seizures ?? []) as SeizureRow[]).map((r) => r.id).sort();

describe.each<StoreKind>(['sqlite', 'postgres'])('third-country transfers, audit on %s', (kind) => {
  let stack: Stack;
  let store: E2eAuditStore;
  const tokens: Record<string, string> = {};
  const since = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    store = await e2eAuditStore(kind);
    stack = await startStack({ env: store.env });
    const principal = (agency: string, roles: string[], cases: string[] = []) =>
      stack.keys.token({ agency, sub: `e2e.${agency.toLowerCase()}`, roles, clearance: 'CONFIDENTIAL', purposes: ['drug-trafficking'], ...(cases.length ? { cases } : {}) });
    tokens['NL-CUSTOMS'] = await principal('NL-CUSTOMS', ['customs-officer']);
    tokens['CO-POLICE'] = await principal('CO-POLICE', ['investigator'], [BANAANSCHIL, 'NL-ONB-2024-0312']);
    tokens['EC-POLICE'] = await principal('EC-POLICE', ['investigator'], [BANAANSCHIL]);
    tokens['BR-PF'] = await principal('BR-PF', ['investigator']);
    tokens['UK-NCA'] = await principal('UK-NCA', ['investigator']);
    tokens['BE-POLICE'] = await principal('BE-POLICE', ['investigator']);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await store?.cleanup();
  });

  const seizures = (agency: string, port: string) =>
    ask(stack.gatewayUrl, { token: tokens[agency], purpose: 'drug-trafficking', query: SEIZURES, variables: { port } });

  test.each([
    ['CO-POLICE', 'BEANR', []],
    ['EC-POLICE', 'BEANR', []],
    ['BR-PF', 'BEANR', ['BE-POLICE']],
    ['UK-NCA', 'BEANR', []],
    ['CO-POLICE', 'NLRTM', []],
    ['UK-NCA', 'NLRTM', []],
    ['UK-NCA', 'ESALG', []],
  ])('%s asking for the seizures at %s gets exactly the rows released to it, Belgian-provided ones only where Belgium authorised', async (agency, port, authorised) => {
    const owner = await seizures('NL-CUSTOMS', port);
    const ownerRows = (owner.body.data?.seizures ?? []) as SeizureRow[];
    expect(ownerRows.length).toBeGreaterThan(0);
    const reply = await seizures(agency, port);
    expect(reply.status).toBe(200);
    expect(reply.body.errors ?? []).toEqual([]);
    expect(idsOf(reply)).toEqual(expectedFor(agency, ownerRows, authorised));
  });

  test('the seeds make both directions visible: Antwerp seizures Belgium provided reach Brazil and not Colombia', async () => {
    const owner = ((await seizures('NL-CUSTOMS', 'BEANR')).body.data?.seizures ?? []) as SeizureRow[];
    const belgianToLatam = owner.filter((r) => r.label.origin === 'BE-POLICE' && r.label.releasableTo.includes('CO-POLICE'));
    expect(belgianToLatam.length).toBeGreaterThan(0);
    expect(idsOf(await seizures('CO-POLICE', 'BEANR'))).toEqual([]);
    const toBrazil = idsOf(await seizures('BR-PF', 'BEANR'));
    expect(toBrazil.length).toBeGreaterThan(0);
    expect(idsOf(await seizures('CO-POLICE', 'NLRTM')).length).toBeGreaterThan(0);
  });

  test('an answer to a third-country principal carries the onward-transfer condition; non-personal data is no documented transfer', async () => {
    const reply = await seizures('CO-POLICE', 'NLRTM');
    expect(reply.body.extensions?.transfer).toEqual({
      recipient: 'CO-POLICE',
      country: 'CO',
      personalData: false,
      bases: [{ agreement: 'nl-customs-to-latam-police', terms: 'europol-colombia-operational-agreement', article: '37(1)(a)' }],
      onwardTransfer: {
        requiresAuthorisationOf: ['NL-CUSTOMS'],
        condition: expect.stringContaining('without the prior authorisation of NL-CUSTOMS (art. 35(1)(e))'),
      },
    });
    const ec = await seizures('EC-POLICE', 'NLRTM');
    expect(ec.body.extensions?.transfer).toMatchObject({ bases: [{ terms: 'no-personal-data' }] });
    const uk = await seizures('UK-NCA', 'NLRTM');
    expect(uk.body.extensions?.transfer).toMatchObject({ bases: [{ terms: 'uk-led-adequacy-2021', article: '36' }] });
    // Inside the Union: no transfer, no condition.
    expect((await seizures('BE-POLICE', 'NLRTM')).body.extensions?.transfer).toBeUndefined();
    const record = await runAuditCli(['query', '--id', String(reply.body.extensions?.auditId), '--format', 'jsonl', ...store.cliArgs(stack.stateDir)]);
    expect(record.code).toBe(0);
    expect(JSON.parse(record.stdout) as Record<string, unknown>).not.toHaveProperty('transfer');
  });

  const caseFile = (extra: { caseRef?: string; justification?: string }, localId = BANAANSCHIL) =>
    ask(stack.gatewayUrl, { token: tokens['CO-POLICE'], purpose: 'drug-trafficking', query: CASE_FILE, variables: { localId }, ...extra });

  test('a derogation without a case reference, or without a justification, releases nothing', async () => {
    for (const extra of [{ justification: JUSTIFICATION }, { caseRef: BANAANSCHIL }, {}]) {
      const reply = await caseFile(extra);
      expect(reply.status).toBe(200);
      expect(reply.body.data?.investigation).toBeNull();
      expect(reply.body.errors?.map((e) => e.extensions?.reason)).toEqual(['DEROGATION_REQUIRES_CASE']);
      expect(JSON.stringify(reply.body)).not.toContain('BANAANSCHIL');
      expect(reply.body.extensions?.transfer).toBeUndefined();
    }
  });

  test('a case the token does not name is refused before anything runs', async () => {
    const reply = await caseFile({ caseRef: 'NL-ONB-2024-0999', justification: JUSTIFICATION });
    expect(reply.status).toBe(403);
    expect(reply.body.errors?.[0]?.extensions?.reason).toBe('case_not_permitted');
  });

  test('a derogation for another case does not open this one', async () => {
    const reply = await caseFile({ caseRef: 'NL-ONB-2024-0312', justification: JUSTIFICATION });
    expect(reply.body.data?.investigation).toBeNull();
    expect(reply.body.errors?.map((e) => e.extensions?.reason)).toEqual(['NOT_A_CASE_MEMBER']);
    expect(JSON.stringify(reply.body)).not.toContain('BANAANSCHIL');
  });

  let transferAuditId = '';
  let releasedNames: string[] = [];

  test('the named case with a justification: its suspects\' identities, H2-coded ones withheld, marked as a documented transfer', async () => {
    const reply = await caseFile({ caseRef: BANAANSCHIL, justification: JUSTIFICATION });
    expect(reply.status).toBe(200);
    expect(reply.body.errors ?? []).toEqual([]);
    const inv = reply.body.data?.investigation as { codeName: string; suspects: { id: string; name: string | null }[] };
    expect(inv.codeName).toBe('BANAANSCHIL');
    const ids = inv.suspects.map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('NLP-S-00003'); // H2: not to be passed on without the owner's consent
    releasedNames = inv.suspects.map((s) => s.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
    expect(releasedNames.length).toBe(ids.length);
    expect(reply.body.extensions?.transfer).toMatchObject({
      recipient: 'CO-POLICE',
      personalData: true,
      dataCategories: ['personal-data'],
      bases: [{ agreement: 'nl-police-to-latam-police-case-by-case', terms: 'derogation:individual-case', article: '38(1)(d)' }],
      onwardTransfer: { requiresAuthorisationOf: ['NL-POLICE'] },
    });
    transferAuditId = String(reply.body.extensions?.auditId);
    const record = await runAuditCli(['query', '--id', transferAuditId, '--format', 'jsonl', ...store.cliArgs(stack.stateDir)]);
    expect(JSON.parse(record.stdout)).toMatchObject({
      purpose: { code: 'drug-trafficking', justification: JUSTIFICATION, caseRef: BANAANSCHIL },
      transfer: { recipient: 'CO-POLICE', country: 'CO', dataCategories: ['personal-data'], bases: [{ terms: 'derogation:individual-case' }] },
    });
  });

  test('pactum audit transfers documents it: time, authority, basis, justification, categories, entity keys — never a value', async () => {
    const args = ['transfers', '--since', since.toISOString(), '--until', new Date(Date.now() + 60_000).toISOString(), ...store.cliArgs(stack.stateDir)];
    const table = await runAuditCli([...args, '--country', 'CO']);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(transferAuditId);
    expect(table.stdout).toContain(`nl-police-to-latam-police-case-by-case: derogation:individual-case (art. 38(1)(d))`);
    expect(table.stdout).toContain(JUSTIFICATION);
    expect(table.stdout).toContain(`Investigation:NL-POLICE/${BANAANSCHIL}@NL-POLICE`);
    expect(table.stdout).toMatch(/Suspect:NLP-S-\d{5}@NL-POLICE/);
    expect(table.stdout).toContain('1 transfer(s) of personal data');
    for (const name of releasedNames) expect(table.stdout).not.toContain(name);
    const csv = await runAuditCli([...args, '--format', 'csv']);
    for (const name of releasedNames) expect(csv.stdout).not.toContain(name);
    expect(csv.stdout.trim().split('\n')).toHaveLength(2);
    const uk = await runAuditCli([...args, '--country', 'GB', '--format', 'jsonl']);
    expect(uk.stdout).toBe('');
  });
});

describe('a policy that breaks a transfer rule is refused at start-up, naming the rule and the article', () => {
  const breakages: [string, string, (text: string) => string, RegExp][] = [
    ['a third-country recipient without transfer terms', 'agreements/nl-customs-to-uk-nca.yaml', (t) => t.replace(/transfers:\n {2}UK-NCA: \{ basis: uk-led-adequacy-2021 \}\n/, ''),
      /agreements\/nl-customs-to-uk-nca\.yaml:\d+: \[transfer-terms-required, LED art\. 35\(1\)\(d\), 36–38\] recipients\[0\]: UK-NCA is a third-country authority \(GB\)/],
    ['suspects\' identities under "no personal data"', 'agreements/nl-police-to-latam-police-case-by-case.yaml', (t) => t.replace('CO-POLICE: { derogation: individual-case }', 'CO-POLICE: { basis: no-personal-data }'),
      /\[transfer-basis-in-force, LED art\. 35\(1\)\(d\), 36, 37\] grants\[2\] \(case-suspects-identity\): releases personal data \(personal-data\) to the third-country recipient CO-POLICE/],
    ['an authorisation by an EU body', 'agreements/be-police-authorises-transfer-to-br-pf.yaml', (t) => t.replace('provider: BE-POLICE', 'provider: EUROPOL'),
      /\[member-state-authorisation, LED art\. 35\(1\)\(c\)\] provider: EUROPOL is an EU body/],
  ];

  test.each(breakages)('%s: startGateway rejects and nothing listens', async (_what, file, edit, message) => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-transfer-start-'));
    try {
      const policyDir = copyPolicies(stateDir);
      prepareTestKeys({ stateDir, policyDir });
      const target = path.join(policyDir, file);
      const before = fs.readFileSync(target, 'utf8');
      const after = edit(before);
      expect(after).not.toBe(before);
      fs.writeFileSync(target, after);
      const port = await freePort();
      const env = { PACTUM_GATEWAY_PORT: String(port), PACTUM_STATE_DIR: stateDir, PACTUM_POLICY_DIR: policyDir };
      await expect(startGateway(loadGatewayConfig(env))).rejects.toThrow(message);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
