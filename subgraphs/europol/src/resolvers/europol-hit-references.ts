import type { HitReferenceStoreOptions } from '@pactum/subgraph-kit';

/**
 * What EUROPOL answers hits on, and how its references look: `HIT-EPL-` and 32 random base32
 * characters, issued per (record, requesting agency) when a hit is answered. Person references
 * stand for an OCG member id, container references for a container number.
 */
export const EUROPOL_HIT_REFERENCES = { prefix: 'HIT-EPL-', kinds: ['person', 'container'] } as const satisfies HitReferenceStoreOptions;
