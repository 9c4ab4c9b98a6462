/** A peer routes to the bench's subgraphs only: every URL of the supergraph replaced, none left at a default port, none invented. */
import { loadSupergraphSdl } from '@pactum/schema';
import { withSubgraphUrls } from '../peers/supergraph-urls';

const URLS = { police: 'http://127.0.0.1:1/graphql', customs: 'http://127.0.0.1:2/graphql', eurojust: 'http://127.0.0.1:3/graphql', europol: 'http://127.0.0.1:4/graphql', maoc: 'http://127.0.0.1:5/graphql' };

test('replaces the URL of every subgraph of the supergraph and nothing else', () => {
  const sdl = loadSupergraphSdl();
  const out = withSubgraphUrls(sdl, URLS);
  for (const [name, url] of Object.entries(URLS)) expect(out).toContain(`@join__graph(name: "${name}", url: "${url}")`);
  expect(out).not.toMatch(/:400\d\/graphql/);
  expect(out.replace(/url: "[^"]*"/g, '')).toBe(sdl.replace(/url: "[^"]*"/g, ''));
});

test('refuses a subgraph without a bench URL, and a bench URL without a subgraph', () => {
  const sdl = loadSupergraphSdl();
  const { maoc: _maoc, ...withoutMaoc } = URLS;
  expect(() => withSubgraphUrls(sdl, withoutMaoc)).toThrow(/names subgraph "maoc", which has no URL/);
  expect(() => withSubgraphUrls(sdl, { ...URLS, nowhere: 'http://127.0.0.1:6/graphql' })).toThrow(/no @join__graph in the supergraph for nowhere/);
});
