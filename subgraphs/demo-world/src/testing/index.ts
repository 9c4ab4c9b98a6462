/**
 * `@pactum/demo-world/testing`: the test harness the agency subgraphs' tests share (a real
 * seeded store and a real server on a free loopback port). Test code only.
 */
export {
  callerFromTestHeader, contentHashesOfTwoSeeds, countRows, dbContentHash, entitiesStatementCount, startHarness, TEST_AGENCY_HEADER, type Harness, type SubgraphParts,
} from './subgraph-harness';
