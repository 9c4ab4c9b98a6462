/**
 * Introspection and error suggestions that let no principal enumerate what it may not see.
 *
 * Apollo Server hands every operation, introspection included, to the gateway executor, and
 * @apollo/gateway answers `__schema` / `__type` from the full API schema. This Apollo plugin
 * replaces those answers, as the response is sent, with the same selections executed against
 * the principal's filtered schema ({@link filterSchema}): fields its profile denies on every row,
 * and types it cannot reach, are not there. (Whether introspection is served at all is the
 * server's `introspection` option; off, Apollo Server's validation refuses it first.)
 *
 * It also removes "Did you mean …?" from every error message: Apollo Server strips them from
 * validation errors only (`hideSchemaDetailsFromClientErrors`), not from variable coercion.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { printSchema, type GraphQLSchema } from 'graphql';
import { ByteLruCache, defaultCacheBudget, estimateSchemaBytes } from '../cache';
import type { GatewayContextValue, PactumRequestContext } from '../context';
import type { AccessProfile } from '../policy/types';
import { answerIntrospection, introspectionRootFields } from './answer-introspection';
import { filterSchema, profileVisibility } from './filter-schema';

/** Options of {@link filteredIntrospectionPlugin}. */
export interface FilteredIntrospectionOptions {
  /**
   * The principal's access profile. When absent, introspection shows only empty roots: without
   * a profile nothing can be shown safely (fail closed).
   */
  readonly profileFor?: (pactum: PactumRequestContext) => AccessProfile;
  /** Filtered schemas kept per API schema (by profile key); default 64. */
  readonly cacheSize?: number;
  /**
   * Most estimated bytes of filtered schemas kept (a filtered copy of the committed supergraph
   * weighs ≈ 300 kB). Default: the `introspection` share of the process's cache budget.
   */
  readonly cacheBytes?: number;
}

const SUGGESTION = / ?Did you mean .+?\?(?=$|\n)/g;
const NOTHING_VISIBLE = (): boolean => false;

/** The plugin (see the file comment). */
export function filteredIntrospectionPlugin(options: FilteredIntrospectionOptions = {}): ApolloServerPlugin<GatewayContextValue> {
  const bySchema = new WeakMap<GraphQLSchema, ByteLruCache<string, GraphQLSchema>>();
  const cacheSize = options.cacheSize ?? 64;
  const cacheBytes = options.cacheBytes ?? defaultCacheBudget().introspection;

  const filteredFor = (schema: GraphQLSchema, pactum: PactumRequestContext): GraphQLSchema => {
    const profile = options.profileFor?.(pactum);
    if (!profile) return filterSchema(schema, NOTHING_VISIBLE);
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

  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, document, operationName, request, schema }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          for (const e of result.errors ?? []) {
            if (e.message.includes('Did you mean')) Object.assign(e, { message: e.message.replace(SUGGESTION, '') });
          }
          const data = result.data;
          if (!document || !data) return;
          const fields = introspectionRootFields(document, operationName ?? request.operationName);
          if (fields.length === 0) return;
          const answer = answerIntrospection(filteredFor(schema, contextValue.pactum), document, fields, operationName ?? request.operationName, request.variables);
          for (const f of fields) {
            const key = f.alias?.value ?? f.name.value;
            // Only keys the executor answered: a root field skipped by @skip/@include stays absent.
            if (key in data) data[key] = answer.data[key] ?? null;
          }
        },
      };
    },
  };
}
