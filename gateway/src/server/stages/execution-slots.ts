/**
 * A bound on the executions in flight in one gateway process. While an execution waits for its
 * subgraphs it holds their parsed answers, the merged result and then the shaped one — about
 * 2-4 MB for a 1,000-row list — so 50 such requests at once passed the 192 MiB heap ceiling and
 * the process died (bench list-1000 at 50 connections: "JavaScript heap out of memory"). Past the
 * bound a request waits its turn (first come, first served) holding only its parsed request;
 * nothing is refused, and on 2 cores a few executions in flight already keep the CPU busy.
 */

/** Executions in flight per process unless configured (`PACTUM_MAX_CONCURRENT_EXECUTIONS`). */
export const DEFAULT_MAX_CONCURRENT_EXECUTIONS = 16;

export class ExecutionSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`execution slots: ${max} is not a positive whole number`);
  }

  /** Executions waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Executions holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Runs `task` in a slot, waiting for one if all are taken; the slot is freed however it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.max) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot goes straight to the next waiter, so `running` counts it throughout.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
