import { readFileSync } from 'node:fs';
import path from 'node:path';
import { executeQueryPlan } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import * as federationInternals from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { reuseBuiltOperations } from '../reuse-built-operations';

const sdl = readFileSync(path.join(__dirname, '../../../../schema/supergraph.graphql'), 'utf8');
const supergraph = Supergraph.build(sdl);
const apiSchema = supergraph.apiSchema();

const lookup = parse('query L($n: ContainerNumber!) { container(number: $n) { number ownerCode } }');
const single = (d: DocumentNode): OperationDefinitionNode => d.definitions[0] as OperationDefinitionNode;
/** What executeQueryPlan passes: a fresh document around the same definition node, validation off. */
const asExecutorBuildsIt = (d: DocumentNode): DocumentNode => ({ kind: d.kind, definitions: [single(d)] });

beforeAll(() => {
  expect(reuseBuiltOperations()).toBe(true);
  expect(reuseBuiltOperations()).toBe(true); // idempotent
});

describe('reuseBuiltOperations', () => {
  it("answers the executor's call for the same definition node with the same Operation", () => {
    const a = federationInternals.operationFromDocument(apiSchema, asExecutorBuildsIt(lookup), { validate: false });
    const b = federationInternals.operationFromDocument(apiSchema, asExecutorBuildsIt(lookup), { validate: false });
    expect(b === a).toBe(true);
    expect(a.toString()).toContain('container(number: $n)');
  });

  it('builds afresh for another node with the same text, another schema, or a validating call', () => {
    const first = federationInternals.operationFromDocument(apiSchema, asExecutorBuildsIt(lookup), { validate: false });
    const sameText = parse('query L($n: ContainerNumber!) { container(number: $n) { number ownerCode } }');
    expect(federationInternals.operationFromDocument(apiSchema, asExecutorBuildsIt(sameText), { validate: false })).not.toBe(first);
    const otherApi = Supergraph.build(sdl).apiSchema();
    expect(federationInternals.operationFromDocument(otherApi, asExecutorBuildsIt(lookup), { validate: false })).not.toBe(first);
    expect(federationInternals.operationFromDocument(apiSchema, asExecutorBuildsIt(lookup))).not.toBe(first);
  });

  it('leaves documents with fragments or several operations to the original, errors included', () => {
    const withFragment = parse('query L { container(number: "MSCU1234566") { ...F } } fragment F on Container { number }');
    const a = federationInternals.operationFromDocument(apiSchema, withFragment, { validate: false });
    expect(federationInternals.operationFromDocument(apiSchema, withFragment, { validate: false })).not.toBe(a);
    const bad = parse('query L { container(number: "MSCU1234566") { ...F } } fragment F on NoSuchType { number }');
    expect(() => federationInternals.operationFromDocument(apiSchema, bad, { validate: false })).toThrow(/Unknown type "NoSuchType"/);
  });

  it('is what executeQueryPlan uses: executing twice shapes the same response from one built Operation', async () => {
    const planner = new QueryPlanner(supergraph);
    const operation = federationInternals.operationFromDocument(apiSchema, lookup);
    const plan = planner.buildQueryPlan(operation);
    const given: unknown[] = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the very module object @apollo/gateway reads
    const operations = require(require.resolve('@apollo/federation-internals/dist/operations', { paths: [require.resolve('@apollo/gateway')] })) as {
      operationFromDocument: (...args: unknown[]) => unknown;
    };
    const memo = operations.operationFromDocument;
    operations.operationFromDocument = (...args: unknown[]) => {
      const operation = memo(...args);
      given.push(operation);
      return operation;
    };
    try {
      const dataSource = { process: async () => ({ data: { container: { number: 'MSCU1234566', ownerCode: 'MSC' } } }) };
      const serviceMap = Object.fromEntries(supergraph.subgraphs().names().map((n) => [n, dataSource]));
      const operationContext = { schema: apiSchema.toGraphQLJSSchema(), operation: single(lookup), fragments: {} };
      const run = () =>
        executeQueryPlan(
          plan,
          serviceMap as never,
          { request: { variables: { n: 'MSCU1234566' } }, logger: console, metrics: {} } as never,
          operationContext as never,
          supergraph.schema.toGraphQLJSSchema(),
          apiSchema,
        );
      const first = await run();
      const second = await run();
      expect(first.data).toEqual({ container: { number: 'MSCU1234566', ownerCode: 'MSC' } });
      expect(second.data).toEqual(first.data);
      // The executor asked once per run, and both runs were given the one Operation built.
      expect(given).toHaveLength(2);
      expect(given[1] === given[0]).toBe(true); // (identity; toBe would diff two huge objects)
    } finally {
      operations.operationFromDocument = memo as typeof operations.operationFromDocument;
    }
  });
});
