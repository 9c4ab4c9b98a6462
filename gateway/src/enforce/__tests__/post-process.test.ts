/**
 * Post-processing on hand-made gateway results (plans from the real rewrite): error paths,
 * labels that cannot be read, query order, conditions, nullable list items, unknown types.
 */
import { GraphQLError, parse } from 'graphql';
import { postProcess, rewriteOperation } from '../index';
import { fakeProfile, fixtureFacts, releasableTo } from './fixtures/fake-policy';
import { composeFixture } from './fixtures/fixture-subgraphs';

const { apiSchema: schema } = composeFixture();
const be = fakeProfile({
  key: 'be',
  allow: ['Query.*', 'Container.number', 'Container.portCalls', 'PortCall.*', 'Seizure.id', 'Container.seizures'],
  row: ['Seizure.substance', 'Seizure.quantityKg'],
  deny: { 'Container.ownerCode': 'NO_AGREEMENT' },
  rows: { Seizure: releasableTo('BE-POLICE') },
  labelSubfields: ['owner', 'handling', 'releasableTo'],
});
const plan = (query: string) => rewriteOperation({ schema, document: parse(query), profile: be, facts: fixtureFacts }).plan;
const lbl = (handling: string[], releasable = ['BE-POLICE']) => ({ owner: 'NL-CUSTOMS', handling, releasableTo: releasable });

