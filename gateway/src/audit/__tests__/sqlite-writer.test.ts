/**
 * The SQLite writer thread: appends run off the main thread, so the event loop keeps
 * turning while a batch commits (or waits for the write lock), appends that arrive
 * meanwhile share the next batch, and a writer thread that dies or hangs fails its
 * pending appends with AUDIT_UNAVAILABLE and is replaced on the next append.
 *
 * "Another connection holds the write lock" (BEGIN EXCLUSIVE on a second connection) is
 * the tool that makes these deterministic: while it is held, the writer cannot commit,
 * so the test controls exactly when a batch in flight finishes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { AuditUnavailableError } from '../../errors';
import type { AuditEvent } from '../audit-event';
import { createAuditTrail, type AuditTrail } from '../audit-trail';
import { prepareRecord as prepare } from '../chain/prepare-record';
import type { AuditStore } from '../stores/audit-store';
import { openSqliteStore, type SqliteAuditStore, type SqliteStoreOptions } from '../stores/sqlite-store';
import { releasedEvent } from './support/events';

let dir: string;
let file: string;
const open: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-writer-'));
  file = path.join(dir, 'audit.sqlite');
});

afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  readonly store: SqliteAuditStore;
  readonly trail: AuditTrail;
  /** Records per `appendBatch` call, in order. */
  readonly batches: number[];
  /** Resolves when the next `appendBatch` call has been handed to the writer. */
  nextBatch(): Promise<void>;
  /** A second connection holding the write lock. */
  lock(): { release(): void };
}

async function setup(options: Partial<SqliteStoreOptions> = {}, appendTimeoutMs = 30_000): Promise<Setup> {
  const store = await openSqliteStore({ file, busyTimeoutMs: 10_000, writeTimeoutMs: 30_000, ...options });
  const batches: number[] = [];
  let waiting: Array<() => void> = [];
  // Counts flushes: every group commit reaches the store through appendBatch.
  const appendBatch: AuditStore['appendBatch'] = (chain, records) => {
    batches.push(records.length);
    const result = store.appendBatch(chain, records);
    waiting.splice(0).forEach((f) => f());
    return result;
  };
  const counting = new Proxy(store, {
    get: (target, key) => (key === 'appendBatch' ? appendBatch : Reflect.get(target, key, target)),
  });
  const trail = createAuditTrail(counting, { chain: 'gw-1', appendTimeoutMs });
  open.push(trail);
  return {
    store,
    trail,
    batches,
    nextBatch: () => new Promise<void>((resolve) => (waiting = [...waiting, resolve])),
    lock() {
      const locker = new Database(file);
      locker.exec('BEGIN EXCLUSIVE');
      return {
        release() {
          locker.exec('ROLLBACK');
          locker.close();
        },
      };
    },
  };
}

/** Resolves after `n` turns of the event loop. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Reports whether `promise` has settled, without waiting for it. */
function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

test('while a batch waits on the writer thread, the event loop turns and new appends gather into ONE next batch', async () => {
  const { trail, batches, nextBatch, lock } = await setup();
  await trail.append(releasedEvent(0)); // starts the writer thread
  const held = lock();
  const started = nextBatch();
  const first = trail.append(releasedEvent(1));
  await started;
  const firstSettled = settledFlag(first);
  // 100 callers arriving one event-loop turn apart while batch [1] is stuck on the lock:
  // with the commit on the event loop, none of these turns could run until it ended.
  const later: Array<Promise<unknown>> = [];
  let timerFired = false;
  setTimeout(() => (timerFired = true), 1);
  for (let i = 0; i < 100; i += 1) {
    later.push(trail.append(releasedEvent(10 + i)));
    await turns(1);
  }
  while (!timerFired) await turns(1);
  expect(firstSettled()).toBe(false);
  held.release();
  const receipts = await Promise.all([first, ...later]);
  expect(batches).toEqual([1, 1, 100]);
  expect(receipts.map((r) => (r as { seq: number }).seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 2));
  await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 102 });
});

test('a batch of large records commits on the writer thread while setImmediate keeps firing on the main thread', async () => {
  const { trail, batches } = await setup();
  await trail.append(releasedEvent(0));
  const big = (n: number): AuditEvent => {
    const base = releasedEvent(n);
    const released = Array.from({ length: 100 }, (_, i) => ({ type: 'Seizure', key: `SZ-${n}-${i}`, owner: 'NL-CUSTOMS' }));
    return { ...base, enforcement: { ...(base.enforcement as NonNullable<AuditEvent['enforcement']>), released } };
  };
  const appends = Array.from({ length: 200 }, (_, i) => trail.append(big(i + 1)));
  const done = settledFlag(Promise.all(appends));
  let ticks = 0;
  while (!done()) {
    await turns(1);
    ticks += 1;
  }
  await Promise.all(appends);
  expect(batches).toEqual([1, 200]);
  // 20 000 entity rows and an fsync: the loop turned while they were written.
  expect(ticks).toBeGreaterThan(1);
  const rows = await collectEntities(trail, 150);
  expect(rows).toBe(100);
  await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 201 });
});

async function collectEntities(trail: AuditTrail, n: number): Promise<number> {
  let count = 0;
  for await (const r of trail.query({ entity: { type: 'Seizure', key: `SZ-${n}-0` } })) count += r.event.enforcement?.released.length ?? 0;
  return count;
}

