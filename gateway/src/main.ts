/**
 * Wires the real parts into the gateway: agency-token authentication, need-to-know policy
 * (reloaded on change), the durable audit trail, and the context token every subgraph request
 * carries. Anything that fails to load stops the start.
 */
import path from 'node:path';
import { identifierScalars } from '@pactum/subgraph-kit';
import {
  authenticateRequest,
  createContextTokenSigner,
  createTokenVerifier,
  ensureDevIdentityProviders,
  knownGatewayPublicKeys,
  watchGatewayKeys,
  loadPurposes,
  loadTrustRegistry,
  presentedToken,
  type TrustRegistry,
} from './auth';
import { EXAMPLE_PRINCIPAL } from './cli/commands/dev-environment';
import { createCheckpointSigner, openAuditTrail } from './audit';
import { ConfigError } from './errors';
import { loadGatewayConfig, type GatewayConfig } from './config/gateway-config';
import { createLogger, type OperatorLog } from './log';
import { createRateLimits, rateLimitConfigFromEnv } from './ratelimit';
import { createDevGraphiQL } from './server/graphiql';
import { loadPolicy, watchPolicy } from './policy';
import { gatewayTracingFromEnv } from './tracing';
import { createGatewayServer, type RunningGateway } from './server/create-gateway-server';
import { watchSupergraph } from './server/watch-supergraph';
import { createGatewayMetrics } from './server/metrics';

