/**
 * Need-to-know through the real system: the shipped operations, run as each agency of the
 * scenario (principals as in `policies/tests/operations.yaml`), answered by four real subgraphs
 * through the real gateway. For each case the table states, field by field:
 *
 * - `released`: paths that carry values (at least one non-null value along every list);
 * - `denied`: the COMPLETE list of denials — exact response path → reason; each is `null` in the
 *   data with an error `extensions.code: FORBIDDEN` carrying that reason and path;
 * - `rows`: which rows survive their labels (rows failing a label leave lists silently);
 * - `naturallyNull`: paths that are null because the record has no value (not a denial).
 *
 * Every other null in the response is a defect, and the response keeps the shape of the query.
 */
import { loadOperations } from '@pactum/schema';
import { ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken, type NtkAgency } from '../../src/ntk-principals';
import { forbiddenByPath, nullPaths, otherErrors, shapeMismatches, valueAtExact, valuesAt } from '../../src/ntk-response';
import { startStack, type Stack } from '../../src/stack';

type Reason = 'NO_AGREEMENT' | 'HIT_ONLY' | 'PURPOSE_NOT_COVERED' | 'NOT_RELEASABLE';

interface Case {
  readonly as: NtkAgency;
  readonly operation: string;
  readonly variables: Record<string, unknown>;
  /** Purpose declared instead of the principal's usual one. */
  readonly purpose?: string;
  readonly released: readonly string[];
  readonly denied: Readonly<Record<string, Reason>>;
  readonly rows?: Readonly<Record<string, readonly unknown[]>>;
  readonly naturallyNull?: readonly string[];
}

const DOSSIER = { number: 'MSCU1234566' };
const SOFIA = { name: 'Sofia Kaya', dateOfBirth: '1981-12-29' };
const INVESTIGATION = { localId: 'NL-ONB-2024-0456' };
const JUDICIAL_CASE = { localId: 'EJ-2024-0173' };
const PORT = { port: 'NLRTM' };
/** Stands for the reference PersonHitCheck returned for Sofia Kaya (resolved at run time). */
const SOFIA_REFERENCE = '<reference of the police hit on Sofia Kaya>';

/** The five suspects of investigation NL-ONB-2024-0456 (NLP-S-00003 is H2-coded by its owner). */
const SUSPECTS = ['NLP-S-00001', 'NLP-S-00002', 'NLP-S-00003', 'NLP-S-00004', 'NLP-S-00005'];
/** The latest 20 seizures at Rotterdam, as Customs (their owner) holds them. */
const NLRTM_SEIZURES = [
  'SEZ-0078', 'SEZ-0052', 'SEZ-0088', 'SEZ-0090', 'SEZ-0061', 'SEZ-0180', 'SEZ-0092', 'SEZ-0150', 'SEZ-0032', 'SEZ-0011',
  'SEZ-0043', 'SEZ-0127', 'SEZ-0062', 'SEZ-0142', 'SEZ-0093', 'SEZ-0147', 'SEZ-0198', 'SEZ-0170', 'SEZ-0024', 'SEZ-0182',
];
/** Of those, the ones Customs did not make releasable to Belgian police. */
const NLRTM_NOT_RELEASABLE_TO_BE = ['SEZ-0092', 'SEZ-0142', 'SEZ-0182'];
/** Of those, the ones Customs flagged for Europol support. */
const NLRTM_EUROPOL_SUPPORT = ['SEZ-0061', 'SEZ-0062', 'SEZ-0024'];

