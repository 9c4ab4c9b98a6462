/**
 * Opens the configured trail: PostgreSQL when a URL is given (several replicas, one
 * trail), otherwise the embedded SQLite file. Options are checked first and a bad one
 * throws `ConfigError` naming it; a store that cannot be reached at start throws
 * `AuditUnavailableError` — the gateway should refuse to start rather than serve
 * without audit. Once open, outages are handled per append (503, then reconnect).
 */
import { hostname } from 'node:os';
import { ConfigError } from '../errors';
import type { JWK } from 'jose';
import { createAuditTrail, type AuditTrail } from './audit-trail';
import type { CheckpointSigner } from './chain/checkpoint-statement';
import { parseRetention } from './retention';
import { openPostgresStore } from './stores/postgres-store';
import { openSqliteStore } from './stores/sqlite-store';

/** Default SQLite file, relative to the working directory. */
export const DEFAULT_AUDIT_FILE = '.pactum/audit/audit.sqlite';

/** Replica (chain) ids: what may appear in a chain name. */
export const REPLICA_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Configuration of the audit trail. Every field is optional. */
export interface AuditConfig {
  /** `postgres://…` — use PostgreSQL (env `PACTUM_AUDIT_URL`). Exclusive with `file`. */
  readonly url?: string;
  /** SQLite file (env `PACTUM_AUDIT_FILE`, default `.pactum/audit/audit.sqlite`). */
  readonly file?: string;
  /** This replica's chain id (env `PACTUM_AUDIT_REPLICA`, default the host name). */
  readonly replicaId?: string;
  /** PostgreSQL schema (env `PACTUM_AUDIT_SCHEMA`, default `pactum_audit`). */
  readonly schema?: string;
  /** Most records per group commit (default 500). */
  readonly maxBatch?: number;
  /** Deadline for one append to become durable, ms (default 5000). */
  readonly appendTimeoutMs?: number;
  /** SQLite: wait for another connection's write lock, ms (default 1000). */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL: connect deadline, ms (default 2000). */
  readonly connectTimeoutMs?: number;
  /** PostgreSQL: statement deadline, ms (default 5000). */
  readonly queryTimeoutMs?: number;
  /**
   * Keep records this long, e.g. `3y`, `18mo`, `400d` (env `PACTUM_AUDIT_RETENTION`; default:
   * for ever). Older ones are pruned behind a signed checkpoint; needs the gateway's key.
   */
  readonly retention?: string;
  /** Sign this replica's chain head every so many ms when it moved (env `PACTUM_AUDIT_CHECKPOINT_SEC` × 1000; default 300000 with a signer). */
  readonly checkpointIntervalMs?: number;
}

/** What signing needs besides the plain configuration: the key, and the keys checkpoints are verified with. */
export interface AuditSigning {
  readonly signer?: CheckpointSigner;
  readonly verifyKeys?: readonly JWK[];
  /** Failures of interval checkpoints and retention (the trail keeps serving). */
  readonly onBackgroundError?: (error: unknown) => void;
}

/** Default interval between signed checkpoints of a gateway's chain. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 300_000;

/** Reads the `PACTUM_AUDIT_*` variables into a config (unset ones are left out). */
export function auditConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const pick = (name: string) => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const url = pick('PACTUM_AUDIT_URL');
  const file = pick('PACTUM_AUDIT_FILE');
  const replicaId = pick('PACTUM_AUDIT_REPLICA');
  const schema = pick('PACTUM_AUDIT_SCHEMA');
  const retention = pick('PACTUM_AUDIT_RETENTION');
  const interval = pick('PACTUM_AUDIT_CHECKPOINT_SEC');
  if (interval !== undefined && !/^[1-9]\d{0,5}$/.test(interval)) throw new ConfigError('audit_config', `PACTUM_AUDIT_CHECKPOINT_SEC must be a whole number of seconds (1-999999), not "${interval}"`);
  if (retention !== undefined) parseRetention(retention);
  return {
    ...(retention !== undefined ? { retention } : {}),
    ...(interval !== undefined ? { checkpointIntervalMs: Number(interval) * 1000 } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(file !== undefined && url === undefined ? { file } : {}),
    ...(replicaId !== undefined ? { replicaId } : {}),
    ...(schema !== undefined ? { schema } : {}),
  };
}

