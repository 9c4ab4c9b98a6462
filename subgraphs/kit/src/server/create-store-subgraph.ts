import type Database from 'better-sqlite3';
import { KitOptionsError } from '../errors';
import { openStore, type Store } from '../store/open-store';
import type { ALLOW_UNAUTHENTICATED } from './allow-unauthenticated';
import { checkServerOptions } from './check-server-options';
import { createSubgraphServer } from './create-subgraph-server';
import type { AuthenticateHook, CreateSubgraphServerOptions, RunningSubgraph } from './types';

/**
 * What an agency's `create<Agency>Subgraph` takes: where to listen, where the data lives,
 * who may ask. `runSubgraphMain`'s settings have this shape, with the gateway verifier.
 */
export interface SubgraphRunOptions {
  /** TCP port (0 = any free port). */
  port: number;
  /** Interface to listen on; defaults to 127.0.0.1 (`runSubgraphMain` takes `PACTUM_HOST`, e.g. 0.0.0.0 in a container). */
  host?: string;
  /** SQLite file (created, migrated and seeded on first start) or `:memory:`. */
  dbFile: string;
  /** Required: the gateway context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only. */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
}

/** Options of {@link createStoreSubgraph}: the server's options, minus the context and stop hooks the kit wires to the store. */
export interface StoreSubgraphOptions extends SubgraphRunOptions, Omit<CreateSubgraphServerOptions, 'port' | 'authenticate' | 'createContext' | 'onStop'> {
  /** Schema migrations, in order (see `openStore`); never edit a shipped one. */
  migrations: string[];
  /** Fills an empty store once (see `openStore`). */
  seed?: (db: Database.Database) => void;
}

/** A started store-backed subgraph. */
export interface RunningStoreSubgraph extends RunningSubgraph {
  /** The open store; closed by `stop()`. Tests read `statementCount()` from it. */
  readonly store: Store;
}

/**
 * The one way to build an agency subgraph: validates the options (before any file is
 * touched), opens the SQLite store at `dbFile` (migrating, then seeding once), and serves
 * the subgraph with `context.db` set (read it with `dbOf`, or through `defineLoader`).
 * `stop()` drains requests, then closes the store; a failed start closes it too.
 *
 * @throws KitOptionsError on bad options (`authenticate` missing included); StoreError when
 *   the store cannot be opened, migrated or seeded; PortInUseError when the port is taken.
 */
export async function createStoreSubgraph(options: StoreSubgraphOptions): Promise<RunningStoreSubgraph> {
  if (typeof options !== 'object' || options === null) throw new KitOptionsError('options', 'createStoreSubgraph: options must be an object');
  const { migrations, seed, dbFile, ...serverOptions } = options;
  checkServerOptions(serverOptions, 'createStoreSubgraph');
  const store = openStore({ file: dbFile, migrations, ...(seed !== undefined ? { seed } : {}) });
  try {
    const running = await createSubgraphServer({
      ...serverOptions,
      createContext: () => ({ db: store.db }),
      onStop: () => store.close(),
    });
    return { ...running, store };
  } catch (error) {
    store.close();
    throw error;
  }
}
