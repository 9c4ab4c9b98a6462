#!/usr/bin/env node
// The `pactum` command as installed (`npx pactum …`, the container's PATH).
//
// In production (NODE_ENV=production), or wherever the TypeScript sources are not shipped (the
// container image), it runs the built JavaScript of `npm run build` with plain node. In a
// development checkout it runs the sources through tsx, so it never runs a stale build.
// tsx's CommonJS hook alone (`require('tsx/cjs')`) cannot resolve the CLI's dynamic
// `import('./commands/…')`, which Node hands to its ESM loader: importing `tsx` registers both
// hooks, exactly as `node --import tsx` does.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'cli', 'pactum.js');
const source = path.join(__dirname, '..', 'src', 'cli', 'pactum.ts');

if (process.env.NODE_ENV === 'production' || !existsSync(source)) {
  if (!existsSync(built)) {
    process.stderr.write(`pactum: ${built} does not exist; run \`npm run build\` first\n`);
    process.exit(1);
  }
  require(built);
} else {
  import('tsx').then(
    () => require(source),
    (err) => {
      process.stderr.write(`pactum: cannot load tsx to run the sources: ${err.message}\n`);
      process.exit(1);
    },
  );
}
