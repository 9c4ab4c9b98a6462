/** The local Redis for rate-limit tests: its URL, a check that it is up, and unique key prefixes. */
import net from 'node:net';
import Redis from 'ioredis';

export const TEST_REDIS_URL = process.env.PACTUM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Fails with what to do when the test Redis does not answer. */
export async function assertRedisReachable(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('no PONG');
  } catch (err) {
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL} (${(err as Error).message}): start it (redis-server) or set PACTUM_TEST_REDIS_URL`);
  } finally {
    client.disconnect();
  }
}

/** A key prefix no other test (or worktree) uses. */
export function uniquePrefix(name: string): string {
  return `pactum-test:${name}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}

/** Deletes every key under `prefix`. */
export async function dropKeys(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0 });
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}

/** Redis's host and port from {@link TEST_REDIS_URL}. */
export function redisAddress(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/**
 * A TCP proxy in front of Redis that a test can cut (connections reset, new ones refused) and
 * freeze (connections stay open, nothing passes: a stalled Redis), then restore.
 */
export class RedisFaultProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private frozen = false;
  private held: [net.Socket, Buffer][] = [];
  port = 0;

  private pass(to: net.Socket, data: Buffer): void {
    if (this.frozen) this.held.push([to, data]);
    else to.write(data);
  }

  async start(): Promise<string> {
    const { host, port } = redisAddress();
    const server = net.createServer((client) => {
      const upstream = net.connect(port, host);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.on('data', (d: Buffer) => this.pass(upstream, d));
      upstream.on('data', (d: Buffer) => this.pass(client, d));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Resets every connection and stops listening (the port stays reserved for `start`). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    this.held = [];
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps connections open but passes nothing, either way: a stalled Redis. */
  freeze(): void {
    this.frozen = true;
  }

  /** Delivers what was held, in order, and passes again. */
  thaw(): void {
    this.frozen = false;
    const held = this.held;
    this.held = [];
    for (const [to, data] of held) if (!to.destroyed) to.write(data);
  }
}
