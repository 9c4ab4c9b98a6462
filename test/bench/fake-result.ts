/**
 * A plausible execution result for an operation, built from the operation and the API schema
 * alone: the shape post-processing walks (every selected field, aliases included, lists of a few
 * items, labels owned by the type's agency), without running the subgraphs. Used by the component
 * bench to time post-processing on a ContainerDossier-sized answer.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface FakeResultOptions {
  /** Items in every list (default 3). */
  readonly listLength?: number;
  /** The agency that owns rows of a type (the label's `owner`). */
  readonly ownerOf?: (typeName: string) => string | undefined;
  /** `releasableTo` of every label. */
  readonly releasableTo?: readonly string[];
  /** `caseRefs` of every label. */
  readonly caseRefs?: readonly string[];
}

const SCALAR_VALUES: Readonly<Record<string, unknown>> = {
  String: 'text',
  ID: 'id-1',
  Int: 7,
  Float: 12.5,
  Boolean: true,
  ContainerNumber: 'MSCU1234566',
  IMO: '9074729',
  IBAN: 'NL91ABNA0417164300',
  UNLocode: 'NLRTM',
  DateTime: '2024-03-01T10:00:00.000Z',
  LocalDate: '1980-01-01',
};

function labelFor(parent: string, options: FakeResultOptions): Record<string, unknown> {
  return {
    owner: options.ownerOf?.(parent) ?? 'NL-POLICE',
    handling: ['H0'],
    handlingNote: null,
    releasableTo: [...(options.releasableTo ?? ['NL-POLICE', 'NL-CUSTOMS', 'BE-POLICE'])],
    caseRefs: [...(options.caseRefs ?? ['NL-ONB-2024-0456'])],
    europolSupport: true,
  };
}

function valueOf(type: GraphQLOutputType, selection: SelectionSetNode | undefined, parent: string, field: string, index: number, schema: GraphQLSchema, options: FakeResultOptions): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.from({ length: options.listLength ?? 3 }, (_, i) => valueOf(nullable.ofType, selection, parent, field, i, schema, options));
  }
  const named = getNamedType(nullable);
  if (isScalarType(named)) {
    const v = SCALAR_VALUES[named.name] ?? 'value';
    return typeof v === 'string' && (named.name === 'ID' || named.name === 'String') ? `${v}-${field}-${index}` : v;
  }
  if (isEnumType(named)) return named.getValues()[0]?.value ?? null;
  if (!selection) return null;
  const objectType = isObjectType(named) ? named : undefined;
  if (!objectType) return null;
  if (objectType.name === 'RecordLabel') {
    const full = labelFor(parent, options);
    return objectOf(objectType, selection, schema, options, full);
  }
  return objectOf(objectType, selection, schema, options);
}

function objectOf(type: GraphQLObjectType, selection: SelectionSetNode, schema: GraphQLSchema, options: FakeResultOptions, fixed?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = type.getFields();
  for (const sel of selection.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || sel.typeCondition.name.value === type.name) Object.assign(out, objectOf(type, sel.selectionSet, schema, options, fixed));
      continue;
    }
    if (sel.kind !== Kind.FIELD) continue; // the rewritten operations carry no fragment spreads
    const key = sel.alias?.value ?? sel.name.value;
    const name = sel.name.value;
    if (name === '__typename') {
      out[key] = type.name;
      continue;
    }
    if (fixed && name in fixed) {
      out[key] = fixed[name];
      continue;
    }
    const def = fields[name];
    out[key] = def ? valueOf(def.type, sel.selectionSet, type.name, name, 0, schema, options) : null;
  }
  return out;
}

/** The `data` of a plausible result of the document's (single) operation. */
export function fakeResult(schema: GraphQLSchema, document: DocumentNode, options: FakeResultOptions = {}): Record<string, unknown> {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('document has no operation');
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`schema has no ${operation.operation} type`);
  return objectOf(root, operation.selectionSet, schema, options);
}
