import type Database from 'better-sqlite3';
import { KitOptionsError } from '../errors';
import { loaderFor } from '../loaders/loader-cache';
import type { SubgraphContext } from '../server/types';
import { dbOf } from '../store/store-context';
import { checkHitReferenceStoreOptions, openHitReferenceStore, type HitReferenceStore, type HitReferenceStoreOptions } from './hit-reference-store';

/** Options of {@link defineHitReferences}: the store's, plus the clock. */
export interface HitReferencesOptions extends HitReferenceStoreOptions {
  /** The clock issuing and expiry read; tests pass a fixed or moving one. Default: the system clock. */
  readonly now?: () => Date;
}

/** An agency's hit references as its resolvers use them: the agency always comes from the request's verified caller. */
export interface HitReferences {
  /**
   * The reference for `recordId`, issued to the caller's agency. Calls in the same tick are
   * batched (DataLoader): 200 container hits cost the same statements as one.
   */
  issue(context: SubgraphContext, kind: string, recordId: string): Promise<string>;
  /** The record behind `reference` if it was issued to the caller's agency for `kind` and has not expired; else `undefined`. */
  resolve(context: SubgraphContext, kind: string, reference: string): string | undefined;
}

/**
 * Declares an agency's hit references, the way `defineLoader` declares a loader: once, at
 * module level or in the agency's resolver factory, over whichever store the request runs
 * against (`context.db`). The requesting agency is `context.caller.agency` — the verified
 * gateway context token — never an argument a client could set.
 *
 * ```ts
 * const hits = defineHitReferences({ prefix: 'HIT-NLP-', kinds: ['person', 'container'] });
 * // hit check:  { hit: true, reference: await hits.issue(ctx, 'person', row.id) }
 * // follow-up:  const id = hits.resolve(ctx, 'person', args.reference); if (!id) return null;
 * ```
 *
 * @throws KitOptionsError at once on bad options; at request time (masked for the client)
 *   when the request has no verified caller (a server built with `ALLOW_UNAUTHENTICATED`).
 */
export function defineHitReferences(options: HitReferencesOptions): HitReferences {
  const { now: clock, ...storeOptions } = options;
  if (clock !== undefined && typeof clock !== 'function') throw new KitOptionsError('hit_clock', 'defineHitReferences: options.now must be a function');
  const now = clock ?? (() => new Date());
  // Checked now, at definition, rather than on the first hit.
  checkHitReferenceStoreOptions(storeOptions);
  const stores = new WeakMap<Database.Database, HitReferenceStore>();
  const storeOf = (context: SubgraphContext): HitReferenceStore => {
    const db = dbOf(context);
    let store = stores.get(db);
    if (!store) {
      store = openHitReferenceStore(db, storeOptions);
      stores.set(db, store);
    }
    return store;
  };

  return {
    issue(context, kind, recordId) {
      const agency = callerAgency(context);
      const loader = loaderFor<string, string>(context.loaders, `hits:${storeOptions.prefix}:${kind}`, async (ids) => storeOf(context).issue(kind, ids, agency, now()));
      return loader.load(recordId);
    },
    resolve(context, kind, reference) {
      return storeOf(context).resolve(reference, kind, callerAgency(context), now());
    },
  };
}

/** The verified caller's agency: hit references exist only per agency, so without one there is nothing to issue or resolve. */
function callerAgency(context: SubgraphContext): string {
  const agency = context?.caller?.agency;
  if (typeof agency !== 'string' || agency === '') {
    throw new KitOptionsError('context_caller', 'hit references need a verified caller (serve the subgraph with the gateway context-token verifier)');
  }
  return agency;
}
