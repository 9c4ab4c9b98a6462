/**
 * Boots the whole system for end-to-end tests: the four agency subgraphs and the gateway, in
 * this process, on free loopback ports, with their own state folder (data, keys, audit trail)
 * and a copy of the policies whose development identity providers point into that folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig, prepareTestKeys, startGateway, type TestKeys } from '@pactum/gateway/src/testing';
import { createContextTokenVerifier } from '@pactum/subgraph-kit/src/auth';
import { createCustomsSubgraph } from '@pactum/subgraph-customs';
import { createEurojustSubgraph } from '@pactum/subgraph-eurojust';
import { createEuropolSubgraph } from '@pactum/subgraph-europol';
import { createPoliceSubgraph } from '@pactum/subgraph-police';
import { copyPolicies } from './copy-policies';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

export { copyPolicies };

const repoRoot = path.resolve(__dirname, '../..');

export interface Stack {
  readonly gatewayUrl: string;
  readonly stateDir: string;
  readonly policyDir: string;
  readonly subgraphUrls: Record<string, string>;
  /** What each subgraph was asked, by subgraph name (only with `record: true`). */
  readonly recorded: Record<string, RecordingProxy>;
  /** Development tokens from this stack's identity providers. */
  readonly keys: TestKeys;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Environment overrides for the gateway (e.g. PACTUM_AUDIT_URL). */
  readonly env?: Record<string, string>;
  /** Put a recording proxy in front of every subgraph (see `Stack.recorded`). */
  readonly record?: boolean;
  /** Keep the subgraphs' seeded data between test files (default: a shared folder under os.tmpdir()). */
  readonly dataDir?: string;
}

const FACTORIES = {
  police: createPoliceSubgraph,
  customs: createCustomsSubgraph,
  eurojust: createEurojustSubgraph,
  europol: createEuropolSubgraph,
} as const;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-e2e-'));
  const policyDir = copyPolicies(stateDir);
  const dataDir = options.dataDir ?? path.join(os.tmpdir(), 'pactum-e2e-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const keys = prepareTestKeys({ stateDir, policyDir });

  const running = await Promise.all(
    Object.entries(FACTORIES).map(async ([name, create]) => {
      const sub = await create({
        port: 0,
        dbFile: path.join(dataDir, `${name}.sqlite`),
        authenticate: createContextTokenVerifier({ publicKeyFile: keys.gatewayPublicKeyFile, audience: name }),
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
  const env: NodeJS.ProcessEnv = {
    PACTUM_GATEWAY_PORT: '0',
    PACTUM_STATE_DIR: stateDir,
    PACTUM_POLICY_DIR: policyDir,
    ...Object.fromEntries(running.map(([name, s]) => [`PACTUM_${name.toUpperCase()}_URL`, routeTo(name, s.url)])),
    ...options.env,
  };
  const gateway = await startGateway(loadGatewayConfig(env));
  return {
    gatewayUrl: gateway.url,
    stateDir,
    policyDir,
    subgraphUrls,
    keys,
    recorded,
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(recorded).map((p) => p.close()));
      await Promise.all(running.map(([, s]) => s.stop()));
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
