import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from './stores/sqlite-store';
async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ws-'));
  const store = await openSqliteStore({ file: path.join(dir, 'a.sqlite') });
  console.log('opened');
  const t0 = performance.now();
  const p = store.ping();
  console.log('thread', store.writer.thread?.threadId);
  await p;
  console.log('pinged', performance.now() - t0);
}
main().catch((e) => console.error('ERR', e));
process.on('exit', (c) => console.log('exit', c));
