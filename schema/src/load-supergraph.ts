import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';

/** Absolute path of the committed supergraph SDL. */
export const supergraphPath = join(__dirname, '..', 'supergraph.graphql');

/** Reads the committed `schema/supergraph.graphql` (what the gateway serves). */
export function loadSupergraphSdl(): string {
  return readFileSync(supergraphPath, 'utf8');
}

/**
 * The API schema clients see (federation machinery removed), built from the given or the
 * committed supergraph: what operations and policies are validated against.
 */
export function loadApiSchema(supergraphSdl: string = loadSupergraphSdl()): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
