import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema, isEnumType, isObjectType, isScalarType, parse, type GraphQLObjectType } from 'graphql';
import Database from 'better-sqlite3';
import { LABEL_COLUMNS, federationLink, kitTypeDefs, subgraphTypeDefs } from '..';
import { scalarResolvers } from '../../scalars';

describe('subgraphTypeDefs', () => {
  const schema: GraphQLSchema = buildSubgraphSchema({
    typeDefs: subgraphTypeDefs('type Query { ping: String }'),
    resolvers: { ...scalarResolvers } as never,
  });

  it('declares the kit scalars, HandlingCode and RecordLabel', () => {
    for (const name of ['ContainerNumber', 'IMO', 'IBAN', 'UNLocode', 'DateTime', 'LocalDate']) {
      expect(isScalarType(schema.getType(name))).toBe(true);
    }
    const handling = schema.getType('HandlingCode');
    expect(isEnumType(handling) && handling.getValues().map((v) => v.name)).toEqual(['H0', 'H1', 'H2', 'H3']);
    const label = schema.getType('RecordLabel') as GraphQLObjectType;
    expect(isObjectType(label)).toBe(true);
    expect(Object.keys(label.getFields())).toEqual(['owner', 'handling', 'handlingNote', 'releasableTo', 'caseRefs', 'europolSupport', 'origin']);
    expect(String(label.getFields()['handling']?.type)).toBe('[HandlingCode!]!');
  });

  it('reports a syntax error of the agency SDL at its own line', () => {
    let error: unknown;
    try {
      subgraphTypeDefs('type Query {\n  ping: \n}');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ message: 'Syntax Error: Expected Name, found "}".', locations: [{ line: 3, column: 1 }] });
  });

  it('composes two subgraphs that both carry the kit SDL', () => {
    const a = subgraphTypeDefs('type Query { a: Container } type Container @key(fields: "number") { number: ContainerNumber! label: RecordLabel! }');
    const b = subgraphTypeDefs('type Query { b: String } type Container @key(fields: "number") { number: ContainerNumber! seenAt: UNLocode label2: RecordLabel }');
    const result = composeServices([
      { name: 'customs', typeDefs: a, url: 'http://127.0.0.1:1/graphql' },
      { name: 'police', typeDefs: b, url: 'http://127.0.0.1:2/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.supergraphSdl).toContain('type RecordLabel');
  });

  it('exports text that parses on its own', () => {
    expect(() => parse(`${federationLink}\n${kitTypeDefs}`)).not.toThrow();
  });
});

describe('LABEL_COLUMNS', () => {
  it('is a valid column list with the documented defaults', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, ${LABEL_COLUMNS})`);
    db.prepare("INSERT INTO t (id, owner) VALUES (1, 'NL-POLICE')").run();
    expect(db.prepare('SELECT owner, handling, handling_note, releasable_to, case_refs, europol_support FROM t').get()).toEqual({
      owner: 'NL-POLICE', handling: '', handling_note: null, releasable_to: '', case_refs: '', europol_support: 0,
    });
    expect(() => db.prepare('INSERT INTO t (id) VALUES (2)').run()).toThrow(/NOT NULL constraint failed: t.owner/);
    db.close();
  });
});
