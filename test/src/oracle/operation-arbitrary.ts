/**
 * fast-check arbitraries of operations against the API schema: root lookups with keys that exist
 * and keys that don't (literal or variables), nested selections up to a depth, aliases, inline
 * and named fragments (a named fragment spread several times, and shared between twin lookups),
 * `__typename`-only selections, and `@skip` / `@include` with literals or variables with and
 * without defaults. Everything is plain data (see oracle-operation.ts), so failures shrink.
 */
import fc from 'fast-check';
import { getNamedType, isCompositeType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { KeyPools } from './oracle-keys';
import type { Arg, Condition, FieldSelection, OracleOperation, Selection } from './oracle-operation';

export interface OperationShape {
  /** Levels of object selections below a root field (default 3). */
  readonly maxDepth?: number;
  /** Most selections per selection set (default 4). */
  readonly maxWidth?: number;
}

const arg = (name: string, type: string, values: readonly (string | number)[]): fc.Arbitrary<Arg> =>
  fc.record({ value: fc.constantFrom(...values), asVariable: fc.boolean() }).map(({ value, asVariable }) => ({ name, type, value, asVariable }));

const person = (pools: KeyPools): fc.Arbitrary<Arg[]> =>
  fc.record({ p: fc.constantFrom(...pools.person), asVariable: fc.boolean() }).map(({ p, asVariable }) => [
    { name: 'name', type: 'String!', value: p.name, asVariable },
    { name: 'dateOfBirth', type: 'LocalDate!', value: p.dateOfBirth, asVariable },
  ]);

/** Argument lists of every root field, from the key pools. */
function rootArgs(pools: KeyPools): Record<string, fc.Arbitrary<Arg[]>> {
  const one = (name: string, type: string, values: readonly (string | number)[]) => arg(name, type, values).map((a) => [a]);
  return {
    container: one('number', 'ContainerNumber!', pools.container),
    vessel: one('imo', 'IMO!', pools.imo),
    company: one('euid', 'String!', pools.euid),
    seizures: fc
      .record({ port: fc.option(arg('port', 'UNLocode', pools.port), { nil: undefined }), first: fc.option(arg('first', 'Int', [2, 20]), { nil: undefined }) })
      .map(({ port, first }) => [port, first].filter((a): a is Arg => a !== undefined)),
    judicialCase: one('localId', 'String!', pools.judicialCase),
    jit: one('id', 'ID!', pools.jit),
    ocg: one('id', 'ID!', pools.ocg),
    europolPersonHit: person(pools),
    europolHitFollowUp: one('reference', 'String!', pools.europolReference),
    investigation: one('localId', 'String!', pools.investigation),
    seizedAssetByIban: one('iban', 'IBAN!', pools.iban),
    policePersonHit: person(pools),
    policeHitFollowUp: one('reference', 'String!', pools.policeReference),
    policeContainerHitFollowUp: one('reference', 'String!', pools.policeReference),
    interdiction: one('id', 'ID!', pools.interdiction),
    interdictions: fc.option(arg('first', 'Int', [2, 20]), { nil: undefined }).map((a) => (a ? [a] : [])),
    vesselsOfInterest: fc.option(arg('first', 'Int', [2, 20]), { nil: undefined }).map((a) => (a ? [a] : [])),
  };
}

/** Lookups that reach the most rows of several owners are drawn more often. */
const ROOT_WEIGHT: Readonly<Record<string, number>> = { container: 5, seizures: 5, investigation: 4, judicialCase: 2, company: 2 };

const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ directive: fc.constantFrom('skip' as const, 'include' as const), literal: fc.boolean() }),
  fc
    .record({
      directive: fc.constantFrom('skip' as const, 'include' as const),
      defaultValue: fc.option(fc.boolean(), { nil: undefined }),
      value: fc.option(fc.boolean(), { nil: undefined }),
    })
    // A variable without a default must be given.
    .map((c) => (c.defaultValue === undefined && c.value === undefined ? { directive: c.directive, value: true } : c)),
);

/** `a` once in `oneIn` draws, undefined otherwise (shrinks towards undefined). */
const sometimes = <T>(a: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: oneIn - 1 }, { arbitrary: a, weight: 1 });

function fieldSelection(name: string, alias: string | undefined, cond: Condition | undefined, selections?: readonly Selection[], args?: readonly Arg[]): FieldSelection {
  return {
    kind: 'field',
    name,
    ...(alias ? { alias } : {}),
    ...(args && args.length > 0 ? { args } : {}),
    ...(cond ? { condition: cond } : {}),
    ...(selections ? { selections } : {}),
  };
}

