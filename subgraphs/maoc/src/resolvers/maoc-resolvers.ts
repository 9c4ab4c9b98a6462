import { GraphQLError } from 'graphql';
import { dbOf, labelFromRow, scalarResolvers, type GraphQLResolverMap, type SubgraphContext } from '@pactum/subgraph-kit';
import {
  containersByInterdiction,
  interdictionById,
  interdictionsByContainer,
  interdictionsByImo,
  trackingReportById,
  trackingReportsByImo,
  vesselOfInterestById,
  vesselOfInterestByImo,
  type InterdictionRow,
  type TrackingReportRow,
  type VesselOfInterestRow,
} from './loaders';

const MAX_PAGE = 100;

function page(field: string, first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new GraphQLError(`${field}: first must be between 0 and ${MAX_PAGE}, not ${first}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return first;
}

const vesselRef = (r: { vessel_imo: string }) => ({ __typename: 'Vessel', imo: r.vessel_imo });

export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    vesselsOfInterest: (_: unknown, a: { first: number }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare('SELECT * FROM vessels_of_interest ORDER BY listed_on DESC, id LIMIT ?').all(page('vesselsOfInterest', a.first)),
    interdiction: (_: unknown, a: { id: string }, ctx: SubgraphContext) => interdictionById(ctx).load(a.id),
    interdictions: (_: unknown, a: { first: number }, ctx: SubgraphContext) =>
      dbOf(ctx).prepare('SELECT * FROM interdictions ORDER BY interdicted_at DESC, id LIMIT ?').all(page('interdictions', a.first)),
  },
  Vessel: {
    maocInterest: (v: { imo: string }, _: unknown, ctx: SubgraphContext) => vesselOfInterestByImo(ctx).load(v.imo),
    interdictions: (v: { imo: string }, _: unknown, ctx: SubgraphContext) => interdictionsByImo(ctx).load(v.imo),
    trackingReports: (v: { imo: string }, _: unknown, ctx: SubgraphContext) => trackingReportsByImo(ctx).load(v.imo),
  },
  Container: {
    interdictions: (c: { number: string }, _: unknown, ctx: SubgraphContext) => interdictionsByContainer(ctx).load(c.number),
  },
  VesselOfInterest: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => vesselOfInterestById(ctx).load(ref.id),
    vessel: vesselRef,
    listedOn: (r: VesselOfInterestRow) => r.listed_on,
    riskLevel: (r: VesselOfInterestRow) => r.risk_level,
    label: (r: VesselOfInterestRow) => labelFromRow(r),
  },
  Interdiction: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => interdictionById(ctx).load(ref.id),
    interdictedAt: (r: InterdictionRow) => r.interdicted_at,
    seaArea: (r: InterdictionRow) => r.sea_area,
    vessel: vesselRef,
    actingCountry: (r: InterdictionRow) => r.acting_country,
    actingAsset: (r: InterdictionRow) => r.acting_asset,
    quantityKg: (r: InterdictionRow) => r.quantity_kg,
    containers: async (r: InterdictionRow, _: unknown, ctx: SubgraphContext) =>
      (await containersByInterdiction(ctx).load(r.id)).map((c) => ({ __typename: 'Container', number: c.container_number })),
    label: (r: InterdictionRow) => labelFromRow(r),
  },
  TrackingReport: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => trackingReportById(ctx).load(ref.id),
    vessel: vesselRef,
    reportedAt: (r: TrackingReportRow) => r.reported_at,
    aisGapHours: (r: TrackingReportRow) => r.ais_gap_hours,
    nearPort: (r: TrackingReportRow) => r.near_port,
    label: (r: TrackingReportRow) => labelFromRow(r),
  },
};