const CASES: Record<string, Case> = {
  // ── ContainerDossier: everything the four agencies hold on one container ───────────────────
  'NL-POLICE reads the dossier: customs records under the police-customs agreement, its own investigation and suspects; no Europol intelligence (hit only), no Eurojust case':
    {
      as: 'NL-POLICE', operation: 'ContainerDossier', variables: DOSSIER,
      released: ['container.number', 'container.declarations.mrn', 'container.declarations.importer.name', 'container.scans.result',
        'container.seizures.quantityKg', 'container.portCalls.vessel.name', 'container.portCalls.vessel.interdictions.seaArea', 'container.investigations.codeName',
        'container.investigations.suspects.name', 'container.investigations.suspects.documentNumbers'],
      denied: {
        'container.investigations.0.europolSupport': 'NO_AGREEMENT',
        'container.investigations.0.judicialCases': 'NO_AGREEMENT',
        'container.sienaMessages': 'HIT_ONLY',
        'container.intelligenceReports': 'HIT_ONLY',
      },
      rows: { 'container.investigations.suspects.id': SUSPECTS },
    },
  'NL-CUSTOMS reads the dossier: its own customs records; the police investigation and suspects are hit-only for Customs':
    {
      as: 'NL-CUSTOMS', operation: 'ContainerDossier', variables: DOSSIER,
      released: ['container.number', 'container.label.owner', 'container.declarations.mrn', 'container.declarations.importer.name',
        'container.scans.result', 'container.seizures.quantityKg', 'container.portCalls.vessel.imo'],
      denied: {
        'container.investigations': 'HIT_ONLY',
        'container.sienaMessages': 'HIT_ONLY',
        'container.intelligenceReports': 'HIT_ONLY',
        // MAOC-N gives Customs the tracking near Dutch ports, not interdictions.
        'container.portCalls.0.vessel.interdictions': 'NO_AGREEMENT',
        'container.portCalls.1.vessel.interdictions': 'NO_AGREEMENT',
      },
    },
  'BE-POLICE (JIT member) reads the dossier: seizures and movements under the 2021 joint statement, the JIT investigation with suspects; no declarations or scans':
    {
      as: 'BE-POLICE', operation: 'ContainerDossier', variables: DOSSIER,
      released: ['container.number', 'container.seizures.quantityKg', 'container.portCalls.arrivedAt', 'container.portCalls.vessel.name',
        'container.investigations.codeName', 'container.investigations.suspects.name'],
      denied: {
        'container.declarations': 'NO_AGREEMENT',
        'container.scans': 'NO_AGREEMENT',
        'container.investigations.0.europolSupport': 'NO_AGREEMENT',
        'container.investigations.0.judicialCases': 'NO_AGREEMENT',
        'container.sienaMessages': 'HIT_ONLY',
        'container.intelligenceReports': 'HIT_ONLY',
        // Belgium is not a MAOC-N member state.
        'container.portCalls.0.vessel.interdictions': 'NO_AGREEMENT',
        'container.portCalls.1.vessel.interdictions': 'NO_AGREEMENT',
      },
      rows: { 'container.investigations.suspects.id': SUSPECTS },
    },
  'EUROPOL reads the dossier: its own intelligence, seizures and investigations flagged for support, the linked Eurojust case; never suspects, declarations or port calls':
    {
      as: 'EUROPOL', operation: 'ContainerDossier', variables: DOSSIER,
      released: ['container.number', 'container.seizures.substance', 'container.investigations.codeName', 'container.investigations.europolSupport',
        'container.investigations.judicialCases.title', 'container.investigations.judicialCases.jit.members', 'container.sienaMessages.body',
        'container.intelligenceReports.summary'],
      denied: {
        'container.declarations': 'NO_AGREEMENT',
        'container.scans': 'NO_AGREEMENT',
        'container.portCalls': 'NO_AGREEMENT',
        'container.investigations.0.suspects': 'NO_AGREEMENT',
        'container.investigations.0.judicialCases.0.jit.label': 'NO_AGREEMENT',
      },
    },
  'EUROJUST (JIT member) reads the dossier: the investigation its case links, with suspects, and its own case and JIT; no customs records or Europol intelligence':
    {
      as: 'EUROJUST', operation: 'ContainerDossier', variables: DOSSIER,
      released: ['container.number', 'container.investigations.codeName', 'container.investigations.suspects.name',
        'container.investigations.judicialCases.title', 'container.investigations.judicialCases.jit.members'],
      denied: {
        'container.declarations': 'NO_AGREEMENT',
        'container.scans': 'NO_AGREEMENT',
        'container.seizures': 'NO_AGREEMENT',
        'container.portCalls': 'NO_AGREEMENT',
        'container.investigations.0.europolSupport': 'NO_AGREEMENT',
        'container.sienaMessages': 'NO_AGREEMENT',
        'container.intelligenceReports': 'NO_AGREEMENT',
      },
      rows: { 'container.investigations.suspects.id': SUSPECTS },
    },
  'NL-FIOD asks for the dossier: no agreement gives it containers, so nothing at all': {
    as: 'NL-FIOD', operation: 'ContainerDossier', variables: DOSSIER,
    released: [],
    denied: { container: 'NO_AGREEMENT' },
  },

  // ── ContainerHitCheck / PersonHitCheck: Prüm-style hit / no-hit ─────────────────────────────
  ...Object.fromEntries(
    (['NL-POLICE', 'NL-CUSTOMS', 'BE-POLICE', 'EUROPOL'] as const).flatMap((agency) => [
      [`${agency} checks the container for police and Europol hits: a hit and an opaque reference each`, {
        as: agency, operation: 'ContainerHitCheck', variables: DOSSIER,
        released: ['container.number', 'container.policeHit.hit', 'container.policeHit.reference', 'container.europolHit.hit', 'container.europolHit.reference'],
        denied: {},
      } satisfies Case],
      [`${agency} checks a person for police and Europol hits: a hit and an opaque reference each`, {
        as: agency, operation: 'PersonHitCheck', variables: SOFIA,
        released: ['policePersonHit.hit', 'policePersonHit.reference', 'europolPersonHit.hit', 'europolPersonHit.reference'],
        denied: {},
      } satisfies Case],
    ]),
  ),
  'EUROJUST checks the container: it sees the container, but no hit/no-hit service is agreed with it': {
    as: 'EUROJUST', operation: 'ContainerHitCheck', variables: DOSSIER,
    released: ['container.number'],
    denied: { 'container.policeHit': 'NO_AGREEMENT', 'container.europolHit': 'NO_AGREEMENT' },
  },
  'NL-FIOD checks the container: denied at the root': {
    as: 'NL-FIOD', operation: 'ContainerHitCheck', variables: DOSSIER,
    released: [],
    denied: { container: 'NO_AGREEMENT' },
  },
  ...Object.fromEntries(
    (['EUROJUST', 'NL-FIOD'] as const).map((agency) => [
      `${agency} checks a person: no hit/no-hit service is agreed with it`,
      { as: agency, operation: 'PersonHitCheck', variables: SOFIA, released: [], denied: { policePersonHit: 'NO_AGREEMENT', europolPersonHit: 'NO_AGREEMENT' } } satisfies Case,
    ]),
  ),

  // ── HitFollowUp: the record behind a hit, a separate justified request ──────────────────────
  'NL-CUSTOMS follows up the police hit (purpose hit-follow-up): the suspect record with identity, not the investigations': {
    as: 'NL-CUSTOMS', operation: 'HitFollowUp', variables: { reference: SOFIA_REFERENCE }, purpose: 'hit-follow-up',
    released: ['policeHitFollowUp.id', 'policeHitFollowUp.name', 'policeHitFollowUp.dateOfBirth', 'policeHitFollowUp.documentNumbers', 'policeHitFollowUp.role'],
    denied: { 'policeHitFollowUp.investigations': 'NO_AGREEMENT' },
  },
  'NL-CUSTOMS asks for the record behind the hit under drug-trafficking: the follow-up needs its own purpose': {
    as: 'NL-CUSTOMS', operation: 'HitFollowUp', variables: { reference: SOFIA_REFERENCE },
    released: [],
    denied: { policeHitFollowUp: 'PURPOSE_NOT_COVERED' },
  },

  // ── InvestigationFile: a police investigation ───────────────────────────────────────────────
  'NL-POLICE reads its investigation: suspects, containers and seized assets; Europol and Eurojust parts are not its own': {
    as: 'NL-POLICE', operation: 'InvestigationFile', variables: INVESTIGATION,
    released: ['investigation.codeName', 'investigation.suspects.name', 'investigation.containers.number', 'investigation.seizedAssets.valueEur'],
    denied: {
      'investigation.europolSupport': 'NO_AGREEMENT',
      'investigation.analysisProject': 'NO_AGREEMENT',
      'investigation.judicialCases': 'NO_AGREEMENT',
    },
    rows: { 'investigation.suspects.id': SUSPECTS },
    naturallyNull: ['investigation.seizedAssets.iban'],
  },
  ...Object.fromEntries(
    (['NL-CUSTOMS', 'BE-POLICE'] as const).map((agency) => [
      `${agency} asks for the investigation: police investigations are hit-only for it`,
      { as: agency, operation: 'InvestigationFile', variables: INVESTIGATION, released: [], denied: { investigation: 'HIT_ONLY' } } satisfies Case,
    ]),
  ),
  'EUROPOL reads the investigation flagged for support: its analysis project and the linked case; not suspects or seized assets': {
    as: 'EUROPOL', operation: 'InvestigationFile', variables: INVESTIGATION,
    released: ['investigation.codeName', 'investigation.containers.number', 'investigation.europolSupport', 'investigation.analysisProject.name',
      'investigation.judicialCases.title', 'investigation.judicialCases.jit.members'],
    denied: { 'investigation.suspects': 'NO_AGREEMENT', 'investigation.seizedAssets': 'NO_AGREEMENT' },
  },
  'EUROJUST (JIT member) reads the investigation its case links: suspects with identity, its own case; not assets or Europol parts': {
    as: 'EUROJUST', operation: 'InvestigationFile', variables: INVESTIGATION,
    released: ['investigation.codeName', 'investigation.suspects.name', 'investigation.containers.number', 'investigation.judicialCases.title'],
    denied: {
      'investigation.seizedAssets': 'NO_AGREEMENT',
      'investigation.europolSupport': 'NO_AGREEMENT',
      'investigation.analysisProject': 'NO_AGREEMENT',
    },
    rows: { 'investigation.suspects.id': SUSPECTS },
  },
  'NL-FIOD asks for the investigation: denied at the root': {
    as: 'NL-FIOD', operation: 'InvestigationFile', variables: INVESTIGATION,
    released: [],
    denied: { investigation: 'NO_AGREEMENT' },
  },

  // ── JudicialCaseFile: a Eurojust case ───────────────────────────────────────────────────────
  'EUROJUST reads its own case file: JIT, MLA requests, arrest warrants and the national cases it links': {
    as: 'EUROJUST', operation: 'JudicialCaseFile', variables: JUDICIAL_CASE,
    released: ['judicialCase.title', 'judicialCase.jit.members', 'judicialCase.mlaRequests.subject', 'judicialCase.arrestWarrants.subjectName',
      'judicialCase.nationalCases.localId', 'judicialCase.nationalCases.investigation.codeName'],
    denied: {},
    // Only the Dutch national case is a police investigation the police subgraph resolves.
    naturallyNull: ['judicialCase.nationalCases.investigation'],
  },
  ...Object.fromEntries(
    (['NL-POLICE', 'NL-CUSTOMS', 'BE-POLICE', 'EUROPOL', 'NL-FIOD'] as const).map((agency) => [
      `${agency} asks for the Eurojust case file: no agreement releases judicial cases by reference to it`,
      { as: agency, operation: 'JudicialCaseFile', variables: JUDICIAL_CASE, released: [], denied: { judicialCase: 'NO_AGREEMENT' } } satisfies Case,
    ]),
  ),

  // ── SeizuresAtPort: the latest seizures at Rotterdam ────────────────────────────────────────
  ...Object.fromEntries(
    (['NL-POLICE', 'NL-CUSTOMS'] as const).map((agency) => [
      `${agency} lists the seizures at Rotterdam: all of them, with their containers`,
      { as: agency, operation: 'SeizuresAtPort', variables: PORT, released: ['seizures.quantityKg', 'seizures.container.number'], denied: {}, rows: { 'seizures.id': NLRTM_SEIZURES } } satisfies Case,
    ]),
  ),
  'BE-POLICE lists the seizures at Rotterdam: only those Customs made releasable to it; one container withheld by its own label': {
    as: 'BE-POLICE', operation: 'SeizuresAtPort', variables: PORT,
    released: ['seizures.quantityKg', 'seizures.container.number'],
    denied: { 'seizures.5.container': 'NOT_RELEASABLE' },
    rows: { 'seizures.id': NLRTM_SEIZURES.filter((id) => !NLRTM_NOT_RELEASABLE_TO_BE.includes(id)) },
  },
  'EUROPOL lists the seizures at Rotterdam: only those flagged for Europol support': {
    as: 'EUROPOL', operation: 'SeizuresAtPort', variables: PORT,
    released: ['seizures.substance', 'seizures.container.number'],
    denied: {},
    rows: { 'seizures.id': NLRTM_EUROPOL_SUPPORT },
  },
  ...Object.fromEntries(
    (['EUROJUST', 'NL-FIOD'] as const).map((agency) => [
      `${agency} lists the seizures at Rotterdam: no agreement gives it seizures`,
      { as: agency, operation: 'SeizuresAtPort', variables: PORT, released: [], denied: { seizures: 'NO_AGREEMENT' } } satisfies Case,
    ]),
  ),
};

