/**
 * The pipeline's stages, each inside its own span (`tracing/`): the same functions, in the same
 * order, with the same inputs and outputs — only wrapped, and only when tracing is on.
 */
import type { GatewayTracing } from '../tracing';
import type { GraphQLStages } from './handle-graphql-request';

export function traceStages(s: GraphQLStages, t: GatewayTracing): GraphQLStages {
  return {
    ...s,
    authenticate: (headers) => t.stage('authenticate', () => s.authenticate(headers)),
    rateLimit: {
      // The authentication inside keeps its own span (`authenticate` above); the screening costs no span.
      authenticate: (origin, authenticate) => s.rateLimit.authenticate(origin, authenticate),
      admit: (identity) => t.stage('rate_limit', () => s.rateLimit.admit(identity)),
      admitPrepared: (identity, prepared) => t.stage('hit_budget', () => s.rateLimit.admitPrepared(identity, prepared)),
    },
    trust: (received) => t.stage('trust', () => s.trust(received)),
    prepare: (request) => t.stage('prepare', () => s.prepare(request)),
    authorize: (prepared, profile, facts) => t.stage('authorize', () => s.authorize(prepared, profile, facts)),
    execute: (authorization, prepared, caller, abandoned) => t.stage('execute', () => s.execute(authorization, prepared, caller, abandoned)),
    release: (executed, authorization, prepared) => t.stage('post_process', () => s.release(executed, authorization, prepared)),
    deliver: (res, facts, answer) => t.stage('audit_and_respond', () => s.deliver(res, facts, answer)),
    refuse: (req, res, facts, error) => t.stage('refuse', () => s.refuse(req, res, facts, error)),
  };
}
