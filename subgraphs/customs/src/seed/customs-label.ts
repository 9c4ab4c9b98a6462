import type { RecordLabel } from '@pactum/subgraph-kit';
import { H3_NOTES, PARTNER_POLICE, type Prng } from '@pactum/demo-world';

/** What a customs record's label depends on. */
export interface CustomsLabelInput {
  /** Case / JIT references of the investigations the record is part of. */
  caseRefs: string[];
  /** Whether the record belongs to a case flagged for Europol support. */
  europolSupport: boolean;
  /** Container movements and seizures go to partner police under the 2021 joint statement; declarations do not. */
  shareWithPartners: boolean;
}

/**
 * A realistic, varied customs label: mostly H0, sometimes H1, some H2, a few H3 with a note;
 * always releasable to NL police, prosecution and FIOD; partner police and Europol as the
 * record and case allow.
 */
export function customsLabel(rng: Prng, input: CustomsLabelInput): RecordLabel {
  const handling: RecordLabel['handling'] = ['H0'];
  if (rng.chance(0.2)) handling.push('H1');
  if (rng.chance(0.1)) handling.push('H2');
  const h3 = rng.chance(0.03);
  if (h3) handling.push('H3');
  const releasableTo = ['NL-POLICE', 'NL-OM', 'NL-FIOD'];
  if (input.shareWithPartners && rng.chance(0.85)) releasableTo.push(...PARTNER_POLICE);
  if (input.europolSupport) releasableTo.push('EUROPOL');
  return {
    owner: 'NL-CUSTOMS',
    handling,
    handlingNote: h3 ? rng.pick(H3_NOTES) : null,
    releasableTo,
    caseRefs: input.caseRefs,
    europolSupport: input.europolSupport,
  };
}