/** Starts the gateway with its configuration from the environment (or the one given), logging to `log` (default pino on stdout at `PACTUM_LOG_LEVEL`). */
export async function startGateway(config: GatewayConfig = loadGatewayConfig(), log: OperatorLog = createLogger()): Promise<RunningGateway> {
  const registry = loadTrustRegistry(path.join(config.policyDir, 'agencies.yaml'));
  const purposes = loadPurposes(path.join(config.policyDir, 'purposes.yaml'));
  const verifier = createTokenVerifier({ registry });
  const { supergraphSdl } = config;

  const metrics = createGatewayMetrics();
  // Throws on an invalid policy: the gateway does not start without a good one.
  const watcher = watchPolicy(
    config.policyDir,
    (next) => {
      metrics.policyVersion.reset();
      metrics.policyVersion.set({ version: next.version }, 1);
      log.info({ event: 'policy_reloaded', policyVersion: next.version }, `policy ${next.version} in force`);
    },
    {
      supergraphSdl,
      onRejected: () => metrics.policyReloadRejected.inc(),
      onError: (err) =>
        log.warn({ event: 'policy_reload_refused', policyVersion: watcher.current().version, error: err.message }, 'policy reload refused, last good policy stays'),
    },
  );
  metrics.policyVersion.set({ version: watcher.current().version }, 1);

  // The signing key follows the key folder, so a rotation (`pactum keys`) needs no restart.
  // Checkpoints verify against every key the gateway ever signed with: the ones published now,
  // those retired before this start, and (added as they appear) the ones of rotations after it.
  const keyDir = path.join(config.stateDir, 'keys');
  const checkpointKeys = [...knownGatewayPublicKeys(keyDir)];
  const gatewayKeys = watchGatewayKeys(keyDir, {
    onChange: (set) => {
      for (const k of set.jwks.keys) if (!checkpointKeys.some((known) => known.kid === k.kid)) checkpointKeys.push(k);
      log.info({ event: 'gateway_keys_changed', kid: set.current.kid, published: set.jwks.keys.map((k) => k.kid) }, `context tokens signed with key ${set.current.kid}`);
    },
    onError: (err) => log.error({ event: 'gateway_keys_refused', error: err.message }, 'gateway key folder refused, the last good keys stay'),
  });
  for (const k of gatewayKeys.current().jwks.keys) if (!checkpointKeys.some((known) => known.kid === k.kid)) checkpointKeys.push(k);
  const signer = createContextTokenSigner({ currentKey: () => gatewayKeys.current().current });

  // The trail signs its chain head with the gateway's current key (at intervals, on stop, when retention prunes).
  const audit = await openAuditTrail(config.audit, {
    signer: {
      get kid() {
        return gatewayKeys.current().current.kid;
      },
      sign: (statement) => {
        const { privateKey, kid } = gatewayKeys.current().current;
        return createCheckpointSigner(privateKey, kid).sign(statement);
      },
    },
    verifyKeys: checkpointKeys,
    onBackgroundError: (err) => log.warn({ event: 'audit_checkpoint_failed', error: err instanceof Error ? err.message : String(err) }, 'audit checkpoint or retention failed; retried at the next interval'),
  });
  // Bench only (issue 6, test/bench): splits the cost of audit by dropping every record. It breaks
  // "no audit, no data", so it takes exactly "1", is never a default, and says so at every start.
  const auditDroppedForBench = process.env.PACTUM_AUDIT_DISABLED_FOR_BENCH === '1';
  if (auditDroppedForBench && process.env.NODE_ENV === 'production') {
    await audit.close();
    watcher.stop();
    gatewayKeys.stop();
    throw new ConfigError('bad_option', 'PACTUM_AUDIT_DISABLED_FOR_BENCH=1 is refused with NODE_ENV=production: no audit, no data');
  }
  if (auditDroppedForBench) {
    log.warn({ event: 'audit_disabled' }, 'WARNING: AUDIT DISABLED (PACTUM_AUDIT_DISABLED_FOR_BENCH=1): audit records are dropped; benchmarks only');
  }

  // In memory, or shared in Redis (PACTUM_REDIS_URL). Redis not answering at start does not stop
  // the start: hit/no-hit requests are refused until it answers (ratelimit/create-rate-limits.ts).
  const rateLimits = createRateLimits(config.rateLimits ?? rateLimitConfigFromEnv({}), {
    log: (line) => log.warn({ event: 'rate_limiter_state' }, line),
  });
  if (rateLimits.store === 'redis') {
    const up = await rateLimits.connected(2000);
    log.info({ event: 'rate_limiter', store: 'redis', connected: up }, up ? 'rate limits shared in Redis' : 'rate limits: Redis not answering yet; hit/no-hit requests are refused until it does');
  }

  // Off unless OTEL_TRACES_EXPORTER asks (then the SDK is loaded, and only then).
  const tracing = gatewayTracingFromEnv();
  let running: RunningGateway;
  try {
    running = await createGatewayServer(config, {
      ...(tracing ? { tracing: tracing.hooks } : {}),
      rateLimits,
      ...(config.devGraphiQL ? { devGraphiQL: devGraphiQL(registry, config.stateDir) } : {}),
      authenticate: (headers) => authenticateRequest(headers, { verifier, purposes }),
      wasVerified: (headers) => {
        const token = presentedToken(headers);
        return token !== undefined && verifier.wasVerified(token);
      },
      policy: () => watcher.current(),
      audit: auditDroppedForBench ? { append: async () => undefined } : audit,
      scalars: identifierScalars,
      contextToken: async (subgraph, caller) => ({
        token: await signer.sign({ audience: subgraph, principal: caller.principal, purpose: caller.purpose }),
        requestId: caller.requestId,
      }),
      publicKeys: () => gatewayKeys.current().jwks,
      readinessChecks: {
        policy: async () => watcher.current().version !== '',
        audit: async () => (await audit.healthProblem()) ?? true,
        // Loaded and validated at start (or the gateway would not run); usable while it names an issuer.
        trustRegistry: async () => registry.agencies.length > 0 || 'no agency',
      },
      identityProviders: () => verifier.identityProviders(),
      log,
    }, metrics);
  } catch (err) {
    // A port taken or a planner that fails to build: release what was opened, then report.
    watcher.stop();
    gatewayKeys.stop();
    await audit.close();
    await rateLimits.close();
    throw err;
  }

  // Alone in flight, a request's record is committed without the hand-off to the writer thread.
  audit.inlineWhen(() => running.inFlight() <= 1);

  // `pactum dev`: a recomposed supergraph is swapped in without a restart, policy rechecked against it.
  const supergraphWatch =
    config.supergraphWatchMs !== undefined && config.supergraphWatchMs > 0
      ? watchSupergraph({
          file: config.supergraphFile,
          current: supergraphSdl,
          intervalMs: config.supergraphWatchMs,
          checkPolicy: (sdl) => void loadPolicy({ dir: config.policyDir, supergraphSdl: sdl }),
          swap: (sdl) => running.swapSupergraph(sdl),
          adoptPolicy: (sdl) => void watcher.adoptSupergraph(sdl),
          onSwapped: (version) => log.info({ event: 'supergraph_swapped', supergraphVersion: version }, `supergraph ${version} in force`),
          onRefused: (version, err) =>
            log.warn({ event: 'supergraph_swap_refused', supergraphVersion: version, error: err.message }, 'supergraph change refused, the last good one stays'),
        })
      : undefined;

  return {
    ...running,
    async stop() {
      supergraphWatch?.stop();
      await running.stop();
      watcher.stop();
      gatewayKeys.stop();
      await audit.close();
      await rateLimits.close();
      await tracing?.shutdown();
    },
  };
}

/** The development GraphiQL over this gateway's registry and development identity providers (as `pactum start` and `pactum token` use). */
function devGraphiQL(registry: TrustRegistry, stateDir: string) {
  const idpDir = path.join(stateDir, 'dev-idp');
  const agencies = [...ensureDevIdentityProviders({ registry, dir: idpDir }).keys()].sort();
  const example = EXAMPLE_PRINCIPAL;
  return createDevGraphiQL({
    registry,
    idpDir,
    agencies,
    example,
    defaultQuery: 'query Container($number: ContainerNumber! = "MSCU1234566") {\n  container(number: $number) {\n    number\n    sizeType\n    seizures { seizedAt substance quantityKg }\n  }\n}\n',
  });
}
