/**
 * `pactum schema check`'s schema half: composes the registry's subgraphs, checks each against the
 * nullability rule, and classifies the changes against a base supergraph with the shipped
 * operations each breaking change breaks. The policy half (fields no grant covers) is the
 * gateway's, which owns the policy engine.
 */
import { agencySubgraphs, type AgencySubgraph } from '../agency-subgraphs';
import { composeSupergraph } from '../compose-supergraph';
import { findNonNullFields } from '../find-non-null-fields';
import type { CompositionProblem } from '../format-composition-error';
import { loadApiSchema } from '../load-supergraph';
import { addedFieldCoordinates, classifySchemaChanges, type SchemaChange } from './classify-schema-changes';
import { operationBreakage } from './operations-affected';

export interface SchemaCheckInput {
  /** The subgraphs to compose (default: the registry's, from the working tree). */
  readonly subgraphs?: readonly AgencySubgraph[];
  /** The supergraph SDL to compare with (a revision's, or the committed file). */
  readonly baseSdl: string;
  /** Shipped operations, name → source. */
  readonly operations: Readonly<Record<string, string>>;
}

export interface ClassifiedChange extends SchemaChange {
  /** Shipped operations this breaking change breaks (empty for dangerous and safe ones). */
  readonly breaks: readonly string[];
}

export type SchemaCheckReport =
  | { readonly ok: false; readonly compositionErrors: readonly CompositionProblem[] }
  | {
      readonly ok: true;
      /** The composed supergraph of the working tree. */
      readonly sdl: string;
      readonly changes: readonly ClassifiedChange[];
      /** Shipped operations that do not validate against the new API schema, with why. */
      readonly invalidOperations: Readonly<Record<string, readonly string[]>>;
      /** Per subgraph, the non-null fields the nullability rule forbids. */
      readonly nullability: Readonly<Record<string, readonly string[]>>;
      /** `Type.field` coordinates that are new in the API schema. */
      readonly newFields: readonly string[];
    };

export function checkSchema(input: SchemaCheckInput): SchemaCheckReport {
  const subgraphs = input.subgraphs ?? agencySubgraphs();
  const composed = composeSupergraph(subgraphs);
  if ('errors' in composed) return { ok: false, compositionErrors: composed.errors };
  const before = loadApiSchema(input.baseSdl);
  const after = loadApiSchema(composed.sdl);
  const classified = classifySchemaChanges(before, after);
  const ops = operationBreakage(before, after, input.operations);
  const changes = classified.map((c): ClassifiedChange => ({ ...c, breaks: c.level === 'breaking' ? ops.usedBy(c.coordinate) : [] }));
  const nullability: Record<string, string[]> = {};
  for (const s of subgraphs) {
    const found = findNonNullFields(s.typeDefs);
    if (found.length > 0) nullability[s.name] = found;
  }
  return { ok: true, sdl: composed.sdl, changes, invalidOperations: ops.invalid, nullability, newFields: addedFieldCoordinates(classified, after) };
}
