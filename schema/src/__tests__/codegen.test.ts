/**
 * The documented GraphQL Code Generator example works: `schema/codegen.ts` run (programmatically,
 * as the CLI does) over the API schema `pactum schema api` prints and the shipped operations, and
 * the generated types type-check in a small use of them (TypeScript API, with the repository's
 * compiler options). A mistyped use must fail, so the check is not vacuous.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { SCALARS } from '../../codegen';

const run = promisify(execFile);
const SCHEMA_DIR = path.resolve(__dirname, '../..');
const REPO = path.resolve(SCHEMA_DIR, '..');
/** Where `npm run codegen` writes (git-ignored). */
const OUT = path.join(SCHEMA_DIR, 'generated');

let generated = '';

beforeAll(async () => {
  fs.rmSync(path.join(OUT, 'operations.ts'), { force: true });
  // What `npm run codegen -w @pactum/schema` runs: the API schema, then the CLI with codegen.ts.
  await run(process.execPath, ['--import', 'tsx', path.join(REPO, 'gateway/src/cli/pactum.ts'), 'schema', 'api', '--out', path.join(OUT, 'api.graphql')], { cwd: REPO });
  await run(process.execPath, [path.join(REPO, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts', '--silent'], { cwd: SCHEMA_DIR });
  generated = fs.readFileSync(path.join(OUT, 'operations.ts'), 'utf8');
}, 120_000);

afterAll(() => fs.rmSync(path.join(OUT, 'use.test-sample.ts'), { force: true }));

function typeCheck(use: string): string[] {
  const base = ts.readConfigFile(path.join(REPO, 'tsconfig.base.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, REPO);
  const file = path.join(OUT, 'use.test-sample.ts');
  fs.writeFileSync(file, use);
  const program = ts.createProgram([file], { ...options, types: [], noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

test('types every shipped operation, with the identifier scalars as strings', () => {
  for (const name of fs.readdirSync(path.join(SCHEMA_DIR, 'operations')).filter((f) => f.endsWith('.graphql'))) {
    const op = name.replace(/\.graphql$/, '');
    expect(generated).toContain(`export type ${op}Query = `);
    expect(generated).toContain(`export type ${op}QueryVariables = `);
  }
  // Identifier scalars as strings (strictScalars makes an unmapped one an error, never `any`).
  expect(generated).toMatch(/export type VesselDossierQueryVariables = Exact<\{\s+imo: string;/);
  expect(generated).toMatch(/export type AssetByIbanQueryVariables = Exact<\{\s+iban: string;/);
  expect(generated.replace(/^type Exact<.*$/m, '')).not.toMatch(/\bany\b|\bunknown\b/);
  expect(Object.keys(SCALARS).sort()).toEqual(['ContainerNumber', 'DateTime', 'IBAN', 'IMO', 'LocalDate', 'UNLocode']);
});

test('the generated types type-check in use', () => {
  const use = `import type { VesselDossierQuery, VesselDossierQueryVariables } from './operations';
const variables: VesselDossierQueryVariables = { imo: '9463786' };
export function interdictedKg(reply: VesselDossierQuery): number {
  // Each part may be withheld (null): the types make the caller say what then.
  return (reply.vessel?.interdictions ?? []).reduce((kg, i) => kg + (i.quantityKg ?? 0), 0);
}
export const imo: string = variables.imo;
`;
  expect(typeCheck(use)).toEqual([]);
});

test('a use that ignores a withheld part does not type-check', () => {
  const use = `import type { VesselDossierQuery } from './operations';
export const firstInterdiction = (reply: VesselDossierQuery): string => reply.vessel.interdictions[0].id;
export const imo: number = ({} as VesselDossierQuery['vessel'] & object).imo;
`;
  const errors = typeCheck(use);
  expect(errors.some((e) => /possibly 'null'/.test(e))).toBe(true);
  expect(errors.some((e) => /Type 'string' is not assignable to type 'number'/.test(e))).toBe(true);
});
