/**
 * Need-to-know when something is missing or wrong, end to end: each reason a grant does not
 * apply (expired agreement, purpose not covered, missing clearance, missing role), rows their
 * owner restricted (H2, H3), a principal outside the JIT — and policy files with mistakes, which
 * never widen access: refused at start-up (nothing listens) and at reload (the last good policy
 * stays in force, counted in `/metrics`), while a valid change is picked up without restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig, memoryLog, prepareTestKeys, startGateway } from '@pactum/gateway/src/testing';
import { ask, type Ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken, type NtkPrincipal } from '../../src/ntk-principals';
import { forbiddenByPath, otherErrors, valueAtExact, valuesAt } from '../../src/ntk-response';
import { copyPolicies, startStack, type Stack } from '../../src/stack';
import { freePort } from '../../src/free-port';

let stack: Stack;
/** The gateway's log: reload refusals are read from it. */
const log = memoryLog();

beforeAll(async () => {
  stack = await startStack({ log });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** Asks as `principal` (its own purpose unless `request.purpose` says otherwise). */
async function askAs(principal: NtkPrincipal, request: Ask): Promise<GraphQLReply> {
  const purpose = request.purpose ?? principal.purpose;
  const reply = await ask(stack.gatewayUrl, { ...request, purpose, token: await ntkToken(stack, principal, [purpose]) });
  expect(reply.status).toBe(200);
  expect(otherErrors(reply)).toEqual([]);
  return reply;
}

const BE_JIT_MEMBER = NTK_PRINCIPALS['BE-POLICE'];
const SUSPECT_NAMES = '{ container(number: "MSCU1234566") { investigations { localId suspects { id role name } } } }';
const FIVE_SUSPECTS = ['NLP-S-00001', 'NLP-S-00002', 'NLP-S-00003', 'NLP-S-00004', 'NLP-S-00005'];
const nameDenials = (reason: string) => Object.fromEntries(FIVE_SUSPECTS.map((_, i) => [`container.investigations.0.suspects.${i}.name`, reason]));

describe('each reason a grant does not apply, one case each', () => {
  test('an agreement past its end date grants nothing: NL-FIOD customs pilot (ended 2025-12-31) → AGREEMENT_EXPIRED', async () => {
    const reply = await askAs(NTK_PRINCIPALS['NL-FIOD'], { query: '{ company(euid: "NLNHR.94989322") { euid name } }' });
    expect(reply.body.data).toEqual({ company: null });
    expect(forbiddenByPath(reply)).toEqual({ company: 'AGREEMENT_EXPIRED' });
  });

  test('purpose not covered: the record behind a hit asked for under drug-trafficking → PURPOSE_NOT_COVERED', async () => {
    const customs = NTK_PRINCIPALS['NL-CUSTOMS'];
    const hit = await askAs(customs, { operation: 'PersonHitCheck', variables: { name: 'Sofia Kaya', dateOfBirth: '1981-12-29' } });
    const reference = valueAtExact(hit.body.data, 'policePersonHit.reference');
    const reply = await askAs(customs, { operation: 'HitFollowUp', variables: { reference } });
    expect(reply.body.data).toEqual({ policeHitFollowUp: null });
    expect(forbiddenByPath(reply)).toEqual({ policeHitFollowUp: 'PURPOSE_NOT_COVERED' });
  });

  test('purpose not covered: Belgian police asking for a container for money laundering (the joint statement covers drug trafficking) → PURPOSE_NOT_COVERED', async () => {
    const reply = await askAs(BE_JIT_MEMBER, { purpose: 'money-laundering', query: '{ container(number: "MSCU1234566") { number seizures { id } } }' });
    expect(forbiddenByPath(reply)).toEqual({ container: 'PURPOSE_NOT_COVERED' });
  });

  test('missing clearance: a JIT member cleared only RESTRICTED sees the suspects but not their names → INSUFFICIENT_CLEARANCE', async () => {
    const reply = await askAs({ ...BE_JIT_MEMBER, clearance: 'RESTRICTED' }, { query: SUSPECT_NAMES });
    expect(valuesAt(reply.body.data, 'container.investigations.suspects.id')).toEqual(FIVE_SUSPECTS);
    expect(forbiddenByPath(reply)).toEqual(nameDenials('INSUFFICIENT_CLEARANCE'));
  });

  test('the same JIT member cleared CONFIDENTIAL gets the names (the other direction)', async () => {
    const reply = await askAs(BE_JIT_MEMBER, { query: SUSPECT_NAMES });
    expect(forbiddenByPath(reply)).toEqual({});
    expect(valuesAt(reply.body.data, 'container.investigations.suspects.name').every((n) => typeof n === 'string')).toBe(true);
  });

  test('missing role: a JIT member who is an analyst, not an investigator, gets no names → ROLE_REQUIRED', async () => {
    const reply = await askAs({ ...BE_JIT_MEMBER, roles: ['analyst'] }, { query: SUSPECT_NAMES });
    expect(valuesAt(reply.body.data, 'container.investigations.suspects.id')).toEqual(FIVE_SUSPECTS);
    expect(forbiddenByPath(reply)).toEqual(nameDenials('ROLE_REQUIRED'));
  });

  test('missing role: NL-FIOD without the financial-investigator role cannot look up a seized account → ROLE_REQUIRED', async () => {
    const reply = await askAs({ ...NTK_PRINCIPALS['NL-FIOD'], roles: ['investigator'] }, { query: '{ seizedAssetByIban(iban: "NL91ABNA0417164300") { id } }' });
    expect(forbiddenByPath(reply)).toEqual({ seizedAssetByIban: 'ROLE_REQUIRED' });
  });

  test('H2 on a single record: the suspect behind a hit, H2-coded by the police, is withheld from the follow-up → HANDLING_RESTRICTED', async () => {
    const customs = NTK_PRINCIPALS['NL-CUSTOMS'];
    const hit = await askAs(customs, { operation: 'PersonHitCheck', variables: { name: 'Bram Navarro', dateOfBirth: '1981-06-25' } });
    const reference = valueAtExact(hit.body.data, 'policePersonHit.reference');
    expect(reference).toMatch(/^HIT-NLP-[A-Z2-7]{32}$/);
    const reply = await askAs(customs, { purpose: 'hit-follow-up', justification: 'scan anomaly', operation: 'HitFollowUp', variables: { reference } });
    expect(reply.body.data).toEqual({ policeHitFollowUp: null });
    expect(forbiddenByPath(reply)).toEqual({ policeHitFollowUp: 'HANDLING_RESTRICTED' });
  });

  test('H2 in a list: the H2-coded seizure in HLXU7032104 leaves the Europol analyst\'s list silently; the owner still sees it', async () => {
    const query = '{ container(number: "HLXU7032104") { number seizures { id label { handling } } } }';
    const europol = await askAs(NTK_PRINCIPALS.EUROPOL, { query });
    expect(valueAtExact(europol.body.data, 'container.seizures')).toEqual([]);
    expect(forbiddenByPath(europol)).toEqual({});
    const owner = await askAs(NTK_PRINCIPALS['NL-CUSTOMS'], { query });
    expect(valuesAt(owner.body.data, 'container.seizures.label.handling')).toContain('H2');
  });

  test('H3 (free-text restriction): container CMAU4598214 is withheld from everyone but its owner → HANDLING_RESTRICTED', async () => {
    const query = '{ container(number: "CMAU4598214") { number label { handling handlingNote } } }';
    for (const principal of [BE_JIT_MEMBER, NTK_PRINCIPALS['NL-POLICE'], NTK_PRINCIPALS.EUROPOL]) {
      const reply = await askAs(principal, { query });
      expect({ agency: principal.agency, data: reply.body.data, denied: forbiddenByPath(reply) }).toEqual({
        agency: principal.agency,
        data: { container: null },
        denied: { container: 'HANDLING_RESTRICTED' },
      });
    }
    const owner = await askAs(NTK_PRINCIPALS['NL-CUSTOMS'], { query });
    expect(valuesAt(owner.body.data, 'container.label.handling')).toContain('H3');
  });

  test('not a member of the JIT: Belgian police outside JIT-2024-07 see the container but not the JIT investigation (row left out silently)', async () => {
    const query = '{ container(number: "MSCU1234566") { number investigations { localId suspects { id } } } }';
    const outsider = await askAs({ ...BE_JIT_MEMBER, cases: [] }, { query });
    expect(outsider.body.data).toEqual({ container: { number: 'MSCU1234566', investigations: [] } });
    expect(forbiddenByPath(outsider)).toEqual({});
    const member = await askAs(BE_JIT_MEMBER, { query });
    expect(valuesAt(member.body.data, 'container.investigations.localId')).toEqual(['NL-ONB-2024-0456']);
  });

  test('not a member of the JIT: Eurojust on the case but outside its JIT sees the linked investigation, not its suspects', async () => {
    const query = '{ investigation(localId: "NL-ONB-2024-0456") { codeName suspects { id name } } }';
    const outsider = await askAs({ ...NTK_PRINCIPALS.EUROJUST, cases: ['EJ-2024-0173'] }, { query });
    expect(outsider.body.data).toEqual({ investigation: { codeName: 'BANAANSCHIL', suspects: [] } });
    const member = await askAs(NTK_PRINCIPALS.EUROJUST, { query });
    expect(valuesAt(member.body.data, 'investigation.suspects.id')).toEqual(FIVE_SUSPECTS);
  });
});


describe('an invalid policy file is refused at start-up: the gateway does not start', () => {
  const breakages: [string, string, (text: string) => string, RegExp][] = [
    ['a misspelt field', 'joint-statement-2021-ports.yaml', (t) => t.replace('reefer, label', 'refer, label'),
      /agreements\/joint-statement-2021-ports\.yaml:15: .*unknown field "Container\.refer" \(did you mean "reefer"\?\)/],
    ['a YAML syntax error', 'nl-police-to-nl-customs.yaml', () => 'id: x\n  bad: [\n',
      /agreements\/nl-police-to-nl-customs\.yaml:1: YAML syntax error/],
    ['an unknown recipient agency', 'nl-police-to-nl-fiod.yaml', (t) => t.replace('recipients: [NL-FIOD]', 'recipients: [NL-FOID]'),
      /agreements\/nl-police-to-nl-fiod\.yaml:\d+: .*NL-FOID.*did you mean "NL-FIOD"/],
  ];

  test.each(breakages)('%s in %s: startGateway rejects naming file and line, and nothing listens', async (_what, file, edit, message) => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-ntk-start-'));
    try {
      const policyDir = copyPolicies(stateDir);
      prepareTestKeys({ stateDir, policyDir });
      const target = path.join(policyDir, 'agreements', file);
      fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
      const port = await freePort();
      const env = { PACTUM_GATEWAY_PORT: String(port), PACTUM_STATE_DIR: stateDir, PACTUM_POLICY_DIR: policyDir };
      await expect(startGateway(loadGatewayConfig(env))).rejects.toThrow(message);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('policy reload: an invalid change is refused and the last good policy stays; a valid one is picked up', () => {
  const customs = NTK_PRINCIPALS['NL-CUSTOMS'];
  const metricsUrl = () => stack.gatewayUrl.replace(/\/graphql$/, '/metrics');
  const metric = async (name: string): Promise<string[]> =>
    (await (await fetch(metricsUrl())).text()).split('\n').filter((l) => l.startsWith(name));
  const rejectedCount = async (): Promise<number> => Number((await metric('pactum_policy_reload_rejected_total'))[0]?.split(' ')[1] ?? NaN);

  /** Polls `check` until it returns true (the watcher polls the folder every second). */
  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`gave up waiting: ${what}`);
  }

  const hitCheck = () => askAs(customs, { operation: 'ContainerHitCheck', variables: { number: 'MSCU1234566' } });
  const investigation = () => askAs(customs, { operation: 'InvestigationFile', variables: { localId: 'NL-ONB-2024-0456' } });
  const stable = (r: GraphQLReply) => ({ data: r.body.data, errors: r.body.errors });

  test('a broken agreement that would widen Customs\' access is refused: same answers, counted, logged; then a valid change applies', async () => {
    const beforeHit = stable(await hitCheck());
    const beforeInvestigation = stable(await investigation());
    expect(forbiddenByPath({ status: 200, body: beforeInvestigation })).toEqual({ investigation: 'HIT_ONLY' });
    const versionBefore = await metric('pactum_policy_version{');
    const rejectedBefore = await rejectedCount();
    expect(rejectedBefore).toBe(0);

    log.lines.length = 0;
    const widening = path.join(stack.policyDir, 'agreements', 'zz-police-to-customs-widening.yaml');
    // Would hand Customs the whole investigation — but names a field that does not exist.
    fs.writeFileSync(widening, [
      'id: zz-police-to-customs-widening',
      'title: Investigations for Customs (broken draft)',
      'intent: Customs would read police investigations in full.',
      'legalBasis: none',
      'provider: NL-POLICE',
      'recipients: [NL-CUSTOMS]',
      'purposes: [drug-trafficking]',
      'validity: { from: 2022-01-01 }',
      'grants:',
      '  - id: everything',
      '    intent: All investigation fields.',
      '    fields:',
      '      Query: [investigation]',
      '      Investigation: [agency, localId, codeNam]',
      '',
    ].join('\n'));
    await eventually(async () => (await rejectedCount()) >= 1, 'pactum_policy_reload_rejected_total >= 1');
    const refused = log.lines.filter((l) => l.fields.event === 'policy_reload_refused');
    expect(refused.map((l) => [l.level, l.message])).toEqual([['warn', 'policy reload refused, last good policy stays']]);
    expect(refused[0]?.fields.error).toMatch(/agreements\/zz-police-to-customs-widening\.yaml:14: .*unknown field "Investigation\.codeNam"/);
    // Fail closed: the old policy is in force — same answers, nothing widened.
    expect(stable(await investigation())).toEqual(beforeInvestigation);
    expect(stable(await hitCheck())).toEqual(beforeHit);
    expect(await metric('pactum_policy_version{')).toEqual(versionBefore);

    // A valid change: the police-customs hit/no-hit agreement now ended on 2025-12-31.
    fs.rmSync(widening);
    const agreement = path.join(stack.policyDir, 'agreements', 'nl-police-to-nl-customs.yaml');
    const text = fs.readFileSync(agreement, 'utf8');
    expect(text).toContain('to: 2030-12-31');
    fs.writeFileSync(agreement, text.replace('to: 2030-12-31', 'to: 2025-12-31'));
    await eventually(async () => forbiddenByPath(await hitCheck())['container.policeHit'] !== undefined, 'the hit check to change');
    const after = await hitCheck();
    expect(forbiddenByPath(after)).toEqual({ 'container.policeHit': 'AGREEMENT_EXPIRED' });
    expect(valueAtExact(after.body.data, 'container.europolHit.hit')).toBe(true);
    expect(await metric('pactum_policy_version{')).not.toEqual(versionBefore);
    expect(await rejectedCount()).toBe(rejectedBefore + 1);
  }, 60_000);
});
