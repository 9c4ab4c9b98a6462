import { dbOf, labelFromRow, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import { GraphQLError } from 'graphql';
import {
  companyByEuid, containerByNumber, declarationsByContainer, declarationsByImporter, portCallsByContainer, portCallsByVessel,
  scansByContainer, seizureById, seizuresByContainer, vesselByImo,
} from './loaders';
import type { CompanyRow, ContainerRow, DeclarationRow, PortCallRow, ScanRow, SeizureRow, VesselRow } from './rows';

/** Largest page `seizures(first:)` returns. */
export const MAX_SEIZURES_PAGE = 100;

const label = (row: LabelRow) => labelFromRow(row);

/** The customs subgraph's resolvers (scalars included). */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    container: (_: unknown, args: { number: string }, ctx: SubgraphContext) => containerByNumber(ctx).load(args.number),
    vessel: (_: unknown, args: { imo: string }, ctx: SubgraphContext) => vesselByImo(ctx).load(args.imo),
    company: (_: unknown, args: { euid: string }, ctx: SubgraphContext) => companyByEuid(ctx).load(args.euid),
    seizures: (_: unknown, args: { port?: string | null; first?: number | null }, ctx: SubgraphContext) => {
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 0 || first > MAX_SEIZURES_PAGE) {
        throw new GraphQLError(`seizures: first must be between 0 and ${MAX_SEIZURES_PAGE}, not ${first}`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const db = dbOf(ctx);
      return args.port
        ? db.prepare('SELECT * FROM seizures WHERE port = ? ORDER BY seized_at DESC, id LIMIT ?').all(args.port, first)
        : db.prepare('SELECT * FROM seizures ORDER BY seized_at DESC, id LIMIT ?').all(first);
    },
  },
  Container: {
    __resolveReference: (ref: { number: string }, ctx: SubgraphContext) => containerByNumber(ctx).load(ref.number),
    ownerCode: (c: ContainerRow) => c.owner_code,
    sizeType: (c: ContainerRow) => c.size_type,
    reefer: (c: ContainerRow) => c.reefer === 1,
    label,
    declarations: (c: ContainerRow, _: unknown, ctx: SubgraphContext) => declarationsByContainer(ctx).load(c.number),
    scans: (c: ContainerRow, _: unknown, ctx: SubgraphContext) => scansByContainer(ctx).load(c.number),
    seizures: (c: ContainerRow, _: unknown, ctx: SubgraphContext) => seizuresByContainer(ctx).load(c.number),
    portCalls: (c: ContainerRow, _: unknown, ctx: SubgraphContext) => portCallsByContainer(ctx).load(c.number),
  },
  Vessel: {
    __resolveReference: (ref: { imo: string }, ctx: SubgraphContext) => vesselByImo(ctx).load(ref.imo),
    portCalls: (v: VesselRow, _: unknown, ctx: SubgraphContext) => portCallsByVessel(ctx).load(v.imo),
  },
  Company: {
    __resolveReference: (ref: { euid: string }, ctx: SubgraphContext) => companyByEuid(ctx).load(ref.euid),
    vatNumber: (c: CompanyRow) => c.vat_number,
    label,
    declarations: (c: CompanyRow, _: unknown, ctx: SubgraphContext) => declarationsByImporter(ctx).load(c.euid),
  },
  CustomsDeclaration: {
    importer: (d: DeclarationRow, _: unknown, ctx: SubgraphContext) => (d.importer_euid ? companyByEuid(ctx).load(d.importer_euid) : null),
    goodsDescription: (d: DeclarationRow) => d.goods_description,
    hsCode: (d: DeclarationRow) => d.hs_code,
    lodgedAt: (d: DeclarationRow) => d.lodged_at,
    label,
  },
  Scan: {
    scannedAt: (s: ScanRow) => s.scanned_at,
    label,
  },
  Seizure: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => seizureById(ctx).load(ref.id),
    container: (s: SeizureRow, _: unknown, ctx: SubgraphContext) => containerByNumber(ctx).load(s.container_number),
    seizedAt: (s: SeizureRow) => s.seized_at,
    quantityKg: (s: SeizureRow) => s.quantity_kg,
    label,
  },
  PortCall: {
    vessel: (p: PortCallRow, _: unknown, ctx: SubgraphContext) => vesselByImo(ctx).load(p.vessel_imo),
    arrivedAt: (p: PortCallRow) => p.arrived_at,
    departedAt: (p: PortCallRow) => p.departed_at,
    label,
  },
};
