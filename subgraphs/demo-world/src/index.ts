/** The shared demo world the four agency seeds draw their common keys from. */
export { demoWorld, buildDemoWorld, WORLD_SEED } from './demo-world';
export type { DemoWorld, WorldContainer, WorldVessel, WorldCompany, WorldPerson, WorldInvestigation, WorldJudicialCase } from './demo-world';
export { Prng } from './prng';
export * from './story';
