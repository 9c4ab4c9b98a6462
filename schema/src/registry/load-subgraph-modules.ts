import type { DocumentNode } from 'graphql';
import type { RegisteredSubgraph } from './load-subgraph-registry';
import { SubgraphRegistryError } from './subgraph-registry-error';

/**
 * The `typeDefs` a registered subgraph's `src/schema.ts` exports. Only that module is loaded:
 * composition never pulls in resolvers, SQLite or a server. Synchronous (`require`), so
 * composition stays a plain function; tsx (CLI) and SWC (Jest) both compile the TypeScript.
 */
export function loadSubgraphTypeDefs(entry: RegisteredSubgraph): DocumentNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(entry.schemaModule) as { typeDefs?: unknown };
  const typeDefs = module.typeDefs;
  if (typeof typeDefs !== 'object' || typeDefs === null || (typeDefs as { kind?: unknown }).kind !== 'Document') {
    throw new SubgraphRegistryError('missing_module', `subgraph ${entry.name}: ${entry.workspace}/src/schema.ts must export \`typeDefs\` (a parsed document, e.g. subgraphTypeDefs(\`…\`))`);
  }
  return typeDefs as DocumentNode;
}

/** What a subgraph's factory is called with (the kit's `SubgraphRunOptions`). */
export interface SubgraphFactoryOptions {
  readonly port: number;
  readonly dbFile: string;
  readonly authenticate: unknown;
}

/** A started subgraph as the factories return it. */
export interface StartedSubgraph {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The in-process factory a registered subgraph's `src/index.ts` exports under `entry.factory`. */
export function loadSubgraphFactory(entry: RegisteredSubgraph): (options: SubgraphFactoryOptions) => Promise<StartedSubgraph> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(entry.indexModule) as Record<string, unknown>;
  const factory = module[entry.factory];
  if (typeof factory !== 'function') {
    throw new SubgraphRegistryError('missing_module', `subgraph ${entry.name}: ${entry.workspace}/src/index.ts does not export a function ${entry.factory}`);
  }
  return factory as (options: SubgraphFactoryOptions) => Promise<StartedSubgraph>;
}
