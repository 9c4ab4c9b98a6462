import { Kind, parse, TypeInfo, validate, visit, visitWithTypeInfo, type DocumentNode } from 'graphql';
import { agencySubgraphs, loadApiSchema, loadOperations } from '../index';

const schema = loadApiSchema();
const operations = loadOperations();

/** `Type.field` coordinates a subgraph itself resolves (key fields and shared value types excluded). */
function ownedCoordinates(typeDefs: DocumentNode): Set<string> {
  const owned = new Set<string>();
  for (const def of typeDefs.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const shareable = def.directives?.some((d) => d.name.value === 'shareable');
    if (shareable) continue;
    const keyFields = new Set((def.directives ?? []).filter((d) => d.name.value === 'key')
      .flatMap((d) => d.arguments?.flatMap((a) => (a.value.kind === Kind.STRING ? a.value.value.split(/\s+/) : [])) ?? []));
    for (const f of def.fields ?? []) if (!keyFields.has(f.name.value)) owned.add(`${def.name.value}.${f.name.value}`);
  }
  return owned;
}

/** Coordinates an operation selects. */
function selectedCoordinates(document: DocumentNode): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const out = new Set<string>();
  visit(document, visitWithTypeInfo(typeInfo, {
    Field() {
      const parent = typeInfo.getParentType();
      const field = typeInfo.getFieldDef();
      if (parent && field) out.add(`${parent.name}.${field.name}`);
    },
  }));
  return out;
}

describe('trusted operations', () => {
  it('include ContainerDossier and the other front-end operations', () => {
    expect(Object.keys(operations)).toEqual(expect.arrayContaining([
      'ContainerDossier', 'ContainerHitCheck', 'PersonHitCheck', 'HitFollowUp', 'VesselPortCalls', 'SeizuresAtPort', 'InvestigationFile', 'JudicialCaseFile',
    ]));
  });

  it.each(Object.entries(operations))('%s is valid against the supergraph API schema and named after its file', (name, text) => {
    const document = parse(text);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(ops.map((o) => o.name?.value)).toEqual([name]);
  });

  it('ContainerDossier draws on all four subgraphs', () => {
    const selected = selectedCoordinates(parse(operations['ContainerDossier'] ?? ''));
    for (const subgraph of agencySubgraphs()) {
      const mine = [...ownedCoordinates(subgraph.typeDefs)].filter((c) => selected.has(c));
      expect({ subgraph: subgraph.name, fields: mine.length > 0 }).toEqual({ subgraph: subgraph.name, fields: true });
    }
    for (const c of ['Container.declarations', 'Container.investigations', 'Investigation.suspects', 'Container.sienaMessages', 'Container.intelligenceReports', 'Investigation.judicialCases', 'JudicialCase.jit', 'PortCall.vessel', 'CustomsDeclaration.importer']) {
      expect(selected.has(c)).toBe(true);
    }
  });

  it('an invalid operation is caught (the validation can fail)', () => {
    expect(validate(schema, parse('query X { container(number: "MSCU1234566") { noSuchField } }')).length).toBe(1);
  });
});
