/** A measured window with plausible figures, for the tests of the bench's summary and target. */
import type { MeasuredRun } from '../bench-results';
import type { VariantName } from '../gateway-variants';

export function measuredRun(variant: VariantName, over: Partial<MeasuredRun> = {}): MeasuredRun {
  return {
    round: 1,
    workload: 'lookup',
    variant,
    connections: 10,
    durationSec: 10,
    requests: 1000,
    requestsPerSec: 100,
    latencyMs: { p50: 10, p90: 15, p99: 20, max: 30, mean: 11 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    graphqlErrorResponses: 0,
    bodyBytes: { min: 98, max: 98 },
    gatewayCpuMs: 2000,
    gatewayCpuMsPerRequest: 2,
    gatewayMainThreadCpuMsPerRequest: 1.5,
    subgraphCpuMsPerRequest: 3,
    gatewayPeakRssBytes: 200 * 1024 * 1024,
    ...over,
  };
}
