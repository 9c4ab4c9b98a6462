/**
 * Pass as `authenticate` to serve a subgraph WITHOUT checking who asks.
 *
 * Tests and local experiments only: the subgraph then answers anyone who can reach its
 * port, and resolvers see no `ctx.caller`. In production pass the gateway context-token
 * verifier (`createContextTokenVerifier`, which `runSubgraphMain` builds for you).
 * A unique symbol rather than `undefined`, so forgetting the option is an error and
 * opting out is a visible, greppable choice.
 */
export const ALLOW_UNAUTHENTICATED: unique symbol = Symbol('pactum.subgraph.allowUnauthenticated');
