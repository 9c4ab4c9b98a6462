/**
 * Wires the real stages into the gateway: agency-token authentication, need-to-know policy
 * (reloaded on change), enforcement around the executor, the durable audit trail, and the
 * context token every subgraph request carries. Anything that fails to load stops the start.
 */
import path from 'node:path';
import { identifierScalars } from '@pactum/subgraph-kit';
import { loadSupergraphSdl } from '@pactum/schema';
import {
  authenticateRequest,
  createContextTokenSigner,
  createTokenVerifier,
  ensureGatewayKeys,
  loadPurposes,
  loadTrustRegistry,
} from './auth';
import { openAuditTrail } from './audit';
import { loadGatewayConfig, type GatewayConfig } from './config/gateway-config';
import type { GatewayContextValue, PactumRequestContext } from './context';
import { createEnforcingExecutor } from './enforce';
import { loadPolicy, watchPolicy } from './policy';
import { createGatewayServer, type RunningGateway } from './server/create-gateway-server';

/** Starts the gateway with its configuration from the environment (or the one given). */
export async function startGateway(config: GatewayConfig = loadGatewayConfig()): Promise<RunningGateway> {
  const registry = loadTrustRegistry(path.join(config.policyDir, 'agencies.yaml'));
  const purposes = loadPurposes(path.join(config.policyDir, 'purposes.yaml'));
  const verifier = createTokenVerifier({ registry });
  const supergraphSdl = loadSupergraphSdl();

  let policy = loadPolicy({ dir: config.policyDir, supergraphSdl });
  const watcher = watchPolicy({ dir: config.policyDir, supergraphSdl }, (next) => {
    policy = next;
  });

  const keys = await ensureGatewayKeys(path.join(config.stateDir, 'keys'));
  const signer = await createContextTokenSigner({ privateKeyFile: keys.privateKeyFile });
  // One token per (request, subgraph): a plan that calls a subgraph several times signs once.
  const tokens = new WeakMap<PactumRequestContext, Map<string, Promise<string>>>();

  const audit = await openAuditTrail(config.audit.url ? { url: config.audit.url } : { file: config.audit.file });

  const running = await createGatewayServer(config, {
    authenticate: (headers) => authenticateRequest(headers, { verifier, purposes }),
    enforce: (inner) => createEnforcingExecutor(inner, { getPolicy: () => policy }),
    audit,
    scalars: identifierScalars,
    contextToken: async (subgraph, context) => {
      const pactum = (context as unknown as Partial<GatewayContextValue>).pactum;
      if (!pactum) return undefined;
      let perRequest = tokens.get(pactum);
      if (!perRequest) tokens.set(pactum, (perRequest = new Map()));
      let token = perRequest.get(subgraph);
      if (!token) {
        token = signer.sign({ audience: subgraph, principal: pactum.principal, purpose: pactum.purpose, requestId: pactum.requestId });
        perRequest.set(subgraph, token);
      }
      return token;
    },
    readinessChecks: { audit: () => audit.health() },
  });

  return {
    ...running,
    async stop() {
      await running.stop();
      watcher.close();
      await audit.close();
    },
  };
}
