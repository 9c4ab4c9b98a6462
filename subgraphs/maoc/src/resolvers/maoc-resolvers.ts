import { GraphQLError } from 'graphql';
import { dbOf, labelFromRow, scalarResolvers, type GraphQLResolverMap, type SubgraphContext } from '@pactum/subgraph-kit';
import { recordById, type RecordRow } from './loaders';

const MAX_PAGE = 100;

export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  ...scalarResolvers,
  Query: {
    maocRecord: (_: unknown, args: { id: string }, ctx: SubgraphContext) => recordById(ctx).load(args.id),
    maocRecords: (_: unknown, args: { first: number }, ctx: SubgraphContext) => {
      if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_PAGE) {
        throw new GraphQLError(`maocRecords: first must be between 0 and ${MAX_PAGE}, not ${args.first}`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      return dbOf(ctx).prepare('SELECT * FROM records ORDER BY recorded_on DESC, id LIMIT ?').all(args.first);
    },
  },
  MaocRecord: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => recordById(ctx).load(ref.id),
    recordedOn: (r: RecordRow) => r.recorded_on,
    // Fails closed on a malformed stored label.
    label: (r: RecordRow) => labelFromRow(r),
  },
};
