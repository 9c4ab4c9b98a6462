/**
 * The drain on a plain node:http server: requests in flight finish, keep-alive clients are told
 * `connection: close`, new connections are refused once the delay is over, and past the timeout
 * what is left is cut and counted. Requests are held by the test (no timing guesses).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createDrain, type Drain } from '../drain';

interface Harness {
  server: http.Server;
  drain: Drain;
  port: number;
  /** Releases every held /slow request. */
  release(): void;
  held(): number;
}

async function harness(options = { timeoutMs: 10_000, delayMs: 0 }): Promise<Harness> {
  const waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    drain.track(req, res);
    if (req.url === '/slow') waiting.push(() => res.end('done'));
    else res.end('fast');
  });
  const drain = createDrain(server, options);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, drain, port: (server.address() as AddressInfo).port, release: () => waiting.splice(0).forEach((f) => f()), held: () => waiting.length };
}

function get(port: number, path: string, agent?: http.Agent): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
  });
}

function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(undefined);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

test('requests in flight finish, each told connection: close; new connections are refused; nothing cut', async () => {
  const h = await harness();
  const agent = new http.Agent({ keepAlive: true });
  // An idle keep-alive connection, opened before the drain.
  expect((await get(h.port, '/fast', agent)).connection).toBe('keep-alive');
  const slow = [get(h.port, '/slow'), get(h.port, '/slow'), get(h.port, '/slow', agent)];
  await until(() => h.held() === 3);
  expect(h.drain.inFlight).toBe(3);
  const drained = h.drain.drain();
  expect(h.drain.draining).toBe(true);
  await until(() => !h.server.listening);
  expect(await connectError(h.port)).toBe('ECONNREFUSED');
  h.release();
  const answers = await Promise.all(slow);
  expect(answers.map((a) => [a.status, a.body, a.connection])).toEqual(Array(3).fill([200, 'done', 'close']));
  expect(await drained).toMatchObject({ completed: 3, cut: 0 });
  // A second call is the same drain.
  expect(await h.drain.drain()).toMatchObject({ completed: 3, cut: 0 });
  agent.destroy();
});

test('during the delay the listener stays open and every answer says connection: close', async () => {
  const h = await harness({ timeoutMs: 10_000, delayMs: 300 });
  const drained = h.drain.drain();
  const during = await get(h.port, '/fast');
  expect(during).toMatchObject({ status: 200, connection: 'close' });
  expect(await drained).toMatchObject({ cut: 0, completed: 1 });
  expect(await connectError(h.port)).toBe('ECONNREFUSED');
});

test('a request that arrives during the delay and is still running when it ends is waited for, not cut', async () => {
  const h = await harness({ timeoutMs: 10_000, delayMs: 100 });
  const drained = h.drain.drain();
  const late = get(h.port, '/slow');
  await until(() => h.held() === 1);
  await new Promise((r) => setTimeout(r, 150)); // past the delay, still held
  h.release();
  expect((await late).body).toBe('done');
  expect(await drained).toMatchObject({ cut: 0, completed: 1 });
});

test('past the timeout what is still in flight is cut, and counted', async () => {
  const h = await harness({ timeoutMs: 200, delayMs: 0 });
  const slow = [get(h.port, '/slow'), get(h.port, '/slow')].map((p) => p.then(() => 'answered', () => 'cut'));
  await until(() => h.held() === 2);
  const result = await h.drain.drain();
  expect(result).toMatchObject({ cut: 2, completed: 0, timedOut: true });
  expect(await Promise.all(slow)).toEqual(['cut', 'cut']);
  await until(() => h.drain.inFlight === 0); // the cut responses' close events
});

test('an idle server drains at once', async () => {
  const h = await harness();
  expect(await h.drain.drain()).toMatchObject({ cut: 0, completed: 0, timedOut: false });
  expect(h.server.listening).toBe(false);
});

test('a client that hung up mid-request does not hold the drain to its timeout', async () => {
  const h = await harness({ timeoutMs: 20_000, delayMs: 0 });
  const aborted = new AbortController();
  const gone = fetch(`http://127.0.0.1:${h.port}/slow`, { signal: aborted.signal }).catch((e: unknown) => e);
  await until(() => h.held() === 1);
  aborted.abort();
  expect(await gone).toMatchObject({ name: 'AbortError' });
  h.release(); // its answer goes to a closed socket
  await until(() => h.drain.inFlight === 0);
  const result = await h.drain.drain();
  expect(result).toMatchObject({ cut: 0, timedOut: false });
  expect(h.server.listening).toBe(false);
});
