import { dbOf, defineHitReferences, labelFromRow, nameKey, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import {
  assetsByInvestigation, containerOfInterest, containersByInvestigation, investigationByKey, investigationsByContainer, investigationsBySuspect,
  suspectById, suspectsByInvestigation,
} from './loaders';
import { POLICE_HIT_REFERENCES } from './police-hit-references';
import type { InvestigationKey, InvestigationRow, SeizedAssetRow, SuspectRow } from './rows';

const label = (row: LabelRow) => labelFromRow(row);
const keyOfRow = (r: { agency: string; local_id: string }): InvestigationKey => ({ agency: r.agency, localId: r.local_id });
const NO_HIT = { hit: false, reference: null };

/** Options of {@link createPoliceResolvers}. */
export interface PoliceResolverOptions {
  /** Lifetime of the hit references issued, in seconds (default 24 h; `main.ts` reads `PACTUM_HIT_REFERENCE_TTL_SEC`). */
  hitReferenceTtlSec?: number;
  /** The clock hit references are issued and expire by (tests). Default: the system clock. */
  now?: () => Date;
}

/**
 * The police subgraph's resolvers (scalars included). A hit check issues a reference to the
 * caller's agency (from the verified context token); a follow-up answers only a reference
 * issued to that agency and not yet expired, and anything else exactly like an unknown one.
 */
export function createPoliceResolvers(options: PoliceResolverOptions = {}): GraphQLResolverMap<SubgraphContext> {
  const hits = defineHitReferences({
    ...POLICE_HIT_REFERENCES,
    ...(options.hitReferenceTtlSec !== undefined ? { ttlSec: options.hitReferenceTtlSec } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return {
    ...scalarResolvers,
    Query: {
      investigation: (_: unknown, args: { localId: string }, ctx: SubgraphContext) =>
        investigationByKey(ctx).load({ agency: 'NL-POLICE', localId: args.localId }),
      seizedAssetByIban: (_: unknown, args: { iban: string }, ctx: SubgraphContext) =>
        dbOf(ctx).prepare('SELECT * FROM seized_assets WHERE iban = ?').get(args.iban) ?? null,
      policePersonHit: async (_: unknown, args: { name: string; dateOfBirth: string }, ctx: SubgraphContext) => {
        const row = dbOf(ctx).prepare('SELECT id FROM suspects WHERE name_key = ? AND date_of_birth = ? ORDER BY id LIMIT 1')
          .get(nameKey(args.name), args.dateOfBirth) as { id: string } | undefined;
        return row ? { hit: true, reference: await hits.issue(ctx, 'person', row.id) } : NO_HIT;
      },
      policeHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) => {
        const id = hits.resolve(ctx, 'person', args.reference);
        return id === undefined ? null : suspectById(ctx).load(id);
      },
      policeContainerHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) => {
        const number = hits.resolve(ctx, 'container', args.reference);
        // An empty list, as for a container no investigation concerns: nothing tells the two apart.
        return number === undefined ? [] : investigationsByContainer(ctx).load(number);
      },
    },
    Investigation: {
      __resolveReference: (ref: InvestigationKey, ctx: SubgraphContext) => investigationByKey(ctx).load({ agency: ref.agency, localId: ref.localId }),
      localId: (i: InvestigationRow) => i.local_id,
      codeName: (i: InvestigationRow) => i.code_name,
      openedAt: (i: InvestigationRow) => i.opened_at,
      label,
      suspects: (i: InvestigationRow, _: unknown, ctx: SubgraphContext) => suspectsByInvestigation(ctx).load(keyOfRow(i)),
      containers: async (i: InvestigationRow, _: unknown, ctx: SubgraphContext) =>
        (await containersByInvestigation(ctx).load(keyOfRow(i))).map((r) => ({ number: r.container_number })),
      seizedAssets: (i: InvestigationRow, _: unknown, ctx: SubgraphContext) => assetsByInvestigation(ctx).load(keyOfRow(i)),
    },
    Suspect: {
      __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => suspectById(ctx).load(ref.id),
      dateOfBirth: (s: SuspectRow) => s.date_of_birth,
      documentNumbers: (s: SuspectRow) => JSON.parse(s.document_numbers) as string[],
      label,
      investigations: (s: SuspectRow, _: unknown, ctx: SubgraphContext) => investigationsBySuspect(ctx).load(s.id),
    },
    SeizedAsset: {
      valueEur: (a: SeizedAssetRow) => a.value_eur,
      label,
      investigation: (a: SeizedAssetRow, _: unknown, ctx: SubgraphContext) => investigationByKey(ctx).load(keyOfRow(a)),
    },
    Container: {
      // Police hold no container rows: the key is all it needs to look up its own links.
      __resolveReference: (ref: { number: string }) => ({ number: ref.number }),
      investigations: (c: { number: string }, _: unknown, ctx: SubgraphContext) => investigationsByContainer(ctx).load(c.number),
      policeHit: async (c: { number: string }, _: unknown, ctx: SubgraphContext) =>
        (await containerOfInterest(ctx).load(c.number)) ? { hit: true, reference: await hits.issue(ctx, 'container', c.number) } : NO_HIT,
    },
  };
}

