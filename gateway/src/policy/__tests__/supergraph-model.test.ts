import { loadSupergraphSdl } from '@pactum/schema';
import { parseSupergraph } from '../supergraph-model';
import { fixtureSupergraph } from './helpers/fixture-policy';

describe('reading ownership from the supergraph', () => {
  const sg = parseSupergraph(loadSupergraphSdl());

  it('an entity several subgraphs contribute to is owned by the subgraph labelling it; its fields by their resolvers', () => {
    const container = sg.types.get('Container');
    expect(container?.owningGraph).toBe('customs');
    expect(container?.keyFields).toEqual(['number']);
    expect(container?.fields.get('investigations')?.graphs).toEqual(['police']);
    expect(container?.fields.get('sienaMessages')?.graphs).toEqual(['europol']);
    const investigation = sg.types.get('Investigation');
    expect(investigation?.owningGraph).toBe('police');
    expect(investigation?.keyFields).toEqual(['agency', 'localId']);
    expect(investigation?.fields.get('judicialCases')?.graphs).toEqual(['eurojust']);
  });

  it('shared value types are recognised; labelled types too', () => {
    expect(sg.types.get('RecordLabel')?.sharedValueType).toBe(true);
    expect(sg.types.get('Hit')?.sharedValueType).toBe(true);
    expect(sg.types.get('Query')?.sharedValueType).toBe(false);
    expect(sg.types.get('Seizure')?.labelled).toBe(true);
    expect(sg.types.get('Vessel')?.labelled).toBe(false);
  });

  it('join/link machinery is not part of the model', () => {
    expect([...sg.types.keys()].some((n) => n.startsWith('join__') || n.startsWith('link__'))).toBe(false);
    expect(sg.graphs).toEqual(['customs', 'eurojust', 'europol', 'maoc', 'police']);
  });

  it('external declarations do not resolve a field; @inaccessible fields are left out', () => {
    const fx = parseSupergraph(fixtureSupergraph());
    expect(fx.types.get('Seizure')?.fields.get('id')?.graphs).toEqual(['customs']);
    expect(fx.types.get('Query')?.fields.has('internalAudit')).toBe(false);
  });

  it('refuses an SDL that is not a composed supergraph', () => {
    expect(() => parseSupergraph('type Query { a: Int }')).toThrow(/not a composed supergraph/);
  });
});
