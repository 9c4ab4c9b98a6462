import { dbOf, labelFromRow, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import { nameKey } from '../seed/hit-reference';
import {
  assetsByInvestigation, containerHit, containersByInvestigation, investigationByKey, investigationsByContainer, investigationsBySuspect,
  suspectById, suspectsByInvestigation,
} from './loaders';
import type { InvestigationKey, InvestigationRow, SeizedAssetRow, SuspectRow } from './rows';

const label = (row: LabelRow) => labelFromRow(row);
const keyOfRow = (r: { agency: string; local_id: string }): InvestigationKey => ({ agency: r.agency, localId: r.local_id });
const NO_HIT = { hit: false, reference: null };

/** The police subgraph's resolvers (scalars included). */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    investigation: (_: unknown, args: { localId: string }, ctx: SubgraphContext) =>
      investigationByKey(ctx).load({ agency: 'NL-POLICE', localId: args.localId }),
    seizedAssetByIban: (_: unknown, args: { iban: string }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare('SELECT * FROM seized_assets WHERE iban = ?').get(args.iban) ?? null,
    policePersonHit: (_: unknown, args: { name: string; dateOfBirth: string }, ctx: SubgraphContext) => {
      const row = dbOf(ctx).prepare(`SELECT h.reference FROM suspects s JOIN hit_refs h ON h.kind = 'person' AND h.record_id = s.id
        WHERE s.name_key = ? AND s.date_of_birth = ? ORDER BY s.id LIMIT 1`).get(nameKey(args.name), args.dateOfBirth) as { reference: string } | undefined;
      return row ? { hit: true, reference: row.reference } : NO_HIT;
    },
    policeHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare(`SELECT s.* FROM hit_refs h JOIN suspects s ON s.id = h.record_id WHERE h.reference = ? AND h.kind = 'person'`).get(args.reference) ?? null,
    policeContainerHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare(`SELECT i.* FROM hit_refs h JOIN investigation_containers l ON l.container_number = h.record_id
        JOIN investigations i ON i.agency = l.agency AND i.local_id = l.local_id
        WHERE h.reference = ? AND h.kind = 'container' ORDER BY i.opened_at, i.local_id`).all(args.reference),
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
    policeHit: async (c: { number: string }, _: unknown, ctx: SubgraphContext) => {
      const row = await containerHit(ctx).load(c.number);
      return row ? { hit: true, reference: row.reference } : NO_HIT;
    },
  },
};
