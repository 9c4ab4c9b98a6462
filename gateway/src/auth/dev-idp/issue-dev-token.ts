/**
 * Issues a token from an agency's development identity provider, exactly as that agency's real
 * provider would (same issuer, audience and claim names), so the gateway verifies it the normal way.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { SignJWT } from 'jose';
import { ConfigError } from '../../errors';
import { repoRoot } from '../../config/paths';
import { loadTrustRegistry, type TrustRegistry } from '../trust-registry';
import { ensureDevIdentityProviders } from './ensure-dev-identity-providers';
import { parseTtl } from './parse-ttl';

/** What to put in a development token. */
export interface DevTokenRequest {
  /** Agency id from the registry, e.g. `NL-POLICE`. */
  readonly agency: string;
  readonly sub: string;
  readonly roles?: readonly string[];
  readonly clearance: string;
  readonly purposes?: readonly string[];
  readonly cases?: readonly string[];
  /** Lifetime: seconds or `90s`/`15m`/`1h`/`1d` (max 1d). Default `1h`. */
  readonly ttl?: string | number;
  /** Registry to use. Default: `<repo>/policies/agencies.yaml`. */
  readonly registry?: TrustRegistry;
  /** Private-key directory. Default: `<repo>/.pactum/dev-idp`. */
  readonly dir?: string;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/** Signs a development token; throws `ConfigError` for an agency without a development provider. */
export async function issueDevToken(request: DevTokenRequest): Promise<string> {
  const ttl = parseTtl(request.ttl ?? '1h');
  const registry = request.registry ?? loadTrustRegistry(path.join(repoRoot(), 'policies', 'agencies.yaml'));
  const agency = registry.agency(request.agency);
  if (!agency) {
    throw new ConfigError('unknown_agency', `unknown agency ${request.agency} (known: ${registry.agencies.map((a) => a.id).join(', ')})`);
  }
  const providers = ensureDevIdentityProviders({ registry, ...(request.dir !== undefined ? { dir: request.dir } : {}) });
  const idp = providers.get(agency.id);
  if (!idp) throw new ConfigError('no_dev_idp', `agency ${agency.id} has no development identity provider (its JWKS is not a file:)`);

  const iat = Math.floor((request.now?.() ?? new Date()).getTime() / 1000);
  return new SignJWT({
    agency: agency.id,
    roles: [...(request.roles ?? [])],
    clearance: request.clearance,
    purposes: [...(request.purposes ?? [])],
    cases: [...(request.cases ?? [])],
  })
    .setProtectedHeader({ alg: idp.alg, kid: idp.kid, typ: 'JWT' })
    .setIssuer(agency.identityProvider.issuer)
    .setAudience(agency.identityProvider.audience[0] ?? 'pactum')
    .setSubject(request.sub)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomUUID())
    .sign(idp.privateKey);
}
