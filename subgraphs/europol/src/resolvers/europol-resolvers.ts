import { dbOf, defineHitReferences, labelFromRow, nameKey, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import { EUROPOL_HIT_REFERENCES } from './europol-hit-references';
import {
  containerMentioned, memberById, membersByOcg, messageById, messagesByContainer, ocgById, projectById, reportById, reportsByContainer, reportsByOcg,
  supportByInvestigation,
} from './loaders';
import type { InvestigationKey, MemberRow, MessageRow, OcgRow, ReportRow } from './rows';

const label = (row: LabelRow) => labelFromRow(row);
const list = (json: string) => JSON.parse(json) as string[];
const NO_HIT = { hit: false, reference: null };

/** Options of {@link createEuropolResolvers}. */
export interface EuropolResolverOptions {
  /** Lifetime of the hit references issued, in seconds (default 24 h; `main.ts` reads `PACTUM_HIT_REFERENCE_TTL_SEC`). */
  hitReferenceTtlSec?: number;
  /** The clock hit references are issued and expire by (tests). Default: the system clock. */
  now?: () => Date;
}

/**
 * The Europol subgraph's resolvers (scalars included). A hit check issues a reference to the
 * caller's agency (from the verified context token); the follow-up answers only a reference
 * issued to that agency and not yet expired, and anything else exactly like an unknown one.
 */
export function createEuropolResolvers(options: EuropolResolverOptions = {}): GraphQLResolverMap<SubgraphContext> {
  const hits = defineHitReferences({
    ...EUROPOL_HIT_REFERENCES,
    ...(options.hitReferenceTtlSec !== undefined ? { ttlSec: options.hitReferenceTtlSec } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return {
    ...scalarResolvers,
    Query: {
      ocg: (_: unknown, args: { id: string }, ctx: SubgraphContext) => ocgById(ctx).load(args.id),
      europolPersonHit: async (_: unknown, args: { name: string; dateOfBirth: string }, ctx: SubgraphContext) => {
        const row = dbOf(ctx).prepare('SELECT id FROM ocg_members WHERE name_key = ? AND date_of_birth = ? ORDER BY id LIMIT 1')
          .get(nameKey(args.name), args.dateOfBirth) as { id: string } | undefined;
        return row ? { hit: true, reference: await hits.issue(ctx, 'person', row.id) } : NO_HIT;
      },
      europolHitFollowUp: (_: unknown, args: { reference: string }, ctx: SubgraphContext) => {
        const id = hits.resolve(ctx, 'person', args.reference);
        return id === undefined ? null : memberById(ctx).load(id);
      },
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
      europolHit: async (c: { number: string }, _: unknown, ctx: SubgraphContext) =>
        (await containerMentioned(ctx).load(c.number)) ? { hit: true, reference: await hits.issue(ctx, 'container', c.number) } : NO_HIT,
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
}

