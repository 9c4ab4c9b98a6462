/**
 * Measures every operation of a document as it will be planned — every fragment spread replaced
 * by the fragment's selections — without ever building that expansion: each fragment is
 * measured once (memoised) and a spread adds the fragment's totals, so the work is linear in
 * the document while the figures are those of the expanded operation. A fan-out (fragment A
 * spreads B twice, B spreads C twice, … thirty levels: 2³⁰ fields from under 1 kB of text) is
 * refused after a few dozen additions, the moment a running total passes its ceiling, before
 * anything proportional to the expansion is allocated.
 *
 * The walk recurses only as deep as brackets nest in the text (bounded by the lexer pass before
 * parsing) times how deep fragments nest in each other (bounded here).
 *
 * Depth follows the gateway's rule: an introspection field
 * (`__schema`, `__type`) counts as one level of data depth, and its subtree is held to
 * `max(maxDepth, INTROSPECTION_MAX_DEPTH)` instead.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { LimitExceededError } from './limit-exceeded-error';
import { INTROSPECTION_MAX_DEPTH, type OperationLimits } from './operation-limits';

/** An operation's (or fragment's) figures, fragments inlined. */
export interface OperationMeasure {
  /** Fields and inline fragments. */
  readonly selections: number;
  readonly aliases: number;
  readonly directives: number;
  /** Nesting of data: an introspection root field counts as one level. */
  readonly depth: number;
  /** Nesting of everything, introspection subtrees included. */
  readonly fullDepth: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

type Ceilings = Pick<OperationLimits, 'maxSelections' | 'maxAliases' | 'maxDirectives' | 'maxFieldRepeats'> & { readonly maxFragmentNesting: number };

/**
 * A set's figures and how often each response name occurs in it, inline fragments and spreads
 * merged in — as graphql-js' OverlappingFieldsCanBeMerged sees the set, comparing every pair of
 * same-named fields (so its cost grows with the square of the repeats: 490 repeats of
 * `seizures { id }` in one set took 150–185 ms to validate).
 */
interface Measured extends OperationMeasure {
  readonly names: ReadonlyMap<string, number>;
  /** Longest chain of fragments spread within fragments below this set (0: no spread). */
  readonly spreadHeight: number;
}

class Measurer {
  private readonly memo = new Map<string, Measured>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly ceilings: Ceilings,
  ) {}

  fragment(name: string): Measured | undefined {
    const known = this.memo.get(name);
    if (known) return this.nestable(known);
    const def = this.fragments.get(name);
    // An unknown fragment is graphql-js' to report (KnownFragmentNames): it counts nothing here.
    if (!def) return undefined;
    if (this.visiting.has(name)) {
      // Inlined, a cycle never ends: refused as such before validation (where NoFragmentCycles would say the same).
      const path = [...this.visiting].slice([...this.visiting].indexOf(name));
      throw new LimitExceededError(
        'limit_selections',
        `fragment "${name}" is spread within itself (${[...path, name].join(' → ')}): inlined, the operation has no end; the limit is ${this.ceilings.maxSelections} selections`,
      );
    }
    // The lexer pass bounds how deep brackets nest in the text; this bounds how deep fragments
    // nest in each other, so the walk's recursion stays bounded whatever the document.
    if (this.visiting.size >= this.ceilings.maxFragmentNesting) this.tooNested();
    this.visiting.add(name);
    const inner = this.selectionSet(def.selectionSet);
    this.visiting.delete(name);
    const m = { ...inner, directives: this.check('directives', inner.directives + (def.directives?.length ?? 0)), spreadHeight: inner.spreadHeight + 1 };
    this.memo.set(name, m);
    return this.nestable(m);
  }

  /** A memoised fragment still counts its whole chain where it is spread: the bound does not depend on the order of definitions. */
  private nestable(m: Measured): Measured {
    if (this.visiting.size + m.spreadHeight > this.ceilings.maxFragmentNesting) this.tooNested();
    return m;
  }

  private tooNested(): never {
    throw new LimitExceededError(
      'limit_depth',
      `fragments are spread within fragments more than ${this.ceilings.maxFragmentNesting} deep; the limit is ${this.ceilings.maxFragmentNesting}`,
    );
  }

