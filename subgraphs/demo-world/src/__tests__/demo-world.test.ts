import { checkContainerNumber, checkImo } from '@pactum/subgraph-kit';
import { buildDemoWorld, demoWorld, STORY_CASE, STORY_CONTAINERS, STORY_INVESTIGATIONS, STORY_VESSELS, WORLD_SEED } from '../index';

describe('demo world', () => {
  it('is deterministic: the same seed builds the same world, another seed another one', () => {
    expect(JSON.stringify(buildDemoWorld(WORLD_SEED))).toBe(JSON.stringify(demoWorld()));
    expect(JSON.stringify(buildDemoWorld(WORLD_SEED + 1))).not.toBe(JSON.stringify(demoWorld()));
  });

  it('holds the story: containers, vessels, investigations and the Eurojust case with its JIT', () => {
    const world = demoWorld();
    const numbers = new Set(world.containers.map((c) => c.number));
    for (const n of STORY_CONTAINERS) expect(numbers.has(n)).toBe(true);
    const imos = new Set(world.vessels.map((v) => v.imo));
    for (const v of STORY_VESSELS) expect(imos.has(v.imo)).toBe(true);
    for (const story of STORY_INVESTIGATIONS) {
      const inv = world.investigations.find((i) => i.localId === story.localId);
      expect(inv?.containers).toEqual(expect.arrayContaining([...story.containers]));
      expect(inv?.judicialCase).toBe(STORY_CASE.localId);
    }
    expect(world.judicialCases.find((c) => c.localId === STORY_CASE.localId)?.jit?.id).toBe(STORY_CASE.jitId);
  });

  it('uses only check-digit valid container numbers and IMO numbers, without duplicates', () => {
    const world = demoWorld();
    expect(world.containers.map((c) => checkContainerNumber(c.number)).filter((m) => m !== null)).toEqual([]);
    expect(world.vessels.map((v) => checkImo(v.imo)).filter((m) => m !== null)).toEqual([]);
    expect(new Set(world.containers.map((c) => c.number)).size).toBe(world.containers.length);
    expect(world.containers.length).toBeGreaterThanOrEqual(500);
  });
});