/** Builds the arbitraries for one schema and key pools. */
export function operationArbitrary(schema: GraphQLSchema, pools: KeyPools, shape: OperationShape = {}): fc.Arbitrary<OracleOperation> {
  const maxDepth = shape.maxDepth ?? 3;
  const maxWidth = shape.maxWidth ?? 4;
  const sets = new Map<string, fc.Arbitrary<Selection[]>>();

  const typename: fc.Arbitrary<Selection> = fc
    .record({ alias: sometimes(fc.constant('tn'), 4), cond: sometimes(condition, 6) })
    .map(({ alias, cond }) => fieldSelection('__typename', alias, cond));

  function field(type: GraphQLObjectType, f: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(f.type);
    const child = isObjectType(named) ? selectionSet(named, depth - 1) : fc.constant(undefined);
    return fc
      .record({ alias: sometimes(fc.constantFrom(`${f.name}A`, `${f.name}B`), 4), cond: sometimes(condition, 8), child })
      .map(({ alias, cond, child: sel }) => fieldSelection(f.name, alias, cond, sel));
  }

  function fieldsOf(type: GraphQLObjectType, depth: number): fc.Arbitrary<Selection>[] {
    return Object.values(type.getFields())
      .filter((f) => depth > 0 || !isCompositeType(getNamedType(f.type)))
      .map((f) => field(type, f, depth));
  }

  /** A selection set on `type` with `depth` object levels left below it. */
  function selectionSet(type: GraphQLObjectType, depth: number): fc.Arbitrary<Selection[]> {
    const id = `${type.name}/${depth}`;
    const known = sets.get(id);
    if (known) return known;
    const plain = fc.oneof(...fieldsOf(type, depth));
    const small = fc.array(fc.oneof({ arbitrary: plain, weight: 5 }, { arbitrary: typename, weight: 1 }), { minLength: 1, maxLength: 3 });
    const item = fc.oneof(
      { arbitrary: plain, weight: 10 },
      { arbitrary: typename, weight: 2 },
      {
        arbitrary: fc
          .record({ typed: fc.boolean(), cond: sometimes(condition, 2), selections: small })
          .map(({ typed, cond, selections }): Selection => ({ kind: 'inline', ...(typed ? { onType: type.name } : {}), ...(cond ? { condition: cond } : {}), selections })),
        weight: 2,
      },
      {
        arbitrary: fc
          .record({ times: fc.integer({ min: 1, max: 3 }), cond: sometimes(condition, 3), selections: small })
          .map(({ times, cond, selections }): Selection => ({ kind: 'spread', onType: type.name, times, ...(cond ? { condition: cond } : {}), selections })),
        weight: 2,
      },
    );
    const set = fc.oneof(
      { arbitrary: fc.array(item, { minLength: 1, maxLength: maxWidth }), weight: 8 },
      // `{ __typename }` alone: it must not reveal a withheld row, in a list or on its own.
      { arbitrary: fc.constant<Selection[]>([fieldSelection('__typename', undefined, undefined)]), weight: 2 },
    );
    sets.set(id, set);
    return set;
  }

  const query = schema.getQueryType();
  if (!query) throw new Error('the API schema has no Query type');
  const argsOf = rootArgs(pools);
  const rootFields = Object.values(query.getFields()).map((f) => {
    const named = getNamedType(f.type);
    const args = argsOf[f.name] ?? fc.constant<Arg[]>([]);
    const child = isObjectType(named) ? selectionSet(named, maxDepth) : fc.constant(undefined);
    // A twin asks the same selection with other arguments (so its named fragments are spread twice).
    const arbitrary = fc
      .record({ args, cond: sometimes(condition, 8), child, twin: sometimes(args, 4) })
      .map(({ args: a, cond, child: sel, twin }) => [fieldSelection(f.name, undefined, cond, sel, a), ...(twin ? [fieldSelection(f.name, undefined, undefined, sel, twin)] : [])]);
    return { name: f.name, arbitrary };
  });
  const anyRoot = fc.oneof(...rootFields.map(({ name, arbitrary }) => ({ arbitrary, weight: ROOT_WEIGHT[name] ?? 1 })));
  const rootItem = fc.oneof(
    { arbitrary: anyRoot, weight: 10 },
    { arbitrary: anyRoot.map((sels): Selection[] => [{ kind: 'inline', onType: 'Query', selections: sels }]), weight: 1 },
    { arbitrary: typename.map((s) => [s]), weight: 1 },
  );
  return fc.array(rootItem, { minLength: 1, maxLength: 3 }).map((items) => ({ selections: uniqueRootKeys(items.flat()) }));
}

/** Root fields with arguments get distinct response keys (two `container(...)` would not merge). */
function uniqueRootKeys(selections: readonly Selection[]): Selection[] {
  const seen = new Set<string>();
  let n = 0;
  const fix = (s: Selection): Selection => {
    if (s.kind === 'inline') return { ...s, selections: s.selections.map(fix) };
    if (s.kind !== 'field' || s.name === '__typename') return s;
    const key = s.alias ?? s.name;
    if (!seen.has(key)) {
      seen.add(key);
      return s;
    }
    let alias: string;
    do alias = `${s.name}${++n}`;
    while (seen.has(alias));
    seen.add(alias);
    return { ...s, alias };
  };
  return selections.map(fix);
}
