/** The gateway configuration of the in-process server tests: the two fixture subgraphs, fixture policy and limits. */
import type { GatewayConfig } from '../../../config/gateway-config';

export function fixtureGatewayConfig(supergraphSdl: string, urls: { readonly customs: string; readonly police: string }, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    supergraphFile: '(fixture)',
    supergraphSdl,
    subgraphs: [
      { name: 'customs', url: urls.customs },
      { name: 'police', url: urls.police },
    ],
    policyDir: '(fixture)',
    stateDir: '(fixture)',
    audit: {},
    introspection: false,
    subgraphTimeoutMs: 5000,
    subgraphIdleMs: 1000,
    limits: { maxBodyBytes: 64 * 1024, maxDocumentBytes: 16 * 1024, maxTokens: 2000, maxDepth: 12, maxAliases: 30, maxSelections: 1000, maxDirectives: 50, maxFieldRepeats: 32 },
    ...overrides,
  };
}
