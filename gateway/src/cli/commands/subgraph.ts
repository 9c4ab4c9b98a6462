/** `pactum subgraph new <name> --agency <ID> [--port N]`: scaffold a new agency subgraph, wired in. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../config/paths';
import { scaffoldSubgraph, ScaffoldError } from '../scaffold/scaffold-subgraph';

const HELP = `usage: pactum subgraph new <name> --agency <ID> [--port <N>] [--root <dir>]

Creates subgraphs/<name> on the subgraph kit (schema with a labelled entity, resolvers, SQLite
store and seed, context-token verification, tests), registers it in subgraphs/subgraphs.yaml,
names it as the agency's subgraph in policies/agencies.yaml, writes the agency's own-data
agreement and its policy tests, and recomposes schema/supergraph.graphql. Refuses, changing
nothing, when the name is taken, a file exists, or the agency is unknown or owns a subgraph.

options:
  --agency <ID>   the owning agency (must be in policies/agencies.yaml)
  --port <N>      default port (default: the highest registered port + 1)
  --root <dir>    repository to scaffold into (default: this checkout)
`;

export async function runSubgraphCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { agency: { type: 'string' }, port: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`pactum subgraph: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [verb, name, ...extra] = positionals;
  if (verb !== 'new' || !name || extra.length > 0 || !values.agency) {
    process.stderr.write(HELP);
    return 2;
  }
  if (values.port !== undefined && !/^\d+$/.test(values.port)) {
    process.stderr.write(`pactum subgraph: --port ${values.port}: not a port number\n`);
    return 2;
  }
  const root = values.root ? path.resolve(values.root) : repoRoot();
  try {
    const result = scaffoldSubgraph({ name, agency: values.agency, root, ...(values.port ? { port: Number(values.port) } : {}) });
    process.stdout.write(
      `created subgraph ${name} for ${values.agency}:\n${result.created.map((f) => `  + ${f}`).join('\n')}\n` +
        `${result.modified.map((f) => `  ~ ${f}`).join('\n')}\n` +
        `composed, and ${result.policyTests} policy tests pass.\n\nnext:\n` +
        `  npm install                       # links the new workspace (package-lock.json)\n` +
        `  npm test -w @pactum/subgraph-${name}   # its own tests\n` +
        `  npm start                         # it starts with the others\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ScaffoldError || (err as Error).name === 'SubgraphRegistryError') {
      process.stderr.write(`pactum subgraph: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
