/**
 * The kit README's TypeScript samples compile, type-checked against the kit as an integrator
 * would write them. Each ```ts block is a file of an imagined `subgraphs/bepolice`: a block (or
 * a part of one) starting with a `// src/<path>.ts` line is that file, a block without one is a
 * file of its own. The files are served to the TypeScript compiler from memory, at a path inside
 * the repository, so `@pactum/subgraph-kit` and the other packages resolve as they would for a
 * real subgraph; nothing is written to disk. Type errors fail with file, line and message.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '../../../..');
const README = path.join(REPO, 'subgraphs/kit/README.md');
/** Where the sample subgraph pretends to live (never created). */
const SAMPLE_ROOT = path.join(REPO, 'subgraphs/kit/readme-sample');

/** The files the README's ```ts blocks make up, by absolute path. */
export function sampleFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  blocks.forEach((block, i) => {
    // A `// src/x.ts` line opens a file; text before the first one is a file of its own.
    const parts = block.split(/^(?=\/\/ src\/[\w/.-]+\.ts\s*$)/m);
    parts.forEach((part, j) => {
      const header = /^\/\/ (src\/[\w/.-]+\.ts)\s*$/m.exec(part.split('\n')[0] ?? '');
      const file = path.join(SAMPLE_ROOT, header?.[1] ?? `src/readme-block-${i + 1}-${j + 1}.ts`);
      if (files.has(file)) throw new Error(`${path.relative(SAMPLE_ROOT, file)} is written by two README blocks`);
      files.set(file, part);
    });
  });
  return files;
}

function typeCheck(files: Map<string, string>): string[] {
  const base = ts.readConfigFile(path.join(REPO, 'tsconfig.base.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, REPO);
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => files.get(path.resolve(f)) ?? readFile.call(host, f);
  const dirs = new Set([...files.keys()].flatMap((f) => path.relative(SAMPLE_ROOT, path.dirname(f)).split(path.sep).map((_, i, parts) => path.join(SAMPLE_ROOT, ...parts.slice(0, i + 1)))));
  dirs.add(SAMPLE_ROOT);
  host.directoryExists = (d) => dirs.has(path.resolve(d)) || ts.sys.directoryExists(d);
  host.getSourceFile = (f, language, onError, create) => {
    const text = files.get(path.resolve(f));
    return text === undefined ? getSourceFile.call(host, f, language, onError, create) : ts.createSourceFile(f, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(SAMPLE_ROOT, d.file.fileName)}:${line + 1}: ${message}`;
  });
}

describe('subgraphs/kit/README.md samples', () => {
  const files = sampleFiles(fs.readFileSync(README, 'utf8'));

  it('are split into the files they show', () => {
    expect([...files.keys()].map((f) => path.relative(SAMPLE_ROOT, f))).toEqual(expect.arrayContaining(['src/schema.ts', 'src/store/migrations.ts', 'src/resolvers/loaders.ts', 'src/main.ts']));
  });

  it('type-check against the kit', () => {
    expect(typeCheck(files)).toEqual([]);
  }, 120_000);

  it('the check fails on a sample that does not type-check', () => {
    const broken = new Map(files);
    broken.set(path.join(SAMPLE_ROOT, 'src/broken.ts'), "import { labelFromRow } from '@pactum/subgraph-kit';\nexport const x: number = labelFromRow;\n");
    expect(typeCheck(broken)).toEqual([expect.stringMatching(/^src\/broken\.ts:2: Type .* is not assignable to type 'number'/)]);
  }, 120_000);
});
