/**
 * Stages 1b and 3b: rate limits (`ratelimit/`). Every authenticated request is counted against
 * its principal's and its agency's budgets right after authentication — before the body is read
 * or parsed, so a spent budget costs the gateway one bucket lookup and one audit record. A request
 * whose document selects a hit/no-hit field (a field of type `Hit`, the only kind a `hitOnly`
 * grant may name) is counted again, against the lower hit budgets, once it is parsed. Buckets are
 * keyed by the verified principal only.
 */
import { getNamedType, TypeInfo, visit, visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Authenticated } from '../../auth';
import { HIT_TYPE } from '../../policy';
import { RateLimitedError, RateLimitUnavailableError, type RateLimits, type RateLimitScope } from '../../ratelimit';
import type { GatewayMetrics } from '../metrics';
import type { PreparedOperation } from './prepare-operation';

export interface RateLimitStage {
  /** Counts an authenticated request (429 `RATE_LIMITED` when a budget is spent). */
  admit(identity: Authenticated): Promise<void>;
  /** Counts a hit/no-hit request again, on its own budgets (429, or 503 `RATE_LIMIT_UNAVAILABLE`). */
  admitPrepared(identity: Authenticated, prepared: PreparedOperation): Promise<void>;
}

const METRIC_SCOPE: Readonly<Record<RateLimitScope, string>> = { principal: 'principal', agency: 'agency', hitPrincipal: 'hit_principal', hitAgency: 'hit_agency' };

/** Whether a document selects a field of type `Hit` anywhere (fragments included: counting too much fails closed). */
export function selectsHitField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type && getNamedType(type).name === HIT_TYPE) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return found;
}

export function createRateLimitStage(deps: { readonly limits: RateLimits; readonly schema: GraphQLSchema; readonly metrics: GatewayMetrics }): RateLimitStage {
  const { limits, schema, metrics } = deps;
  // Documents are cached by the prepare stage: the walk runs once per distinct document.
  const hitDocuments = new WeakMap<DocumentNode, boolean>();

  async function counted(take: Promise<void>): Promise<void> {
    try {
      await take;
    } catch (error) {
      if (error instanceof RateLimitedError) metrics.rateLimitRefusals.inc({ scope: METRIC_SCOPE[error.scope] });
      else if (error instanceof RateLimitUnavailableError) metrics.rateLimitRefusals.inc({ scope: 'unavailable' });
      throw error;
    }
  }

  const who = (identity: Authenticated) => ({ agency: identity.principal.agency, subject: identity.principal.subject });

  return {
    admit: (identity) => counted(limits.admit(who(identity))),
    async admitPrepared(identity, prepared) {
      let hit = hitDocuments.get(prepared.document);
      if (hit === undefined) {
        hit = selectsHitField(schema, prepared.document);
        hitDocuments.set(prepared.document, hit);
      }
      if (hit) await counted(limits.admitHitCheck(who(identity)));
    },
  };
}
