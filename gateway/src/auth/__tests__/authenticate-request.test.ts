import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PactumError, UnauthenticatedError } from '../../errors';
import {
  authenticateRequest,
  PrincipalRefusedError,
  createTokenVerifier,
  issueDevToken,
  loadPurposes,
  loadTrustRegistry,
  repoRoot,
  type AuthenticateDeps,
  type RequestHeaders,
  type TrustRegistry,
} from '../index';

let dir: string;
let registry: TrustRegistry;
let deps: AuthenticateDeps;
let token: string;
let verifyCalls = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-authn-'));
  const file = path.join(dir, 'agencies.yaml');
  writeFileSync(
    file,
    `agencies:
  - id: NL-POLICE
    name: Dutch police
    country: NL
    subgraph: police
    identityProvider: { issuer: 'https://idp.nl-police.test', jwks: 'file:idp/NL-POLICE.jwks.json', audience: pactum, algorithms: [EdDSA] }
`,
  );
  registry = loadTrustRegistry(file);
  const verifier = createTokenVerifier({ registry });
  deps = {
    verifier: {
      verify: (t) => {
        verifyCalls++;
        return verifier.verify(t);
      },
      identityProviders: () => verifier.identityProviders(),
      wasVerified: (t) => verifier.wasVerified(t),
    },
    purposes: loadPurposes(path.join(repoRoot(), 'policies', 'purposes.yaml')),
  };
  token = await issueDevToken({
    registry,
    dir: path.join(dir, 'keys'),
    agency: 'NL-POLICE',
    sub: 'j.devries',
    roles: ['investigator'],
    clearance: 'CONFIDENTIAL',
    purposes: ['drug-trafficking', 'asset-recovery'],
    cases: ['NL-ONB-2024-0456'],
    ttl: '1h',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  verifyCalls = 0;
});

