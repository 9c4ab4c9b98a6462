/**
 * The load generator's turn of principals: one authorization per request in order, carried from
 * window to window by a shared cursor, and a warm-up that ends with one full turn.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad, warmUp, type LoadRequest } from '../load-run';

let server: http.Server;
let seen: string[] = [];
let url = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    req.resume();
    req.on('end', () => res.end('{"data":{}}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const tokens = ['Bearer a', 'Bearer b', 'Bearer c', 'Bearer d', 'Bearer e'];
const request = (cursor?: { next: number }): LoadRequest => ({ url, headers: { 'content-type': 'application/json' }, body: '{}', authorizations: tokens, ...(cursor ? { cursor } : {}) });

test('each request takes the next authorization, and the next window goes on where the last stopped', async () => {
  const cursor = { next: 0 };
  await runLoad({ request: request(cursor), connections: 1, durationSec: 1, amount: 3 });
  await runLoad({ request: request(cursor), connections: 1, durationSec: 1, amount: 4 });
  expect(seen).toEqual(['Bearer a', 'Bearer b', 'Bearer c', 'Bearer d', 'Bearer e', 'Bearer a', 'Bearer b']);
  expect(cursor.next).toBe(2);
});

test('without a cursor every window starts at the first', async () => {
  await runLoad({ request: request(), connections: 1, durationSec: 1, amount: 2 });
  await runLoad({ request: request(), connections: 1, durationSec: 1, amount: 2 });
  expect(seen).toEqual(['Bearer a', 'Bearer b', 'Bearer a', 'Bearer b']);
});

test('a warm-up ends with one full turn of the principals', async () => {
  const cursor = { next: 0 };
  await warmUp(request(cursor), 2, 0.2);
  const turn = seen.slice(-tokens.length);
  expect([...turn].sort()).toEqual([...tokens].sort());
});

test('a count of requests that is not a positive integer is refused', async () => {
  await expect(runLoad({ request: request(), connections: 1, durationSec: 1, amount: 0 })).rejects.toThrow(RangeError);
});
