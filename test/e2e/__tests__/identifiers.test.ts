/** Malformed identifiers are refused at the gateway with BAD_USER_INPUT naming the problem, before any subgraph is asked. */
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.keys.token(NL_CUSTOMS_OFFICER);
}, 120_000);
afterAll(async () => stack?.stop());

const asCustoms = (query: string, variables: Record<string, unknown> = {}) =>
  ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', query, variables });

test.each([
  ['variable', 'query($n: ContainerNumber!) { container(number: $n) { number } }', { n: 'MSCU1234567' }],
  ['literal', 'query { container(number: "MSCU1234567") { number } }', {}],
])('a container number with a wrong check digit (%s) is BAD_USER_INPUT', async (_kind, query, variables) => {
  const reply = await asCustoms(query, variables);
  console.log(JSON.stringify(reply));
  expect(reply.body.data ?? null).toBeNull();
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(reply.body.errors?.[0]?.message).toContain('container number MSCU1234567: check digit should be 6');
});

test('a malformed IMO number is BAD_USER_INPUT', async () => {
  const reply = await asCustoms('query($imo: IMO!) { vessel(imo: $imo) { imo } }', { imo: '9074728' });
  console.log(JSON.stringify(reply));
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(reply.body.errors?.[0]?.message).toContain('IMO number 9074728: check digit should be 9');
});

test('a malformed IBAN is BAD_USER_INPUT', async () => {
  const reply = await asCustoms('query($iban: IBAN!) { seizedAssetByIban(iban: $iban) { id } }', { iban: 'NL91ABNA0417164301' });
  console.log(JSON.stringify(reply));
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(reply.body.errors?.[0]?.message).toMatch(/IBAN NL91ABNA0417164301/);
});
