/**
 * Development identity providers: so that `npm start` needs nothing outside the machine, every
 * agency whose JWKS in the trust registry is a `file:` gets a local signing key (generated on
 * first start, mode 0600) and its public key written to that JWKS file. Agencies with an https
 * JWKS have a real identity provider and are left alone.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import type { AsymmetricAlgorithm } from '../algorithms';
import { publicJwkOf } from '../ensure-gateway-keys';
import { createFileOnce, readPrivateKeyFile, replaceFile } from '../key-files';
import { displayPath, stateDir } from '../../config/paths';
import type { AgencyEntry, TrustRegistry } from '../trust-registry';

/** Options of {@link ensureDevIdentityProviders}. */
export interface DevIdentityProviderOptions {
  readonly registry: TrustRegistry;
  /** Where private keys live. Default `<state dir>/dev-idp` (`<repo>/.pactum/dev-idp`, git-ignored). */
  readonly dir?: string;
}

/** One agency's development identity provider. */
export interface DevIdentityProvider {
  readonly agency: AgencyEntry;
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly alg: Extract<AsymmetricAlgorithm, 'EdDSA' | 'ES256'>;
  readonly privateKeyFile: string;
  /** JWKS file the registry points at, holding this key's public half. */
  readonly jwksFile: string;
}

/** Default private-key directory of the development identity providers. */
export function defaultDevIdpDir(): string {
  return path.join(stateDir(), 'dev-idp');
}

/**
 * Ensures a key and a JWKS file for every `file:`-JWKS agency of the registry and returns the
 * providers by agency id. Safe to call from several processes at once.
 */
export function ensureDevIdentityProviders(options: DevIdentityProviderOptions): ReadonlyMap<string, DevIdentityProvider> {
  const dir = options.dir ?? defaultDevIdpDir();
  const out = new Map<string, DevIdentityProvider>();
  for (const agency of options.registry.agencies) {
    const jwks = agency.identityProvider.jwks;
    if (jwks.kind !== 'file') continue;
    out.set(agency.id, ensureOne(agency, jwks.path, dir));
  }
  return out;
}

function ensureOne(agency: AgencyEntry, jwksFile: string, dir: string): DevIdentityProvider {
  const allowed = agency.identityProvider.algorithms;
  const alg = allowed.includes('EdDSA') ? 'EdDSA' : allowed.includes('ES256') ? 'ES256' : undefined;
  if (!alg) {
    throw new ConfigError('dev_idp_algorithm', `agency ${agency.id}: the development identity provider signs with EdDSA or ES256, but the registry allows only ${allowed.join(', ')}`);
  }
  const privateKeyFile = path.join(dir, `${agency.id}.private.jwk`);
  if (!existsSync(privateKeyFile)) {
    const { privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    createFileOnce(privateKeyFile, `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, 0o600);
  }
  const privateKey = readPrivateKeyFile(privateKeyFile);
  const keyAlg = privateKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  if (!allowed.includes(keyAlg)) {
    throw new ConfigError('dev_idp_algorithm', `${displayPath(privateKeyFile)}: a ${keyAlg} key, but agency ${agency.id} does not allow ${keyAlg}`);
  }
  const publicJwk = publicJwkOf(privateKey);
  const text = `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`;
  const current = existsSync(jwksFile) ? readFileSync(jwksFile, 'utf8') : undefined;
  if (current !== text) replaceFile(jwksFile, text, 0o644);
  return Object.freeze({ agency, privateKey, kid: publicJwk.kid ?? '', alg: keyAlg, privateKeyFile, jwksFile });
}
