/**
 * A loopback HTTP proxy in front of a subgraph that holds every POST until the test opens the
 * gate: requests pile up "in flight" for as long as a test needs them to, with no timing guess.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatedProxy {
  readonly url: string;
  /** Requests held at the gate now. */
  readonly waiting: number;
  /** POST requests received in all (held or let through). */
  readonly received: number;
  /** Lets every held and every later request through. */
  open(): void;
  /** Holds every later request (until {@link open}). */
  hold(): void;
  close(): Promise<void>;
}

export async function startGatedProxy(target: string): Promise<GatedProxy> {
  const targetUrl = new URL(target);
  let opened = false;
  let received = 0;
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = (): void => {
        const upstream = http.request({ host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (req.method === 'POST') received += 1;
      if (opened || req.method !== 'POST') forward();
      else held.push(forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    get waiting() {
      return held.length;
    },
    get received() {
      return received;
    },
    hold() {
      opened = false;
    },
    open() {
      opened = true;
      for (const forward of held.splice(0)) forward();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
