import type { IncomingMessage } from 'node:http';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { LoaderCache } from '../loaders/loader-cache';
import type { ALLOW_UNAUTHENTICATED } from './allow-unauthenticated';

export type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';

/** Who is asking, as vouched for by the gateway's context token. */
export interface Caller {
  /** The principal's subject (pseudonymous user id). */
  subject: string;
  /** The principal's agency id, e.g. `NL-CUSTOMS`. */
  agency: string;
  /** The declared purpose code, e.g. `drug-trafficking`. */
  purpose: string;
  /** The case / JIT reference the request is made under, if any. */
  caseRef?: string;
  /**
   * A request id the token itself carries (`rid`). Pactum's gateway sends the request id as
   * `x-request-id` instead, beside a token it reuses across requests; read `ctx.requestId`.
   */
  requestId?: string;
}

/**
 * Verifies the caller of a /graphql request and says who it is; throwing refuses the
 * request. In production: the gateway context-token verifier (`createContextTokenVerifier`).
 */
export type AuthenticateHook = (req: IncomingMessage) => Promise<Caller>;

/** What every resolver receives as context. */
export interface SubgraphContext {
  /** The verified caller; absent only when the server was built with `ALLOW_UNAUTHENTICATED`. */
  caller?: Caller;
  /** Fresh for each request: DataLoaders never share rows across requests. */
  loaders: LoaderCache;
  /** The token's request id if it carries one, else the `x-request-id` header (if well-formed), else a new UUID. */
  requestId: string;
}

/** Options of `createSubgraphServer`. */
export interface CreateSubgraphServerOptions {
  /** Subgraph name, e.g. `police`; used in logs, `/healthz` and error messages. */
  name: string;
  /** Full type definitions, normally `subgraphTypeDefs(agencySdl)`. */
  typeDefs: DocumentNode;
  /** Resolvers, including `scalarResolvers` and `__resolveReference`s. */
  resolvers: GraphQLResolverMap<SubgraphContext>;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Interface to listen on; defaults to 127.0.0.1 (subgraphs are not public). */
  host?: string;
  /** Adds per-request fields (e.g. the store) to the base context. */
  createContext?: (base: SubgraphContext) => object | Promise<object>;
  /**
   * Required. Verifies the caller of EVERY /graphql request before its body is read.
   * Throwing refuses the request with 401 UNAUTHENTICATED; the error's `reason` (if a
   * string) is passed on. Production: `createContextTokenVerifier({ audience: name, … })`
   * (what `runSubgraphMain` hands the factory). Tests and local experiments only:
   * `ALLOW_UNAUTHENTICATED`, and the subgraph answers anyone.
   */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
  /** Runs after the server has drained, e.g. to close the store. */
  onStop?: () => void | Promise<void>;
  /** Receives errors masked from clients; defaults to a one-line log on stderr. */
  onInternalError?: (error: unknown, requestId: string | undefined) => void;
  /** Largest accepted request body in bytes; defaults to 1 MB. */
  maxBodyBytes?: number;
}

/** A started subgraph. */
export interface RunningSubgraph {
  /** e.g. `http://127.0.0.1:4001/graphql`. */
  url: string;
  /** The bound port (useful with port 0). */
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes idle sockets, runs `onStop`. Idempotent. */
  stop(): Promise<void>;
}
