import { labelFromRow, scalarResolvers, type GraphQLResolverMap, type LabelRow, type SubgraphContext } from '@pactum/subgraph-kit';
import { caseByKey, casesByInvestigation, jitById, linksByCase, mlaByCase, mlaById, warrantById, warrantsByCase } from './loaders';
import type { CaseKey, CaseRow, JitRow, LinkRow, MlaRow, WarrantRow } from './rows';

const label = (row: LabelRow) => labelFromRow(row);
const list = (json: string) => JSON.parse(json) as string[];

/** National agencies whose investigations another subgraph owns (and so can be referenced). */
const INVESTIGATION_OWNERS: ReadonlySet<string> = new Set(['NL-POLICE']);

/** The Eurojust subgraph's resolvers (scalars included). */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    judicialCase: (_: unknown, args: { localId: string }, ctx: SubgraphContext) => caseByKey(ctx).load({ agency: 'EUROJUST', localId: args.localId }),
    jit: (_: unknown, args: { id: string }, ctx: SubgraphContext) => jitById(ctx).load(args.id),
  },
  JudicialCase: {
    __resolveReference: (ref: CaseKey, ctx: SubgraphContext) => caseByKey(ctx).load({ agency: ref.agency, localId: ref.localId }),
    localId: (c: CaseRow) => c.local_id,
    countries: (c: CaseRow) => list(c.countries),
    openedAt: (c: CaseRow) => c.opened_at,
    label,
    jit: (c: CaseRow, _: unknown, ctx: SubgraphContext) => (c.jit_id ? jitById(ctx).load(c.jit_id) : null),
    mlaRequests: (c: CaseRow, _: unknown, ctx: SubgraphContext) => mlaByCase(ctx).load(c.local_id),
    arrestWarrants: (c: CaseRow, _: unknown, ctx: SubgraphContext) => warrantsByCase(ctx).load(c.local_id),
    nationalCases: (c: CaseRow, _: unknown, ctx: SubgraphContext) => linksByCase(ctx).load(c.local_id),
  },
  Jit: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => jitById(ctx).load(ref.id),
    members: (j: JitRow) => list(j.members),
    validFrom: (j: JitRow) => j.valid_from,
    validTo: (j: JitRow) => j.valid_to,
    label,
  },
  NationalCaseRef: {
    localId: (l: LinkRow) => l.local_id,
    investigation: (l: LinkRow) => (INVESTIGATION_OWNERS.has(l.agency) ? { agency: l.agency, localId: l.local_id } : null),
  },
  MlaRequest: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => mlaById(ctx).load(ref.id),
    fromCountry: (m: MlaRow) => m.from_country,
    toCountry: (m: MlaRow) => m.to_country,
    sentAt: (m: MlaRow) => m.sent_at,
    label,
  },
  ArrestWarrant: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => warrantById(ctx).load(ref.id),
    issuingCountry: (w: WarrantRow) => w.issuing_country,
    subjectName: (w: WarrantRow) => w.subject_name,
    subjectDateOfBirth: (w: WarrantRow) => w.subject_date_of_birth,
    issuedAt: (w: WarrantRow) => w.issued_at,
    label,
  },
  Investigation: {
    // Eurojust holds no investigation rows, only links: the key is all it needs.
    __resolveReference: (ref: CaseKey) => ({ agency: ref.agency, localId: ref.localId }),
    judicialCases: (i: CaseKey, _: unknown, ctx: SubgraphContext) => casesByInvestigation(ctx).load({ agency: i.agency, localId: i.localId }),
  },
};
