/**
 * Test helpers for the subgraph side of gateway → subgraph trust: gateway signing keys with a
 * `kid`, context tokens as the gateway signs them, and the outcome of a verification as text.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { ContextTokenError } from '../..';
import type { AuthenticateHook } from '../../../server';

/** A gateway signing key: its private half and its published JWK. */
export interface GatewayKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

/** A fresh Ed25519 gateway key named `kid`. */
export function gatewayKey(kid: string): GatewayKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'EdDSA', use: 'sig' } };
}

/** A context token for the `police` subgraph signed by `signer` (`kid: null`: none in the header). */
export function contextTokenOf(signer: GatewayKey, over: { readonly kid?: string | null; readonly sub?: string; readonly iat?: number } = {}): Promise<string> {
  const iat = over.iat ?? Math.floor(Date.now() / 1000);
  const kid = over.kid === null ? {} : { kid: over.kid ?? signer.kid };
  return new SignJWT({ agency: 'NL-CUSTOMS', purpose: 'drug-trafficking' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'pactum-context+jwt', ...kid })
    .setIssuer('pactum-gateway')
    .setAudience('police')
    .setSubject(over.sub ?? 'a.bakker')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 60)
    .sign(signer.privateKey);
}

/** `ok:<subject>` when `verify` accepts `jwt`, else the refusal's reason. */
export async function outcome(verify: AuthenticateHook, jwt: string): Promise<string> {
  try {
    const caller = await verify({ headers: { authorization: `Bearer ${jwt}` } } as never);
    return `ok:${caller.subject}`;
  } catch (error) {
    if (error instanceof ContextTokenError) return error.reason;
    throw error;
  }
}
