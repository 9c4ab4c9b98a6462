/**
 * The build's import relinking on a small fake monorepo: workspace imports become relative paths
 * into the built workspace, anything else is left alone, and an import the build cannot serve
 * fails the build instead of leaving a `dist/` that would load `.ts` files at run time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { relinkWorkspace } = require('../relink-workspace-imports.js') as { relinkWorkspace: (dir: string) => number };

let root: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-relink-'));
  write('package.json', JSON.stringify({ name: 'root', workspaces: ['libs/*', 'apps/gw'] }));
  write('libs/kit/package.json', JSON.stringify({ name: '@pactum/kit', main: 'src/index.ts' }));
  write('libs/no-package/readme.md', 'not a workspace');
  write('apps/gw/package.json', JSON.stringify({ name: '@pactum/gw', main: 'src/index.ts' }));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('a workspace import and a deep src/ import point into the other workspace\'s dist/, relative to the importing file', () => {
  write('apps/gw/dist/server/main.js', `const a = require("@pactum/kit");\nconst b = require('@pactum/kit/src/auth/verify');\nconst c = require("graphql");\nconst d = require("./local");\n`);
  expect(relinkWorkspace(path.join(root, 'apps/gw'))).toBe(2);
  expect(fs.readFileSync(path.join(root, 'apps/gw/dist/server/main.js'), 'utf8')).toBe(
    `const a = require("../../../../libs/kit/dist/index.js");\nconst b = require('../../../../libs/kit/dist/auth/verify');\nconst c = require("graphql");\nconst d = require("./local");\n`,
  );
  // Running it again changes nothing.
  expect(relinkWorkspace(path.join(root, 'apps/gw'))).toBe(0);
});

test('an import of a name that is not a workspace fails the build and names the file', () => {
  write('apps/gw/dist/main.js', `require("@pactum/nope");\n`);
  expect(() => relinkWorkspace(path.join(root, 'apps/gw'))).toThrow(/dist\/main\.js: @pactum\/nope is not a workspace/);
  expect(fs.readFileSync(path.join(root, 'apps/gw/dist/main.js'), 'utf8')).toBe(`require("@pactum/nope");\n`);
});

test('a deep import outside the workspace\'s src/ (not built) fails the build', () => {
  write('apps/gw/dist/main.js', `require("@pactum/kit/testing");\n`);
  expect(() => relinkWorkspace(path.join(root, 'apps/gw'))).toThrow(/@pactum\/kit\/testing is outside the workspace's src\//);
});

test('no dist/ yet: a clear error', () => {
  expect(() => relinkWorkspace(path.join(root, 'apps/gw'))).toThrow(/dist does not exist: run tsc -b first/);
});
