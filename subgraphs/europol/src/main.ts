import { runSubgraphMain } from '@pactum/subgraph-kit';
import { createEuropolSubgraph } from './create-europol-subgraph';

// `npm start -w @pactum/subgraph-europol`: port 4004 unless PACTUM_EUROPOL_PORT / PORT say otherwise.
void runSubgraphMain(createEuropolSubgraph, { name: 'europol', port: 4004, envPrefix: 'EUROPOL' });
