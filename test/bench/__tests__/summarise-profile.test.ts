import { packageOf, summariseProfiles, type CpuProfile } from '../summarise-profile';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

/** root → load (start-up) → compile; root → handle (pactum) → stringify (native); root → idle; root → gateway. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4, 6, 7] },
    { id: 2, callFrame: frame('Module._load', 'node:internal/modules/cjs/loader'), children: [3] },
    { id: 3, callFrame: frame('compileFunction', '') },
    { id: 4, callFrame: frame('handle', 'file:///work/p/gateway/src/server/send-json.ts'), children: [5] },
    { id: 5, callFrame: frame('(garbage collector)', '') },
    { id: 6, callFrame: frame('(idle)', '') },
    { id: 7, callFrame: frame('executeQueryPlan', 'file:///work/p/node_modules/@apollo/gateway/dist/executeQueryPlan.js') },
  ],
  samples: [3, 3, 4, 5, 5, 6, 6, 6, 7, 7],
  timeDeltas: [1000, 1000, 3000, 1000, 1000, 5000, 5000, 5000, 4000, 1000],
};

describe('summarise-profile', () => {
  it('charges frames to packages and Pactum files, and leaves idle and start-up out of the shares', () => {
    const s = summariseProfiles([profile], 10);
    expect(s.totalMs).toBe(27);
    expect(s.idleMs).toBe(15);
    expect(s.startupMs).toBe(2); // compileFunction under the module loader
    expect(s.busyMs).toBe(10);
    expect(s.byPackage).toEqual([
      { name: '@apollo/gateway', ms: 5, share: 5 / 10 },
      { name: 'pactum gateway/server/send-json.ts', ms: 3, share: 3 / 10 },
      { name: '(native: GC, syscalls, V8)', ms: 2, share: 2 / 10 },
    ]);
    expect(s.byFunction[0]).toEqual({ name: 'executeQueryPlan — @apollo/gateway:10', ms: 5, share: 5 / 10 });
    expect(s.byFunction.map((r) => r.name)).toContain('handle — pactum gateway/server/send-json.ts');
  });

  it('adds several profiles up and keeps the top N', () => {
    const s = summariseProfiles([profile, profile], 1);
    expect(s.busyMs).toBe(20);
    expect(s.byPackage).toHaveLength(1);
  });

  it.each([
    ['node:internal/streams/readable', 'node:streams/readable'],
    ['node:net', 'node:net'],
    ['file:///x/node_modules/undici/lib/dispatcher/client.js', 'undici'],
    ['', '(native: GC, syscalls, V8)'],
  ])('packageOf(%j) = %j', (url, name) => expect(packageOf(url)).toBe(name));
});
