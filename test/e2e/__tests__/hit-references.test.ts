/**
 * Hit references end to end, through the real gateway and the real police and Europol
 * subgraphs: a reference is random, issued by the owner subgraph to the agency whose hit
 * check it answered (the agency the gateway's context token vouches for), and a follow-up
 * resolves only such a reference before it expires. A guessed, expired, other agency's or
 * malformed reference answers exactly like an unknown one: same status, same body, only the
 * audit id differs.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openHitReferenceStore, openStore } from '@pactum/subgraph-kit';
import { POLICE_HIT_REFERENCES, policeMigrations } from '@pactum/subgraph-police';
import { ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken, type NtkAgency } from '../../src/ntk-principals';
import { otherErrors, valueAtExact } from '../../src/ntk-response';
import { startStack, type Stack } from '../../src/stack';

const SOFIA = { name: 'Sofia Kaya', dateOfBirth: '1981-12-29' };
const REFERENCE = /^HIT-NLP-[A-Z2-7]{32}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function personHit(agency: NtkAgency): Promise<{ police: string; europol: string }> {
  const principal = NTK_PRINCIPALS[agency];
  const reply = await ask(stack.gatewayUrl, { token: await ntkToken(stack, principal), purpose: 'drug-trafficking', operation: 'PersonHitCheck', variables: SOFIA });
  expect(reply.status).toBe(200);
  expect(otherErrors(reply)).toEqual([]);
  expect(valueAtExact(reply.body.data, 'policePersonHit.hit')).toBe(true);
  return { police: valueAtExact(reply.body.data, 'policePersonHit.reference') as string, europol: valueAtExact(reply.body.data, 'europolPersonHit.reference') as string };
}

async function followUp(agency: NtkAgency, reference: string): Promise<GraphQLReply> {
  const principal = NTK_PRINCIPALS[agency];
  return ask(stack.gatewayUrl, {
    token: await ntkToken(stack, principal, ['hit-follow-up']),
    purpose: 'hit-follow-up',
    justification: 'e2e: follow-up of a person hit on Sofia Kaya',
    operation: 'HitFollowUp',
    variables: { reference },
  });
}

/** What a client can compare between two answers: everything but the audit id. */
function comparable(reply: GraphQLReply): unknown {
  const { extensions, ...body } = reply.body;
  const { auditId, ...rest } = extensions ?? {};
  expect(auditId).toEqual(expect.any(String));
  return { status: reply.status, body: { ...body, extensions: rest } };
}

/** A well-formed police reference nobody issued. */
const guessed = (): string => `HIT-NLP-${Array.from(randomBytes(32), (b) => BASE32[b % 32]).join('')}`;

describe('hit references through the gateway', () => {
  test('each agency gets its own random reference for the same person, stable while it is fresh', async () => {
    const customs = await personHit('NL-CUSTOMS');
    const belgian = await personHit('BE-POLICE');
    expect(customs.police).toMatch(REFERENCE);
    expect(belgian.police).toMatch(REFERENCE);
    expect(customs.europol).toMatch(/^HIT-EPL-[A-Z2-7]{32}$/);
    expect(belgian.police).not.toBe(customs.police);
    expect(belgian.europol).not.toBe(customs.europol);
    expect(await personHit('NL-CUSTOMS')).toEqual(customs);
  });

  test('a follow-up with the reference issued to the asking agency returns the suspect', async () => {
    const { police } = await personHit('NL-CUSTOMS');
    const reply = await followUp('NL-CUSTOMS', police);
    expect(reply.status).toBe(200);
    expect(valueAtExact(reply.body.data, 'policeHitFollowUp.name')).toBe('Sofia Kaya');
    expect(valueAtExact(reply.body.data, 'policeHitFollowUp.id')).toMatch(/^NLP-S-\d{5}$/);
  });

  test("a guessed, expired, other agency's or malformed reference answers exactly like an unknown one", async () => {
    const customs = await personHit('NL-CUSTOMS');
    const belgian = await personHit('BE-POLICE');
    const known = await followUp('NL-CUSTOMS', customs.police);
    const suspectId = valueAtExact(known.body.data, 'policeHitFollowUp.id') as string;

    // Expired: issued to NL-CUSTOMS two days ago (the kit's store with a clock set back) on the
    // police subgraph's own file, which the running subgraph reads through its own connection.
    const store = openStore({ file: path.join(stack.stateDir, 'data', 'police.sqlite'), migrations: policeMigrations });
    let expired: string;
    try {
      expired = openHitReferenceStore(store.db, POLICE_HIT_REFERENCES).issue('person', [suspectId], 'NL-CUSTOMS', new Date(Date.now() - 2 * 24 * 3600 * 1000))[0] as string;
    } finally {
      store.close();
    }
    expect(expired).toMatch(REFERENCE);

    const unknown = comparable(await followUp('NL-CUSTOMS', guessed()));
    expect(unknown).toMatchObject({ status: 200, body: { data: { policeHitFollowUp: null } } });
    const cases: Record<string, string> = {
      'a guessed well-formed reference': guessed(),
      'an expired reference': expired,
      "Belgian police's reference for the same person": belgian.police,
      "Europol's reference (another subgraph)": customs.europol,
      'a malformed string': "HIT-NLP-' OR '1'='1",
      'the empty string': '',
      'the suspect id itself': suspectId,
    };
    for (const [what, reference] of Object.entries(cases)) {
      expect({ what, reply: comparable(await followUp('NL-CUSTOMS', reference)) }).toEqual({ what, reply: unknown });
    }

    // And the other way round: Customs' reference is nothing to Belgian police.
    const unknownForBelgium = comparable(await followUp('BE-POLICE', guessed()));
    expect(comparable(await followUp('BE-POLICE', customs.police))).toEqual(unknownForBelgium);
    expect(valueAtExact((await followUp('BE-POLICE', belgian.police)).body.data, 'policeHitFollowUp.name')).toBe('Sofia Kaya');
  });
});
