import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, type JWK } from 'jose';
import { scalarResolvers } from '../../scalars';
import { subgraphTypeDefs } from '../../sdl';
import { createSubgraphServer, type RunningSubgraph, type SubgraphContext } from '../../server';
import { ContextTokenError, createContextTokenVerifier, loadGatewayPublicKey } from '..';

function keyPair(): { privateKey: KeyObject; publicJwk: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) as JWK };
}
const gateway = keyPair();
const NOW = Math.floor(Date.now() / 1000);

/** A context token as the gateway makes it (see gateway/src/auth/context-token-signer.ts). */
function contextToken(over: { aud?: string; iat?: number; exp?: number; key?: KeyObject; iss?: string; typ?: string; claims?: Record<string, unknown> } = {}): Promise<string> {
  const iat = over.iat ?? NOW;
  return new SignJWT({ agency: 'NL-CUSTOMS', purpose: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456', ...over.claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: over.typ ?? 'pactum-context+jwt' })
    .setIssuer(over.iss ?? 'pactum-gateway')
    .setAudience(over.aud ?? 'police')
    .setSubject('j.devries')
    .setIssuedAt(iat)
    .setExpirationTime(over.exp ?? iat + 60)
    .sign(over.key ?? gateway.privateKey);
}

let resolverCalls = 0;
let server: RunningSubgraph;
beforeAll(async () => {
  server = await createSubgraphServer({
    name: 'police',
    port: 0,
    typeDefs: subgraphTypeDefs(`type Query { whoami: String }\ntype Container @key(fields: "number") { number: ContainerNumber! }`),
    resolvers: {
      ...scalarResolvers,
      Query: {
        whoami: (_p: unknown, _a: unknown, ctx: SubgraphContext) => {
          resolverCalls++;
          return `${ctx.caller?.agency}/${ctx.caller?.subject}/${ctx.caller?.purpose}/${ctx.caller?.caseRef}/${ctx.requestId}`;
        },
      },
      Container: {
        __resolveReference: (ref: { number: string }) => {
          resolverCalls++;
          return ref;
        },
      },
    },
    authenticate: createContextTokenVerifier({ publicKeyJwk: gateway.publicJwk, audience: 'police' }),
  });
});
afterAll(() => server.stop());
beforeEach(() => {
  resolverCalls = 0;
});

async function post(
  query: string,
  authorization?: string,
  extra: Record<string, string> = {},
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}), ...extra },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

const QUERIES = [
  ['a query', '{ whoami }'],
  ['_service', '{ _service { sdl } }'],
  ['_entities', '{ _entities(representations: [{ __typename: "Container", number: "MSCU1234566" }]) { ... on Container { number } } }'],
] as const;

