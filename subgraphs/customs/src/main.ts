import { runSubgraphMain } from '@pactum/subgraph-kit';
import { createCustomsSubgraph } from './create-customs-subgraph';

// `npm start -w @pactum/subgraph-customs`: port 4002 unless PACTUM_CUSTOMS_PORT / PORT say otherwise.
void runSubgraphMain(createCustomsSubgraph, { name: 'customs', port: 4002, envPrefix: 'CUSTOMS' });
