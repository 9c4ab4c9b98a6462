import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from '../compose-supergraph';
import { formatCompositionProblems } from '../format-composition-error';
import { supergraphPath } from '../load-supergraph';
import { buildOperationsManifest, manifestPath, serialiseOperationsManifest } from '../operations-manifest';

// `npm run compose`: recompose the registry's subgraphs (subgraphs/subgraphs.yaml) and rewrite schema/supergraph.graphql,
// then rebuild the trusted operations' manifest, schema/operations/manifest.json.
const result = composeSupergraph();
if ('errors' in result) {
  process.stderr.write(`composition failed with ${result.errors.length} error(s):\n${formatCompositionProblems(result.errors)}\n`);
  process.exit(1);
}
writeFileSync(supergraphPath, result.sdl);
process.stdout.write(`wrote ${relative(process.cwd(), supergraphPath)} (${result.sdl.length} bytes)\n`);
const manifest = buildOperationsManifest();
writeFileSync(manifestPath, serialiseOperationsManifest(manifest));
process.stdout.write(`wrote ${relative(process.cwd(), manifestPath)} (${manifest.operations.length} operations)\n`);
