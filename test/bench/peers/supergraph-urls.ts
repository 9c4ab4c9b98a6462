/**
 * A peer that takes the supergraph as it is routes to the URLs written in it (`@join__graph(url:)`,
 * the `pactum start` ports); the bench's subgraphs listen elsewhere, so the peer gets the same
 * supergraph with only those URLs replaced. A subgraph named in one but not the other is an error:
 * a peer must never route to a default port by accident.
 */
const JOIN_GRAPH = /@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g;

export function withSubgraphUrls(supergraphSdl: string, urls: Readonly<Record<string, string>>): string {
  const seen = new Set<string>();
  const out = supergraphSdl.replace(JOIN_GRAPH, (_match, name: string) => {
    const url = urls[name];
    if (url === undefined) throw new Error(`supergraph names subgraph "${name}", which has no URL in the bench`);
    seen.add(name);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
  const unknown = Object.keys(urls).filter((n) => !seen.has(n));
  if (unknown.length > 0) throw new Error(`no @join__graph in the supergraph for ${unknown.join(', ')}`);
  return out;
}
