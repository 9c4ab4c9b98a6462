/**
 * The foundation, end to end: four subgraphs and the gateway on loopback, and ContainerDossier
 * answered from all four agencies in one request for the story's containers.
 */
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.keys.token({
    agency: 'NL-POLICE',
    sub: 'j.devries',
    roles: ['investigator'],
    clearance: 'SECRET',
    purposes: ['drug-trafficking'],
    cases: ['NL-ONB-2024-0456'],
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

test('ContainerDossier for MSCU1234566 draws on all four agencies', async () => {
  const reply = await ask(stack.gatewayUrl, {
    token,
    purpose: 'drug-trafficking',
    justification: 'e2e',
    operation: 'ContainerDossier',
    variables: { number: 'MSCU1234566' },
  });
  console.log(JSON.stringify(reply.body, null, 1).slice(0, 3000));
  expect(reply.status).toBe(200);
});
