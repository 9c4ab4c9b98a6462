/**
 * The gateway's configuration, parsed once at start-up from the environment. Every option has
 * its default here and nowhere else; a bad value stops the process with the option's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readOperationsManifest, type OperationsManifest } from '@pactum/schema';
import { auditConfigFromEnv, type AuditConfig } from '../audit';
import { rateLimitConfigFromEnv, type RateLimitConfig } from '../ratelimit';
import { ConfigError } from '../errors';
import { parseCorsOrigins } from '../server/cors';
import { OPERATIONS_MODES, type OperationsMode } from '../server/stages/trusted-operations';
import { DEFAULT_MAX_CONCURRENT_EXECUTIONS, DEFAULT_MAX_QUEUED_EXECUTIONS } from '../server/stages/execution-slots';
import { repoRoot, stateDir } from './paths';

/** One subgraph the gateway routes to. */
export interface SubgraphEndpoint {
  /** Subgraph name as in the supergraph (`police`, …; see subgraphs/subgraphs.yaml). */
  readonly name: string;
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4001/graphql`. */
  readonly url: string;
}

export interface GatewayConfig {
  /** Interface to listen on (`PACTUM_HOST`, default 127.0.0.1). */
  readonly host: string;
  /** Port of `/graphql` (`PACTUM_GATEWAY_PORT` or `PORT`, default 4000; 0 = any free port). */
  readonly port: number;
  /** Composed supergraph SDL file (`PACTUM_SUPERGRAPH`, default `schema/supergraph.graphql`). */
  readonly supergraphFile: string;
  /** Its content, read once at start-up (the gateway, the policy and the subgraph list all use it). */
  readonly supergraphSdl: string;
  /** Subgraph URLs: from the supergraph, overridden by `PACTUM_<NAME>_URL` or `PACTUM_<NAME>_PORT`. */
  readonly subgraphs: readonly SubgraphEndpoint[];
  /** Policy folder (`PACTUM_POLICY_DIR`, default `policies/`). */
  readonly policyDir: string;
  /**
   * Poll the supergraph file and swap a changed one in without a restart (`PACTUM_SUPERGRAPH_WATCH=1`,
   * set by `pactum dev`; off by default): interval in ms, 0 = off.
   */
  readonly supergraphWatchMs?: number;
  /** Runtime state folder (`PACTUM_STATE_DIR`, default `.pactum/`). */
  readonly stateDir: string;
  /**
   * Audit store: PostgreSQL (`PACTUM_AUDIT_URL`, `PACTUM_AUDIT_SCHEMA`) or SQLite (`PACTUM_AUDIT_FILE`, default
   * `<state>/audit/audit.sqlite`), and this replica's chain id (`PACTUM_AUDIT_REPLICA`, default the host name).
   */
  readonly audit: AuditConfig;
  /**
   * Trusted operations (`server/stages/trusted-operations.ts`): which documents may run
   * (`PACTUM_OPERATIONS=any|known|ids-only`; default `known` when `NODE_ENV=production`, `any`
   * otherwise) and the manifest of persisted documents they are checked against
   * (`PACTUM_OPERATIONS_MANIFEST`, default `schema/operations/manifest.json`; read and checked at
   * start-up, the process refuses to start on a bad one). Absent (a hand-built config): `any`,
   * with no ids.
   */
  readonly operations?: { readonly mode: OperationsMode; readonly manifestFile: string; readonly manifest: OperationsManifest };
  /**
   * Rate limits (`ratelimit/rate-limit-config.ts`): budgets per principal, per agency and for
   * hit/no-hit requests (`PACTUM_RATE_LIMIT_*`), in memory or in Redis (`PACTUM_REDIS_URL`).
   * Absent (a hand-built config): the defaults.
   */
  readonly rateLimits?: RateLimitConfig;
  /**
   * Browser origins allowed to read `/graphql` answers (`PACTUM_CORS_ORIGINS`, comma-separated;
   * `server/cors.ts`). Empty or absent: CORS off.
   */
  readonly corsOrigins?: readonly string[];
  /**
   * The development GraphiQL at `/` with a token helper (`PACTUM_DEV_GRAPHIQL=1`, set by
   * `pactum start`); refused with `NODE_ENV=production`: its token route lets anyone be anybody.
   */
  readonly devGraphiQL?: boolean;
  /** Serve (filtered) introspection (`PACTUM_INTROSPECTION=1`); off by default. */
  readonly introspection: boolean;
  /**
   * Executions in flight at once (`PACTUM_MAX_CONCURRENT_EXECUTIONS`, default 16); more wait
   * their turn, so large answers cannot together pass the heap ceiling (`server/stages/execution-slots.ts`).
   * Absent (a hand-built config): the default.
   */
  readonly maxConcurrentExecutions?: number;
  /**
   * Executions that may wait for a slot (`PACTUM_MAX_QUEUED_EXECUTIONS`, default 512); past that a
   * request is refused 503 `GATEWAY_BUSY` with `retry-after`. Absent (a hand-built config): the default.
   */
  readonly maxQueuedExecutions?: number;
  /** Per-subgraph-request timeout in ms (`PACTUM_SUBGRAPH_TIMEOUT_MS`, default 10000). */
  readonly subgraphTimeoutMs: number;
  /**
   * Idle time after which the gateway drops a kept-alive subgraph socket (`PACTUM_SUBGRAPH_IDLE_MS`, default 4000).
   * Must stay below the subgraphs' own keep-alive timeout, or a reused socket meets a server that already closed it.
   */
  readonly subgraphIdleMs: number;
  /**
   * Merge identical subgraph queries in flight for the same caller into one call
   * (`PACTUM_SUBGRAPH_DEDUP=on|off`, default on; `server/subgraph-dedup.ts`). Absent (a hand-built config): on.
   */
  readonly subgraphDedup?: boolean;
  /** Drain timing; {@link DRAIN_DEFAULTS} when absent. */
  readonly drain?: DrainConfig;
  /**
   * Request limits, checked before a document is parsed for real, validated, rewritten or planned
   * (`limits/check-operation-limits.ts`). Depth, aliases, selections and directives are measured on
   * each operation with its fragments inlined; a request past one is refused with 400
   * `BAD_USER_INPUT`, reason `limit_<name>`, and audited.
   */
  readonly limits: {
    /** Largest request body in bytes (`PACTUM_MAX_BODY_BYTES`, default 1 MiB). */
    readonly maxBodyBytes: number;
    /** Longest query text in UTF-8 bytes (`PACTUM_MAX_DOCUMENT_BYTES`, default 64 KiB; the largest trusted operation is ~2 kB). */
    readonly maxDocumentBytes: number;
    /** Most lexical tokens in a query text (`PACTUM_MAX_TOKENS`, default 2000; the largest trusted operation has ~200, GraphiQL's introspection query ~160). */
    readonly maxTokens: number;
    /** Deepest selection nesting, fragments inlined (`PACTUM_MAX_DEPTH`, default 12; an introspection subtree counts as one level and has its own ceiling of 20). */
    readonly maxDepth: number;
    /** Most aliases in one operation, fragments inlined (`PACTUM_MAX_ALIASES`, default 30). */
    readonly maxAliases: number;
    /** Most selections (fields and inline fragments) in one operation, fragments inlined (`PACTUM_MAX_SELECTIONS`, default 1000; ContainerDossier has ~100). */
    readonly maxSelections: number;
    /** Most directives in one operation, fragments inlined (`PACTUM_MAX_DIRECTIVES`, default 50). */
    readonly maxDirectives: number;
    /**
     * Most times one response name may occur in one selection set, fragments inlined
     * (`PACTUM_MAX_FIELD_REPEATS`, default 32): validation compares same-named fields pairwise, so
     * 490 repeats of one field took ~170 ms to validate.
     */
    readonly maxFieldRepeats: number;
  };
}

/** How a gateway leaves on SIGTERM / SIGINT (`server/drain.ts`). */
export interface DrainConfig {
  /** Longest drain, from the signal to the cut of what still runs, in ms (`PACTUM_DRAIN_TIMEOUT_MS`, default 25000: inside Kubernetes' default 30 s grace). */
  readonly timeoutMs: number;
  /** Keep listening this long after the signal (readiness 503, answers `connection: close`) before refusing connections, in ms (`PACTUM_DRAIN_DELAY_MS`, default 0). */
  readonly delayMs: number;
}

/** Defaults of {@link DrainConfig}. */
export const DRAIN_DEFAULTS: DrainConfig = { timeoutMs: 25_000, delayMs: 0 };

const SUBGRAPH_URL_DIRECTIVE = /(\w+)\s+@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g;

/** Reads the subgraph names and default URLs the supergraph was composed with. */
export function subgraphsOfSupergraph(sdl: string): SubgraphEndpoint[] {
  const found: SubgraphEndpoint[] = [];
  for (const m of sdl.matchAll(SUBGRAPH_URL_DIRECTIVE)) found.push({ name: m[2] as string, url: m[3] as string });
  return found;
}

function intOption(env: NodeJS.ProcessEnv, names: readonly string[], fallback: number, min: number, max: number): number {
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw)) throw new ConfigError('bad_option', `${name}=${raw}: must be a whole number`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError('bad_option', `${name}=${raw}: must be between ${min} and ${max}`);
    return value;
  }
  return fallback;
}

function urlOption(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('bad_option', `${name}=${raw}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('bad_option', `${name}=${raw}: must be an http(s) URL`);
  }
  return url.toString();
}

