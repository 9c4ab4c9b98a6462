/**
 * @pactum/schema: composition of the agency subgraphs, the committed supergraph and the
 * trusted operations front-ends use.
 */
export { composeSupergraph, type ComposeResult } from './compose-supergraph';
export { agencySubgraphs, type AgencySubgraph } from './agency-subgraphs';
export { formatCompositionProblems, toCompositionProblem, type CompositionProblem } from './format-composition-error';
export { loadSupergraphSdl, loadApiSchema, supergraphPath } from './load-supergraph';
export { loadOperations, operationsDir } from './load-operations';
export { findNonNullFields } from './find-non-null-fields';
export * from './registry';
export {
  buildOperationsManifest,
  documentId,
  manifestPath,
  MANIFEST_FORMAT,
  normaliseOperation,
  operationId,
  parseOperationsManifest,
  readOperationsManifest,
  serialiseOperationsManifest,
  sha256Hex,
  type ManifestOperation,
  type OperationsManifest,
} from './operations-manifest';
export * from './check';