describe('context token through a real kit server', () => {
  it('a valid token reaches the resolvers with the caller it vouches for, and the request id from x-request-id', async () => {
    const r = await post('{ whoami }', `Bearer ${await contextToken()}`, { 'x-request-id': 'gw-req-7' });
    expect(r).toEqual({ status: 200, body: { data: { whoami: 'NL-CUSTOMS/j.devries/drug-trafficking/NL-ONB-2024-0456/gw-req-7' } } });
  });

  it('one token serves several requests, each with its own request id', async () => {
    const token = `Bearer ${await contextToken()}`;
    const [a, b] = await Promise.all([post('{ whoami }', token, { 'x-request-id': 'r-a' }), post('{ whoami }', token, { 'x-request-id': 'r-b' })]);
    expect([a.body.data, b.body.data]).toEqual([
      { whoami: 'NL-CUSTOMS/j.devries/drug-trafficking/NL-ONB-2024-0456/r-a' },
      { whoami: 'NL-CUSTOMS/j.devries/drug-trafficking/NL-ONB-2024-0456/r-b' },
    ]);
  });

  it('a request id signed into the token (rid) wins over the header', async () => {
    const r = await post('{ whoami }', `Bearer ${await contextToken({ claims: { rid: 'req-7' } })}`, { 'x-request-id': 'forged' });
    expect(r.body.data).toEqual({ whoami: 'NL-CUSTOMS/j.devries/drug-trafficking/NL-ONB-2024-0456/req-7' });
  });

  it.each(QUERIES)('%s works with a valid token', async (_name, query) => {
    const r = await post(query, `Bearer ${await contextToken()}`);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });

  const refusals: [string, () => Promise<string | undefined>, string][] = [
    ['missing', async () => undefined, 'missing_token'],
    ['not bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 'bad_header'],
    ['garbage', async () => 'Bearer garbage', 'bad_header'],
    ['expired', async () => `Bearer ${await contextToken({ iat: NOW - 600, exp: NOW - 540 })}`, 'token_expired'],
    ['for another subgraph', async () => `Bearer ${await contextToken({ aud: 'customs' })}`, 'wrong_audience'],
    ['signed by another key', async () => `Bearer ${await contextToken({ key: keyPair().privateKey })}`, 'bad_signature'],
    ['another issuer', async () => `Bearer ${await contextToken({ iss: 'https://idp.nl-police.dev.pactum.local' })}`, 'unknown_issuer'],
    ['not a context token (typ)', async () => `Bearer ${await contextToken({ typ: 'JWT' })}`, 'bad_header'],
    ['lifetime over 60 s', async () => `Bearer ${await contextToken({ exp: NOW + 3600 })}`, 'invalid_claims'],
    ['issued in the future', async () => `Bearer ${await contextToken({ iat: NOW + 120, exp: NOW + 150 })}`, 'token_not_yet_valid'],
    ['missing agency', async () => `Bearer ${await contextToken({ claims: { agency: undefined } })}`, 'invalid_claims'],
    ['oversized', async () => `Bearer ${'a'.repeat(5000)}`, 'token_too_large'],
  ];
  for (const [name, make, reason] of refusals) {
    it.each(QUERIES)(`${name} → 401 ${reason} for %s, no resolver runs, no data`, async (_q, query) => {
      const r = await post(query, await make());
      expect(r.status).toBe(401);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
      expect(resolverCalls).toBe(0);
    });
  }
});

describe('createContextTokenVerifier options and loadGatewayPublicKey', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-kit-auth-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a private key, a non-Ed25519 key, and ambiguous options', () => {
    const { privateKey } = keyPair();
    const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
    expect(() => createContextTokenVerifier({ publicKeyJwk: privateJwk, audience: 'police' })).toThrow(/contains a private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as JWK;
    expect(() => createContextTokenVerifier({ publicKeyJwk: ec, audience: 'police' })).toThrow(/not an Ed25519 public key/);
    expect(() => createContextTokenVerifier({ audience: 'police' })).toThrow(TypeError);
    expect(() => createContextTokenVerifier({ publicKeyJwk: gateway.publicJwk, audience: '' })).toThrow(TypeError);
  });

  it('loads the public key from PACTUM_GATEWAY_PUBLIC_KEY_FILE, failing clearly when absent', async () => {
    const file = path.join(dir, 'gateway.public.jwk');
    expect(() => loadGatewayPublicKey({ PACTUM_GATEWAY_PUBLIC_KEY_FILE: file })).toThrow(
      `gateway public key ${file} is missing: start the gateway once (it writes the key) or set PACTUM_GATEWAY_PUBLIC_KEY_FILE`,
    );
    writeFileSync(file, JSON.stringify(gateway.publicJwk));
    const jwk = loadGatewayPublicKey({ PACTUM_GATEWAY_PUBLIC_KEY_FILE: file });
    const verify = createContextTokenVerifier({ publicKeyFile: file, audience: 'police' });
    const caller = await verify({ headers: { authorization: `Bearer ${await contextToken()}` } } as never);
    expect(caller).toEqual({ subject: 'j.devries', agency: 'NL-CUSTOMS', purpose: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' });
    expect(jwk.x).toBe(gateway.publicJwk.x);
    writeFileSync(file, 'nope');
    expect(() => loadGatewayPublicKey({ PACTUM_GATEWAY_PUBLIC_KEY_FILE: file })).toThrow(/is not JSON/);
  });

  it('throws ContextTokenError with code UNAUTHENTICATED', async () => {
    const verify = createContextTokenVerifier({ publicKeyJwk: gateway.publicJwk, audience: 'police' });
    const error: unknown = await verify({ headers: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextTokenError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
  });
});
