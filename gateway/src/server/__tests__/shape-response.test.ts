import { buildSchema, operationFromDocument, type Operation } from '@apollo/federation-internals';
import * as federationInternals from '@apollo/federation-internals';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { installFastShaping, notePlan, planMayShareObjects, shapeFast, shapeQuickly } from '../shape-response';

// The very module object @apollo/gateway's executor reads computeResponse from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shaping = require(require.resolve('@apollo/gateway/dist/resultShaping', { paths: [require.resolve('@apollo/gateway')] })) as {
  computeResponse: (args: { operation: Operation; variables: Record<string, unknown> | undefined; input: Record<string, unknown>; introspectionHandling: () => unknown }) => {
    data: unknown;
    errors: { message: string; path?: readonly (string | number)[] }[];
  };
};
const original = shaping.computeResponse;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const execution = require(require.resolve('@apollo/gateway/dist/executeQueryPlan', { paths: [require.resolve('@apollo/gateway')] })) as {
  executeQueryPlan: { pactumNotesPlans?: true };
};

const schema = buildSchema(`
  type Query {
    items: [Item!]!
    node(id: ID!): Node
    things: [Thing]
    maybe: Item
    count: Int
    ratio: Float
    flag: Boolean
    kind: Kind
    stamp: DateTime
    ids: [ID]
  }
  scalar DateTime
  enum Kind { A B }
  interface Node { id: ID! }
  type Item implements Node { id: ID! name: String tags: [String!] child: Item nn: Item! }
  type Other implements Node { id: ID! code: Int }
  union Thing = Item | Other
`);

const op = (text: string): Operation => operationFromDocument(schema, parse(text), { validate: false });
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
const shapeOriginal = (operation: Operation, input: Record<string, unknown>, variables?: Record<string, unknown>) =>
  original({ operation, variables, input, introspectionHandling: () => null });

/** Inputs as the merged subgraph answers look: extra keys (what the plan fetched for joins) included. */
const cases: { name: string; query: string; input: Record<string, unknown>; variables?: Record<string, unknown> }[] = [
  {
    name: 'aliases, nested lists, a field selected twice (merged), extra keys dropped',
    query: '{ items { id name a: name child { id } ... on Item { child { name } tags } } }',
    input: {
      items: [
        { id: '1', name: 'x', a: 'x', child: { id: '2', name: 'y', extra: 1 }, tags: ['t'], __typename: 'Item' },
        { id: 3, name: null, a: null, child: null, tags: null },
      ],
      unrelated: true,
    },
  },
  {
    name: 'abstract types: type conditions by __typename, aliased __typename, unknown member skipped',
    query: '{ node(id: "1") { __typename id ... on Item { name } ... on Other { code } } things { ... on Other { code } t: __typename ... on Node { id } } }',
    input: {
      node: { __typename: 'Other', id: '9', code: 4 },
      things: [{ __typename: 'Item', id: '1' }, null, { __typename: 'Other', id: '2', code: 7 }],
    },
  },
  {
    name: '@skip / @include with variables, defaults and literals',
    query: 'query Q($s: Boolean = true, $i: Boolean!) { items { id @skip(if: $s) name @include(if: $i) } count @include(if: false) flag @skip(if: false) }',
    input: { items: [{ id: '1', name: 'n' }], count: 3, flag: true },
    variables: { i: true },
  },
  {
    name: 'leaves of every kind, nulls where allowed',
    query: '{ count ratio flag kind stamp ids maybe { id } }',
    input: { count: -42, ratio: 1.5, flag: false, kind: 'B', stamp: { any: ['thing'] }, ids: ['a', 7, null], maybe: null },
  },
];

