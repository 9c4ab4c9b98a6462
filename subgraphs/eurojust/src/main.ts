import { runSubgraphMain } from '@pactum/subgraph-kit';
import { createEurojustSubgraph } from './create-eurojust-subgraph';

// `npm start -w @pactum/subgraph-eurojust`: port 4003 unless PACTUM_EUROJUST_PORT / PORT say otherwise.
void runSubgraphMain(createEurojustSubgraph, { name: 'eurojust', port: 4003, envPrefix: 'EUROJUST' });
