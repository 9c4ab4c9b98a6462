import type { HitReferenceStoreOptions } from '@pactum/subgraph-kit';

/**
 * What NL-POLICE answers hits on, and how its references look: `HIT-NLP-` and 32 random
 * base32 characters, issued per (record, requesting agency) when a hit is answered. Person
 * references stand for a suspect id, container references for a container number.
 */
export const POLICE_HIT_REFERENCES = { prefix: 'HIT-NLP-', kinds: ['person', 'container'] } as const satisfies HitReferenceStoreOptions;