describe('shapeFast', () => {
  it.each(cases)('shapes like @apollo/gateway: $name', ({ query, input, variables }) => {
    const operation = op(query);
    const expected = shapeOriginal(operation, structuredClone(input), variables);
    expect(expected.errors).toEqual([]);
    // Each shaping gets an answer of its own, as each execution does (the walk may reuse its objects).
    const fast = shapeFast(operation, variables, structuredClone(input), federationInternals);
    expect(fast).toBeDefined();
    expect(plain(fast)).toEqual(plain(expected.data));
    // The same text, key order included (what the client receives).
    expect(JSON.stringify(fast)).toBe(JSON.stringify(expected.data));
    // Repeated (compiled program and type-condition memo reused): the same.
    expect(JSON.stringify(shapeFast(operation, variables, structuredClone(input), federationInternals))).toBe(JSON.stringify(expected.data));
  });

  const left: { name: string; query: string; input: Record<string, unknown>; variables?: Record<string, unknown> }[] = [
    { name: 'null in a non-null position', query: '{ items { id nn { id } } }', input: { items: [{ id: '1', nn: null }] } },
    { name: 'a value outside its enum', query: '{ kind }', input: { kind: 'C' } },
    { name: 'a non-integer Int', query: '{ count }', input: { count: 1.5 } },
    { name: 'a string where a Boolean is due', query: '{ flag }', input: { flag: 'yes' } },
    { name: 'an unknown __typename', query: '{ maybe { id } }', input: { maybe: { __typename: 'Nope', id: '1' } } },
    { name: 'a non-Boolean @skip variable', query: 'query Q($s: Boolean) { count @skip(if: $s) }', input: { count: 1 }, variables: { s: 'no' } },
  ];
  it.each(left)('leaves to the original what it reports an error for: $name', ({ query, input, variables }) => {
    const operation = op(query);
    expect(shapeFast(operation, variables, input, federationInternals)).toBeUndefined();
  });

  it('shapes rows in the answer\'s own objects when their keys come in selection order, and copies the rest', () => {
    const operation = op('{ items { id name child { id name } } }');
    const inOrder = { id: '1', __typename: 'Item', name: 'a', child: { id: '2', name: 'b', extra: 'join key' } };
    const outOfOrder = { name: 'c', id: '3', child: null };
    const missing = { id: '4', child: null };
    const input = { items: [inOrder, outOfOrder, missing] };
    const expected = JSON.stringify(shapeOriginal(operation, structuredClone(input)).data);
    const fast = shapeFast(operation, undefined, input, federationInternals) as { items: Record<string, unknown>[] };
    expect(JSON.stringify(fast)).toBe(expected);
    expect(fast.items).toBe(input.items);
    expect(fast.items[0]).toBe(inOrder);
    expect(fast.items[0]?.child).toBe(inOrder.child);
    // Keys outside the selection stay, undefined: JSON leaves them out.
    expect(Object.keys(inOrder)).toEqual(['id', '__typename', 'name', 'child']);
    expect(inOrder.__typename).toBeUndefined();
    expect(inOrder.child.extra).toBeUndefined();
    expect(fast.items[1]).not.toBe(outOfOrder);
    expect(Object.keys(fast.items[1] ?? {})).toEqual(['id', 'name', 'child']);
    expect(fast.items[2]).not.toBe(missing);
    expect(fast.items[2]).toEqual({ id: '4', name: null, child: null });
  });

  it("takes enforcement's injected fields wherever the answer has them (post-processing strips them), the client's in order", () => {
    const operation = op('{ items { id __pactum_label_Item: name child { id } } }');
    const row = { __pactum_label_Item: 'label', id: '1', child: { id: '2' } };
    const swapped = { child: { id: '4' }, id: '3', __pactum_label_Item: 'label' };
    const input = { items: [row, swapped] };
    const original = shapeOriginal(operation, structuredClone(input)).data as { items: Record<string, unknown>[] };
    const fast = shapeFast(operation, undefined, input, federationInternals) as { items: Record<string, unknown>[] };
    expect(fast.items[0]).toBe(row);
    expect(fast.items[1]).not.toBe(swapped); // the client's own fields out of order: copied
    const strip = (rows: Record<string, unknown>[]) => JSON.stringify(rows.map(({ __pactum_label_Item: _label, ...rest }) => rest));
    expect(strip(fast.items)).toBe(strip(original.items));
    expect(fast.items.map((r) => r.__pactum_label_Item)).toEqual(['label', 'label']);
  });

  it('copies an answer object met at a second position, so the two stay apart', () => {
    const operation = op('{ items { id child { id name } } maybe { id child { id name } } }');
    const shared = { id: '2', name: 'b' };
    const input = { items: [{ id: '1', child: shared }, { id: '3', child: shared }], maybe: { id: '4', child: shared } };
    const expected = JSON.stringify(shapeOriginal(operation, structuredClone(input)).data);
    const fast = shapeFast(operation, undefined, input, federationInternals) as { items: { child: object }[]; maybe: { child: object } };
    expect(JSON.stringify(fast)).toBe(expected);
    const children = [fast.items[0]?.child, fast.items[1]?.child, fast.maybe.child];
    expect(new Set(children).size).toBe(3);
  });

  it('keeps a list of leaves met at two positions as it is: nothing ever writes into one', () => {
    const operation = op('{ items { id tags } maybe { tags } }');
    const tags = ['a', 'b'];
    const input = { items: [{ id: '1', tags }, { id: '2', tags }], maybe: { tags } };
    const expected = JSON.stringify(shapeOriginal(operation, structuredClone(input)).data);
    const fast = shapeFast(operation, undefined, input, federationInternals) as { items: { tags: string[] }[] };
    expect(JSON.stringify(fast)).toBe(expected);
    expect(fast.items[0]?.tags).toBe(tags);
  });

  it('checks every item of a list of leaves, and leaves a wrong one to the original', () => {
    const fine = { items: [{ id: '1', tags: ['a', 'b'] }], ids: ['x', null, 3] };
    const operation = op('{ items { id tags } ids }');
    expect(JSON.stringify(shapeFast(operation, undefined, structuredClone(fine), federationInternals))).toBe(
      JSON.stringify(shapeOriginal(operation, structuredClone(fine)).data),
    );
    for (const tags of [['a', 1], ['a', null], ['a', undefined], [{}]]) {
      const input = { items: [{ id: '1', tags }], ids: [] };
      expect(shapeFast(operation, undefined, input, federationInternals)).toBeUndefined();
    }
    expect(shapeFast(operation, undefined, { items: [], ids: [1.5] }, federationInternals)).toBeUndefined();
  });

  it('counts no objects when told the plan cannot share one (and still shapes the same)', () => {
    const operation = op('{ items { id child { id name } } }');
    const shared = { id: '2', name: 'b' };
    const input = { items: [{ id: '1', child: shared }, { id: '3', child: shared }] };
    const expected = JSON.stringify(shapeOriginal(operation, structuredClone(input)).data);
    const fast = shapeFast(operation, undefined, input, federationInternals, false) as { items: { child: object }[] };
    expect(JSON.stringify(fast)).toBe(expected);
    expect(fast.items[0]?.child).toBe(fast.items[1]?.child); // unguarded: the walk took it at its word
  });

  it('leaves the answer exactly as it came when it gives up after rows it could have shaped in place', () => {
    const operation = op('{ items { id nn { id } } }');
    const input = { items: [{ id: '1', __typename: 'Item', nn: { id: '2', extra: 1 } }, { id: '3', nn: null }] };
    const before = structuredClone(input);
    expect(shapeFast(operation, undefined, input, federationInternals)).toBeUndefined();
    expect(input).toStrictEqual(before);
  });

  it('leaves malformed answers to the original (which refuses them)', () => {
    const operation = op('{ items { id } }');
    const input = { items: { id: '1' } };
    expect(shapeFast(operation, undefined, input, federationInternals)).toBeUndefined();
    expect(() => shapeOriginal(operation, input)).toThrow();
  });

  it('never compiles introspection or a response name an inherited property answers', () => {
    expect(shapeFast(op('{ count __schema { queryType { name } } }'), undefined, { count: 1 }, federationInternals)).toBeUndefined();
    expect(shapeFast(op('{ constructor: count }'), undefined, { constructor: 1 }, federationInternals)).toBeUndefined();
    expect(shapeFast(op('{ toString: count }'), undefined, { toString: 1 }, federationInternals)).toBeUndefined();
  });
});

