/**
 * @pactum/demo-world — the fictional, deterministic world the agency subgraphs' demo seeds
 * share: the containers, vessels, companies, persons, investigations and judicial cases
 * whose keys federate across subgraphs, and the story's fixed identifiers. Each subgraph
 * seeds its own details on top with its own fixed seed. The test harness the subgraphs'
 * tests share is a separate door, `@pactum/demo-world/testing`, so runtime code never loads it.
 */
export { demoWorld, buildDemoWorld, WORLD_SEED } from './demo-world';
export type { DemoWorld, WorldContainer, WorldVessel, WorldCompany, WorldPerson, WorldInvestigation, WorldJudicialCase } from './demo-world';
export { Prng } from './prng';
export * from './story';
