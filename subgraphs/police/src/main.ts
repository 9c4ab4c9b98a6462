import { hitReferenceTtlFromEnv, runSubgraphMain } from '@pactum/subgraph-kit';
import { createPoliceSubgraph } from './create-police-subgraph';

// `npm start -w @pactum/subgraph-police`: port 4001 unless PACTUM_POLICE_PORT / PORT say otherwise;
// hit references live PACTUM_HIT_REFERENCE_TTL_SEC seconds (default 24 h; a bad value stops the start).
void runSubgraphMain(
  async (settings) => createPoliceSubgraph({ ...settings, hitReferenceTtlSec: hitReferenceTtlFromEnv() }),
  { name: 'police', port: 4001, envPrefix: 'POLICE' },
);
