/**
 * A loopback HTTP proxy in front of a subgraph that keeps every GraphQL document the gateway
 * sent it, so tests can show what a subgraph was asked — and what it never was.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly query: string;
  readonly variables: unknown;
  readonly authorization: string | undefined;
  /** The `x-request-id` the gateway sent with the call. */
  readonly requestId: string | undefined;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const targetUrl = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as { query?: string; variables?: unknown };
          requests.push({ query: parsed.query ?? '', variables: parsed.variables, authorization: req.headers.authorization, requestId: header(req.headers['x-request-id']) });
        } catch {
          // not JSON: forwarded as is, the subgraph answers it
        }
      }
      const upstream = http.request(
        { host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
