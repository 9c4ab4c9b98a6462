import { getIntrospectionQuery } from 'graphql';
import { BadUserInputError } from '../../errors';
import { checkOperationLimits, INTROSPECTION_MAX_DEPTH, LimitExceededError, maxNesting, measureOperations, type OperationLimits } from '../index';
import { parse } from 'graphql';
import { loadOperations } from '@pactum/schema';

const LIMITS: OperationLimits = { maxDocumentBytes: 64 * 1024, maxTokens: 2000, maxDepth: 12, maxAliases: 30, maxSelections: 1000, maxDirectives: 50, maxFieldRepeats: 32 };

/** The refusal of `source` as [reason, message], or 'accepted'. */
function refusal(source: string, limits: Partial<OperationLimits> = {}): [string, string] | 'accepted' {
  try {
    checkOperationLimits(source, { ...LIMITS, ...limits });
    return 'accepted';
  } catch (err) {
    if (!(err instanceof LimitExceededError)) throw err;
    expect(err).toBeInstanceOf(BadUserInputError);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.httpStatus).toBe(400);
    return [err.reason, err.message];
  }
}

/**
 * Fragment A spreads B twice, B spreads C twice, …: 2^levels copies of `leaf` in one selection set
 * once inlined. Branching, each level spreads the next under two different fields instead
 * (`l { ...B } r { ...B }`): 2^(levels+1) − 2 distinct selections, no name repeated in any set.
 */
function fanOut(levels: number, branching = false): string {
  const name = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `Z${i}`);
  const defs = [`fragment ${name(levels)} on Query{leaf}`];
  for (let i = levels - 1; i >= 0; i--) {
    const next = name(i + 1);
    defs.push(`fragment ${name(i)} on Query{${branching ? `l{...${next}} r{...${next}}` : `...${next} ...${next}`}}`);
  }
  return `query Q{...A} ${defs.join(' ')}`;
}

/** `{ node { child { child … { name } } } }`, `depth` fields deep. */
function nested(depth: number): string {
  let inner = 'name';
  for (let i = 1; i < depth - 1; i++) inner = `child { ${inner} }`;
  return `{ node { ${inner} } }`;
}

