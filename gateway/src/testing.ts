/**
 * What end-to-end tests and benchmarks need from the gateway workspace, through one door:
 * start the gateway, prepare a state folder's keys, and issue development tokens.
 */
import path from 'node:path';
import { ensureDevIdentityProviders, ensureGatewayKeys, issueDevToken, loadTrustRegistry, type DevTokenRequest } from './auth';

export { startGateway } from './main';
export { createLogger, memoryLog, type OperatorLog } from './log';
export { loadGatewayConfig, type GatewayConfig } from './config/gateway-config';
export type { RunningGateway } from './server/create-gateway-server';

export interface TestKeys {
  readonly gatewayPublicKeyFile: string;
  /** Issues a development token from an agency's provider in this state folder. */
  token(request: Omit<DevTokenRequest, 'registry' | 'dir'>): Promise<string>;
}

/** Creates the dev identity providers and gateway keys of a state folder whose policies are in `policyDir`. */
export function prepareTestKeys(options: { stateDir: string; policyDir: string }): TestKeys {
  const registry = loadTrustRegistry(path.join(options.policyDir, 'agencies.yaml'));
  const dir = path.join(options.stateDir, 'dev-idp');
  ensureDevIdentityProviders({ registry, dir });
  const keys = ensureGatewayKeys(path.join(options.stateDir, 'keys'));
  return {
    gatewayPublicKeyFile: keys.publicKeyFile,
    token: (request) => issueDevToken({ ...request, registry, dir }),
  };
}
