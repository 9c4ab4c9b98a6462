// Entry of a verify worker thread (see verify-workers.ts). Plain JavaScript for the same reason
// as stores/sqlite-writer-entry.js: a worker gets neither `--import tsx` nor Jest's transform, so
// from the sources tsx's namespaced CommonJS API compiles the TypeScript side for this thread;
// built, the compiled verify-worker.js beside this file is loaded with plain require.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

const compiled = path.join(__dirname, 'verify-worker.js');
const { serveVerifyRange } = existsSync(compiled)
  ? require(compiled)
  : require('tsx/cjs/api').register({ namespace: 'pactum-audit-verify' }).require('./verify-worker.ts', __filename);
serveVerifyRange(parentPort, workerData);
