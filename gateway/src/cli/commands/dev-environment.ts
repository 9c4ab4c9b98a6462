/**
 * The development setup `pactum start` needs before anything runs: a key pair per agency served
 * as its JWKS (dev identity providers) and the gateway's context-token key, all created on the
 * first start under the git-ignored state folder.
 */
import path from 'node:path';
import { ensureDevIdentityProviders, ensureGatewayKeys, issueDevToken, loadTrustRegistry, type DevTokenRequest, type TrustRegistry } from '../../auth';
import { loadGatewayConfig } from '../../config/gateway-config';

export interface DevEnvironment {
  /** Variables the spawned processes need (where the gateway's public key is). */
  readonly env: Record<string, string>;
  readonly registry: TrustRegistry;
  /** Private keys of the development identity providers. */
  readonly idpDir: string;
  /** The state folder (`PACTUM_STATE_DIR`, default `.pactum/`). */
  readonly stateDir: string;
}

export function prepareDevEnvironment(): DevEnvironment {
  const config = loadGatewayConfig();
  const registry = loadTrustRegistry(path.join(config.policyDir, 'agencies.yaml'));
  const idpDir = path.join(config.stateDir, 'dev-idp');
  ensureDevIdentityProviders({ registry, dir: idpDir });
  const keys = ensureGatewayKeys(path.join(config.stateDir, 'keys'));
  return { env: { PACTUM_GATEWAY_PUBLIC_KEY_FILE: keys.publicKeyFile }, registry, idpDir, stateDir: config.stateDir };
}

/** Who the start banner's example request asks as: the story's NL-POLICE investigator on NL-ONB-2024-0456. */
export const EXAMPLE_PRINCIPAL = {
  agency: 'NL-POLICE',
  sub: 'j.devries',
  roles: ['investigator'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking'],
  cases: ['NL-ONB-2024-0456'],
} as const satisfies DevTokenRequest;

/** A complete `curl` request for the start banner, with a fresh 1-hour token. */
export async function exampleRequest(endpoint: string, dev: DevEnvironment): Promise<string> {
  const token = await issueDevToken({ registry: dev.registry, dir: dev.idpDir, ...EXAMPLE_PRINCIPAL, ttl: '1h' });
  const query =
    'query ContainerDossier($number: ContainerNumber!) { container(number: $number) { number reefer seizures { seizedAt substance quantityKg } investigations { localId codeName } } }';
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
