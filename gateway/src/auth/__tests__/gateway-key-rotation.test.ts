/**
 * The gateway's key folder through a rotation: which keys are published and which one signs at
 * each step, the steps refusing to run out of order, a running gateway following the folder and
 * keeping its last good keys when the folder is broken, and the signer switching at once.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import {
  addNextGatewayKey,
  createContextTokenSigner,
  GATEWAY_KEY_FILES,
  knownGatewayPublicKeys,
  loadGatewayKeySet,
  promoteNextGatewayKey,
  retirePreviousGatewayKey,
  RETIRE_AFTER_SEC,
  retiredGatewayPublicKeys,
  watchGatewayKeys,
  type Principal,
} from '..';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-keys-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const kids = (set: { jwks: { keys: readonly { kid?: string }[] } }): (string | undefined)[] => set.jwks.keys.map((k) => k.kid);
const published = (): unknown => JSON.parse(fs.readFileSync(path.join(dir, GATEWAY_KEY_FILES.jwks), 'utf8'));
const later = (sec: number) => () => new Date(Date.now() + sec * 1000);

test('a rotation: next is published before it signs, previous stays published after, then is retired', () => {
  const first = loadGatewayKeySet(dir);
  expect(kids(first)).toEqual([first.current.kid]);
  const withNext = addNextGatewayKey(dir);
  expect(withNext.current.kid).toBe(first.current.kid);
  expect(kids(withNext)).toEqual([first.current.kid, withNext.next?.kid]);
  expect(published()).toEqual(withNext.jwks);
  const promoted = promoteNextGatewayKey(dir);
  expect(promoted.current.kid).toBe(withNext.next?.kid);
  expect(promoted.previous?.kid).toBe(first.current.kid);
  expect(kids(promoted)).toEqual([promoted.current.kid, first.current.kid]);
  // The previous key is kept as its public half only.
  expect(JSON.parse(fs.readFileSync(path.join(dir, GATEWAY_KEY_FILES.previous), 'utf8'))).not.toHaveProperty('d');
  const retired = retirePreviousGatewayKey(dir, { now: later(RETIRE_AFTER_SEC + 1) });
  expect(kids(retired)).toEqual([promoted.current.kid]);
  // No longer published, but kept: audit checkpoints it signed must still verify.
  expect(retiredGatewayPublicKeys(dir).map((k) => k.kid)).toEqual([first.current.kid]);
  expect(knownGatewayPublicKeys(dir).map((k) => k.kid)).toEqual([promoted.current.kid, first.current.kid]);
  expect(published()).toEqual({ keys: [expect.objectContaining({ kid: promoted.current.kid, alg: 'EdDSA', use: 'sig' })] });
  expect(JSON.stringify(published())).not.toMatch(/"d"/);
});

test('steps out of order are refused and change nothing', () => {
  loadGatewayKeySet(dir);
  const before = fs.readdirSync(dir).sort();
  expect(() => promoteNextGatewayKey(dir)).toThrow(/no next key to promote/);
  expect(() => retirePreviousGatewayKey(dir)).toThrow(/no previous key to retire/);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
  addNextGatewayKey(dir);
  expect(() => addNextGatewayKey(dir)).toThrow(/a next key .* exists already/);
  promoteNextGatewayKey(dir);
  expect(() => addNextGatewayKey(dir)).toThrow(/previous key .* is still published: retire it first/);
});

test('retiring is refused while a token of the previous key may be alive, unless forced', () => {
  loadGatewayKeySet(dir);
  addNextGatewayKey(dir);
  promoteNextGatewayKey(dir);
  // Half a second past 10 s: the file's mtime may be a hair ahead of Date.now().
  expect(() => retirePreviousGatewayKey(dir, { now: later(10.5) })).toThrow(/replaced 10 s ago; .* retry in \d+ s \(or --force\)/);
  expect(fs.existsSync(path.join(dir, GATEWAY_KEY_FILES.previous))).toBe(true);
  expect(retirePreviousGatewayKey(dir, { force: true }).previous).toBeUndefined();
});

test('a broken folder is refused with the file named: next readable by others, previous holding a private key, a key in two roles, a missing current key', () => {
  const set = loadGatewayKeySet(dir);
  const nextFile = path.join(dir, GATEWAY_KEY_FILES.next);
  fs.writeFileSync(nextFile, JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })), { mode: 0o644 });
  fs.chmodSync(nextFile, 0o644);
  expect(() => loadGatewayKeySet(dir)).toThrow(/gateway.next.private.jwk: private key is readable by others/);
  fs.rmSync(nextFile);
  const previousFile = path.join(dir, GATEWAY_KEY_FILES.previous);
  fs.writeFileSync(previousFile, JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })));
  expect(() => loadGatewayKeySet(dir)).toThrow(/gateway.previous.public.jwk: holds a private key/);
  fs.writeFileSync(previousFile, JSON.stringify(set.current.publicJwk));
  expect(() => loadGatewayKeySet(dir)).toThrow(/gateway.previous.public.jwk: is the current key/);
  fs.rmSync(previousFile);
  fs.rmSync(path.join(dir, GATEWAY_KEY_FILES.current));
  expect(() => loadGatewayKeySet(dir, { create: false })).toThrow(/the current signing key is missing/);
});

const principal = { agency: 'NL-POLICE', subject: 'j.devries' } as Principal;
const purpose = { code: 'drug-trafficking' };

test('a running gateway follows the folder; the signer switches key at once; a broken folder leaves the last good keys', async () => {
  const changes: string[] = [];
  const errors: string[] = [];
  const watcher = watchGatewayKeys(dir, { intervalMs: 60_000, onChange: (s) => changes.push(s.current.kid), onError: (e) => errors.push(e.message) });
  try {
    const signer = createContextTokenSigner({ currentKey: () => watcher.current().current });
    const first = watcher.current().current.kid;
    const t1 = await signer.sign({ audience: 'police', principal, purpose });
    expect(decodeProtectedHeader(t1).kid).toBe(first);
    addNextGatewayKey(dir);
    watcher.check();
    expect(await signer.sign({ audience: 'police', principal, purpose })).toBe(t1); // next is published, not signing
    promoteNextGatewayKey(dir);
    watcher.check();
    const second = watcher.current().current.kid;
    expect(second).not.toBe(first);
    const t2 = await signer.sign({ audience: 'police', principal, purpose });
    expect(decodeProtectedHeader(t2).kid).toBe(second); // not the memoised token of the old key
    const { payload } = await jwtVerify(t2, await importJWK({ ...watcher.current().current.publicJwk }, 'EdDSA'));
    expect(payload.aud).toBe('police');
    expect(kids(watcher.current())).toEqual([second, first]);

    fs.chmodSync(path.join(dir, GATEWAY_KEY_FILES.current), 0o644);
    watcher.check();
    expect(errors).toEqual([expect.stringMatching(/readable by others/)]);
    expect(watcher.current().current.kid).toBe(second);
    expect(decodeProtectedHeader(await signer.sign({ audience: 'customs', principal, purpose })).kid).toBe(second);
    fs.chmodSync(path.join(dir, GATEWAY_KEY_FILES.current), 0o600);
    watcher.check();
    expect(changes.length).toBeGreaterThanOrEqual(3);
  } finally {
    watcher.stop();
  }
});
