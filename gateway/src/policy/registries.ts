/**
 * The two registries policy cross-checks need from files the authentication stage owns
 * (`agencies.yaml`, `purposes.yaml`), loaded with that stage's strict loaders and reduced
 * to what decisions use: agency ids with the subgraph each owns, and purpose codes.
 */
import { join } from 'node:path';
import { loadPurposes, loadTrustRegistry, type AgencyStanding } from '../auth';

/** What policies are checked against. */
export interface PolicyRegistries {
  /** Agency id → subgraph it owns (undefined for query-only agencies). */
  readonly agencies: ReadonlyMap<string, string | undefined>;
  /** Purpose codes. */
  readonly purposes: ReadonlySet<string>;
  /**
   * Agency id → its country and standing (LED Chapter V). Always filled from `agencies.yaml`; in
   * registries built by hand (tests) it may be left out, and an agency missing from it is then
   * taken to be inside the Union.
   */
  readonly standings?: ReadonlyMap<string, { readonly country: string; readonly standing: AgencyStanding }>;
}

/** Reads `agencies.yaml` and `purposes.yaml` from the policy directory (a `ConfigError` on a bad file). */
export function readRegistries(dir: string): PolicyRegistries {
  const registry = loadTrustRegistry(join(dir, 'agencies.yaml'));
  const purposes = loadPurposes(join(dir, 'purposes.yaml'));
  return {
    agencies: new Map(registry.agencies.map((a) => [a.id, a.subgraph === null || a.subgraph === 'none' ? undefined : a.subgraph])),
    purposes: new Set(purposes.purposes.map((p) => p.code)),
    standings: new Map(registry.agencies.map((a) => [a.id, { country: a.country, standing: a.standing }])),
  };
}