const good = (): Record<string, string | string[] | undefined> => ({ authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking' });

async function refusal(headers: RequestHeaders): Promise<PactumError> {
  const error: unknown = await authenticateRequest(headers, deps).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PactumError);
  const e = error as PactumError;
  expect(e.message).not.toContain(token.slice(0, 30));
  return e;
}

/** 401: no acceptable token, or no known purpose. */
async function expectRefused(headers: RequestHeaders, reason: string): Promise<void> {
  const e = await refusal(headers);
  expect(e).toBeInstanceOf(UnauthenticatedError);
  expect({ code: e.code, reason: e.reason, status: e.httpStatus }).toEqual({ code: 'UNAUTHENTICATED', reason, status: 401 });
}

/** 400: a header's text is malformed. */
async function expectBadInput(headers: RequestHeaders, reason: string): Promise<void> {
  const e = await refusal(headers);
  expect({ code: e.code, reason: e.reason, status: e.httpStatus }).toEqual({ code: 'BAD_USER_INPUT', reason, status: 400 });
}

/** 403: the verified principal may not declare this; the refusal names it. */
async function expectForbidden(headers: RequestHeaders, reason: string): Promise<PrincipalRefusedError> {
  const e = await refusal(headers);
  expect(e).toBeInstanceOf(PrincipalRefusedError);
  expect({ code: e.code, reason: e.reason, status: e.httpStatus }).toEqual({ code: 'FORBIDDEN', reason, status: 403 });
  expect((e as PrincipalRefusedError).identity.principal).toMatchObject({ subject: 'j.devries', agency: 'NL-POLICE' });
  return e as PrincipalRefusedError;
}

/** What Node hands over for a header sent as UTF-8 bytes: one latin-1 character per byte. */
const asHeaderBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('authenticateRequest', () => {
  it('returns principal and declared purpose', async () => {
    const { principal, purpose } = await authenticateRequest(
      { ...good(), 'x-justification': '  container MSCU1234566 flagged by scan  ', 'x-case-ref': 'NL-ONB-2024-0456' },
      deps,
    );
    expect(principal).toMatchObject({ subject: 'j.devries', agency: 'NL-POLICE', clearance: 'CONFIDENTIAL' });
    expect(purpose).toEqual({ code: 'drug-trafficking', justification: 'container MSCU1234566 flagged by scan', caseRef: 'NL-ONB-2024-0456' });
  });

  it('accepts a lower-case bearer scheme and a one-element header array', async () => {
    const { purpose } = await authenticateRequest({ authorization: [`bearer ${token}`], 'x-purpose': ['drug-trafficking'] }, deps);
    expect(purpose).toEqual({ code: 'drug-trafficking' });
  });

  it('no token', () => expectRefused({ 'x-purpose': 'drug-trafficking' }, 'missing_token'));
  it('empty authorization', () => expectRefused({ authorization: '', 'x-purpose': 'drug-trafficking' }, 'missing_token'));
  it('Basic scheme', () => expectRefused({ authorization: 'Basic dXNlcjpwYXNz', 'x-purpose': 'drug-trafficking' }, 'bad_header'));
  it('two tokens', () => expectRefused({ authorization: `Bearer ${token} ${token}`, 'x-purpose': 'drug-trafficking' }, 'bad_header'));
  it('authorization twice', () => expectRefused({ authorization: [`Bearer ${token}`, `Bearer ${token}`], 'x-purpose': 'drug-trafficking' }, 'bad_header'));
  it('garbage token', () => expectRefused({ authorization: 'Bearer garbage', 'x-purpose': 'drug-trafficking' }, 'malformed_token'));
  it('oversized token', () => expectRefused({ authorization: `Bearer ${'a'.repeat(9000)}`, 'x-purpose': 'drug-trafficking' }, 'token_too_large'));

  it('missing purpose, refused before the token is even verified', async () => {
    await expectRefused({ authorization: `Bearer ${token}` }, 'missing_purpose');
    await expectRefused({ authorization: `Bearer ${token}`, 'x-purpose': '  ' }, 'missing_purpose');
    expect(verifyCalls).toBe(0);
  });
  it('unknown purpose, refused before the token is verified', async () => {
    await expectRefused({ ...good(), 'x-purpose': 'curiosity' }, 'unknown_purpose');
    await expectRefused({ ...good(), 'x-purpose': 'constructor' }, 'unknown_purpose');
    await expectRefused({ ...good(), 'x-purpose': '__proto__' }, 'unknown_purpose');
    await expectRefused({ ...good(), 'x-purpose': 'drug-trafficking, terrorism' }, 'unknown_purpose');
    expect(verifyCalls).toBe(0);
  });
  it('two purposes', () => expectRefused({ ...good(), 'x-purpose': ['drug-trafficking', 'asset-recovery'] }, 'bad_header'));
  it('purpose not permitted by the token: 403, naming the verified principal and what it declared', async () => {
    const e = await expectForbidden({ ...good(), 'x-purpose': 'money-laundering', 'x-justification': 'why' }, 'purpose_not_permitted');
    expect(e.identity.purpose).toEqual({ code: 'money-laundering', justification: 'why' });
    expect(verifyCalls).toBe(1);
  });
  it('justification required by the purpose: 403 once the token is verified', async () => {
    await expectForbidden({ ...good(), 'x-purpose': 'asset-recovery' }, 'justification_required');
    await expectForbidden({ ...good(), 'x-purpose': 'asset-recovery', 'x-justification': '   ' }, 'justification_required');
    const ok = await authenticateRequest({ ...good(), 'x-purpose': 'asset-recovery', 'x-justification': 'tracing proceeds of seizure S-17' }, deps);
    expect(ok.purpose.justification).toBe('tracing proceeds of seizure S-17');
  });
  it('justification too long', () => expectBadInput({ ...good(), 'x-justification': 'x'.repeat(1001) }, 'bad_header'));
  it.each([['newline', 'a\nb'], ['escape', 'a\u001b[31mred'], ['NUL', 'a\u0000b'], ['bidi override', 'a\u202eb'], ['bidi isolate', 'a\u2067b'], ['right-to-left mark', 'a\u200fb'], ['line separator', 'a\u2028b'], ['C1 control', 'a\u0085b']])(
    'justification with a control or bidi character (%s): 400, before the token is verified',
    async (_name, text) => {
      await expectBadInput({ ...good(), 'x-justification': asHeaderBytes(text) }, 'control_characters');
      expect(verifyCalls).toBe(0);
    },
  );
  it('a UTF-8 justification is kept exactly (not as latin-1 mojibake)', async () => {
    const text = 'contrôle conteneur € Müller — 港口';
    const { purpose } = await authenticateRequest({ ...good(), 'x-justification': asHeaderBytes(text) }, deps);
    expect(purpose.justification).toBe(text);
  });
  it('a justification that is not valid UTF-8 is refused, not mangled', () => expectBadInput({ ...good(), 'x-justification': 'caf\u00e9' }, 'bad_header'));
  it.each(['nl-onb-2024-0456', 'NL ONB 2024', 'NL', 'NL-ONB-2024-0456; DROP', `NL-${'A'.repeat(70)}`])('malformed case reference %s', (ref) =>
    expectBadInput({ ...good(), 'x-case-ref': ref }, 'bad_header'),
  );
  it('a case reference with a bidi character is refused as such', () => expectBadInput({ ...good(), 'x-case-ref': asHeaderBytes('NL-ONB-2024-0456\u202e') }, 'control_characters'));
  it("a case reference that is not one of the token's cases: 403", async () => {
    const e = await expectForbidden({ ...good(), 'x-case-ref': 'EJ-2024-0173' }, 'case_not_permitted');
    expect(e.identity.purpose.caseRef).toBe('EJ-2024-0173');
  });
  it('a sub with a control or bidi character is refused (400), naming the claim, never its value', async () => {
    for (const sub of ['j.devries\u202egpj.exe', 'j.de\u0085vries', 'line\u2028break']) {
      const bad = await issueDevToken({ registry, dir: path.join(dir, 'keys'), agency: 'NL-POLICE', sub, clearance: 'RESTRICTED', purposes: ['drug-trafficking'], ttl: 60 });
      const e = await refusal({ authorization: `Bearer ${bad}`, 'x-purpose': 'drug-trafficking' });
      expect({ code: e.code, reason: e.reason, status: e.httpStatus }).toEqual({ code: 'BAD_USER_INPUT', reason: 'control_characters', status: 400 });
      expect(e.message).toContain('"sub"');
      expect(e.message).not.toContain('vries');
    }
  });
  it('a sub in any script is kept exactly', async () => {
    const sub = 'jürgen.müller@politie — 警察';
    const t = await issueDevToken({ registry, dir: path.join(dir, 'keys'), agency: 'NL-POLICE', sub, clearance: 'RESTRICTED', purposes: ['drug-trafficking'], ttl: 60 });
    const { principal } = await authenticateRequest({ authorization: `Bearer ${t}`, 'x-purpose': 'drug-trafficking' }, deps);
    expect(principal.subject).toBe(sub);
  });
  it('expired token via headers', async () => {
    const expired = await issueDevToken({ registry, dir: path.join(dir, 'keys'), agency: 'NL-POLICE', sub: 'x', clearance: 'RESTRICTED', purposes: ['drug-trafficking'], ttl: 60, now: () => new Date(Date.now() - 3_600_000) });
    await expectRefused({ authorization: `Bearer ${expired}`, 'x-purpose': 'drug-trafficking' }, 'token_expired');
  });
});
