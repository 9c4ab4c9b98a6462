/**
 * One measured window: autocannon drives a gateway with one workload at one concurrency for a
 * fixed time while the gateway's process tree is sampled from /proc. Everything that went
 * wrong (non-2xx, socket errors, timeouts, GraphQL errors that the workload does not expect)
 * is counted and returned, never dropped.
 */
import autocannon from 'autocannon';
import { cpuMillisOfTree, startProcessSampler } from './proc-sampler';

/** An HTTP request the load generator repeats. */
export interface LoadRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * `authorization` values the requests take in turn, one per request across all connections
   * (many principals); absent: `headers` as they are.
   */
  readonly authorizations?: readonly string[];
  /**
   * Where the turn of `authorizations` stands, shared by every window that sends this request, so
   * the principals keep taking turns across windows (as users would) instead of each window
   * starting again with the first few. Absent: each window starts at the first.
   */
  readonly cursor?: { next: number };
}

export interface LoadRunOptions {
  readonly request: LoadRequest;
  readonly connections: number;
  readonly durationSec: number;
  /** Stop after this many requests instead (autocannon's `amount`; `durationSec` is then ignored). */
  readonly amount?: number;
  /** Gateway process to charge CPU and memory to; omit for a warm-up. */
  readonly pid?: number;
  /** Per-request timeout in seconds (autocannon's default is 10). */
  readonly timeoutSec?: number;
  /**
   * The subgraph processes every variant shares: their CPU in the window is charged to the
   * requests too (`subgraphCpuMsPerRequest`), since what a gateway asks them for costs the machine.
   */
  readonly subgraphPids?: readonly number[];
}

/** The figures of one window. */
export interface LoadRunResult {
  readonly connections: number;
  readonly durationSec: number;
  /** Completed responses (any status). */
  readonly requests: number;
  readonly requestsPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly non2xx: number;
  /** Socket-level errors (refused, reset, hang up). */
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx responses whose body carries a GraphQL `errors` array. */
  readonly graphqlErrorResponses: number;
  /** Smallest and largest response body, in bytes: a change within a run means the answers changed. */
  readonly bodyBytes: { readonly min: number; readonly max: number };
  /** Gateway CPU (user + system) over the window, ms; undefined without a pid. */
  readonly gatewayCpuMs?: number;
  /** Gateway CPU per completed request, ms. */
  readonly gatewayCpuMsPerRequest?: number;
  /** Of that, the gateway's main thread (event loop); the rest is GC, libuv and worker threads. */
  readonly gatewayMainThreadCpuMsPerRequest?: number;
  /**
   * The subgraphs' CPU in the window / completed requests: what this gateway's subgraph calls cost
   * them (on this machine they share the cores with the gateway and the load generator).
   */
  readonly subgraphCpuMsPerRequest?: number;
  /** Highest gateway RSS sampled in the window, bytes. */
  readonly gatewayPeakRssBytes?: number;
  /** The gateway's lifetime peak RSS (VmHWM) at the end of the window, bytes. */
  readonly gatewayLifetimePeakRssBytes?: number;
}

/** A `setupRequest` that gives each request the next authorization in turn. */
function rotation(request: LoadRequest): { setupRequest?: (req: autocannon.Request) => autocannon.Request } {
  const values = request.authorizations;
  if (values === undefined || values.length === 0) return {};
  const cursor = request.cursor ?? { next: 0 };
  return {
    setupRequest: (req) => {
      const authorization = values[cursor.next % values.length] as string;
      cursor.next = (cursor.next + 1) % values.length;
      return { ...req, headers: { ...req.headers, authorization } };
    },
  };
}

/**
 * Warms a gateway up before a window: `seconds` of load, then, for a request that cycles many
 * principals, one full turn of all of them. Without that turn a window would measure whichever
 * principals the gateway last saw longest ago (other variants run in between), that is a cold
 * start of every principal; with it the window measures the steady state of that many users
 * taking turns at this rate, which is what caches sized for them are for.
 */
export async function warmUp(request: LoadRequest, connections: number, seconds: number): Promise<void> {
  await runLoad({ request, connections, durationSec: seconds });
  const turn = request.authorizations?.length ?? 0;
  if (turn > 1) await runLoad({ request, connections, durationSec: seconds, amount: turn });
}

/** Drives one window; resolves when autocannon has finished. */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const { request, connections, durationSec } = options;
  if (!Number.isInteger(connections) || connections < 1) throw new RangeError(`connections must be a positive integer, got ${connections}`);
  if (!(durationSec > 0)) throw new RangeError(`durationSec must be positive, got ${durationSec}`);
  if (options.amount !== undefined && !(Number.isInteger(options.amount) && options.amount > 0)) throw new RangeError(`amount must be a positive integer, got ${options.amount}`);

  let graphqlErrorResponses = 0;
  let minBody = Number.POSITIVE_INFINITY;
  let maxBody = 0;
  const onResponse = (status: number, body: string): void => {
    const length = Buffer.byteLength(body);
    if (length < minBody) minBody = length;
    if (length > maxBody) maxBody = length;
    // A substring test, not a parse: the load generator shares the CPUs with the gateway.
    if (status >= 200 && status < 300 && body.includes('"errors":[')) graphqlErrorResponses += 1;
  };

  const sampler = options.pid !== undefined ? startProcessSampler(options.pid) : undefined;
  const subgraphCpu = (): number => (options.subgraphPids ?? []).reduce((sum, pid) => sum + cpuMillisOfTree(pid), 0);
  const subgraphsBefore = options.subgraphPids ? subgraphCpu() : 0;
  const result = await autocannon({
    url: request.url,
    connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: durationSec }),
    timeout: options.timeoutSec ?? 10,
    requests: [{ method: 'POST', headers: { ...request.headers }, body: request.body, onResponse, ...rotation(request) }],
  });
  const sample = sampler?.stop();
  const subgraphsMs = options.subgraphPids ? subgraphCpu() - subgraphsBefore : undefined;

  const requests = result.requests.total;
  return {
    connections,
    durationSec: result.duration,
    requests,
    requestsPerSec: result.duration > 0 ? requests / result.duration : 0,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    graphqlErrorResponses,
    bodyBytes: { min: Number.isFinite(minBody) ? minBody : 0, max: maxBody },
    ...(sample
      ? {
          gatewayCpuMs: sample.cpuMs,
          gatewayCpuMsPerRequest: requests > 0 ? sample.cpuMs / requests : Number.NaN,
          gatewayMainThreadCpuMsPerRequest: requests > 0 ? sample.mainThreadCpuMs / requests : Number.NaN,
          ...(subgraphsMs !== undefined ? { subgraphCpuMsPerRequest: requests > 0 ? subgraphsMs / requests : Number.NaN } : {}),
          gatewayPeakRssBytes: sample.peakRssBytes,
          gatewayLifetimePeakRssBytes: sample.lifetimePeakRssBytes,
        }
      : {}),
  };
}