describe('installFastShaping', () => {
  beforeAll(() => {
    expect(installFastShaping()).toBe(true);
    expect(installFastShaping()).toBe(true); // idempotent
  });

  // As executeQueryPlan builds it: through the memo of reuse-built-operations, validation off.
  const built = (node: OperationDefinitionNode): Operation =>
    federationInternals.operationFromDocument(schema, { kind: Kind.DOCUMENT, definitions: [node] }, { validate: false });
  const definition = (text: string): OperationDefinitionNode => parse(text).definitions[0] as OperationDefinitionNode;
  const input = { items: [{ id: '1', name: 'n' }] };

  it("takes the fast walk only for operations Pactum's executor marked", () => {
    const marked = definition('{ items { id name } }');
    shapeQuickly(marked);
    const fast = shaping.computeResponse({ operation: built(marked), variables: {}, input, introspectionHandling: () => null });
    expect(Object.getPrototypeOf(fast.data)).toBe(Object.prototype);
    expect(plain(fast.data)).toEqual(input);

    const unmarked = definition('{ items { id name } }');
    const kept = shaping.computeResponse({ operation: built(unmarked), variables: {}, input, introspectionHandling: () => null });
    expect(Object.getPrototypeOf(kept.data)).toBeNull(); // the original's own objects
    expect(plain(kept.data)).toEqual(input);
  });

  it('falls back to the original for a marked operation whose answer it reports an error for', () => {
    const marked = definition('{ items { id nn { id } } }');
    shapeQuickly(marked);
    const r = shaping.computeResponse({ operation: built(marked), variables: {}, input: { items: [{ id: '1', nn: null }] }, introspectionHandling: () => null });
    expect(r.data).toBeNull();
    expect(r.errors.map((e) => e.message)).toEqual(['Cannot return null for non-nullable field Item.nn.']);
  });
});

