/**
 * Data minimisation, end to end: a field the principal may not see is removed before planning,
 * so no subgraph is even asked for it. A recording proxy in front of each real subgraph keeps
 * every document the gateway sent; we type those documents against the supergraph and list the
 * fields asked for (gateway plumbing left out: its `__pactum_*` label/key selections,
 * `__typename`, `_entities` and entity key fields).
 */
import { loadApiSchema, loadOperations, loadSubgraphRegistry } from '@pactum/schema';
import { ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken, type NtkAgency } from '../../src/ntk-principals';
import { requestedFields } from '../../src/ntk-requested-fields';
import { coordinateAt, forbiddenByPath } from '../../src/ntk-response';
import { startStack, type Stack } from '../../src/stack';

const SUBGRAPHS = loadSubgraphRegistry().subgraphs.map((s) => s.name);
type Subgraph = string;
/** Requests per subgraph: none, except the counts given. */
const onlyAsked = (counts: Record<string, number>): Record<string, number> => ({ ...Object.fromEntries(SUBGRAPHS.map((s) => [s, 0])), ...counts });
/** Reasons given when a row's label fails: the row was fetched (its label must be read), then withheld. */
const ROW_REASONS = new Set(['HANDLING_RESTRICTED', 'NOT_RELEASABLE', 'NOT_A_CASE_MEMBER', 'ROW_SECRET']);

const RUNS: Record<string, Record<string, unknown>> = {
  ContainerDossier: { number: 'MSCU1234566' },
  ContainerHitCheck: { number: 'MSCU1234566' },
  InvestigationFile: { localId: 'NL-ONB-2024-0456' },
  JudicialCaseFile: { localId: 'EJ-2024-0173' },
  SeizuresAtPort: { port: 'NLRTM' },
};

const operations = loadOperations();
const apiSchema = loadApiSchema();
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ record: true });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface Asked {
  readonly reply: GraphQLReply;
  /** Coordinates asked of each subgraph. */
  readonly fields: Record<Subgraph, Set<string>>;
  /** How many documents each subgraph received. */
  readonly requests: Record<Subgraph, number>;
}

async function runAs(agency: NtkAgency, operation: string, variables = RUNS[operation]): Promise<Asked> {
  const principal = NTK_PRINCIPALS[agency];
  for (const p of Object.values(stack.recorded)) p.clear();
  const reply = await ask(stack.gatewayUrl, { token: await ntkToken(stack, principal), purpose: principal.purpose, operation, variables });
  expect(reply.status).toBe(200);
  const rec = (s: Subgraph) => {
    const r = stack.recorded[s];
    if (!r) throw new Error(`no recorder for ${s}`);
    return r.requests;
  };
  return {
    reply,
    fields: Object.fromEntries(SUBGRAPHS.map((s) => [s, requestedFields(rec(s))])) as Record<Subgraph, Set<string>>,
    requests: Object.fromEntries(SUBGRAPHS.map((s) => [s, rec(s).length])) as Record<Subgraph, number>,
  };
}

const allAsked = (a: Asked): string[] => SUBGRAPHS.flatMap((s) => [...(a.fields[s] ?? [])]);
const matching = (a: Asked, pattern: RegExp): string[] => allAsked(a).filter((c) => pattern.test(c));

describe('every field denied by policy is never requested from any subgraph', () => {
  const agencies = Object.keys(NTK_PRINCIPALS) as NtkAgency[];
  const cases = Object.keys(RUNS).flatMap((op) => agencies.map((agency) => [agency, op] as const));

  test.each(cases)('%s running %s', async (agency, operation) => {
    const asked = await runAs(agency, operation);
    const fieldDenials = Object.entries(forbiddenByPath(asked.reply)).filter(([, reason]) => !ROW_REASONS.has(reason));
    const deniedCoordinates = [...new Set(fieldDenials.map(([path]) => coordinateAt(apiSchema, operations[operation] as string, path)))];
    const everything = new Set(allAsked(asked));
    expect(deniedCoordinates.filter((c) => everything.has(c))).toEqual([]);
  });
});

