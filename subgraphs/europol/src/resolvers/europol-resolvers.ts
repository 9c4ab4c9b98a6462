import { dbOf, labelFromRow, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import { nameKey } from '../seed/hit-reference';
import {
  containerHit, memberById, membersByOcg, messageById, messagesByContainer, ocgById, projectById, reportById, reportsByContainer, reportsByOcg,
  supportByInvestigation,
} from './loaders';
import type { InvestigationKey, MemberRow, MessageRow, OcgRow, ReportRow } from './rows';

const label = (row: LabelRow) => labelFromRow(row);
const list = (json: string) => JSON.parse(json) as string[];
const NO_HIT = { hit: false, reference: null };

/** The Europol subgraph's resolvers (scalars included). */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    ocg: (_: unknown, args: { id: string }, ctx: SubgraphContext) => ocgById(ctx).load(args.id),
    europolPersonHit: (_: unknown, args: { name: string; dateOfBirth: string }, ctx: SubgraphContext) => {
      const row = dbOf(ctx).prepare(`SELECT h.reference FROM ocg_members m JOIN hit_refs h ON h.kind = 'person' AND h.record_id = m.id
        WHERE m.name_key = ? AND m.date_of_birth = ? ORDER BY m.id LIMIT 1`).get(nameKey(args.name), args.dateOfBirth) as { reference: string } | undefined;
      return row ? { hit: true, reference: row.reference } : NO_HIT;
    },
    europolHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare(`SELECT m.* FROM hit_refs h JOIN ocg_members m ON m.id = h.record_id WHERE h.reference = ? AND h.kind = 'person'`).get(args.reference) ?? null,
  },
  SienaMessage: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => messageById(ctx).load(ref.id),
    sentAt: (m: MessageRow) => m.sent_at,
    fromAgency: (m: MessageRow) => m.from_agency,
    toAgencies: (m: MessageRow) => list(m.to_agencies),
    label,
  },
  IntelligenceReport: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => reportById(ctx).load(ref.id),
    sourceReliability: (r: ReportRow) => r.source_reliability,
    informationAccuracy: (r: ReportRow) => r.information_accuracy,
    producedAt: (r: ReportRow) => r.produced_at,
    label,
    organisedCrimeGroup: (r: ReportRow, _: unknown, ctx: SubgraphContext) => (r.ocg_id ? ocgById(ctx).load(r.ocg_id) : null),
  },
  OrganisedCrimeGroup: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ocgById(ctx).load(ref.id),
    activities: (o: OcgRow) => list(o.activities),
    countries: (o: OcgRow) => list(o.countries),
    label,
    members: (o: OcgRow, _: unknown, ctx: SubgraphContext) => membersByOcg(ctx).load(o.id),
    intelligenceReports: (o: OcgRow, _: unknown, ctx: SubgraphContext) => reportsByOcg(ctx).load(o.id),
  },
  OcgMember: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => memberById(ctx).load(ref.id),
    dateOfBirth: (m: MemberRow) => m.date_of_birth,
    label,
  },
  AnalysisProject: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => projectById(ctx).load(ref.id),
    label,
  },
  Container: {
    // Europol holds no container rows: the key is all it needs to find its own links.
    __resolveReference: (ref: { number: string }) => ({ number: ref.number }),
    sienaMessages: (c: { number: string }, _: unknown, ctx: SubgraphContext) => messagesByContainer(ctx).load(c.number),
    intelligenceReports: (c: { number: string }, _: unknown, ctx: SubgraphContext) => reportsByContainer(ctx).load(c.number),
    europolHit: async (c: { number: string }, _: unknown, ctx: SubgraphContext) => {
      const row = await containerHit(ctx).load(c.number);
      return row ? { hit: true, reference: row.reference } : NO_HIT;
    },
  },
  Investigation: {
    __resolveReference: (ref: InvestigationKey) => ({ agency: ref.agency, localId: ref.localId }),
    europolSupport: async (i: InvestigationKey, _: unknown, ctx: SubgraphContext) =>
      (await supportByInvestigation(ctx).load({ agency: i.agency, localId: i.localId })) !== null,
    analysisProject: async (i: InvestigationKey, _: unknown, ctx: SubgraphContext) => {
      const support = await supportByInvestigation(ctx).load({ agency: i.agency, localId: i.localId });
      return support?.analysis_project_id ? projectById(ctx).load(support.analysis_project_id) : null;
    },
  },
};
