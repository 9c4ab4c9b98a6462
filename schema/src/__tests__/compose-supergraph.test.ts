import { parse } from 'graphql';
import { subgraphTypeDefs } from '@pactum/subgraph-kit';
import { agencySubgraphs, composeSupergraph, formatCompositionProblems, loadSupergraphSdl } from '../index';

describe('composeSupergraph', () => {
  it('composes the four agency subgraphs without errors', () => {
    const result = composeSupergraph();
    if ('errors' in result) throw new Error(formatCompositionProblems(result.errors));
    expect(result.sdl).toContain('join__Graph');
    for (const name of ['POLICE', 'CUSTOMS', 'EUROJUST', 'EUROPOL']) expect(result.sdl).toContain(`${name} @join__graph(name: "${name.toLowerCase()}"`);
  });

  it('matches the committed schema/supergraph.graphql (run `npm run compose` when this fails)', () => {
    const result = composeSupergraph();
    expect('sdl' in result && result.sdl).toBe(loadSupergraphSdl());
  });

  it('reports a conflict readably, naming the subgraphs and the coordinate', () => {
    // Customs says a container's ownerCode is a String, a rogue subgraph says Int: composition must refuse.
    const rogue = { name: 'rogue', url: 'http://127.0.0.1:4999/graphql', typeDefs: subgraphTypeDefs('type Container @key(fields: "number") { number: ContainerNumber! ownerCode: Int @shareable } type Query { rogue: Int }') };
    const result = composeSupergraph([...agencySubgraphs(), rogue]);
    expect('errors' in result).toBe(true);
    if (!('errors' in result)) return;
    const text = formatCompositionProblems(result.errors);
    expect(text).toContain('Container.ownerCode');
    expect(text).toContain('FIELD_TYPE_MISMATCH [customs, rogue] Container.ownerCode:');
    expect(result.errors[0]?.code).toMatch(/^[A-Z_]+$/);
  });

  it('reports invalid subgraph SDL with the subgraph name', () => {
    const broken = { name: 'broken', url: 'http://127.0.0.1:4998/graphql', typeDefs: parse('type Query { x: Unknown }') };
    const result = composeSupergraph([broken]);
    expect('errors' in result && formatCompositionProblems(result.errors)).toMatch(/\[broken\].*Unknown/);
  });
});
