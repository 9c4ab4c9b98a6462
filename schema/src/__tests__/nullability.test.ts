import { parse } from 'graphql';
import { subgraphTypeDefs } from '@pactum/subgraph-kit';
import { agencySubgraphs, findNonNullFields, loadApiSchema } from '../index';

describe('need-to-know nullability (every deniable field is nullable)', () => {
  it.each(agencySubgraphs().map((s) => [s.name, s] as const))('%s declares no non-null field besides keys and shared value types', (_name, subgraph) => {
    expect(findNonNullFields(subgraph.typeDefs)).toEqual([]);
  });

  it('the composed API schema agrees: a denied ContainerDossier branch cannot null its parent', () => {
    const schema = loadApiSchema();
    const container = schema.getType('Container');
    if (!container || !('getFields' in container)) throw new Error('Container missing from the supergraph');
    const fields = container.getFields();
    expect(String(fields['sienaMessages']?.type)).toBe('[SienaMessage!]');
    expect(String(fields['label']?.type)).toBe('RecordLabel');
    expect(String(fields['policeHit']?.type)).toBe('Hit');
    expect(String(fields['number']?.type)).toBe('ContainerNumber!');
  });

  it('finds non-null non-key fields, including root fields and entity extensions', () => {
    const sdl = subgraphTypeDefs(`
      type Case @key(fields: "agency localId") { agency: String! localId: String! title: String! notes: [String!]! label: RecordLabel }
      type Container @key(fields: "number") { number: ContainerNumber! cases: [Case!]! }
      type Query { case(localId: String!): Case! hits: [Case!] }
    `);
    expect(findNonNullFields(sdl)).toEqual(['Case.title', 'Case.notes', 'Container.cases', 'Query.case']);
  });

  it('keeps key fields (also nested key selections), RecordLabel and Hit.hit non-null', () => {
    const sdl = subgraphTypeDefs(`
      type Person @key(fields: "id issuer { id }") { id: ID! issuer: Issuer! name: String }
      type Issuer { id: ID }
      type Hit @shareable { hit: Boolean! reference: String }
      type Query { hit(name: String!): Hit }
    `);
    expect(findNonNullFields(sdl)).toEqual([]);
    expect(findNonNullFields(parse('type Issuer { id: ID! name: String }'))).toEqual(['Issuer.id']);
  });
});
