/**
 * Introspection that lets no principal enumerate what it may not see: `__schema` / `__type` are
 * answered against the principal's filtered schema ({@link filterSchema}) — fields its profile
 * denies on every row, and types it cannot reach, are not there. The profile is the request's
 * one profile (the same the rewrite read). Whether introspection is served at all is the
 * server's `introspection` option; off, validation refuses it before this is reached.
 *
 * An operation of introspection only is answered here alone, without the gateway executor; in
 * one mixing data and root introspection fields the executor runs the data part only and these
 * fields are answered here (server/stages/execute-operation.ts). Only a root introspection field
 * under `@skip`/`@include` or inside a root fragment still goes to the executor, and
 * {@link FilteredIntrospection.merge} then puts the filtered answer in its place (the executor's
 * own answer there comes from the full API schema and is never sent).
 */
import { printSchema, type DocumentNode, type FieldNode, type GraphQLSchema } from 'graphql';
import { ByteLruCache, defaultCacheBudget, estimateSchemaBytes } from '../cache';
import type { AccessProfile } from '../policy';
import { answerIntrospection, introspectionRootFields, type IntrospectionAnswer } from './answer-introspection';
import { filterSchema, profileVisibility } from './filter-schema';

/** Options of {@link createFilteredIntrospection}. */
export interface FilteredIntrospectionOptions {
  /** Filtered schemas kept per API schema (by profile key); default 64. */
  readonly cacheSize?: number;
  /**
   * Most estimated bytes of filtered schemas kept (a filtered copy of the committed supergraph
   * weighs ≈ 300 kB). Default: the `introspection` share of the process's cache budget.
   */
  readonly cacheBytes?: number;
}

/** One operation's introspection, for one profile. */
export interface IntrospectionRequest {
  readonly schema: GraphQLSchema;
  readonly profile: AccessProfile;
  readonly document: DocumentNode;
  readonly operationName: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface FilteredIntrospection {
  /** Answers the root fields `fields` of `request.document` (all of them introspection or `__typename`). */
  answer(request: IntrospectionRequest, fields: readonly FieldNode[]): IntrospectionAnswer;
  /** Replaces, in `data`, the answers to the operation's root introspection fields with the filtered ones. */
  merge(request: IntrospectionRequest, data: Record<string, unknown>): void;
}

export function createFilteredIntrospection(options: FilteredIntrospectionOptions = {}): FilteredIntrospection {
  const bySchema = new WeakMap<GraphQLSchema, ByteLruCache<string, GraphQLSchema>>();
  const cacheSize = options.cacheSize ?? 64;
  const cacheBytes = options.cacheBytes ?? defaultCacheBudget().introspection;

  // Keyed by the profile's key: equal keys promise identical decisions, hence identical visibility.
  const filteredFor = (schema: GraphQLSchema, profile: AccessProfile): GraphQLSchema => {
    let cache = bySchema.get(schema);
    if (!cache) {
      // A filtered copy is never larger than the full schema: weigh every entry as the full one.
      const sdlLength = printSchema(schema).length;
      cache = new ByteLruCache({ maxEntries: cacheSize, maxBytes: cacheBytes, maxEntryBytes: cacheBytes, sizeOf: (_s, key) => estimateSchemaBytes(sdlLength, key) });
      bySchema.set(schema, cache);
    }
    let filtered = cache.get(profile.key);
    if (!filtered) {
      filtered = filterSchema(schema, profileVisibility(profile));
      cache.set(profile.key, filtered);
    }
    return filtered;
  };

  const answer = (request: IntrospectionRequest, fields: readonly FieldNode[]): IntrospectionAnswer =>
    answerIntrospection(filteredFor(request.schema, request.profile), request.document, fields, request.operationName, request.variables);

  // The root introspection fields of a document, found once: documents are cached, and most
  // have none, so the walk is not repeated on every request that carries data.
  const rootFields = new WeakMap<DocumentNode, Map<string | null, FieldNode[]>>();
  const introspectionOf = (document: DocumentNode, operationName: string | null): FieldNode[] => {
    let byName = rootFields.get(document);
    if (!byName) rootFields.set(document, (byName = new Map()));
    let fields = byName.get(operationName);
    if (!fields) byName.set(operationName, (fields = introspectionRootFields(document, operationName)));
    return fields;
  };

  return {
    answer,
    merge(request, data) {
      const fields = introspectionOf(request.document, request.operationName);
      if (fields.length === 0) return;
      const filtered = answer(request, fields);
      for (const f of fields) {
        const key = f.alias?.value ?? f.name.value;
        // Only keys the executor answered: a root field skipped by @skip/@include stays absent.
        if (key in data) data[key] = filtered.data[key] ?? null;
      }
    },
  };
}
