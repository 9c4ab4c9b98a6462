import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * MAOC-N's subgraph. Write only your own types here: the kit puts the Federation 2 `@link`,
 * the identifier scalars and `RecordLabel` in front. Composition imports this module alone.
 *
 * Nullability rule (subgraphs/README.md): every output field is nullable, lists are `[T!]`,
 * only `@key` fields stay non-null, so a field a policy denies can come back as `null`.
 */
export const maocSdl = /* GraphQL */ `
  "A record MAOC-N keeps; replace it with your agency's own entities."
  type MaocRecord @key(fields: "id") {
    id: ID!
    title: String
    recordedOn: LocalDate
    label: RecordLabel
  }

  type Query {
    "One of MAOC-N's records by its id."
    maocRecord(id: ID!): MaocRecord
    "MAOC-N's records, newest first (at most 100)."
    maocRecords(first: Int = 20): [MaocRecord!]
  }
`;

export const typeDefs = subgraphTypeDefs(maocSdl);
