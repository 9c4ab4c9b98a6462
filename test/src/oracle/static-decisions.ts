/**
 * The reference's static decisions: a field denied whatever the row (`explain` without a label
 * says deny), and the data-minimisation rule built on it — a composite field all of whose
 * selected subfields are denied statically is refused whole, since no subgraph may be asked for
 * a denied field and GraphQL has no empty selection set.
 */
import { getNamedType, isObjectType, Kind, type FragmentDefinitionNode, type GraphQLObjectType, type SelectionSetNode } from 'graphql';
import type { CompiledPolicy, DenyReason } from '@pactum/gateway/src/policy';
import type { Asker } from './reference-answer';

export class StaticDecisions {
  private readonly memo = new Map<string, DenyReason | null>();

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly asker: Asker,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  /** The reason `Type.field` is denied whatever the row, or undefined. */
  denial(typeName: string, fieldName: string): DenyReason | undefined {
    const { principal, purpose, at } = this.asker;
    const e = this.policy.explain(principal, purpose, at, typeName, fieldName);
    return e.effect === 'deny' ? (e.reason ?? 'NO_AGREEMENT') : undefined;
  }

  /**
   * The reason a composite field with these selection sets is refused whole because every
   * subfield it selects is denied statically (the first such reason in document order); null
   * when something is kept (`__typename` is). Directives are not evaluated here: what may be
   * sent to a subgraph is decided before variables are.
   */
  collapse(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): DenyReason | null {
    return this.memoised(type, sets);
  }

  private compute(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): DenyReason | null {
    let first: DenyReason | undefined;
    const visitSet = (set: SelectionSetNode): boolean => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const fieldName = s.name.value;
          if (fieldName.startsWith('__')) return true;
          const reason = this.denial(type.name, fieldName);
          if (reason) {
            first ??= reason;
            continue;
          }
          const def = type.getFields()[fieldName];
          const named = def ? getNamedType(def.type) : undefined;
          if (!s.selectionSet || !named || !isObjectType(named)) return true;
          const sub = this.memoised(named, [s.selectionSet]);
          if (sub === null) return true;
          first ??= sub;
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          if (visitSet(s.selectionSet)) return true;
        } else {
          const f = this.fragments.get(s.name.value);
          if (f && visitSet(f.selectionSet)) return true;
        }
      }
      return false;
    };
    for (const set of sets) if (visitSet(set)) return null;
    return first ?? 'NOT_IN_POLICY';
  }

  private memoised(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): DenyReason | null {
    // Sets are AST nodes of one parsed document: their positions identify them.
    const id = `${type.name}@${sets.map((s) => s.loc?.start ?? -1).join(',')}`;
    let r = this.memo.get(id);
    if (r === undefined) {
      r = this.compute(type, sets);
      this.memo.set(id, r);
    }
    return r;
  }
}
