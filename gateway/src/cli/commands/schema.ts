/** `pactum schema compose|check`: regenerate the supergraph, or check the committed one is current. */
import fs from 'node:fs';
import { composeSupergraph, formatCompositionProblems, supergraphPath } from '@pactum/schema';

const HELP = `usage: pactum schema <compose|check>

  compose   compose the subgraphs and write schema/supergraph.graphql
  check     compose and fail if schema/supergraph.graphql is stale or composition fails
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
  if (sub === 'compose') {
    fs.writeFileSync(file, result.sdl);
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  }
  if (fs.readFileSync(file, 'utf8') !== result.sdl) {
    process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit it\n');
    return 1;
  }
  process.stdout.write('schema/supergraph.graphql is current\n');
  return 0;
}