const operations = loadOperations();
let stack: Stack;
let sofiaReference: string;

beforeAll(async () => {
  stack = await startStack();
  const hit = await ask(stack.gatewayUrl, {
    token: await ntkToken(stack, NTK_PRINCIPALS['NL-CUSTOMS']),
    purpose: 'drug-trafficking',
    operation: 'PersonHitCheck',
    variables: SOFIA,
  });
  sofiaReference = valueAtExact(hit.body.data, 'policePersonHit.reference') as string;
  expect(sofiaReference).toMatch(/^HIT-NLP-[A-Z2-7]{32}$/);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function run(c: Case): Promise<GraphQLReply> {
  const principal = NTK_PRINCIPALS[c.as];
  const purpose = c.purpose ?? principal.purpose;
  const variables = Object.fromEntries(Object.entries(c.variables).map(([k, v]) => [k, v === SOFIA_REFERENCE ? sofiaReference : v]));
  return ask(stack.gatewayUrl, {
    token: await ntkToken(stack, principal, [purpose]),
    purpose,
    ...(purpose === 'hit-follow-up' ? { justification: 'customs scan anomaly on MSCU1234566, hit on the importer contact' } : {}),
    operation: c.operation,
    variables,
  });
}

const isNaturallyNull = (path: string, c: Case): boolean => {
  const dotted = path.split('.').filter((k) => !/^\d+$/.test(k)).join('.');
  return dotted.endsWith('.handlingNote') || (c.naturallyNull ?? []).includes(dotted);
};

test.each(Object.entries(CASES))('%s', async (_name, c) => {
  const reply = await run(c);
  expect(reply.status).toBe(200);
  expect(otherErrors(reply)).toEqual([]);
  const data = reply.body.data;

  // Denied: exactly these paths, each with its reason, each null in the data.
  expect(forbiddenByPath(reply)).toEqual(c.denied);
  for (const path of Object.keys(c.denied)) expect({ path, value: valueAtExact(data, path) }).toEqual({ path, value: null });

  // Released: each path carries values.
  for (const path of c.released) {
    const values = valuesAt(data, path).filter((v) => v !== null && v !== undefined);
    expect({ path, released: values.length > 0 }).toEqual({ path, released: true });
  }
  for (const [path, expected] of Object.entries(c.rows ?? {})) expect({ path, rows: valuesAt(data, path) }).toEqual({ path, rows: expected });

  // No silent nulls: every null is a denial or a field with no value; the shape is the query's.
  expect(nullPaths(data).filter((p) => !isNaturallyNull(p, c))).toEqual(Object.keys(c.denied).sort((a, b) => nullOrder(data, a, b)));
  expect(shapeMismatches(operations[c.operation] as string, data)).toEqual([]);
});

/** Orders denied paths the way `nullPaths` finds them (document order of the response). */
function nullOrder(data: unknown, a: string, b: string): number {
  const order = nullPaths(data);
  return order.indexOf(a) - order.indexOf(b);
}