  /** `names`: the response names of the set this one merges into (an inline fragment's parent), or a fresh count. */
  selectionSet(set: SelectionSetNode, names: Map<string, number> = new Map()): Measured {
    let selections = 0;
    let aliases = 0;
    let directives = 0;
    let depth = 0;
    let fullDepth = 0;
    let spreadHeight = 0;
    for (const sel of set.selections) {
      let m: OperationMeasure;
      if (sel.kind === Kind.FIELD) {
        this.repeat(names, sel.alias?.value ?? sel.name.value, 1);
        const below = sel.selectionSet ? this.selectionSet(sel.selectionSet) : undefined;
        spreadHeight = Math.max(spreadHeight, below?.spreadHeight ?? 0);
        m = {
          selections: 1 + (below?.selections ?? 0),
          aliases: (sel.alias ? 1 : 0) + (below?.aliases ?? 0),
          directives: (sel.directives?.length ?? 0) + (below?.directives ?? 0),
          depth: INTROSPECTION_ROOTS.has(sel.name.value) ? 1 : 1 + (below?.depth ?? 0),
          fullDepth: 1 + (below?.fullDepth ?? 0),
        };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const below = this.selectionSet(sel.selectionSet, names);
        spreadHeight = Math.max(spreadHeight, below.spreadHeight);
        m = { ...below, selections: 1 + below.selections, directives: (sel.directives?.length ?? 0) + below.directives };
      } else {
        const frag = this.fragment(sel.name.value);
        if (!frag) continue;
        for (const [responseName, count] of frag.names) this.repeat(names, responseName, count);
        spreadHeight = Math.max(spreadHeight, frag.spreadHeight);
        m = { ...frag, directives: (sel.directives?.length ?? 0) + frag.directives };
      }
      selections = this.check('selections', selections + m.selections);
      aliases = this.check('aliases', aliases + m.aliases);
      directives = this.check('directives', directives + m.directives);
      depth = Math.max(depth, m.depth);
      fullDepth = Math.max(fullDepth, m.fullDepth);
    }
    return { selections, aliases, directives, depth, fullDepth, names, spreadHeight };
  }

  private repeat(names: Map<string, number>, responseName: string, by: number): void {
    const count = (names.get(responseName) ?? 0) + by;
    if (count > this.ceilings.maxFieldRepeats) {
      throw new LimitExceededError(
        'limit_field_repeats',
        `operation selects "${responseName}" more than ${this.ceilings.maxFieldRepeats} times in one selection set with its fragments inlined; the limit is ${this.ceilings.maxFieldRepeats}`,
      );
    }
    names.set(responseName, count);
  }

  private check(what: 'selections' | 'aliases' | 'directives', value: number): number {
    const limit = what === 'selections' ? this.ceilings.maxSelections : what === 'aliases' ? this.ceilings.maxAliases : this.ceilings.maxDirectives;
    if (value > limit) {
      throw new LimitExceededError(`limit_${what}`, `operation has more than ${limit} ${what} with its fragments inlined; the limit is ${limit}`);
    }
    return value;
  }
}

/**
 * Measures every operation and fragment of `document`; throws {@link LimitExceededError} naming
 * the first limit passed. Returns the figures of each operation, in document order.
 */
export function measureOperations(
  document: DocumentNode,
  limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxSelections' | 'maxDirectives' | 'maxFieldRepeats'>,
): OperationMeasure[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const maxFullDepth = Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH);
  const measurer = new Measurer(fragments, { ...limits, maxFragmentNesting: maxFullDepth });
  // Fragments too, used or not: graphql-js validates each on its own (an unused one is an error, but only after the walk).
  for (const name of fragments.keys()) measurer.fragment(name);
  const measures: OperationMeasure[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const inner = measurer.selectionSet(def.selectionSet);
    const own = (def.directives?.length ?? 0) + (def.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
    const { names: _names, spreadHeight: _height, ...figures } = inner;
    const m = { ...figures, directives: inner.directives + own };
    if (m.directives > limits.maxDirectives) {
      throw new LimitExceededError('limit_directives', `operation has more than ${limits.maxDirectives} directives with its fragments inlined; the limit is ${limits.maxDirectives}`);
    }
    if (m.depth > limits.maxDepth) throw new LimitExceededError('limit_depth', `operation is nested ${m.depth} levels deep; the limit is ${limits.maxDepth}`);
    if (m.fullDepth > maxFullDepth) throw new LimitExceededError('limit_depth', `introspection is nested ${m.fullDepth} levels deep; the limit is ${maxFullDepth}`);
    measures.push(m);
  }
  return measures;
}