describe('what each subgraph was asked, story by story', () => {
  test('NL-CUSTOMS dossier: the police subgraph is not asked at all, so never for investigations, codeName or suspects', async () => {
    const asked = await runAs('NL-CUSTOMS', 'ContainerDossier');
    expect(asked.requests).toEqual(onlyAsked({ customs: 1 }));
    expect(matching(asked, /^(Investigation|Suspect)\.|\.(investigations|suspects|codeName)$/)).toEqual([]);
    expect([...(asked.fields['customs'] ?? [])]).toEqual(expect.arrayContaining(['Query.container', 'Container.declarations', 'CustomsDeclaration.mrn', 'Seizure.quantityKg']));
  });

  test('NL-CUSTOMS hit check: the police subgraph is asked for the hit and its reference, nothing else', async () => {
    const asked = await runAs('NL-CUSTOMS', 'ContainerHitCheck');
    expect([...(asked.fields['police'] ?? [])].sort()).toEqual(['Container.policeHit', 'Hit.hit', 'Hit.reference']);
  });

  test('BE-POLICE dossier: Customs is never asked for declarations, importers or scans; Europol and Eurojust not at all', async () => {
    const asked = await runAs('BE-POLICE', 'ContainerDossier');
    expect(asked.requests).toMatchObject({ eurojust: 0, europol: 0 });
    expect(matching(asked, /^(CustomsDeclaration|Company|Scan)\.|^Container\.(declarations|scans|sienaMessages|intelligenceReports)$/)).toEqual([]);
    expect(matching(asked, /^Investigation\.(europolSupport|judicialCases)$/)).toEqual([]);
    // What it may see is asked: the JIT suspects' identities (personal data under the JIT grant).
    expect([...(asked.fields['police'] ?? [])]).toEqual(expect.arrayContaining(['Investigation.suspects', 'Suspect.name']));
  });

  test('EUROPOL dossier: the police are never asked for suspects; Customs never for declarations or port calls', async () => {
    const asked = await runAs('EUROPOL', 'ContainerDossier');
    expect(matching(asked, /^Suspect\.|^Investigation\.suspects$/)).toEqual([]);
    expect(matching(asked, /^(CustomsDeclaration|Company|Scan|PortCall|Vessel)\.|^Container\.(declarations|scans|portCalls)$/)).toEqual([]);
    expect(matching(asked, /^Jit\.label$/)).toEqual([]);
  });

  test('EUROJUST dossier: Customs is asked for the container only; no seizures, declarations, scans or port calls', async () => {
    const asked = await runAs('EUROJUST', 'ContainerDossier');
    expect(asked.requests.europol).toBe(0);
    expect(matching(asked, /^(Seizure|CustomsDeclaration|Company|Scan|PortCall|Vessel)\./)).toEqual([]);
    expect(asked.fields['customs']?.has('Container.seizures')).toBe(false);
  });

  test.each(Object.keys(RUNS))('NL-FIOD %s: denied at the root, so no subgraph receives any request', async (operation) => {
    const asked = await runAs('NL-FIOD', operation);
    expect(Object.values(forbiddenByPath(asked.reply))).toEqual(['NO_AGREEMENT']);
    expect(asked.requests).toEqual(onlyAsked({}));
  });

  test('aliases, fragments and @include do not smuggle a denied field to a subgraph', async () => {
    const query = `query Q($yes: Boolean = true) {
      c: container(number: "MSCU1234566") {
        number
        inv: investigations @include(if: $yes) { cn: codeName ...S }
        ... on Container { decl: declarations { mrn } }
      }
    }
    fragment S on Investigation { who: suspects { n: name } }`;
    const principal = NTK_PRINCIPALS['NL-CUSTOMS'];
    for (const p of Object.values(stack.recorded)) p.clear();
    const reply = await ask(stack.gatewayUrl, { token: await ntkToken(stack, principal), purpose: principal.purpose, query });
    expect(forbiddenByPath(reply)).toEqual({ 'c.inv': 'HIT_ONLY' });
    expect(stack.recorded.police?.requests).toEqual([]);
    const customs = requestedFields(stack.recorded.customs?.requests ?? []);
    expect([...customs].sort()).toEqual(['Container.declarations', 'CustomsDeclaration.mrn', 'Query.container']);
  });
});
