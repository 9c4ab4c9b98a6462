import { runSubgraphMain } from '@pactum/subgraph-kit';
import { createMaocSubgraph } from './create-maoc-subgraph';

// `npm start -w @pactum/subgraph-maoc`: port 4005 (subgraphs/subgraphs.yaml) unless PACTUM_MAOC_PORT / PORT say otherwise.
void runSubgraphMain(createMaocSubgraph, { name: 'maoc', port: 4005, envPrefix: 'MAOC' });
