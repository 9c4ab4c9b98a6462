/**
 * A bound on the executions in flight in one gateway process. While an execution waits for its
 * subgraphs it holds their parsed answers, the merged result and then the shaped one — about
 * 2-4 MB for a 1,000-row list — so 50 such requests at once passed the 192 MiB heap ceiling and
 * the process died (bench list-1000 at 50 connections: "JavaScript heap out of memory"). Past the
 * bound a request waits its turn (first come, first served) holding only its parsed request; on
 * 2 cores a few executions in flight already keep the CPU busy. The wait is bounded too: past
 * `maxQueued` waiting requests a flood would only grow memory and every waiter's latency, so the
 * next one is refused at once, 503 `GATEWAY_BUSY` with `retry-after` — before any subgraph is
 * asked, so nothing is released.
 */
import { PactumError, WIRE_STATUS } from '../../errors';

/** Executions in flight per process unless configured (`PACTUM_MAX_CONCURRENT_EXECUTIONS`). */
export const DEFAULT_MAX_CONCURRENT_EXECUTIONS = 16;

/** Executions that may wait for a slot unless configured (`PACTUM_MAX_QUEUED_EXECUTIONS`). */
export const DEFAULT_MAX_QUEUED_EXECUTIONS = 512;

/** Every slot taken and the queue full: 503 with `retry-after`. */
export class GatewayBusyError extends PactumError {
  readonly code = 'GATEWAY_BUSY';
  readonly httpStatus = WIRE_STATUS.GATEWAY_BUSY;
  readonly retryAfterSeconds = 1;

  constructor(queued: number) {
    super('execution_queue_full', `the gateway is at capacity (${queued} requests already waiting for an execution slot); retry shortly`);
  }
}

/**
 * The client of a request that waited for a slot went away meanwhile: its execution is skipped,
 * so a client that sends and abandons requests cannot make the gateway do the work anyway, and the
 * slot goes to the next waiter. Nobody reads the answer; the audit record says why nothing ran.
 */
export class ClientGoneError extends PactumError {
  readonly code = 'GATEWAY_BUSY';
  readonly httpStatus = WIRE_STATUS.GATEWAY_BUSY;

  constructor() {
    super('client_gone_while_queued', 'the client closed the connection while its request waited for an execution slot; nothing was run');
  }
}

export class ExecutionSlots {
  private running = 0;
  // A queue as an array and a head index: dequeuing is O(1); the array is compacted when half is spent.
  private waiting: Array<() => void> = [];
  private head = 0;

  constructor(
    readonly max: number,
    readonly maxQueued: number = DEFAULT_MAX_QUEUED_EXECUTIONS,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`execution slots: ${max} is not a positive whole number`);
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError(`execution slots: ${maxQueued} waiting is not a whole number`);
  }

  /** Executions waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Executions holding a slot. */
  get active(): number {
    return this.running;
  }

  /**
   * Runs `task` in a slot, waiting for one if all are taken; the slot is freed however it ends.
   * Throws `GatewayBusyError` (the task never runs) when `maxQueued` requests already wait, and
   * `ClientGoneError` (the task never runs either) when it had to wait and `abandoned` says, once
   * its turn came, that nobody waits for the answer any more.
   */
  async run<T>(task: () => Promise<T>, abandoned?: () => boolean): Promise<T> {
    let waited = false;
    if (this.running < this.max) this.running++;
    else if (this.queued >= this.maxQueued) throw new GatewayBusyError(this.queued);
    else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      waited = true;
    }
    try {
      if (waited && abandoned?.()) throw new ClientGoneError();
      return await task();
    } finally {
      // The slot goes straight to the next waiter, so `running` counts it throughout.
      const next = this.next();
      if (next) next();
      else this.running--;
    }
  }

  private next(): (() => void) | undefined {
    if (this.head === this.waiting.length) return undefined;
    const next = this.waiting[this.head];
    this.head += 1;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return next;
  }
}
