/**
 * The fidelity oracle: on small composed supergraphs that together use the Federation 2
 * features @apollo/gateway supports, Pactum with a grant-all policy answers every query exactly
 * as bare @apollo/gateway does — same `data`, same error paths. Each suite runs its subgraphs on
 * loopback and both gateways over them.
 */
import type { ClientBody, FidelityGateways } from './start-fidelity-gateways';
import { startFidelityGateways } from './start-fidelity-gateways';
import type { FidelitySuite } from './fidelity-suite';
import { abstractTypesSuite } from './suites/abstract-types-suite';
import { entityKeysSuite } from './suites/entity-keys-suite';
import { sharedFieldsSuite } from './suites/shared-fields-suite';

const SUITES: readonly FidelitySuite[] = [entityKeysSuite, sharedFieldsSuite, abstractTypesSuite];

function errorPaths(body: ClientBody): string[] {
  return (body.errors ?? []).map((e) => (e.path ?? []).join('.')).sort();
}

describe.each(SUITES)('$name', (suite) => {
  let gateways: FidelityGateways;
  beforeAll(async () => {
    gateways = await startFidelityGateways(suite);
  }, 60_000);
  afterAll(async () => {
    await gateways?.stop();
  });

  it.each(suite.queries)('$name', async (q) => {
    const bare = await gateways.bare(q);
    const pactum = await gateways.pactum(q);
    // The oracle itself must answer, or the comparison proves nothing.
    expect(bare.data).toEqual(expect.any(Object));
    expect(Object.keys(bare.data ?? {}).length).toBeGreaterThan(0);
    if (!q.expectErrors) expect(bare.errors).toBeUndefined();
    else expect(errorPaths(bare).length).toBeGreaterThan(0);
    expect({ data: pactum.data, errorPaths: errorPaths(pactum) }).toEqual({ data: bare.data, errorPaths: errorPaths(bare) });
  });
});
