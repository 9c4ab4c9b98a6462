import { hitReferenceTtlFromEnv, runSubgraphMain } from '@pactum/subgraph-kit';
import { createEuropolSubgraph } from './create-europol-subgraph';

// `npm start -w @pactum/subgraph-europol`: port 4004 unless PACTUM_EUROPOL_PORT / PORT say otherwise;
// hit references live PACTUM_HIT_REFERENCE_TTL_SEC seconds (default 24 h; a bad value stops the start).
void runSubgraphMain(
  async (settings) => createEuropolSubgraph({ ...settings, hitReferenceTtlSec: hitReferenceTtlFromEnv() }),
  { name: 'europol', port: 4004, envPrefix: 'EUROPOL' },
);