test('the writer thread dies with a batch posted to it: the batch fails with AUDIT_UNAVAILABLE at once, the next append starts a fresh thread', async () => {
  const { store, trail } = await setup();
  await trail.append(releasedEvent(0));
  const old = store.writer.thread;
  expect(old).not.toBeNull();
  // terminate() stops JavaScript in the thread at once, so the batch posted right after
  // is never run: exactly a thread dying with a batch in flight. (Terminating a thread
  // that is inside a failing SQLite call would abort the process: see sqlite-writer.ts.)
  const exited = old?.terminate();
  const pending = store.appendBatch('gw-1', [prepare(releasedEvent(1))]);
  await expect(pending).rejects.toBeInstanceOf(AuditUnavailableError);
  await expect(pending).rejects.toMatchObject({ reason: 'store_unavailable', message: expect.stringMatching(/audit writer thread stopped/) });
  await exited;
  const next = await trail.append(releasedEvent(2));
  expect(store.writer.thread).not.toBeNull();
  expect(store.writer.thread).not.toBe(old);
  expect(next.seq).toBe(2);
  await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
});

test('the writer thread dies while idle: the next append starts a fresh thread and continues the chain', async () => {
  const { store, trail } = await setup();
  await trail.append(releasedEvent(0));
  const old = store.writer.thread;
  await old?.terminate();
  expect(store.writer.thread).toBeNull();
  expect((await trail.append(releasedEvent(1))).seq).toBe(2);
  expect(store.writer.thread).not.toBe(old);
});

test('a writer thread that does not answer within the deadline fails its appends with AUDIT_UNAVAILABLE (timeout) and is replaced', async () => {
  // The writer would wait up to 5 s for the lock; its deadline is 1.5 s; the trail's own is longer.
  const { store, trail, lock } = await setup({ busyTimeoutMs: 5000, writeTimeoutMs: 1500 }, 30_000);
  await trail.append(releasedEvent(0));
  const old = store.writer.thread;
  const held = lock();
  await expect(trail.append(releasedEvent(1))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'timeout', message: expect.stringMatching(/audit writer .* did not answer within 1500 ms/) });
  expect(store.writer.thread).toBeNull();
  const retired = new Promise((resolve) => old?.once('exit', resolve));
  held.release();
  const next = await trail.append(releasedEvent(2));
  expect(store.writer.thread).not.toBe(old);
  // The retired thread finishes its batch and ends by itself. Whether that late batch got
  // the lock before or after the new thread's, the chain stays whole (a record the caller
  // was told 503 about may still be committed: an audited refusal, never the reverse).
  await retired;
  expect([2, 3]).toContain(next.seq);
  const report = await trail.verify();
  expect(report).toMatchObject({ ok: true });
  expect([2, 3]).toContain(report.checked);
});

test('close flushes what is queued, stops the writer thread, and later appends are refused', async () => {
  const { store, trail } = await setup();
  const appends = Array.from({ length: 20 }, (_, i) => trail.append(releasedEvent(i)));
  await turns(1);
  const thread = store.writer.thread;
  const exited = new Promise((resolve) => thread?.once('exit', resolve));
  await trail.close();
  expect((await Promise.all(appends)).map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  await exited;
  expect(store.writer.thread).toBeNull();
  await expect(trail.append(releasedEvent(30))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'closed' });
  const reopened = await openSqliteStore({ file });
  open.push(reopened);
  expect(await reopened.heads()).toEqual([expect.objectContaining({ chain: 'gw-1', seq: 20 })]);
});

test('reads never start the writer thread', async () => {
  const { store, trail } = await setup();
  await trail.verify();
  await trail.stats({});
  expect(store.writer.thread).toBeNull();
});

test('under node --import tsx (the runtime, not Jest): the writer thread loads, appends, and close() returns before the process ends', async () => {
  const child = path.join(__dirname, 'fixtures', 'append-then-close.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, file, '25'], { cwd: path.resolve(__dirname, '../../../..') });
  expect(stdout).toBe('closed 25\n');
  const reopened = await openSqliteStore({ file });
  open.push(reopened);
  expect(await reopened.heads()).toEqual([expect.objectContaining({ chain: 'child', seq: 25 })]);
});

describe('inline commits (the gateway idle but for the request being audited)', () => {
  test('a lone record is committed on the calling thread: no writer thread is started, and the chain verifies', async () => {
    const { store, trail } = await setup();
    trail.inlineWhen(() => true);
    const first = await trail.append(releasedEvent(1));
    const second = await trail.append(releasedEvent(2));
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(store.writer.thread).toBeNull();
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  test('not idle: the writer thread commits', async () => {
    const { store, trail } = await setup();
    trail.inlineWhen(() => false);
    await trail.append(releasedEvent(1));
    expect(store.writer.thread).not.toBeNull();
  });

  test('idle, but another connection holds the write lock: nothing waits on the event loop, the thread waits for the lock and commits', async () => {
    const { store, trail, lock } = await setup();
    trail.inlineWhen(() => true);
    const held = lock();
    const appended = trail.append(releasedEvent(1));
    const settled = settledFlag(appended);
    await turns(20); // the loop turns: the inline attempt gave up at once instead of waiting for the lock
    expect(settled()).toBe(false);
    expect(store.writer.thread).not.toBeNull();
    held.release();
    expect((await appended).seq).toBe(1);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  test('idle, but a batch is still in the thread’s hands: the next lone record goes to the thread too, after it, in chain order', async () => {
    const { trail, lock, nextBatch } = await setup();
    let idle = false;
    trail.inlineWhen(() => idle);
    await trail.append(releasedEvent(0)); // starts the writer thread
    const held = lock();
    const started = nextBatch();
    const first = trail.append(releasedEvent(1));
    await started; // [1] is on the thread, stuck on the lock
    idle = true;
    const second = trail.append(releasedEvent(2));
    await turns(10);
    held.release();
    expect([(await first).seq, (await second).seq]).toEqual([2, 3]);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 3 });
  });
});
