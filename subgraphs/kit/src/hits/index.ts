/** Prüm-style hit references: random, per (record, requesting agency), stored with their expiry, resolved only for that agency. */
export { HIT_REFS_TABLE } from './hit-refs-table';
export { hitReferencePattern, openHitReferenceStore, type HitReferenceStore, type HitReferenceStoreOptions } from './hit-reference-store';
export { defineHitReferences, type HitReferences, type HitReferencesOptions } from './define-hit-references';
export {
  checkHitReferenceTtl, DEFAULT_HIT_REFERENCE_TTL_SEC, HIT_REFERENCE_TTL_ENV, hitReferenceTtlFromEnv, MAX_HIT_REFERENCE_TTL_SEC,
} from './hit-reference-ttl';
export { nameKey } from './name-key';
