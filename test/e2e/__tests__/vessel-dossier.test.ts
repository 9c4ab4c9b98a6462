/**
 * MAOC-N in the federation, end to end: VesselDossier pulls Customs' port calls, MAOC-N's interest,
 * tracking and interdictions, and the police's and Europol's interest in the containers searched,
 * in one request — each part only where an agreement grants it. A Belgian investigator (Belgium is
 * no MAOC-N member) gets nothing of MAOC-N; Dutch Customs get the tracking near Dutch ports only;
 * Europol gets flagged rows without the H2-coded one; ContainerDossier reaches MAOC-N through the vessel.
 */
import { ask, type GraphQLReply } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';
import { NL_CUSTOMS_OFFICER, NL_INVESTIGATOR } from '../../src/story-principals';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ record: true });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface VesselDossier {
  vessel: {
    imo: string;
    name: string | null;
    portCalls: { id: string }[] | null;
    maocInterest: { id: string; riskLevel: string | null } | null;
    trackingReports: { id: string; aisGapHours: number | null; nearPort: string | null }[] | null;
    interdictions:
      | {
          id: string;
          actingCountry: string | null;
          quantityKg: number | null;
          containers: { number: string; investigations: { localId: string }[] | null; sienaMessages: { id: string }[] | null; policeHit: { hit: boolean } | null }[] | null;
        }[]
      | null;
  } | null;
}

const token = (agency: string, roles: string[], purposes = ['drug-trafficking']) =>
  stack.keys.token({ agency, sub: `${agency.toLowerCase()}.e2e`, roles, clearance: 'SECRET', purposes });

async function dossier(tokenValue: string, imo: string): Promise<{ reply: GraphQLReply; vessel: VesselDossier['vessel'] }> {
  const reply = await ask(stack.gatewayUrl, { token: tokenValue, purpose: 'drug-trafficking', operation: 'VesselDossier', variables: { imo } });
  expect(reply.status).toBe(200);
  return { reply, vessel: (reply.body.data as unknown as VesselDossier).vessel };
}

const forbidden = (reply: GraphQLReply) =>
  Object.fromEntries((reply.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [(e.path ?? []).join('.'), e.extensions?.reason]));

test('a Dutch investigator gets port calls, MAOC-N interest, tracking and the interdiction, and the police and Europol interest in the container searched', async () => {
  for (const p of Object.values(stack.recorded)) p.clear();
  const { reply, vessel } = await dossier(await stack.keys.token(NL_INVESTIGATOR), '9463786');
  expect(vessel?.name).toBe('Cap Guayas');
  expect(vessel?.portCalls?.length).toBeGreaterThan(0);
  expect(vessel?.maocInterest).toMatchObject({ id: 'MAOC-VOI-0044', riskLevel: 'HIGH' });
  expect(vessel?.trackingReports?.map((t) => t.aisGapHours)).toEqual([null, 42]);
  expect(vessel?.interdictions?.map((i) => [i.id, i.actingCountry, i.quantityKg])).toEqual([['MAOC-INT-2024-0011', 'ES', 1240]]);
  const container = vessel?.interdictions?.[0]?.containers?.[0];
  expect(container?.number).toBe('MAEU8123457');
  expect(container?.investigations?.map((i) => i.localId)).toEqual(['NL-ONB-2024-0456']);
  // All three agencies were asked in the one request.
  for (const name of ['customs', 'maoc', 'police']) expect(stack.recorded[name]?.requests.length).toBeGreaterThan(0);
  expect(reply.body.extensions?.auditId).toEqual(expect.any(String));
});

