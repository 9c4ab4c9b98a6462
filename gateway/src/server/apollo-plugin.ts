/**
 * The Apollo Server hooks of the gateway's pipeline: note which operation ran (for the audit
 * record) and stamp every response with its audit id.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContextValue } from '../context';

export function pactumApolloPlugin(): ApolloServerPlugin<GatewayContextValue> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, queryHash }) {
          contextValue.pactum.operation = { name: operationName ?? null, hash: queryHash };
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          contextValue.pactum.result = {
            hasData: result.data !== undefined && result.data !== null,
            errorCodes: (result.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')),
          };
          result.extensions = { ...result.extensions, auditId: contextValue.pactum.auditId };
        },
      };
    },
  };
}
