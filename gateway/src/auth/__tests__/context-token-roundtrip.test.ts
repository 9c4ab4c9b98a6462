import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContextTokenVerifier } from '@pactum/subgraph-kit/src/auth';
import { createContextTokenSigner, ensureGatewayKeys, type Principal } from '../index';

const principal: Principal = {
  subject: 'a.peeters',
  agency: 'BE-POLICE',
  issuer: 'https://idp.be-police.dev.pactum.local',
  roles: new Set(),
  clearance: 'RESTRICTED',
  purposes: new Set(['drug-trafficking']),
  cases: new Set(),
};
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as unknown as IncomingMessage;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-ctx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway signer → kit verifier', () => {
  it('the kit accepts what the gateway signs, for that subgraph only, and not once expired', async () => {
    const keys = ensureGatewayKeys(dir);
    const signer = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid });
    const police = createContextTokenVerifier({ publicKeyFile: keys.publicKeyFile, audience: 'police' });
    const customs = createContextTokenVerifier({ publicKeyFile: keys.publicKeyFile, audience: 'customs' });
    const token = await signer.sign({ audience: 'police', principal, purpose: { code: 'drug-trafficking' } });
    await expect(police(request(token))).resolves.toEqual({ subject: 'a.peeters', agency: 'BE-POLICE', purpose: 'drug-trafficking' });
    await expect(customs(request(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'wrong_audience' });

    const old = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, now: () => new Date(Date.now() - 5 * 60_000) });
    const expired = await old.sign({ audience: 'police', principal, purpose: { code: 'drug-trafficking' } });
    await expect(police(request(expired))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'token_expired' });

    const otherKeys = ensureGatewayKeys(path.join(dir, 'other'));
    const forged = await createContextTokenSigner({ privateKey: otherKeys.privateKey, kid: keys.kid }).sign({ audience: 'police', principal, purpose: { code: 'drug-trafficking' } });
    await expect(police(request(forged))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'bad_signature' });
  });
});

describe('concurrent first signatures of one caller', () => {
  it('share the one signature under way: the same token, even when the clock turns between the calls', async () => {
    const keys = ensureGatewayKeys(path.join(dir, 'concurrent'));
    let second = 1_800_000_000;
    // Every read of the clock is a second later: separate signatures would carry different iat.
    const signer = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, now: () => new Date(1000 * second++) });
    const ask = () => signer.sign({ audience: 'police', principal, purpose: { code: 'drug-trafficking' } });
    const tokens = await Promise.all([ask(), ask(), ask()]);
    expect(new Set(tokens).size).toBe(1);
    // Another caller is never handed that one.
    const other = await signer.sign({ audience: 'police', principal: { ...principal, subject: 'j.devries' }, purpose: { code: 'drug-trafficking' } });
    expect(other).not.toBe(tokens[0]);
  });
});
