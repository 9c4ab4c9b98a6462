/**
 * What runs inside a verify worker thread: opens the store on its own connection, checks one
 * seq range of a chain (`verifyRange`), answers with the result (plain data) and closes. A
 * failure is answered as a message, never thrown across the thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { StoreLocation } from '../stores/audit-store';
import { openPostgresStore } from '../stores/postgres-store';
import { openSqliteStore } from '../stores/sqlite-store';
import { verifyRange, type RangeResult, type VerifyRange } from './verify-chain';

/** `workerData` of a verify worker. */
export interface VerifyWorkerData {
  readonly store: StoreLocation;
  readonly range: VerifyRange;
}

/** The worker's one message. */
export type VerifyWorkerReply = { readonly ok: true; readonly result: RangeResult } | { readonly ok: false; readonly message: string };

/** Checks `data.range` and posts the reply on `port`. */
export function serveVerifyRange(port: MessagePort, data: VerifyWorkerData): void {
  void (async () => {
    let reply: VerifyWorkerReply;
    const s = data.store;
    try {
      const store =
        s.kind === 'sqlite'
          ? await openSqliteStore({ file: s.file, busyTimeoutMs: s.busyTimeoutMs })
          : await openPostgresStore({ url: s.url, schema: s.schema, connectTimeoutMs: s.connectTimeoutMs, queryTimeoutMs: s.queryTimeoutMs, poolSize: 1, applicationName: 'pactum-audit verify' });
      try {
        reply = { ok: true, result: await verifyRange(store, data.range) };
      } finally {
        await store.close();
      }
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    port.close();
  })();
}