test('a Belgian investigator (no MAOC-N agreement) gets the vessel and nothing of MAOC-N, and MAOC-N is not even asked', async () => {
  for (const p of Object.values(stack.recorded)) p.clear();
  const { reply, vessel } = await dossier(await token('BE-POLICE', ['investigator']), '9463786');
  expect(vessel?.name).toBe('Cap Guayas');
  expect(vessel?.maocInterest).toBeNull();
  expect(vessel?.trackingReports).toBeNull();
  expect(vessel?.interdictions).toBeNull();
  expect(forbidden(reply)).toMatchObject({ 'vessel.maocInterest': 'NO_AGREEMENT', 'vessel.trackingReports': 'NO_AGREEMENT', 'vessel.interdictions': 'NO_AGREEMENT' });
  expect(JSON.stringify(reply.body)).not.toContain('MAOC-INT-');
  expect(stack.recorded['maoc']?.requests).toEqual([]);
});

test('Dutch Customs see the tracking near Rotterdam only, and no interdictions', async () => {
  const { reply, vessel } = await dossier(await stack.keys.token(NL_CUSTOMS_OFFICER), '9074729');
  expect(vessel?.trackingReports?.map((t) => [t.id, t.nearPort])).toEqual([['MAOC-TR-000103', 'NLRTM']]);
  expect(vessel?.interdictions).toBeNull();
  expect(vessel?.maocInterest).toBeNull();
  expect(forbidden(reply)['vessel.interdictions']).toBe('NO_AGREEMENT');
  expect(JSON.stringify(reply.body)).not.toContain('MAOC-INT-');
});

test('rows MAOC-N did not release to the asker leave the list: FR police do not see the ES/NL-only interdiction of Rio Esmeralda', async () => {
  const fr = await dossier(await token('FR-POLICE', ['investigator']), '9074729');
  expect(fr.vessel?.interdictions).toEqual([]);
  const es = await dossier(await token('ES-POLICE', ['investigator']), '9074729');
  expect(es.vessel?.interdictions?.map((i) => i.id)).toEqual(['MAOC-INT-2025-0004']);
});

test('Europol analysts list the flagged interdictions but not the H2-coded one; MAOC-N lists all four', async () => {
  const query = 'query Interdictions { interdictions(first: 10) { id actingCountry } }';
  const ids = async (t: string) => {
    const reply = await ask(stack.gatewayUrl, { token: t, purpose: 'drug-trafficking', query });
    expect(reply.status).toBe(200);
    return (reply.body.data as { interdictions: { id: string }[] | null }).interdictions?.map((i) => i.id);
  };
  expect(await ids(await token('EUROPOL', ['analyst']))).toEqual(['MAOC-INT-2024-0023', 'MAOC-INT-2024-0011']);
  expect(await ids(await token('MAOC-N', ['analyst']))).toEqual(['MAOC-INT-2025-0004', 'MAOC-INT-2024-0031', 'MAOC-INT-2024-0023', 'MAOC-INT-2024-0011']);
  // Without the analyst role, the Europol grant does not apply at all.
  expect(await ids(await token('EUROPOL', ['investigator']))).toBeUndefined();
});

test('ContainerDossier reaches MAOC-N through the vessel: granted to a Dutch investigator, denied to a Belgian one', async () => {
  // MSCU1234566 arrived on Rio Esmeralda, which Spanish and Dutch assets boarded in February 2025.
  const number = 'MSCU1234566';
  const interdictionsOf = (reply: GraphQLReply) => {
    const calls = (reply.body.data as { container: { portCalls: { vessel: { interdictions: { id: string }[] | null } | null }[] | null } }).container.portCalls ?? [];
    return calls.map((c) => c.vessel?.interdictions ?? null);
  };
  const nl = await ask(stack.gatewayUrl, { token: await stack.keys.token(NL_INVESTIGATOR), purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number } });
  expect(interdictionsOf(nl).flat().map((i) => i?.id)).toContain('MAOC-INT-2025-0004');
  const be = await ask(stack.gatewayUrl, { token: await token('BE-POLICE', ['investigator']), purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number } });
  expect(interdictionsOf(be).every((i) => i === null)).toBe(true);
  expect(JSON.stringify(be.body)).not.toContain('MAOC-INT-');
});
