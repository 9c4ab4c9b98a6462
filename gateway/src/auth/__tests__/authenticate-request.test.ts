import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnauthenticatedError } from '../../errors';
import {
  authenticateRequest,
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

async function expectRefused(headers: RequestHeaders, reason: string): Promise<void> {
  const error: unknown = await authenticateRequest(headers, deps).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  const e = error as UnauthenticatedError;
  expect({ code: e.code, reason: e.reason, status: e.httpStatus }).toEqual({ code: 'UNAUTHENTICATED', reason, status: 401 });
  expect(e.message).not.toContain(token.slice(0, 30));
}

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
  it('purpose not permitted by the token', async () => {
    await expectRefused({ ...good(), 'x-purpose': 'money-laundering' }, 'purpose_not_permitted');
    expect(verifyCalls).toBe(1);
  });
  it('justification required by the purpose', async () => {
    await expectRefused({ ...good(), 'x-purpose': 'asset-recovery' }, 'justification_required');
    await expectRefused({ ...good(), 'x-purpose': 'asset-recovery', 'x-justification': '   ' }, 'justification_required');
    const ok = await authenticateRequest({ ...good(), 'x-purpose': 'asset-recovery', 'x-justification': 'tracing proceeds of seizure S-17' }, deps);
    expect(ok.purpose.justification).toBe('tracing proceeds of seizure S-17');
  });
  it('justification too long', () => expectRefused({ ...good(), 'x-justification': 'x'.repeat(1001) }, 'bad_header'));
  it.each([['newline', 'a\nb'], ['escape', 'a\u001b[31mred'], ['NUL', 'a\u0000b'], ['bidi override', 'a\u202eb'], ['line separator', 'a\u2028b']])(
    'justification with a control character (%s)',
    (_name, text) => expectRefused({ ...good(), 'x-justification': text }, 'bad_header'),
  );
  it.each(['nl-onb-2024-0456', 'NL ONB 2024', 'NL', 'NL-ONB-2024-0456; DROP', `NL-${'A'.repeat(70)}`])('malformed case reference %s', (ref) =>
    expectRefused({ ...good(), 'x-case-ref': ref }, 'bad_header'),
  );
  it('expired token via headers', async () => {
    const expired = await issueDevToken({ registry, dir: path.join(dir, 'keys'), agency: 'NL-POLICE', sub: 'x', clearance: 'RESTRICTED', purposes: ['drug-trafficking'], ttl: 60, now: () => new Date(Date.now() - 3_600_000) });
    await expectRefused({ authorization: `Bearer ${expired}`, 'x-purpose': 'drug-trafficking' }, 'token_expired');
  });
});
