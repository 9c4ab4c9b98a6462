/**
 * A query plan or any cached result made for one principal's rewritten operation is never served
 * for another's. The same client query text is sent by a restricted principal (NL-CUSTOMS: the
 * police investigation is hit-only) and a full one (NL-POLICE), in both orders, alternating.
 *
 * Each order uses its own operation name, so its text — and every rewrite of it — starts with a
 * cold plan cache: in order A the restricted principal plans first, in order B the full one.
 * The first answer each principal gets from a cold cache is its baseline; every later answer to
 * the same text must equal it exactly, and the subgraphs must be asked only what that principal
 * may see each time.
 */
import { loadOperations } from '@pactum/schema';
import { ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken } from '../../src/ntk-principals';
import { requestedFields } from '../../src/ntk-requested-fields';
import { forbiddenByPath, valuesAt } from '../../src/ntk-response';
import { startStack, type Stack } from '../../src/stack';

type Who = 'NL-CUSTOMS' | 'NL-POLICE';
const dossier = loadOperations().ContainerDossier as string;
const textFor = (order: string): string => dossier.replace('query ContainerDossier(', `query ContainerDossier${order}(`);

let stack: Stack;
const tokens: Partial<Record<Who, string>> = {};

beforeAll(async () => {
  stack = await startStack({ record: true });
  for (const who of ['NL-CUSTOMS', 'NL-POLICE'] as const) tokens[who] = await ntkToken(stack, NTK_PRINCIPALS[who]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface Turn {
  readonly body: Omit<GraphQLReply['body'], 'extensions'>;
  /** Fields the police subgraph was asked during this request. */
  readonly askedOfPolice: Set<string>;
}

async function turn(who: Who, query: string): Promise<Turn> {
  for (const p of Object.values(stack.recorded)) p.clear();
  const reply = await ask(stack.gatewayUrl, { token: tokens[who], purpose: NTK_PRINCIPALS[who].purpose, query, variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(200);
  const { extensions: _auditId, ...body } = reply.body;
  return { body, askedOfPolice: requestedFields(stack.recorded.police?.requests ?? []) };
}

/** What NL-CUSTOMS may see: customs records, no investigation (hit only) and no suspects asked of the police. */
function expectCustomsView(t: Turn): void {
  expect(forbiddenByPath({ status: 200, body: t.body })).toEqual({
    'container.investigations': 'HIT_ONLY',
    'container.sienaMessages': 'HIT_ONLY',
    'container.intelligenceReports': 'HIT_ONLY',
    'container.portCalls.0.vessel.interdictions': 'NO_AGREEMENT',
    'container.portCalls.1.vessel.interdictions': 'NO_AGREEMENT',
  });
  expect(valuesAt(t.body.data, 'container.declarations.mrn').length).toBeGreaterThan(0);
  expect(t.askedOfPolice.size).toBe(0);
}

/** What NL-POLICE may see: its investigation with codeName and suspects' names, asked of the police. */
function expectPoliceView(t: Turn): void {
  expect(forbiddenByPath({ status: 200, body: t.body })).toEqual({
    'container.investigations.0.europolSupport': 'NO_AGREEMENT',
    'container.investigations.0.judicialCases': 'NO_AGREEMENT',
    'container.sienaMessages': 'HIT_ONLY',
    'container.intelligenceReports': 'HIT_ONLY',
  });
  expect(valuesAt(t.body.data, 'container.investigations.codeName')).toEqual(['BANAANSCHIL']);
  expect(valuesAt(t.body.data, 'container.investigations.suspects.name')).toHaveLength(5);
  expect([...t.askedOfPolice]).toEqual(expect.arrayContaining(['Investigation.codeName', 'Investigation.suspects', 'Suspect.name']));
}

const baseline: Partial<Record<Who, Turn['body']>> = {};

describe.each([
  { order: 'A', first: 'NL-CUSTOMS', second: 'NL-POLICE' },
  { order: 'B', first: 'NL-POLICE', second: 'NL-CUSTOMS' },
] as const)('order $order: $first first, then $second, on one query text', ({ order, first, second }) => {
  const query = textFor(order);
  const check = (who: Who, t: Turn) => (who === 'NL-CUSTOMS' ? expectCustomsView(t) : expectPoliceView(t));

  test('each principal gets exactly its own fields, every time, in alternation', async () => {
    const sequence: Who[] = [first, second, first, second, first];
    const answers: Record<Who, Turn['body'][]> = { 'NL-CUSTOMS': [], 'NL-POLICE': [] };
    for (const who of sequence) {
      const t = await turn(who, query);
      check(who, t);
      answers[who].push(t.body);
    }
    for (const who of [first, second]) {
      const [cold, ...warm] = answers[who];
      for (const w of warm) expect(w).toEqual(cold);
      // The same principal gets the same answer whichever principal planned this text first.
      if (baseline[who]) expect(cold).toEqual(baseline[who]);
      else baseline[who] = cold;
    }
  });
});

test('the two views really differ (the comparison above could fail)', () => {
  expect(baseline['NL-CUSTOMS']).toBeDefined();
  expect(baseline['NL-CUSTOMS']).not.toEqual(baseline['NL-POLICE']);
});
