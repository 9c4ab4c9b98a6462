import { runSubgraphMain } from '@pactum/subgraph-kit';
import { createPoliceSubgraph } from './create-police-subgraph';

// `npm start -w @pactum/subgraph-police`: port 4001 unless PACTUM_POLICE_PORT / PORT say otherwise.
void runSubgraphMain(createPoliceSubgraph, { name: 'police', port: 4001, envPrefix: 'POLICE' });
