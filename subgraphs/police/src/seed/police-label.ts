import type { RecordLabel } from '@pactum/subgraph-kit';
import { H3_NOTES, STORY_CASE, type Prng, type WorldInvestigation } from '@pactum/demo-world';

/**
 * The label NL-POLICE sets on an investigation's records: mostly H0, some H1/H2, a few H3
 * with a note; released to the prosecution and FIOD, to Europol when flagged for support,
 * to Eurojust when a case links it, and to the JIT's members when a JIT covers it.
 */
export function policeLabel(rng: Prng, inv: WorldInvestigation, jitMembers: readonly string[], extraHandling: number = 0): RecordLabel {
  const handling: RecordLabel['handling'] = ['H0'];
  if (rng.chance(0.25 + extraHandling)) handling.push('H1');
  if (rng.chance(0.12)) handling.push('H2');
  const h3 = rng.chance(0.04);
  if (h3) handling.push('H3');
  const releasableTo = new Set(['NL-OM', 'NL-FIOD']);
  if (inv.offence === 'drug trafficking') releasableTo.add('NL-CUSTOMS');
  if (inv.europolSupport) releasableTo.add('EUROPOL');
  if (inv.judicialCase) releasableTo.add('EUROJUST');
  for (const m of jitMembers) if (m !== 'NL-POLICE') releasableTo.add(m);
  const caseRefs = [inv.localId, ...(inv.judicialCase ? [inv.judicialCase] : []), ...(inv.jit ? [inv.jit] : [])];
  return { owner: 'NL-POLICE', handling, handlingNote: h3 ? rng.pick(H3_NOTES) : null, releasableTo: [...releasableTo], caseRefs, europolSupport: inv.europolSupport };
}

/**
 * BANAANSCHIL's containers left from Buenaventura: Dutch police made that case's file releasable
 * to the Colombian police, who still see it only case by case — a derogation, for a request naming
 * the case with a justification (docs/transfers.md).
 */
export const STORY_THIRD_COUNTRY_SHARING: readonly string[] = ['CO-POLICE'];

/** The story investigations carry fixed labels so the demo shows the same decisions every time. */
export function storyInvestigationLabel(inv: WorldInvestigation): RecordLabel | undefined {
  if (inv.localId === 'NL-ONB-2024-0456') {
    return {
      owner: 'NL-POLICE', handling: ['H0'], handlingNote: null,
      releasableTo: ['NL-OM', 'NL-FIOD', 'NL-CUSTOMS', 'EUROPOL', 'EUROJUST', ...STORY_CASE.jitMembers.filter((m) => m.endsWith('-POLICE') && m !== 'NL-POLICE'), ...STORY_THIRD_COUNTRY_SHARING],
      caseRefs: [inv.localId, STORY_CASE.localId, STORY_CASE.jitId], europolSupport: true,
    };
  }
  if (inv.localId === 'NL-ONB-2024-0312') {
    return {
      owner: 'NL-POLICE', handling: ['H0', 'H1'], handlingNote: null,
      releasableTo: ['NL-OM', 'NL-FIOD', 'NL-CUSTOMS', 'EUROPOL', 'EUROJUST', 'BE-POLICE'],
      caseRefs: [inv.localId, STORY_CASE.localId, STORY_CASE.jitId], europolSupport: true,
    };
  }
  return undefined;
}
