import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { aliasLimitRule, depthLimitRule, INTROSPECTION_MAX_DEPTH } from '../index';

const schema = buildSchema(`
  type Query { node: Node, leaf: String }
  type Node { child: Node, name: String }
`);

function errors(query: string, rules = [depthLimitRule(4), aliasLimitRule(3)]): GraphQLError[] {
  return [...validate(schema, parse(query), [...specifiedRules, ...rules])];
}

/** `{ node { child { child … { name } } } }` with `depth` levels in all. */
function nested(depth: number): string {
  let inner = 'name';
  for (let i = 1; i < depth - 1; i++) inner = `child { ${inner} }`;
  return `{ node { ${inner} } }`;
}

describe('depthLimitRule', () => {
  it('lets an operation at the limit through and refuses one level more, naming both figures', () => {
    expect(errors(nested(4))).toEqual([]);
    const refused = errors(nested(5));
    expect(refused.map((e) => [e.message, e.extensions])).toEqual([['operation is nested 5 levels deep; the limit is 4', { code: 'BAD_USER_INPUT', reason: 'limit_depth' }]]);
  });

  it('counts through named and inline fragments, and does not loop on a fragment cycle', () => {
    expect(errors('{ node { ...A } } fragment A on Node { child { child { ... on Node { child { name } } } } }')[0]?.message).toBe(
      'operation is nested 5 levels deep; the limit is 4',
    );
    const cycle = errors('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }');
    expect(cycle.some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
  });

  it('walks each fragment once: a fan-out of 2^30 fields is measured in milliseconds', () => {
    const defs = ['fragment F30 on Node { name }'];
    for (let i = 29; i >= 0; i--) defs.push(`fragment F${i} on Node { ...F${i + 1} child { ...F${i + 1} } }`);
    const t0 = Date.now();
    const found = [...validate(schema, parse(`{ node { ...F0 } } ${defs.join(' ')}`), [depthLimitRule(4)])];
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(found[0]?.message).toBe('operation is nested 32 levels deep; the limit is 4');
  });

  it('holds introspection to its own ceiling: the standard GraphiQL query passes a data limit of 4', () => {
    expect(errors(getIntrospectionQuery())).toEqual([]);
    // Mixed with data, the data part is still held to the data limit.
    expect(errors(`{ __schema { queryType { name } } ${nested(5).slice(1, -1)} }`)[0]?.message).toBe('operation is nested 5 levels deep; the limit is 4');
  });

  it(`refuses introspection nested deeper than ${INTROSPECTION_MAX_DEPTH} levels`, () => {
    let inner = 'name';
    for (let i = 0; i < INTROSPECTION_MAX_DEPTH; i++) inner = `ofType { ${inner} }`;
    const refused = errors(`{ __type(name: "Node") { ${inner} } }`);
    expect(refused.map((e) => e.message)).toEqual([`introspection is nested ${INTROSPECTION_MAX_DEPTH + 2} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}`]);
    expect(refused[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'limit_depth' });
  });
});

describe('aliasLimitRule', () => {
  it('allows up to the limit of aliases in the whole document and refuses once, past it', () => {
    expect(errors('{ a: leaf b: leaf c: leaf }')).toEqual([]);
    const refused = errors('{ a: leaf b: leaf node { c: name d: name e: name } }');
    expect(refused.map((e) => [e.message, e.extensions])).toEqual([['operation uses more than 3 aliases', { code: 'BAD_USER_INPUT', reason: 'limit_aliases' }]]);
  });
});
