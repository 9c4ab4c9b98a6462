/**
 * One regression test per need-to-know symptom the oracle (need-to-know-oracle.test.ts) was
 * built to catch, each on a concrete row of the seeded demo world and a real principal of the
 * policies. The rule behind all three: a row of a labelled type is visible only when its owner
 * releases at least one of its own fields on that row's label; a withheld row leaves a list
 * silently, and as a single object becomes null with a FORBIDDEN error — whatever is selected
 * on it, `__typename` alone included.
 */
import { ask, type GraphQLReply } from '../../src/client';
import { ntkToken, type NtkPrincipal } from '../../src/ntk-principals';
import { forbiddenByPath, otherErrors } from '../../src/ntk-response';
import { startStack, type Stack } from '../../src/stack';

/** A Dutch police investigator; the police's own agreement covers `terrorism`, Customs' agreement with the police does not. */
const NL_POLICE_TERRORISM: NtkPrincipal = { agency: 'NL-POLICE', roles: ['investigator'], clearance: 'CONFIDENTIAL', purpose: 'terrorism' };
/** A Europol analyst: Customs releases containers to Europol only when it flagged them for Europol support. */
const EUROPOL_ANALYST: NtkPrincipal = { agency: 'EUROPOL', roles: ['analyst'], clearance: 'SECRET', purpose: 'drug-trafficking' };

/** The story's first investigation; it concerns five containers Customs owns. */
const INVESTIGATION = 'NL-ONB-2024-0456';
/** A seeded container Customs did not flag for Europol support (label: H0, europolSupport false). */
const UNFLAGGED_CONTAINER = 'MSCU2389238';

describe('need-to-know symptoms', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function askAs(principal: NtkPrincipal, query: string, variables?: Record<string, unknown>): Promise<GraphQLReply> {
    const token = await ntkToken(stack, principal);
    const reply = await ask(stack.gatewayUrl, { token, purpose: principal.purpose, justification: 'regression test', query, ...(variables ? { variables } : {}) });
    expect(reply.status).toBe(200);
    expect(otherErrors(reply)).toEqual([]);
    return reply;
  }

  test('(a) containers reached from a police investigation under a purpose Customs grants nothing for are dropped from the list', async () => {
    // The investigation is the police's own; its containers are Customs' rows, and Customs releases none of its fields for
    // terrorism. Selecting only the police's own field on them (Container.investigations) must not bring the rows back.
    const reply = await askAs(NL_POLICE_TERRORISM, `{ investigation(localId: "${INVESTIGATION}") { codeName containers { investigations { localId } } } }`);
    expect(reply.body.data).toEqual({ investigation: { codeName: 'BANAANSCHIL', containers: [] } });
    expect(forbiddenByPath(reply)).toEqual({});
    // Selecting a Customs field denies it statically: the list is refused whole, before any subgraph is asked.
    const direct = await askAs(NL_POLICE_TERRORISM, `{ investigation(localId: "${INVESTIGATION}") { codeName containers { number } } }`);
    expect(direct.body.data).toEqual({ investigation: { codeName: 'BANAANSCHIL', containers: null } });
    expect(forbiddenByPath(direct)).toEqual({ 'investigation.containers': 'PURPOSE_NOT_COVERED' });
  });

  test('(b) a list of { __typename } does not reveal how many rows were withheld', async () => {
    const reply = await askAs(NL_POLICE_TERRORISM, `{ investigation(localId: "${INVESTIGATION}") { containers { __typename } } }`);
    expect(reply.body.data).toEqual({ investigation: { containers: [] } });
    expect(forbiddenByPath(reply)).toEqual({});
  });

  test('(c) a root lookup of a withheld row selecting only __typename answers null with FORBIDDEN, not the type', async () => {
    const reply = await askAs(EUROPOL_ANALYST, `{ container(number: "${UNFLAGGED_CONTAINER}") { __typename } }`);
    expect(reply.body.data).toEqual({ container: null });
    expect(forbiddenByPath(reply)).toEqual({ container: 'NOT_RELEASABLE' });
  });

  describe('found by the oracle', () => {
    const EUROPOL_CONFIDENTIAL: NtkPrincipal = { ...EUROPOL_ANALYST, clearance: 'CONFIDENTIAL' };
    const NL_INVESTIGATOR: NtkPrincipal = { agency: 'NL-POLICE', roles: ['investigator'], clearance: 'CONFIDENTIAL', purpose: 'drug-trafficking' };

    test('a denied field under a skipped copy of a key is not reported where another copy is kept', async () => {
      const reply = await askAs(
        EUROPOL_ANALYST,
        '{ container(number: "MSCU1234566") { number } container(number: "MSCU1234566") @skip(if: true) { portCalls { arrivedAt } europolHit { hit } } }',
      );
      expect(reply.body.data).toEqual({ container: { number: 'MSCU1234566' } });
      expect(forbiddenByPath(reply)).toEqual({});
    });

    test('a copy of a key left with nothing allowed still reports its denials inside the copy that is kept', async () => {
      const reply = await askAs(EUROPOL_CONFIDENTIAL, '{ seizures { container { __typename } container { scans { id } } } }');
      const seizures = (reply.body.data as { seizures: { container: unknown }[] }).seizures;
      expect(seizures.length).toBeGreaterThan(0);
      const withContainer = seizures.filter((s) => s.container !== null);
      expect(withContainer.length).toBeGreaterThan(0);
      for (const s of withContainer) expect(s.container).toEqual({ __typename: 'Container', scans: null });
      const reasons = Object.entries(forbiddenByPath(reply)).filter(([path]) => path.endsWith('.container.scans'));
      expect(reasons.length).toBe(withContainer.length);
      for (const [, reason] of reasons) expect(reason).toBe('NO_AGREEMENT');
    });

    test('a denied copy of a key still answers (null + FORBIDDEN) where the kept copy is skipped', async () => {
      const police: NtkPrincipal = { agency: 'NL-POLICE', roles: [], clearance: 'CONFIDENTIAL', purpose: 'drug-trafficking' };
      const reply = await askAs(police, '{ seizures { container @include(if: false) { policeHit { hit } } container { intelligenceReports { summary } } } }');
      const seizures = (reply.body.data as { seizures: Record<string, unknown>[] }).seizures;
      expect(seizures.length).toBeGreaterThan(0);
      for (const s of seizures) expect(s).toEqual({ container: null });
      const reasons = forbiddenByPath(reply);
      expect(Object.keys(reasons).length).toBe(seizures.length);
      for (const [path, reason] of Object.entries(reasons)) expect([path.replace(/\d+/, 'N'), reason]).toEqual(['seizures.N.container', 'HIT_ONLY']);
    });

    test('an object whose only client selections are conditional still answers (not null) with its denials', async () => {
      const reply = await askAs(
        NL_INVESTIGATOR,
        `query ($a: Boolean!) { investigation(localId: "${INVESTIGATION}") @include(if: $a) { __typename @include(if: false) judicialCases { title } } }`,
        { a: true },
      );
      expect(reply.body.data).toEqual({ investigation: { judicialCases: null } });
      expect(forbiddenByPath(reply)).toEqual({ 'investigation.judicialCases': 'NO_AGREEMENT' });
    });
  });
});
