import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { findRepoRoot, subgraphMainSettings } from '..';

const KIT_DIR = join(__dirname, '..', '..', '..');
const FIXTURE = join(__dirname, 'fixture-main.ts');

let dir: string;
let keyFile: string;
let privateKey: KeyObject;
const children: ChildProcess[] = [];
const servers: Server[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-main-'));
  // The gateway's key pair: subgraph processes refuse to start without its public half.
  const pair = generateKeyPairSync('ed25519');
  privateKey = pair.privateKey;
  keyFile = join(dir, 'gateway.public.jwk');
  writeFileSync(keyFile, JSON.stringify(pair.publicKey.export({ format: 'jwk' })));
});

function contextToken(audience: string): Promise<string> {
  return new SignJWT({ agency: 'NL-POLICE', purpose: 'drug-trafficking', rid: 'r-1' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'pactum-context+jwt' })
    .setIssuer('pactum-gateway')
    .setAudience(audience)
    .setSubject('j.devries')
    .setIssuedAt()
    .setExpirationTime('30s')
    .sign(privateKey);
}
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

function occupyPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    servers.push(s);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port));
  });
}

async function freePort(): Promise<number> {
  const port = await occupyPort();
  const s = servers.pop() as Server;
  await new Promise((r) => s.close(r));
  return port;
}

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: KIT_DIR,
    env: { ...process.env, PORT: '', PACTUM_GATEWAY_PUBLIC_KEY_FILE: keyFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(stdout);
        if (m) resolve(m[0]);
      };
      child.stdout?.on('data', check);
      void exited.then(() => reject(new Error(`exited before ${pattern}: ${stdout} ${stderr}`)));
      check();
    });
  return { child, exited, line, out: () => stdout, err: () => stderr };
}

describe('runSubgraphMain', () => {
  it('starts, logs one ready line, serves, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = run({ PACTUM_DEMO_PORT: String(port), PACTUM_DATA_DIR: join(dir, 'data') });
    const ready = await p.line(/subgraph demo ready at \S+/);
    expect(ready).toBe(`subgraph demo ready at http://127.0.0.1:${port}/graphql`);
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ v }' }),
      });
    // Only the gateway may ask: no context token, or one meant for another subgraph, gets 401.
    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(await anonymous.json())).not.toContain('seeded');
    const elsewhere = await post({ authorization: `Bearer ${await contextToken('police')}` });
    expect(elsewhere.status).toBe(401);
    const res = await post({ authorization: `Bearer ${await contextToken('demo')}` });
    expect(await res.json()).toEqual({ data: { v: 'seeded' } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('subgraph demo stopped');
    const file = join(dir, 'data', 'demo.sqlite');
    // A closed WAL database leaves no -wal file behind: the store was closed, not abandoned.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('stops on SIGINT too', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), PACTUM_DATA_DIR: dir });
    await p.line(/ready at/);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it('exits 1 with one line when the port is taken', async () => {
    const port = await occupyPort();
    const p = run({ PACTUM_DEMO_PORT: String(port), PACTUM_DATA_DIR: dir });
    expect(await p.exited).toBe(1);
    expect(p.err()).toBe(`subgraph demo failed to start: port ${port} is already in use (subgraph demo)\n`);
  });

  it("refuses to start without the gateway's public key (fail closed)", async () => {
    const port = await freePort();
    const p = run({ PACTUM_DEMO_PORT: String(port), PACTUM_DATA_DIR: dir, PACTUM_GATEWAY_PUBLIC_KEY_FILE: join(dir, 'absent.jwk') });
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain('subgraph demo failed to start: gateway public key');
    expect(p.err()).toContain('absent.jwk is missing');
  });

  it('exits 1 naming the variable when the port setting is bad', async () => {
    const p = run({ PACTUM_DEMO_PORT: '40o1', PACTUM_DATA_DIR: dir });
    expect(await p.exited).toBe(1);
    expect(p.err()).toBe('subgraph demo failed to start: PACTUM_DEMO_PORT="40o1" is not a port number (1-65535)\n');
  });
});

describe('subgraphMainSettings', () => {
  const settings = (d: Parameters<typeof subgraphMainSettings>[0], env: Record<string, string>) =>
    subgraphMainSettings(d, { PACTUM_GATEWAY_PUBLIC_KEY_FILE: keyFile, ...env });
  const defaults = { name: 'police', port: 4001, envPrefix: 'POLICE' };

  it('defaults to the given port and <repo>/.pactum/data/<name>.sqlite', () => {
    expect(settings(defaults, {})).toMatchObject({ port: 4001, dbFile: join(findRepoRoot(), '.pactum', 'data', 'police.sqlite') });
    expect(typeof settings(defaults, {}).authenticate).toBe('function');
    expect(existsSync(join(findRepoRoot(), 'subgraphs', 'kit', 'package.json'))).toBe(true);
  });

  it('prefers PACTUM_<NAME>_PORT over PORT, and accepts a PACTUM_ prefix', () => {
    expect(settings(defaults, { PORT: '5000' }).port).toBe(5000);
    expect(settings(defaults, { PORT: '5000', PACTUM_POLICE_PORT: '5001' }).port).toBe(5001);
    expect(settings({ ...defaults, envPrefix: 'PACTUM_POLICE' }, { PACTUM_POLICE_PORT: '5002' }).port).toBe(5002);
  });

  it('takes PACTUM_DATA_DIR and PACTUM_<NAME>_DB_FILE', () => {
    expect(settings(defaults, { PACTUM_DATA_DIR: '/tmp/x' }).dbFile).toBe('/tmp/x/police.sqlite');
    expect(settings(defaults, { PACTUM_DATA_DIR: '/tmp/x', PACTUM_POLICE_DB_FILE: '/tmp/y.db' }).dbFile).toBe('/tmp/y.db');
  });

  it("throws when the gateway's public key is missing or is a private key", () => {
    expect(() => subgraphMainSettings(defaults, { PACTUM_GATEWAY_PUBLIC_KEY_FILE: join(dir, 'nope.jwk') })).toThrow('is missing');
    const privateFile = join(dir, 'private.jwk');
    writeFileSync(privateFile, JSON.stringify(privateKey.export({ format: 'jwk' })));
    expect(() => subgraphMainSettings(defaults, { PACTUM_GATEWAY_PUBLIC_KEY_FILE: privateFile })).toThrow('contains a private key');
  });

  it('ignores empty variables', () => {
    expect(settings(defaults, { PORT: '', PACTUM_POLICE_PORT: '' }).port).toBe(4001);
  });

  it.each(['0', '65536', '-1', 'abc', ' 4001', '4001.5'])('refuses PORT=%j', (value) => {
    expect(() => settings(defaults, { PORT: value })).toThrow(`PORT=${JSON.stringify(value)} is not a port number (1-65535)`);
  });
});
