/**
 * Component micro-benchmarks: the pieces of a Pactum request on their own. Filled in as the
 * areas' exported functions land.
 */
import type { BenchLog } from './run-gateway-bench';

export interface ComponentResult {
  readonly name: string;
  readonly opsPerSec?: number;
  readonly microsPerOp?: number;
  readonly error?: string;
}

export async function runComponentBench(log: BenchLog): Promise<ComponentResult[]> {
  log('components: not yet wired');
  return [];
}

export function formatComponents(results: readonly ComponentResult[]): string {
  return results.map((r) => `${r.name}: ${r.microsPerOp ?? '-'} µs/op`).join('\n');
}
