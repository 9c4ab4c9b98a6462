#!/usr/bin/env node
// Run by each workspace's `npm run build` after `tsc -b`: points the built JavaScript's imports of
// other Pactum workspaces at their built JavaScript.
//
// Why: a workspace's package.json says `"main": "src/index.ts"`, so that development (tsx, Jest)
// always runs the current sources and never a stale build. Plain `node` cannot load those `.ts`
// files, so in `dist/` a `require("@pactum/subgraph-kit")` becomes
// `require("../../subgraphs/kit/dist/index.js")` (and `@pactum/<name>/src/<path>` becomes
// `<that workspace>/dist/<path>`). The result needs no loader, no flag and no resolver hook: the
// built tree runs with plain `node` in the checkout and in the container image alike.
//
// Only the given workspace's own `dist/` is touched (turbo builds workspaces in parallel). An import
// of a name that is not a workspace, or of a workspace path outside its `src/`, fails the build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function findRoot(start) {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && Array.isArray(JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no npm workspaces root above ${start}`);
  }
}

/** The folders a `workspaces` entry names: a folder, or `<folder>/*` (each subfolder with a package.json). */
function expandWorkspace(root, pattern) {
  if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
  if (pattern.slice(0, -2).includes('*')) throw new Error(`workspaces pattern ${pattern}: only "<folder>" and "<folder>/*" are supported`);
  const parent = path.join(root, pattern.slice(0, -2));
  return fs
    .readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(parent, entry.name, 'package.json')))
    .map((entry) => path.join(parent, entry.name));
}

/** Package name → workspace folder (absolute), from the root package.json's `workspaces`. */
function workspaceFolders(root) {
  const map = new Map();
  for (const pattern of JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces) {
    for (const dir of expandWorkspace(root, pattern)) {
      const { name } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      map.set(name, dir);
    }
  }
  return map;
}

function* jsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

// tsc's CommonJS output spells every import (static and dynamic) as require("<specifier>").
const WORKSPACE_REQUIRE = /\brequire\((["'])(@pactum\/[^"']+)\1\)/g;

/** Rewrites `dist` of the workspace at `workspaceDir`; returns how many imports were rewritten. */
function relinkWorkspace(workspaceDir) {
  const root = findRoot(workspaceDir);
  const folders = workspaceFolders(root);
  const dist = path.join(workspaceDir, 'dist');
  if (!fs.existsSync(dist)) throw new Error(`${dist} does not exist: run tsc -b first`);
  let count = 0;
  for (const file of jsFiles(dist)) {
    const text = fs.readFileSync(file, 'utf8');
    const next = text.replace(WORKSPACE_REQUIRE, (_match, quote, specifier) => {
      const [scope, name, ...rest] = specifier.split('/');
      const folder = folders.get(`${scope}/${name}`);
      if (!folder) throw new Error(`${path.relative(root, file)}: ${specifier} is not a workspace of ${root}`);
      let target;
      if (rest.length === 0) target = path.join(folder, 'dist', 'index.js');
      else if (rest[0] === 'src' && rest.length > 1) target = path.join(folder, 'dist', ...rest.slice(1));
      else throw new Error(`${path.relative(root, file)}: ${specifier} is outside the workspace's src/, which is all that is built`);
      let relative = path.relative(path.dirname(file), target).split(path.sep).join('/');
      if (!relative.startsWith('.')) relative = `./${relative}`;
      count += 1;
      return `require(${quote}${relative}${quote})`;
    });
    if (next !== text) fs.writeFileSync(file, next);
  }
  return count;
}

module.exports = { relinkWorkspace };

if (require.main === module) {
  try {
    const count = relinkWorkspace(process.argv[2] ?? process.cwd());
    if (process.env.PACTUM_BUILD_VERBOSE) process.stdout.write(`relinked ${count} workspace imports\n`);
  } catch (err) {
    process.stderr.write(`relink-workspace-imports: ${err.message}\n`);
    process.exit(1);
  }
}
