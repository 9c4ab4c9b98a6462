/**
 * Where implementations of an interface disagree, the rewrite must split an interface selection
 * by concrete type (`media { title }` → `media { ... on Book { title } }`): data minimisation
 * forbids asking a subgraph for what the principal may not see. This shows the split is
 * equivalent — the planner still fetches every kept field from where bare @apollo/gateway
 * fetches it (same values), and the only difference from the bare answer is `null` + FORBIDDEN
 * exactly where the withheld type's fields were asked.
 */
import { grantAllAgreements, loadPolicyFiles } from './grant-all-policy';
import { startFidelityGateways, type ClientBody, type FidelityGateways } from './start-fidelity-gateways';
import { abstractTypesSuite } from './suites/abstract-types-suite';

/**
 * No agreement names a film's year (catalog) or votes (the reviews interface object), so every
 * interface selection of them is split: kept on books, dropped on films. Both are nullable, so
 * a film comes back with `null` there and the rest of the answer stands.
 */
const WITHHELD = ['Film.year', 'Film.votes'];

const QUERIES = [
  { name: 'an interface list: the year kept on books only', query: '{ media { id title year rating } }' },
  { name: 'entering through the interface object: its own field split too', query: '{ topRated { id year votes rating reviews { stars } } }' },
  { name: 'a covariant list reached through the interface', query: '{ documents { id related { title year votes } } }' },
  { name: 'a fragment on the concrete parent, then one on the interface', query: '{ documents { ... on Memo { related { ... on Media { id year votes } } } } }' },
  { name: 'under a named fragment on the interface, with aliases', query: 'query Q { media { ...M } } fragment M on Media { y: year v: votes t: title }' },
];

/** `data` with `null` at each path (the bare answer as enforcement should shape it). */
function nulledAt(data: unknown, paths: readonly (readonly (string | number)[])[]): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(data));
  for (const path of paths) {
    let at: unknown = copy;
    for (const step of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[step];
    const last = path[path.length - 1];
    if (at && typeof at === 'object' && last !== undefined) (at as Record<string | number, unknown>)[last] = null;
  }
  return copy;
}

const forbidden = (body: ClientBody) => (body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');

describe('splitting interface selections by concrete type is equivalent to the bare plan', () => {
  let gateways: FidelityGateways;
  beforeAll(async () => {
    gateways = await startFidelityGateways(abstractTypesSuite, (sdl) =>
      loadPolicyFiles(sdl, abstractTypesSuite.subgraphs, grantAllAgreements(sdl, abstractTypesSuite.subgraphs, WITHHELD)),
    );
  }, 60_000);
  afterAll(async () => {
    await gateways?.stop();
  });

  it.each(QUERIES)('$name', async (q) => {
    const bare = await gateways.bare(q);
    const pactum = await gateways.pactum(q);
    expect(bare.errors).toBeUndefined();
    const denied = forbidden(pactum);
    // The withheld type is met, and only its fields are denied.
    expect(denied.length).toBeGreaterThan(0);
    for (const e of denied) expect(e.message).toMatch(/^Not released: Film\.(year|votes) \(NO_AGREEMENT\)$/);
    expect(pactum.errors?.length).toBe(denied.length);
    expect(pactum.data).toEqual(nulledAt(bare.data, denied.map((e) => e.path ?? [])));
  });
});