function auditOptions(env: NodeJS.ProcessEnv, state: string): AuditConfig {
  const fromEnv = auditConfigFromEnv(env);
  if (fromEnv.url !== undefined) return fromEnv;
  return { ...fromEnv, file: path.resolve(state, fromEnv.file ?? 'audit/audit.sqlite') };
}

function operationsOptions(env: NodeJS.ProcessEnv): NonNullable<GatewayConfig['operations']> {
  const raw = env.PACTUM_OPERATIONS;
  // Production runs what the front-ends ship; development explores (GraphiQL, ad-hoc queries).
  const mode = raw === undefined || raw === '' ? (env.NODE_ENV === 'production' ? 'known' : 'any') : raw;
  if (!OPERATIONS_MODES.includes(mode as OperationsMode)) {
    throw new ConfigError('bad_option', `PACTUM_OPERATIONS=${raw}: must be one of ${OPERATIONS_MODES.join(', ')}`);
  }
  const manifestFile = path.resolve(repoRoot(), env.PACTUM_OPERATIONS_MANIFEST || 'schema/operations/manifest.json');
  let manifest: OperationsManifest;
  try {
    manifest = readOperationsManifest(manifestFile);
  } catch (err) {
    throw new ConfigError('bad_option', `PACTUM_OPERATIONS_MANIFEST: ${(err as Error).message}`);
  }
  return { mode: mode as OperationsMode, manifestFile, manifest };
}

