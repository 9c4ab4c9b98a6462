/**
 * The development setup `pactum start` needs before anything runs: a key pair per agency served
 * as its JWKS (dev identity providers) and the gateway's context-token key, all created on the
 * first start under the git-ignored state folder.
 */
import path from 'node:path';
import { ensureDevIdentityProviders, ensureGatewayKeys, issueDevToken, loadTrustRegistry } from '../../auth';
import { stateDir } from '../../config/paths';
import { loadGatewayConfig } from '../../config/gateway-config';

export interface DevEnvironment {
  /** Variables the spawned processes need (where the gateway's public key is). */
  readonly env: Record<string, string>;
}

export async function prepareDevEnvironment(): Promise<DevEnvironment> {
  const config = loadGatewayConfig();
  const registry = loadTrustRegistry(path.join(config.policyDir, 'agencies.yaml'));
  ensureDevIdentityProviders({ registry, dir: path.join(stateDir(), 'dev-idp') });
  const keys = ensureGatewayKeys(path.join(stateDir(), 'keys'));
  return { env: { PACTUM_GATEWAY_PUBLIC_KEY_FILE: keys.publicKeyFile } };
}

/** A complete `curl` request for the README and the start banner, with a fresh 1-hour token. */
export async function exampleRequest(endpoint: string): Promise<string> {
  const token = await issueDevToken({
    agency: 'NL-POLICE',
    sub: 'j.devries',
    roles: ['investigator'],
    clearance: 'CONFIDENTIAL',
    purposes: ['drug-trafficking'],
    cases: ['NL-ONB-2024-0456'],
    ttl: '1h',
  });
  const query = 'query ContainerDossier($number: ContainerNumber!) { container(number: $number) { number seizures { seizedAt substance quantityKg } investigations { localId codeName } sienaMessages { subject } } }';
  const body = JSON.stringify({ query, operationName: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  return [
    `curl -s ${endpoint} \\`,
    `  -H 'content-type: application/json' \\`,
    `  -H 'authorization: Bearer ${token}' \\`,
    `  -H 'x-purpose: drug-trafficking' \\`,
    `  -H 'x-justification: dossier review for NL-ONB-2024-0456' \\`,
    `  -d '${body}'`,
  ].join('\n');
}
