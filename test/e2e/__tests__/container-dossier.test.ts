/**
 * The foundation, end to end: four subgraphs and the gateway on loopback, and ContainerDossier
 * answered from all four agencies in one request for the story's containers — for a Europol
 * analyst, whom the shipped agreements give a view across Customs, police, Europol and Eurojust.
 */
import { decodeJwt } from 'jose';
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack({ record: true });
  token = await stack.keys.token({ agency: 'EUROPOL', sub: 'a.analyst', roles: ['analyst'], clearance: 'SECRET', purposes: ['drug-trafficking'] });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface Dossier {
  container: {
    number: string;
    seizures: { id: string; substance: string | null }[] | null;
    investigations: { localId: string; codeName: string | null; judicialCases: { localId: string; title: string | null }[] | null }[] | null;
    sienaMessages: { id: string; subject: string | null }[] | null;
  } | null;
}

test.each(['MSCU1234566', 'MAEU8123457', 'CSQU3054383'])('ContainerDossier for %s draws on all four agencies in one request', async (number) => {
  for (const proxy of Object.values(stack.recorded)) proxy.clear();
  const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number } });
  expect(reply.status).toBe(200);
  const { container } = reply.body.data as unknown as Dossier;
  expect(container?.number).toBe(number);
  // Customs: the seizure in the container; police: the investigation; Europol: its messages; Eurojust: the linked case.
  expect(container?.seizures?.length).toBeGreaterThan(0);
  expect(container?.investigations?.map((i) => i.localId)).toEqual(expect.arrayContaining([expect.stringMatching(/^NL-ONB-2024-/)]));
  expect(container?.sienaMessages?.length).toBeGreaterThan(0);
  const cases = container?.investigations?.flatMap((i) => i.judicialCases ?? []) ?? [];
  expect(cases.map((c) => c.localId)).toContain('EJ-2024-0173');
  // And each of the four subgraphs was actually asked.
  for (const name of ['customs', 'police', 'europol', 'eurojust']) {
    expect(stack.recorded[name]?.requests.length).toBeGreaterThan(0);
  }
});

test('an H2-coded seizure goes no further: the Europol analyst gets the container without it', async () => {
  const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'HLXU7032104' } });
  const { container } = reply.body.data as unknown as Dossier;
  expect(container?.number).toBe('HLXU7032104');
  expect(container?.seizures).toEqual([]);
  expect(container?.sienaMessages?.length).toBeGreaterThan(0);
});

test('every subgraph call carries the request id of the request it serves, beside a context token for that subgraph alone', async () => {
  for (const proxy of Object.values(stack.recorded)) proxy.clear();
  for (const id of ['e2e-dossier-1', 'e2e-dossier-2']) {
    const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' }, headers: { 'x-request-id': id } });
    expect(reply.status).toBe(200);
  }
  for (const name of ['customs', 'police', 'europol', 'eurojust']) {
    const calls = stack.recorded[name]?.requests ?? [];
    expect(new Set(calls.map((c) => c.requestId))).toEqual(new Set(['e2e-dossier-1', 'e2e-dossier-2']));
    // One token per subgraph and caller, reused across the two requests; it names the caller, never the agency token.
    const tokens = new Set(calls.map((c) => c.authorization));
    expect(tokens.size).toBe(1);
    const claims = decodeJwt(String([...tokens][0]).replace(/^Bearer /, ''));
    expect(claims).toMatchObject({ iss: 'pactum-gateway', aud: name, sub: 'a.analyst', agency: 'EUROPOL', purpose: 'drug-trafficking' });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
  }
});
