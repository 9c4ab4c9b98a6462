/**
 * Drain: how a gateway leaves without dropping a request. From the moment `drain()` is called
 * readiness says `draining` (503), so a load balancer stops sending; after `delayMs` (the time a
 * load balancer takes to notice, 0 by default) the listener closes, so a new connection is
 * refused; idle keep-alive connections are closed and every response still to be written says
 * `connection: close`, so no client sends a second request down a socket that is going away.
 * Requests in flight run to the end — their audit records included, since a response is
 * written only once its record is durable. What is still running `timeoutMs` after the drain
 * began is cut (its sockets destroyed), and the result says how many.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DRAIN_DEFAULTS, type DrainConfig } from '../config/gateway-config';

/** Drain timing (`PACTUM_DRAIN_TIMEOUT_MS`, `PACTUM_DRAIN_DELAY_MS`, see `DrainConfig`). */
export type DrainOptions = DrainConfig;

export interface DrainResult {
  /** Requests answered while draining. */
  readonly completed: number;
  /** Requests cut at the timeout (0: a clean drain). */
  readonly cut: number;
  /** How long the drain took, in ms. */
  readonly ms: number;
  /** Whether it ended at the timeout (with or without requests to cut) rather than on its own. */
  readonly timedOut: boolean;
}

export interface Drain {
  /** Counts a request in flight until its response is finished or its connection closed. */
  track(req: IncomingMessage, res: ServerResponse): void;
  /** True once {@link drain} was called. */
  readonly draining: boolean;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Drains (see the file comment); a second call returns the first's result. */
  drain(options?: Partial<DrainOptions>): Promise<DrainResult>;
}

/** How long a drain with nothing in flight waits for leftover connections to close by themselves. */
const LEFTOVER_GRACE_MS = 250;

export function createDrain(server: Server, defaults: DrainOptions | undefined = DRAIN_DEFAULTS, onInFlight?: (n: number) => void): Drain {
  const open = new Set<ServerResponse>();
  let draining = false;
  let completedWhileDraining = 0;
  let idle: (() => void) | undefined;
  let result: Promise<DrainResult> | undefined;

  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  /** Resolves once nothing is in flight. */
  function whenIdle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (open.size === 0) return resolve();
      idle = resolve;
    });
  }

  async function run(options: DrainOptions): Promise<DrainResult> {
    const began = Date.now();
    draining = true;
    for (const res of open) closeAfter(res);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
    const after = (ms: number): Promise<'done'> => new Promise((resolve) => setTimeout(() => resolve('done'), ms));

    let outcome = await Promise.race([after(Math.min(options.delayMs, options.timeoutMs)), timedOut]);
    // server.close stops accepting and, since Node 19, closes idle keep-alive sockets; its
    // callback waits for every connection, which the in-flight count and the timeout bound here.
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (outcome === 'done') outcome = await Promise.race([whenIdle().then(() => 'done' as const), timedOut]);
    const completed = completedWhileDraining;
    if (outcome === 'done') {
      // Every response is written; a socket whose response said `connection: close` is ended by
      // Node itself once it is sent. What stays open is idle: closed here. Node can keep counting
      // a connection whose client hung up mid-request for seconds after its socket closed
      // (seen: a fetch aborted while its request waited, and the drain then sat out its whole
      // timeout); with nothing in flight there is nothing to lose, so after a short grace every
      // connection left is closed rather than waited for.
      server.closeIdleConnections();
      outcome = await Promise.race([listenerClosed.then(() => 'done' as const), after(LEFTOVER_GRACE_MS), timedOut]);
      if (outcome === 'done' && open.size === 0) server.closeAllConnections();
      outcome = await Promise.race([listenerClosed.then(() => 'done' as const), timedOut]);
    }
    clearTimeout(timer);
    const cut = outcome === 'timeout' ? open.size : 0;
    if (outcome === 'timeout') server.closeAllConnections();
    await listenerClosed;
    return { completed, cut, ms: Date.now() - began, timedOut: outcome === 'timeout' };
  }

  return {
    track(_req, res) {
      open.add(res);
      onInFlight?.(open.size);
      if (draining) closeAfter(res);
      const done = (): void => {
        if (!open.delete(res)) return;
        onInFlight?.(open.size);
        if (draining) {
          completedWhileDraining++;
          if (open.size === 0) idle?.();
        }
      };
      res.once('finish', done);
      res.once('close', done);
    },
    get draining() {
      return draining;
    },
    get inFlight() {
      return open.size;
    },
    drain(options = {}) {
      result ??= run({ ...defaults, ...options });
      return result;
    },
  };
}