describe('checkOperationLimits', () => {
  it('returns the parsed document of an ordinary operation, and the standard introspection query passes', () => {
    const doc = checkOperationLimits('query Q { node { name } }', LIMITS);
    expect(doc?.definitions).toHaveLength(1);
    expect(refusal(getIntrospectionQuery())).toBe('accepted');
  });

  it.each(Object.entries(loadOperations()))('lets the trusted operation %s through the default limits', (_name, source) => {
    expect(refusal(source)).toBe('accepted');
  });

  it('leaves text that is not GraphQL to the parser: undefined, no limit error', () => {
    expect(checkOperationLimits('{ node { ', LIMITS)).toBeUndefined();
    expect(checkOperationLimits('{ "unterminated }', LIMITS)).toBeUndefined();
  });

  it('refuses a fragment fan-out of 2^30 fields from under 1 kB without expanding it', () => {
    const source = fanOut(30);
    expect(source.length).toBeLessThan(1024);
    // Every copy of `leaf` lands in the same set: the repeats pass their limit first.
    expect(refusal(source)).toEqual(['limit_field_repeats', 'operation selects "leaf" more than 32 times in one selection set with its fragments inlined; the limit is 32']);
    expect(refusal(fanOut(30, true))).toEqual(['limit_selections', 'operation has more than 1000 selections with its fragments inlined; the limit is 1000']);
  });

  it('refuses a fan-out of 2^60 fields at all: a check that expanded fragments would never return (no timing involved)', () => {
    // 2^60 inlined copies could not be counted one by one in any test's lifetime, so returning
    // here is itself the proof that fragments are measured once each (memo), not expanded.
    const levels = 60;
    expect(refusal(fanOut(levels), { maxTokens: 10_000 })[0]).toBe('limit_field_repeats');
    expect(refusal(fanOut(levels, true), { maxTokens: 10_000 })[0]).toBe('limit_selections');
    const [m] = measureOperations(parse(fanOut(levels, true)), { ...LIMITS, maxSelections: Infinity, maxDepth: 1000, maxFieldRepeats: Infinity });
    expect(m?.selections).toBeGreaterThan(2 ** 50);
  });

  it('measures after expansion: a fan-out just under the ceiling passes with its inlined size', () => {
    // 2^9 = 512 leaves once inlined, 9 fragments in the text.
    const [m] = measureOperations(parse(fanOut(9)), { ...LIMITS, maxFieldRepeats: 10_000 });
    expect(m?.selections).toBe(512);
    expect(refusal(fanOut(10), { maxFieldRepeats: 10_000 })[0]).toBe('limit_selections');
    expect(measureOperations(parse(fanOut(8, true)), LIMITS)[0]).toEqual({ selections: 2 ** 9 - 2 + 2 ** 8, aliases: 0, directives: 0, depth: 9, fullDepth: 9 });
  });

  it('counts aliases and directives with fragments inlined (a fragment spread 3 times counts 3 times)', () => {
    const aliased = 'query Q { ...A ...A ...A } fragment A on Query { a1: leaf a2: leaf a3: leaf a4: leaf a5: leaf a6: leaf a7: leaf a8: leaf a9: leaf a10: leaf a11: leaf }';
    expect(refusal(aliased)).toEqual(['limit_aliases', 'operation has more than 30 aliases with its fragments inlined; the limit is 30']);
    const directed = `query Q { ...D ...D } fragment D on Query { leaf ${'@include(if: true) '.repeat(13)} node ${'@include(if: true) '.repeat(13)} }`;
    expect(refusal(directed)).toEqual(['limit_directives', 'operation has more than 50 directives with its fragments inlined; the limit is 50']);
    expect(refusal(`{ leaf ${'@skip(if: false) '.repeat(51)}}`)[0]).toBe('limit_directives');
  });

  it('bounds how often one response name repeats in a selection set, through inline fragments and spreads alike', () => {
    expect(refusal(`{ node { ${'child { name } '.repeat(32)}} }`)).toBe('accepted');
    const message = 'operation selects "child" more than 32 times in one selection set with its fragments inlined; the limit is 32';
    expect(refusal(`{ node { ${'child { name } '.repeat(33)}} }`)).toEqual(['limit_field_repeats', message]);
    expect(refusal(`{ node { ${'... on Node { child { name } } '.repeat(33)}} }`)).toEqual(['limit_field_repeats', message]);
    const fragments = Array.from({ length: 33 }, (_, i) => `fragment F${i} on Node { child { name } }`).join(' ');
    expect(refusal(`{ node { ${Array.from({ length: 33 }, (_, i) => `...F${i}`).join(' ')} } } ${fragments}`)).toEqual(['limit_field_repeats', message]);
    // The same name in different sets is no repeat.
    expect(refusal(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: node { child { name } }`).join(' ')} }`)).toBe('accepted');
  });

  it('keeps the depth rule: counted through fragments, data depth at most maxDepth', () => {
    expect(refusal(nested(12))).toBe('accepted');
    expect(refusal(nested(13))).toEqual(['limit_depth', 'operation is nested 13 levels deep; the limit is 12']);
    expect(refusal('{ node { ...A } } fragment A on Node { child { child { ... on Node { child { name } } } } }', { maxDepth: 4 })).toEqual([
      'limit_depth',
      'operation is nested 5 levels deep; the limit is 4',
    ]);
  });

  it(`holds introspection to its own ceiling (${INTROSPECTION_MAX_DEPTH}), as one level of data depth`, () => {
    expect(refusal(getIntrospectionQuery(), { maxDepth: 4 })).toBe('accepted');
    let inner = 'name';
    for (let i = 0; i < INTROSPECTION_MAX_DEPTH; i++) inner = `ofType { ${inner} }`;
    expect(refusal(`{ __type(name: "Node") { ${inner} } }`)).toEqual(['limit_depth', `introspection is nested ${INTROSPECTION_MAX_DEPTH + 2} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}`]);
  });

  it('refuses bracket nesting before the parser can overflow, and fragments nested in fragments past the ceiling', () => {
    expect(refusal(nested(40))).toEqual(['limit_depth', 'operation is nested 40 levels deep; the limit is 12']);
    const chain = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`);
    const tooNested = ['limit_depth', `fragments are spread within fragments more than ${INTROSPECTION_MAX_DEPTH} deep; the limit is ${INTROSPECTION_MAX_DEPTH}`];
    expect(refusal(`{ ...F0 } ${chain.join(' ')} fragment F30 on Query { leaf }`)).toEqual(tooNested);
    // The same chain defined bottom-up (each fragment measured before its user): the same answer.
    expect(refusal(`{ ...F0 } fragment F30 on Query { leaf } ${[...chain].reverse().join(' ')}`)).toEqual(tooNested);
    const deep = `{ ${'a { '.repeat(5000)}b${' }'.repeat(5000)} }`;
    expect(refusal(deep, { maxTokens: 100_000 })).toEqual(['limit_depth', `document nests brackets more than ${maxNesting(LIMITS)} deep; the limit is ${maxNesting(LIMITS)}`]);
    expect(refusal(`{ a(x: ${'['.repeat(3000)}${']'.repeat(3000)}) }`, { maxTokens: 100_000 })[0]).toBe('limit_depth');
  });

  it('refuses a token flood and an oversized document before parsing, and counts bytes, not characters', () => {
    expect(refusal(`{ ${'leaf '.repeat(2001)}}`)).toEqual(['limit_tokens', 'document has more than 2000 tokens; the limit is 2000']);
    expect(refusal(`{ leaf(x: "${'x'.repeat(70_000)}") }`)).toEqual(['limit_document_bytes', 'document is 70015 bytes; the limit is 65536']);
    expect(refusal(`{ leaf(x: "${'x'.repeat(60_000)}") }`)).toBe('accepted');
    // 30 000 three-byte characters: 30 000 UTF-16 units but 90 000 bytes.
    expect(refusal(`{ leaf(x: "${'€'.repeat(30_000)}") }`)[0]).toBe('limit_document_bytes');
  });

  it('holds every operation and every fragment of a document to the limits, used or not', () => {
    expect(refusal(`query Ok { leaf } query Big { ...A } ${fanOut(12, true).replace('query Q{...A}', '')}`)[0]).toBe('limit_selections');
    expect(refusal(fanOut(12, true).replace('query Q{...A}', 'query Q { leaf }'))[0]).toBe('limit_selections');
    // Many small operations are fine as long as each is.
    expect(refusal(Array.from({ length: 300 }, (_, i) => `query Q${i} { leaf }`).join(' '))).toBe('accepted');
  });

  it('refuses a fragment cycle as the unbounded expansion it is, naming the cycle; an unknown fragment is left to validation', () => {
    expect(refusal('{ ...A } fragment A on Query { leaf ...B } fragment B on Query { leaf ...A }')).toEqual([
      'limit_selections',
      'fragment "A" is spread within itself (A → B → A): inlined, the operation has no end; the limit is 1000 selections',
    ]);
    expect(refusal('{ ...A } fragment A on Query { ...A ...A leaf }')[0]).toBe('limit_selections');
    expect(refusal('{ ...Missing leaf }')).toBe('accepted');
  });
});