/** Opens the trail described by `config`. */
export async function openAuditTrail(config: AuditConfig = {}, signing: AuditSigning = {}): Promise<AuditTrail> {
  checkConfig(config);
  const replicaId = config.replicaId ?? defaultReplicaId();
  const retention = config.retention !== undefined ? parseRetention(config.retention, 'audit.retention') : undefined;
  if (retention && !signing.signer) throw new ConfigError('audit_config', 'audit.retention needs the gateway key to sign the checkpoint pruned records leave behind');
  const trailOptions = {
    chain: replicaId,
    ...(signing.signer ? { signer: signing.signer, checkpointIntervalMs: config.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS } : {}),
    ...(signing.verifyKeys ? { verifyKeys: signing.verifyKeys } : {}),
    ...(signing.onBackgroundError ? { onBackgroundError: signing.onBackgroundError } : {}),
    ...(retention ? { retention } : {}),
    ...(config.maxBatch !== undefined ? { maxBatch: config.maxBatch } : {}),
    ...(config.appendTimeoutMs !== undefined ? { appendTimeoutMs: config.appendTimeoutMs } : {}),
  };
  if (config.url !== undefined) {
    const store = await openPostgresStore({
      url: config.url,
      applicationName: `pactum-audit ${replicaId}`,
      ...(config.schema !== undefined ? { schema: config.schema } : {}),
      ...(config.connectTimeoutMs !== undefined ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
      ...(config.queryTimeoutMs !== undefined ? { queryTimeoutMs: config.queryTimeoutMs } : {}),
    });
    return createAuditTrail(store, trailOptions);
  }
  const store = await openSqliteStore({
    file: config.file ?? DEFAULT_AUDIT_FILE,
    ...(config.busyTimeoutMs !== undefined ? { busyTimeoutMs: config.busyTimeoutMs } : {}),
    // A writer thread that answers no later than the append deadline is replaced then.
    ...(config.appendTimeoutMs !== undefined ? { writeTimeoutMs: config.appendTimeoutMs } : {}),
  });
  return createAuditTrail(store, trailOptions);
}

function defaultReplicaId(): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return host || 'gateway';
}

function checkConfig(config: AuditConfig): void {
  const bad = (key: string, problem: string): never => {
    throw new ConfigError('audit_config', `audit.${key} ${problem}`);
  };
  if (typeof config !== 'object' || config === null) bad('', 'must be an object');
  if (config.url !== undefined && config.file !== undefined) bad('url', 'and audit.file are exclusive: give one store');
  if (config.url !== undefined && (typeof config.url !== 'string' || !/^postgres(ql)?:\/\/\S+$/.test(config.url))) {
    bad('url', 'must be a postgres:// or postgresql:// URL');
  }
  if (config.file !== undefined && (typeof config.file !== 'string' || config.file.length === 0)) bad('file', 'must be a non-empty path');
  if (config.replicaId !== undefined && (typeof config.replicaId !== 'string' || !REPLICA_ID_PATTERN.test(config.replicaId))) {
    bad('replicaId', `must match ${REPLICA_ID_PATTERN}`);
  }
  if (config.schema !== undefined && (typeof config.schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(config.schema))) {
    bad('schema', 'must be a lower-case SQL identifier');
  }
  for (const key of ['maxBatch', 'appendTimeoutMs', 'busyTimeoutMs', 'connectTimeoutMs', 'queryTimeoutMs'] as const) {
    const v = config[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 600_000)) bad(key, 'must be an integer between 1 and 600000');
  }
}
