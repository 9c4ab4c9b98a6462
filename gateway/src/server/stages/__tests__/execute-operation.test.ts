import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { buildSchema, parse, print, type OperationDefinitionNode } from 'graphql';
import { createFilteredIntrospection, type Authorization } from '../../../enforce';
import type { AccessProfile } from '../../../policy';
import { SubgraphCaller } from '../../subgraph-caller';
import { createOperationExecutor } from '../execute-operation';
import type { PreparedOperation } from '../prepare-operation';

const schema = buildSchema(`
  type Query { container(number: String!): Container secret: Secret }
  type Container { number: String! }
  type Secret { code: String! }
`);

/** May read containers, never `Secret` (so the filtered schema has no such type). */
const profile: AccessProfile = {
  key: 'containers-only',
  policyVersion: 'v1',
  field: (t, f) => (t === 'Secret' || f === 'secret' ? { effect: 'deny', reason: 'NO_AGREEMENT' } : { effect: 'allow', grant: { agreement: 'a', grant: 'g' } }),
  rowRules: () => undefined,
};

function authorization(query: string): Authorization {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const source = print(document);
  return { profile, rewrite: { document, operation, source, hash: `hash-of-${source}`, denials: [], plan: { operationType: 'query', root: { byType: new Map() } }, fieldsRequested: [] } };
}

const prepared = (query: string): PreparedOperation => {
  const document = parse(query);
  return { document, operation: document.definitions[0] as OperationDefinitionNode, queryHash: 'h', operationName: null, variables: {}, coercedVariables: {} };
};

const caller = new SubgraphCaller({ subject: 's', agency: 'A', issuer: 'i', roles: new Set(), clearance: 'C', purposes: new Set(), cases: new Set() }, { code: 'p' }, 'r1');

describe('execute stage', () => {
  test('an operation mixing data and root introspection runs the data alone, under its own plan key, and answers introspection from the filtered schema', async () => {
    const seen: GatewayGraphQLRequestContext[] = [];
    const executor: GatewayExecutor = async (rc) => {
      seen.push(rc);
      return { data: { container: { number: 'MSCU1234566' } } };
    };
    const execute = createOperationExecutor(executor, schema, createFilteredIntrospection());
    const query = '{ hidden: __type(name: "Secret") { name } container(number: "MSCU1234566") { number } shown: __type(name: "Container") { name } }';
    const executed = await execute(authorization(query), prepared(query), caller);

    expect(seen).toHaveLength(1);
    expect(seen[0]?.source).toBe(print(parse('{ container(number: "MSCU1234566") { number } }')));
    expect(seen[0]?.queryHash).not.toBe(`hash-of-${print(parse(query))}`);
    expect(executed.answeredBy).toBe('gateway+introspection');
    // The audit record names the document that ran, not the rewrite it was taken from.
    expect(executed.executedHash).toBe(seen[0]?.queryHash);
    // In the operation's order; the type the profile may not query is not there.
    expect(Object.keys(executed.data ?? {})).toEqual(['hidden', 'container', 'shown']);
    expect(executed.data).toEqual({ hidden: null, container: { number: 'MSCU1234566' }, shown: { name: 'Container' } });
  });

  test('introspection alone never reaches the executor; data alone is run as rewritten', async () => {
    const seen: string[] = [];
    const executor: GatewayExecutor = async (rc) => {
      seen.push(rc.source);
      return { data: { container: null } };
    };
    const execute = createOperationExecutor(executor, schema, createFilteredIntrospection());
    const only = '{ __type(name: "Container") { name } }';
    expect((await execute(authorization(only), prepared(only), caller)).answeredBy).toBe('introspection');
    const data = '{ container(number: "MSCU1234566") { number } }';
    const executed = await execute(authorization(data), prepared(data), caller);
    expect(executed.answeredBy).toBe('gateway');
    expect(seen).toEqual([print(parse(data))]);
  });
});