function devGraphiQLOption(env: NodeJS.ProcessEnv): boolean {
  const raw = env.PACTUM_DEV_GRAPHIQL;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw !== '1') throw new ConfigError('bad_option', `PACTUM_DEV_GRAPHIQL=${raw}: must be 1 or 0`);
  if (env.NODE_ENV === 'production') throw new ConfigError('bad_option', 'PACTUM_DEV_GRAPHIQL=1 is refused with NODE_ENV=production: its token helper issues tokens to anyone');
  return true;
}

function subgraphDedupOption(env: NodeJS.ProcessEnv): boolean {
  const raw = env.PACTUM_SUBGRAPH_DEDUP;
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError('bad_option', `PACTUM_SUBGRAPH_DEDUP=${raw}: must be on or off`);
}

function supergraphWatchOption(env: NodeJS.ProcessEnv): number {
  const raw = env.PACTUM_SUPERGRAPH_WATCH;
  if (raw === undefined || raw === '' || raw === '0') return 0;
  if (raw === '1') return 500;
  throw new ConfigError('bad_option', `PACTUM_SUPERGRAPH_WATCH=${raw}: must be 1 (watch) or 0`);
}

/** Parses the gateway configuration from the environment; throws {@link ConfigError} naming the bad option. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const state = stateDir(env);
  const supergraphFile = path.resolve(repoRoot(), env.PACTUM_SUPERGRAPH ?? 'schema/supergraph.graphql');
  let sdl: string;
  try {
    sdl = fs.readFileSync(supergraphFile, 'utf8');
  } catch (err) {
    throw new ConfigError('bad_option', `supergraph ${supergraphFile}: cannot be read (${(err as Error).message}); run \`npm run compose\``);
  }
  const subgraphs = subgraphsOfSupergraph(sdl).map(({ name, url }) => {
    const prefix = `PACTUM_${name.toUpperCase()}_`;
    const urlOverride = env[`${prefix}URL`];
    if (urlOverride) return { name, url: urlOption(`${prefix}URL`, urlOverride) };
    const port = intOption(env, [`${prefix}PORT`], -1, 1, 65535);
    if (port > 0) {
      const u = new URL(url);
      u.port = String(port);
      return { name, url: u.toString() };
    }
    return { name, url };
  });
  if (subgraphs.length === 0) throw new ConfigError('bad_option', `supergraph ${supergraphFile}: names no subgraphs`);

  return {
    host: env.PACTUM_HOST || '127.0.0.1',
    port: intOption(env, ['PACTUM_GATEWAY_PORT', 'PORT'], 4000, 0, 65535),
    supergraphFile,
    supergraphSdl: sdl,
    subgraphs,
    policyDir: path.resolve(repoRoot(), env.PACTUM_POLICY_DIR ?? 'policies'),
    supergraphWatchMs: supergraphWatchOption(env),
    stateDir: state,
    audit: auditOptions(env, state),
    operations: operationsOptions(env),
    rateLimits: rateLimitConfigFromEnv(env),
    corsOrigins: parseCorsOrigins(env.PACTUM_CORS_ORIGINS),
    devGraphiQL: devGraphiQLOption(env),
    introspection: env.PACTUM_INTROSPECTION === '1' || env.PACTUM_INTROSPECTION === 'true',
    maxConcurrentExecutions: intOption(env, ['PACTUM_MAX_CONCURRENT_EXECUTIONS'], DEFAULT_MAX_CONCURRENT_EXECUTIONS, 1, 10_000),
    maxQueuedExecutions: intOption(env, ['PACTUM_MAX_QUEUED_EXECUTIONS'], DEFAULT_MAX_QUEUED_EXECUTIONS, 0, 100_000),
    subgraphTimeoutMs: intOption(env, ['PACTUM_SUBGRAPH_TIMEOUT_MS'], 10_000, 100, 120_000),
    subgraphIdleMs: intOption(env, ['PACTUM_SUBGRAPH_IDLE_MS'], 4_000, 100, 60_000),
    subgraphDedup: subgraphDedupOption(env),
    drain: {
      timeoutMs: intOption(env, ['PACTUM_DRAIN_TIMEOUT_MS'], DRAIN_DEFAULTS.timeoutMs, 100, 600_000),
      delayMs: intOption(env, ['PACTUM_DRAIN_DELAY_MS'], DRAIN_DEFAULTS.delayMs, 0, 300_000),
    },
    limits: {
      maxBodyBytes: intOption(env, ['PACTUM_MAX_BODY_BYTES'], 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxDocumentBytes: intOption(env, ['PACTUM_MAX_DOCUMENT_BYTES'], 64 * 1024, 1024, 16 * 1024 * 1024),
      maxTokens: intOption(env, ['PACTUM_MAX_TOKENS'], 2000, 100, 100_000),
      maxDepth: intOption(env, ['PACTUM_MAX_DEPTH'], 12, 2, 100),
      maxAliases: intOption(env, ['PACTUM_MAX_ALIASES'], 30, 0, 1000),
      maxSelections: intOption(env, ['PACTUM_MAX_SELECTIONS'], 1000, 10, 100_000),
      maxDirectives: intOption(env, ['PACTUM_MAX_DIRECTIVES'], 50, 0, 10_000),
      maxFieldRepeats: intOption(env, ['PACTUM_MAX_FIELD_REPEATS'], 32, 1, 10_000),
    },
  };
}
