// Entry of the SQLite writer thread (see sqlite-writer.ts). Plain JavaScript because a
// worker thread gets neither the `--import tsx` loader of `node` (execArgv is cleared
// on purpose) nor Jest's transform: tsx's namespaced CommonJS API compiles the
// TypeScript side for this thread only, the same way under `node --import tsx` and Jest.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { register } = require('tsx/cjs/api');

const api = register({ namespace: 'pactum-audit-writer' });
const { serveSqliteWriter } = api.require('./sqlite-writer-thread.ts', __filename);
serveSqliteWriter(parentPort, workerData);