describe('postProcess', () => {
  it('drops errors under withheld rows and injected selections, re-indexes the others', () => {
    // Container.number is not selected, so its key is injected; Seizure.id is, so the key is read from it.
    const p = plan('{ container(number: "X") { seizures { id substance } } }');
    const data = {
      container: {
        __pactum_key_Container_number: 'X',
        seizures: [
          { id: 'S0', substance: null, __pactum_label_Seizure: lbl(['H2']) },
          { id: 'S1', substance: null, __pactum_label_Seizure: null },
          { id: 'S2', substance: null, __pactum_label_Seizure: lbl(['H0']) },
        ],
      },
    };
    const errors = [
      new GraphQLError('under withheld row', { path: ['container', 'seizures', 0, 'substance'] }),
      new GraphQLError('label failed', { path: ['container', 'seizures', 1, '__pactum_label_Seizure'] }),
      new GraphQLError('kept row', { path: ['container', 'seizures', 2, 'substance'] }),
      new GraphQLError('key failed', { path: ['container', '__pactum_key_Container_number'] }),
      new GraphQLError('no path'),
    ];
    const r = postProcess({ data, errors }, p);
    expect(JSON.stringify(r.data)).toBe(JSON.stringify({ container: { seizures: [{ id: 'S2', substance: null }] } }));
    expect(r.errors.map((e) => [e.message, e.path])).toEqual([
      ['kept row', ['container', 'seizures', 0, 'substance']],
      ['no path', undefined],
    ]);
    // The unreadable label (null) withholds its row, fail closed.
    expect(r.rowDenials.map((d) => [d.key, d.reason])).toEqual([
      ['S0', 'HANDLING_RESTRICTED'],
      ['S1', 'NOT_RELEASABLE'],
    ]);
    expect(r.released).toEqual([
      { type: 'Seizure', key: 'S2', owner: 'NL-CUSTOMS' },
      { type: 'Container', key: 'X', owner: 'NL-CUSTOMS' },
    ]);
    expect(r.grants).toEqual(expect.arrayContaining([{ agreement: 'row-agreement', grant: 'g-row' }]));
  });

  it('decides every row on its own label, also where the rows before had the same one', () => {
    const p = plan('{ container(number: "X") { seizures { id substance } } }');
    const row = (id: string, label: unknown) => ({ id, substance: 'cocaine', __pactum_label_Seizure: label });
    const seizures = [
      row('S0', lbl(['H0'])),
      row('S1', lbl(['H0'])), // the very same values: released like S0
      row('S2', lbl(['H0'], ['NL-POLICE'])), // one list differs: not releasable to BE-POLICE
      row('S3', lbl(['H0'])),
      row('S4', { owner: 'NL-CUSTOMS', handling: ['H0'], releasableTo: [['BE-POLICE']] }), // same length as S3's, not a string: unreadable
      row('S5', lbl(['H0'], ['BE-POLICE', 'NL-POLICE'])), // longer list, still releasable
      row('S6', lbl(['H2'])), // a restricting handling code after rows without it
      row('S7', { owner: 'NL-CUSTOMS', handling: ['H0'] }), // a subfield missing
      row('S8', lbl(['H0'])),
    ];
    const r = postProcess({ data: { container: { __pactum_key_Container_number: 'X', seizures } } }, p);
    const kept = (r.data as { container: { seizures: { id: string }[] } }).container.seizures.map((s) => s.id);
    expect(kept).toEqual(['S0', 'S1', 'S3', 'S5', 'S8']);
    expect(r.rowDenials.map((d) => [d.key, d.reason])).toEqual([
      ['S2', 'NOT_RELEASABLE'],
      ['S4', 'NOT_RELEASABLE'],
      ['S6', 'HANDLING_RESTRICTED'],
      ['S7', 'NOT_RELEASABLE'],
    ]);
  });

  it('withholds a row whose label lacks a subfield the rules need', () => {
    const p = plan('{ container(number: "X") { seizures { quantityKg } } }');
    const data = { container: { __pactum_key_Container_number: 'X', seizures: [{ quantityKg: 1, __pactum_label_Seizure: { owner: 'NL-CUSTOMS', handling: ['H0'] }, __pactum_key_Seizure_id: 'S' }] } };
    const r = postProcess({ data }, p);
    expect(r.data).toEqual({ container: { seizures: [] } });
    expect(r.rowDenials[0]?.reason).toBe('NOT_RELEASABLE');
  });

  it('puts a denied field back in query order, once per object, and only when asked for', () => {
    const p = plan('query($own: Boolean!) { containers { number ... @include(if: $own) { ownerCode } portCalls { port } } }');
    const data = () => ({
      containers: [
        { number: 'A', portCalls: [] },
        { number: 'B', portCalls: [] },
      ],
    });
    const asked = postProcess({ data: data() }, p, { own: true });
    const list = (asked.data as { containers: object[] }).containers;
    expect(list.map((c) => Object.keys(c))).toEqual([
      ['number', 'ownerCode', 'portCalls'],
      ['number', 'ownerCode', 'portCalls'],
    ]);
    expect(asked.errors.map((e) => e.path)).toEqual([
      ['containers', 0, 'ownerCode'],
      ['containers', 1, 'ownerCode'],
    ]);
    // The key is read from the client's own `number` (nothing injected for it).
    expect(asked.released.map((e) => e.key)).toEqual(['A', 'B']);
    const notAsked = postProcess({ data: data() }, p, { own: false });
    expect(notAsked.errors).toEqual([]);
    expect(notAsked.data).toEqual({ containers: [{ number: 'A', portCalls: [] }, { number: 'B', portCalls: [] }] });
  });

  it('keeps null items of nullable lists and walks past them', () => {
    const p = plan('{ container(number: "X") { portCalls { port } } }');
    const data = { container: { __pactum_key_Container_number: 'X', portCalls: [null, { port: 'NLRTM' }] } };
    expect(postProcess({ data }, p).data).toEqual({ container: { portCalls: [null, { port: 'NLRTM' }] } });
  });

  it('leaves a null result alone and adds nothing', () => {
    const p = plan('{ container(number: "X") { number ownerCode } }');
    const r = postProcess({ data: null, errors: [new GraphQLError('subgraph down')] }, p);
    expect(r.data).toBeNull();
    expect(r.errors.map((e) => e.message)).toEqual(['subgraph down']);
  });

  it('refuses a response that does not match the plan (fail closed)', () => {
    const p = plan('{ search(term: "x") { ... on Seizure { id } } }');
    expect(() => postProcess({ data: { search: [{ id: 'S', __pactum_typename: 'Vessel' }] } }, p)).toThrow(/type the plan does not know/);
    const q = plan('{ container(number: "X") { seizures { id } } }');
    expect(() => postProcess({ data: { container: { seizures: { id: 'S' } } } }, q)).toThrow(/did not hold a list/);
  });
});
