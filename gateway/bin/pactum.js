#!/usr/bin/env node
// The `pactum` command: TypeScript sources run through tsx, so there is no build to go stale.
require('tsx/cjs');
require('../src/cli/pactum.ts');
