// Entry of the SQLite writer thread (see sqlite-writer.ts). Plain JavaScript because a
// worker thread gets neither the `--import tsx` loader of `node` (execArgv is cleared
// on purpose) nor Jest's transform. Built (`npm run build` copies this file into dist/
// beside the compiled sqlite-writer-thread.js) it loads that JavaScript with plain
// require; from the sources, tsx's namespaced CommonJS API compiles the TypeScript side
// for this thread only, the same way under `node --import tsx` and Jest.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

const compiled = path.join(__dirname, 'sqlite-writer-thread.js');
const { serveSqliteWriter } = existsSync(compiled)
  ? require(compiled)
  : require('tsx/cjs/api').register({ namespace: 'pactum-audit-writer' }).require('./sqlite-writer-thread.ts', __filename);
serveSqliteWriter(parentPort, workerData);
