/**
 * Runs verify's seq ranges on worker threads (`verify-worker.ts`), one thread per range, each
 * with its own connection to the store: the checks are CPU work (reading the rows and three
 * sha256 for a sealed record; unpacking, parsing and re-deriving an older one, or any with
 * `deep`) that one event loop does at a few tens of thousands of records a second. A worker that
 * fails or dies rejects its range, and with it the verification: nothing is reported as checked
 * that was not.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StoreLocation } from '../stores/audit-store';
import type { ParallelVerify, RangeResult, VerifyRange } from './verify-chain';
import type { VerifyWorkerData, VerifyWorkerReply } from './verify-worker';

const ENTRY = path.join(__dirname, 'verify-worker-entry.js');

/** A verify worker's young generation, MiB (V8 counts three semi-spaces' worth: 32 MiB each). */
const VERIFY_YOUNG_GENERATION_MB = 96;

/** Default threads: the machine's, at most 4. */
export function defaultVerifyWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Worker threads checking ranges of at least `minRecords` records of the store at `store`. */
export function parallelVerifier(store: StoreLocation, workers: number, minRecords: number): ParallelVerify {
  return {
    workers,
    minRecords,
    used: 0,
    run: (range) => runRange({ store, range }),
  };
}

function runRange(data: VerifyWorkerData): Promise<RangeResult> {
  return new Promise<RangeResult>((resolve, reject) => {
    // execArgv cleared: the entry loads its TypeScript through tsx's own API (see the entry).
    // A young generation twice V8's default (semi-spaces of 32 MiB, not 16): a page of records
    // and what is made from it stay live while the page is checked, and with the default much of
    // it is promoted and left to the old generation's collector. One thread, 200k records,
    // --max-semi-space-size, alternating runs: 27.1-28.8 µs CPU a record at 16 MiB (173
    // scavenges, 9 mark-compacts), 24.9-25.8 at 32 MiB (93, 2), no better at 64. It costs up to
    // 32 MiB more RSS per worker while verify runs.
    const worker = new Worker(ENTRY, { workerData: data, execArgv: [], name: 'pactum-audit-verify', resourceLimits: { maxYoungGenerationSizeMb: VERIFY_YOUNG_GENERATION_MB } });
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.once('message', (reply: VerifyWorkerReply) =>
      done(() => (reply.ok ? resolve(reply.result) : reject(new Error(`verify worker for ${data.range.chain} ${data.range.afterSeq + 1}..${data.range.untilSeq}: ${reply.message}`)))),
    );
    worker.once('error', (error) => done(() => reject(error)));
    worker.once('exit', (code) => done(() => reject(new Error(`verify worker for ${data.range.chain} stopped (exit code ${code}) before answering`))));
  });
}

export type { VerifyRange };
