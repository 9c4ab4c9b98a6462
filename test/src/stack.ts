/**
 * Boots the whole system for end-to-end tests: the registry's agency subgraphs and the gateway, in
 * this process, on free loopback ports, with their own state folder (data, keys, audit trail)
 * and a copy of the policies whose development identity providers point into that folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig, prepareTestKeys, startGateway, type OperatorLog, type RunningGateway, type TestKeys } from '@pactum/gateway/src/testing';
import { createContextTokenVerifier } from '@pactum/subgraph-kit/src/auth';
import { loadSubgraphFactory, loadSubgraphRegistry, type SubgraphRegistry } from '@pactum/schema';
import { copyPolicies } from './copy-policies';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

export { copyPolicies };


export interface Stack {
  readonly gatewayUrl: string;
  readonly stateDir: string;
  readonly policyDir: string;
  readonly subgraphUrls: Record<string, string>;
  /** What each subgraph was asked, by subgraph name (only with `record: true`). */
  readonly recorded: Record<string, RecordingProxy>;
  /** Development tokens from this stack's identity providers. */
  readonly keys: TestKeys;
  readonly gateway: RunningGateway;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Environment overrides for the gateway (e.g. PACTUM_AUDIT_URL). */
  readonly env?: Record<string, string>;
  /** The gateway's log (default: pino on stdout at PACTUM_LOG_LEVEL, `warn` under Jest). */
  readonly log?: OperatorLog;
  /** Put a recording proxy in front of every subgraph (see `Stack.recorded`). */
  readonly record?: boolean;
  /** Where the subgraphs' SQLite files go (default: a fresh folder in the stack's state folder). */
  readonly dataDir?: string;
  /** The subgraphs to start (default: `subgraphs/subgraphs.yaml`); each started in-process by its registered factory. */
  readonly registry?: SubgraphRegistry;
  /** Policy folder to copy (default: the repository's `policies/`). */
  readonly policySource?: string;
  /** Subgraphs verify context tokens against this published key set instead of the gateway's one public key file. */
  readonly gatewayJwks?: { readonly url: string; readonly cacheMaxAgeMs?: number; readonly cooldownMs?: number };
}

/** The registry's subgraphs, keys and policies of a test system, without its gateway. */
export interface Fleet {
  readonly stateDir: string;
  readonly policyDir: string;
  readonly subgraphUrls: Record<string, string>;
  readonly recorded: Record<string, RecordingProxy>;
  readonly keys: TestKeys;
  /** Environment a gateway (in this process or a child) needs to serve this fleet. */
  readonly gatewayEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startFleet(options: StackOptions = {}): Promise<Fleet> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-e2e-'));
  const policyDir = copyPolicies(stateDir, options.policySource);
  // Fresh data per system: a seed changed since the last run must never meet old files.
  const dataDir = options.dataDir ?? path.join(stateDir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const keys = prepareTestKeys({ stateDir, policyDir });

  const registry = options.registry ?? loadSubgraphRegistry();
  const running = await Promise.all(
    registry.subgraphs.map(async (entry) => {
      const name = entry.name;
      const sub = await loadSubgraphFactory(entry)({
        port: 0,
        dbFile: path.join(dataDir, `${name}.sqlite`),
        authenticate: options.gatewayJwks
          ? createContextTokenVerifier({ jwksUrl: options.gatewayJwks.url, jwks: options.gatewayJwks, audience: name })
          : createContextTokenVerifier({ publicKeyFile: keys.gatewayPublicKeyFile, audience: name }),
      });
      return [name, sub] as const;
    }),
  );
  const subgraphUrls = Object.fromEntries(running.map(([name, s]) => [name, s.url]));
  const recorded: Record<string, RecordingProxy> = {};
  if (options.record) {
    for (const [name, s] of running) recorded[name] = await startRecordingProxy(s.url);
  }
  const routeTo = (name: string, url: string): string => recorded[name]?.url ?? url;
  const gatewayEnv: NodeJS.ProcessEnv = {
    PACTUM_GATEWAY_PORT: '0',
    PACTUM_STATE_DIR: stateDir,
    PACTUM_POLICY_DIR: policyDir,
    ...Object.fromEntries(running.map(([name, s]) => [`PACTUM_${name.toUpperCase()}_URL`, routeTo(name, s.url)])),
    ...options.env,
  };
  return {
    stateDir,
    policyDir,
    subgraphUrls,
    recorded,
    keys,
    gatewayEnv,
    async stop() {
      await Promise.all(Object.values(recorded).map((p) => p.close()));
      await Promise.all(running.map(([, s]) => s.stop()));
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The whole system: the fleet and a gateway in this process. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fleet = await startFleet(options);
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(loadGatewayConfig(fleet.gatewayEnv), ...(options.log ? [options.log] : []));
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  return {
    ...fleet,
    gatewayUrl: gateway.url,
    gateway,
    async stop() {
      await gateway.stop();
      await fleet.stop();
    },
  };
}