describe('planMayShareObjects', () => {
  const fetch = (requires?: unknown[]) => ({ kind: 'Fetch', serviceName: 's', ...(requires ? { requires } : {}) });
  const flatten = (node: unknown, path: unknown[] = ['items', '@']) => ({ kind: 'Flatten', path, node });
  const plan = (node: unknown) => ({ kind: 'QueryPlan', node });

  it.each<[string, unknown, boolean]>([
    ['no node (introspection only)', plan(undefined), false],
    ['one root fetch', plan(fetch()), false],
    ['root fetches in parallel', plan({ kind: 'Parallel', nodes: [fetch(), fetch()] }), false],
    ['entity fetches after the root', plan({ kind: 'Sequence', nodes: [fetch(), { kind: 'Parallel', nodes: [flatten(fetch([{}])), flatten(fetch([{}]), ['maybe'])] }] }), false],
    ['a fetch without requires at a nested path', plan({ kind: 'Sequence', nodes: [fetch(), flatten(fetch())] }), true],
    ['the same with an empty requires', plan({ kind: 'Sequence', nodes: [fetch(), flatten(fetch([]))] }), true],
    ['one inside a condition', plan({ kind: 'Condition', ifClause: fetch(), elseClause: { kind: 'Sequence', nodes: [fetch(), flatten(fetch())] } }), true],
    ['a deferred plan', plan({ kind: 'Defer', primary: {}, deferred: [] }), true],
    ['a node kind not known here', plan({ kind: 'Teleport' }), true],
    ['a sequence without its list', plan({ kind: 'Sequence' }), true],
  ])('%s', (_name, p, shares) => {
    expect(planMayShareObjects(p)).toBe(shares);
  });
});

describe('the fast walk, told the plans an operation ran with', () => {
  beforeAll(() => expect(installFastShaping()).toBe(true));

  const built = (node: OperationDefinitionNode): Operation =>
    federationInternals.operationFromDocument(schema, { kind: Kind.DOCUMENT, definitions: [node] }, { validate: false });
  const sharedInput = () => {
    const child = { id: '2', name: 'b' };
    return { items: [{ id: '1', child }, { id: '3', child }] };
  };
  const children = (definition: OperationDefinitionNode) => {
    const r = shaping.computeResponse({ operation: built(definition), variables: {}, input: sharedInput(), introspectionHandling: () => null });
    expect(plain(r.data)).toEqual({ items: [{ id: '1', child: { id: '2', name: 'b' } }, { id: '3', child: { id: '2', name: 'b' } }] });
    const items = (r.data as { items: { child: object }[] }).items;
    return new Set(items.map((i) => i.child)).size;
  };
  const noSharing = { kind: 'QueryPlan', node: { kind: 'Fetch' } };
  const sharingPlan = { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [{ kind: 'Fetch' }, { kind: 'Flatten', path: ['items', '@'], node: { kind: 'Fetch' } }] } };

  it('has the executor note the plans', () => {
    expect(execution.executeQueryPlan.pactumNotesPlans).toBe(true);
  });

  it('guards an operation no plan was noted for', () => {
    const definition = parse('{ items { id child { id name } } }').definitions[0] as OperationDefinitionNode;
    shapeQuickly(definition);
    expect(children(definition)).toBe(2);
  });

  it('counts nothing for a plan that cannot share, and guards for good once one that can was noted', () => {
    const definition = parse('{ items { id child { id name } } }').definitions[0] as OperationDefinitionNode;
    shapeQuickly(definition);
    notePlan(definition, noSharing);
    expect(children(definition)).toBe(1);
    notePlan(definition, sharingPlan);
    expect(children(definition)).toBe(2);
    notePlan(definition, noSharing);
    expect(children(definition)).toBe(2);
  });
});
