import { ClientGoneError, ExecutionSlots, GatewayBusyError } from '../execution-slots';

/** A task that runs until its gate is opened. */
function gated<T>(value: T): { task: () => Promise<T>; started: () => boolean; open: () => void; fail: (e: Error) => void } {
  let started = false;
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    task: () => {
      started = true;
      return promise;
    },
    started: () => started,
    open: () => resolve(value),
    fail: (e) => reject(e),
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('ExecutionSlots', () => {
  it('runs at most `max` tasks at once; the others start in arrival order as slots free up', async () => {
    const slots = new ExecutionSlots(2);
    const tasks = [gated('a'), gated('b'), gated('c'), gated('d')];
    const results = tasks.map((t) => slots.run(t.task));
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, false, false]);
    expect([slots.active, slots.queued]).toEqual([2, 2]);
    tasks[1]?.open();
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, true, false]);
    expect([slots.active, slots.queued]).toEqual([2, 1]);
    tasks[0]?.open();
    tasks[2]?.open();
    await tick();
    expect(tasks[3]?.started()).toBe(true);
    tasks[3]?.open();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('skips a waiter whose client went away, without running it, and passes the slot on', async () => {
    const slots = new ExecutionSlots(1);
    const first = gated('a');
    const gone = gated('b');
    const third = gated('c');
    let asked = 0;
    const a = slots.run(first.task, () => true); // got a slot at once: never asked
    const b = slots.run(gone.task, () => (asked += 1) > 0);
    const c = slots.run(third.task, () => false);
    await tick();
    first.open();
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toBeInstanceOf(ClientGoneError);
    expect(gone.started()).toBe(false);
    expect(asked).toBe(1);
    await tick();
    expect(third.started()).toBe(true);
    third.open();
    await expect(c).resolves.toBe('c');
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails, and passes its error on', async () => {
    const slots = new ExecutionSlots(1);
    const first = gated('x');
    const second = gated('y');
    const a = slots.run(first.task);
    const b = slots.run(second.task);
    await tick();
    expect(second.started()).toBe(false);
    first.fail(new Error('subgraph down'));
    await expect(a).rejects.toThrow('subgraph down');
    await tick();
    expect(second.started()).toBe(true);
    second.open();
    await expect(b).resolves.toBe('y');
    expect(slots.active).toBe(0);
  });

  it('refuses a bound that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new ExecutionSlots(bad)).toThrow(RangeError);
  });

  it('refuses past `maxQueued` waiting tasks at once (GatewayBusyError, the task never runs); the waiting ones still run', async () => {
    const slots = new ExecutionSlots(1, 2);
    const tasks = [gated('a'), gated('b'), gated('c')];
    const results = tasks.map((t) => slots.run(t.task));
    const refused = gated('d');
    await expect(slots.run(refused.task)).rejects.toMatchObject({ code: 'GATEWAY_BUSY', reason: 'execution_queue_full', httpStatus: 503, retryAfterSeconds: 1 });
    expect(refused.started()).toBe(false);
    expect([slots.active, slots.queued]).toEqual([1, 2]);
    for (const t of tasks) {
      t.open();
      await tick();
    }
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
    // With no queue at all, a second task is refused while the first runs.
    const none = new ExecutionSlots(1, 0);
    const only = gated('x');
    const running = none.run(only.task);
    await expect(none.run(gated('y').task)).rejects.toBeInstanceOf(GatewayBusyError);
    only.open();
    await expect(running).resolves.toBe('x');
  });

  it('keeps arrival order across thousands of waiters (the queue is compacted as it is consumed)', async () => {
    const slots = new ExecutionSlots(3, 10_000);
    const order: number[] = [];
    const all = Array.from({ length: 5000 }, (_, i) =>
      slots.run(async () => {
        order.push(i);
        await tick();
      }),
    );
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });
});
