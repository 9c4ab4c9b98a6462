/**
 * `pactum schema compose|check`: regenerate the supergraph and the trusted operations' manifest,
 * or check the committed ones are current.
 */
import fs from 'node:fs';
import { buildOperationsManifest, composeSupergraph, formatCompositionProblems, manifestPath, serialiseOperationsManifest, supergraphPath } from '@pactum/schema';

const HELP = `usage: pactum schema <compose|check>

  compose   compose the subgraphs and write schema/supergraph.graphql and
            schema/operations/manifest.json (the trusted operations by id)
  check     fail if either is stale or composition fails
`;

export async function runSchemaCommand(argv: string[]): Promise<number> {
  const [sub] = argv;
  if (sub !== 'compose' && sub !== 'check') {
    process.stdout.write(HELP);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  const result = composeSupergraph();
  if ('errors' in result) {
    process.stderr.write(`${formatCompositionProblems(result.errors)}\n`);
    return 1;
  }
  const file = supergraphPath;
  const manifest = serialiseOperationsManifest(buildOperationsManifest());
  if (sub === 'compose') {
    fs.writeFileSync(file, result.sdl);
    process.stdout.write(`wrote ${file}\n`);
    fs.writeFileSync(manifestPath, manifest);
    process.stdout.write(`wrote ${manifestPath}\n`);
    return 0;
  }
  const read = (f: string): string | undefined => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
  let stale = 0;
  if (read(file) !== result.sdl) {
    process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit it\n');
    stale++;
  }
  if (read(manifestPath) !== manifest) {
    process.stderr.write('schema/operations/manifest.json is stale: run `npm run compose` and commit it\n');
    stale++;
  }
  if (stale > 0) return 1;
  process.stdout.write('schema/supergraph.graphql and schema/operations/manifest.json are current\n');
  return 0;
}
