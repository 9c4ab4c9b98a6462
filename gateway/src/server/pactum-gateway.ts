/**
 * Wraps @apollo/gateway so that Pactum's stages sit around its executor: Apollo Server sees
 * one gateway, the wrapper hands the real one only operations that enforcement has rewritten.
 */
import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayInterface,
  GatewayLoadResult,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { GraphQLError, GraphQLScalarType, getVariableValues, type GraphQLSchema } from 'graphql';

/** Turns the gateway's executor into the one Apollo Server calls. */
export type ExecutorStage = (inner: GatewayExecutor) => GatewayExecutor;

/**
 * Gives the supergraph's opaque identifier scalars their real parsers, so a malformed container
 * number, IMO or IBAN is refused at the gateway, in literals and variables alike, before planning.
 */
export function installScalarParsers(schema: GraphQLSchema, scalars: Readonly<Record<string, GraphQLScalarType>>): void {
  for (const [name, impl] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    type.parseValue = impl.parseValue;
    type.parseLiteral = impl.parseLiteral;
  }
}

/**
 * Coerces the client's variables against the API schema before any stage runs, so a malformed
 * identifier in a variable is refused as bad input even where enforcement would have removed
 * the field that uses it: bad input is reported first, whoever asks.
 */
function withVariableCheck(getSchema: () => GraphQLSchema | undefined, inner: GatewayExecutor): GatewayExecutor {
  return async (requestContext) => {
    const schema = getSchema();
    const definitions = requestContext.operation?.variableDefinitions;
    if (schema && definitions && definitions.length > 0) {
      const { errors } = getVariableValues(schema, definitions, requestContext.request.variables ?? {});
      if (errors && errors.length > 0) {
        return {
          errors: errors.map(
            (e) => new GraphQLError(e.message, { nodes: e.nodes, originalError: e.originalError, extensions: { code: 'BAD_USER_INPUT' } }),
          ),
        };
      }
    }
    return inner(requestContext);
  };
}

export class PactumGateway implements GatewayInterface {
  private schema: GraphQLSchema | undefined;

  constructor(
    private readonly inner: ApolloGateway,
    private readonly stage: ExecutorStage,
    private readonly scalars: Readonly<Record<string, GraphQLScalarType>>,
  ) {}

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    // The two server-gateway-interface versions (gateway 1.x, server 2.x) describe the same shapes.
    const loaded = (await this.inner.load(options as never)) as unknown as GatewayLoadResult;
    if (!loaded.executor) throw new Error('gateway loaded without an executor');
    return { executor: withVariableCheck(() => this.schema, this.stage(loaded.executor)) };
  }

  onSchemaLoadOrUpdate(
    callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0],
  ): GatewayUnsubscriber {
    // The API schema handed to Apollo Server is the very object the gateway coerces variables
    // against, so installing the parsers here covers literals and variables both.
    return this.inner.onSchemaLoadOrUpdate((schemaContext) => {
      installScalarParsers(schemaContext.apiSchema, this.scalars);
      this.schema = schemaContext.apiSchema;
      callback(schemaContext);
    });
  }

  async stop(): Promise<void> {
    await this.inner.stop();
  }
}
