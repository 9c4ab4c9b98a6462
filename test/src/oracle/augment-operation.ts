/**
 * The oracle's own, naive augmentation of an operation before the bare gateway answers it in
 * full: every selection set of an object type also asks `__typename`, and on a labelled type
 * (one with `label: RecordLabel`) the whole label, and on an entity its key fields, each under an alias
 * of the oracle's reserved prefix. Deliberately independent of the gateway's rewrite: nothing is
 * removed, nothing is decided here.
 */
import {
  getNamedType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';

/** Prefix of the response keys the oracle adds (the generator never produces it). */
export const ORACLE_PREFIX = 'oracle__';
export const TYPENAME_KEY = `${ORACLE_PREFIX}typename`;
export const LABEL_KEY = `${ORACLE_PREFIX}label`;
export const keyKey = (field: string): string => `${ORACLE_PREFIX}key_${field}`;

/** Every subfield of RecordLabel: the reference decides on the label the owner set, whole. */
const LABEL_SUBFIELDS = ['owner', 'handling', 'handlingNote', 'releasableTo', 'caseRefs', 'europolSupport', 'origin'];

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

function aliased(alias: string, field: string, subfields?: readonly string[]): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: name(alias),
    name: name(field),
    ...(subfields ? { selectionSet: { kind: Kind.SELECTION_SET, selections: subfields.map((f) => ({ kind: Kind.FIELD, name: name(f) }) as FieldNode) } } : {}),
  };
}

/** Whether rows of `type` carry their owner's label. */
export function isLabelled(type: GraphQLObjectType): boolean {
  const label = type.getFields()['label'];
  return label !== undefined && getNamedType(label.type).name === 'RecordLabel';
}

/**
 * `doc` with the oracle's fields added to every object selection set. `keyFieldsOf` names an
 * entity's key fields (undefined when the type is not an entity).
 */
export function augmentOperation(schema: GraphQLSchema, doc: DocumentNode, keyFieldsOf: (typeName: string) => readonly string[] | undefined): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node) {
          if (!node.selectionSet) return undefined;
          const type = getNamedType(typeInfo.getType());
          if (!type || !isObjectType(type)) return undefined;
          const extra: SelectionNode[] = [aliased(TYPENAME_KEY, '__typename')];
          if (isLabelled(type)) extra.push(aliased(LABEL_KEY, 'label', LABEL_SUBFIELDS));
          for (const k of keyFieldsOf(type.name) ?? []) extra.push(aliased(keyKey(k), k));
          return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, ...extra] } };
        },
      },
    }),
  );
}
