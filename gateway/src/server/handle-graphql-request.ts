/**
 * A request's way through the gateway, in order. Each stage is a function with typed input and
 * output; none leaves notes for another. Whatever refuses, at any stage, is answered by the one
 * refusal path, which audits with what the request had established so far.
 *
 *   0 begin          ids and the request's own time
 *   1 authenticate   bearer token → verified principal + declared purpose (401 / 400 / 403), under
 *                    the client address's failed-authentication budget (429 before verifying)
 *     rate limit     the principal's and its agency's budgets (429)
 *   2 read           the GraphQL request out of GET / POST (CSRF, batching, body limit)
 *     trust          which documents may run: by manifest id / trusted text (PACTUM_OPERATIONS)
 *   3 prepare        parse, validate, limits, operation, variables coerced once
 *     hit budget     a document asking hit/no-hit probes: the lower hit budgets, a token per probe (429 / 503)
 *   4 authorize      the access profile (once, at the request's time) → rewritten operation
 *   5 execute        the REWRITTEN operation, planned and cached by its own hash
 *   6 post-process   rows withheld, denied fields nulled, introspection filtered, errors masked
 *   7 audit          the record appended, durably — no audit, no data
 *   8 respond        the answer, with `extensions.auditId`; then its log line (`log/request-log-line.ts`)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrincipalRefusedError, type Authenticated } from '../auth';
import { MutationRefusedError, refusedMutationReport, type Authorization } from '../enforce';
import type { AccessProfile, CompiledPolicy, SupergraphFacts } from '../policy';
import type { RequestFacts } from './audit-event';
import { beginRequest } from './stages/begin-request';
import type { Deliver } from './stages/deliver';
import type { Executed } from './stages/execute-operation';
import { failClosed } from './stages/fail-closed';
import { markTransfer } from './stages/mark-transfer';
import type { PreparedOperation } from './stages/prepare-operation';
import { RefusedPrincipalRateLimitedError, type RateLimitStage } from './stages/rate-limit';
import { readGraphQLRequest, type GraphQLRequest, type ReceivedRequest } from './stages/read-graphql-request';
import type { Refuse } from './stages/refuse';
import type { ReleasedAnswer } from './stages/release-response';
import { UntrustedOperationError } from './stages/trusted-operations';
import { SubgraphCaller } from './subgraph-caller';

/** The stages, wired by `create-gateway-server.ts`. */
export interface GraphQLStages {
  readonly now: () => Date;
  readonly authenticate: (headers: IncomingMessage['headers']) => Promise<Authenticated>;
  readonly limits: { readonly maxBodyBytes: number };
  /** Rate limits: around authentication (by client address), after it, and again for a hit/no-hit document once it is parsed. */
  readonly rateLimit: RateLimitStage;
  /** The document a request may run: the manifest's, by id or trusted text, or refused by the mode. */
  readonly trust: (received: ReceivedRequest) => GraphQLRequest;
  readonly prepare: (request: GraphQLRequest) => PreparedOperation;
  /** The policy in force, read once per request: a reload applies from the next request on. */
  readonly policy: () => CompiledPolicy;
  readonly authorize: (prepared: PreparedOperation, profile: AccessProfile, facts: SupergraphFacts) => Authorization;
  /** `abandoned`: whether the client has gone (checked by a request that waited for an execution slot, before it runs). */
  readonly execute: (authorization: Authorization, prepared: PreparedOperation, caller: SubgraphCaller, abandoned?: () => boolean) => Promise<Executed>;
  readonly release: (executed: Executed, authorization: Authorization, prepared: PreparedOperation) => ReleasedAnswer;
  readonly deliver: Deliver;
  readonly refuse: Refuse;
}

export function createGraphQLHandler(s: GraphQLStages): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async function handleGraphQLRequest(req, res) {
    const start = beginRequest(req, s.now);
    let facts: RequestFacts = { start };
    let released: ReleasedAnswer;
    try {
      const identity = await s.rateLimit.authenticate({ remoteAddress: req.socket.remoteAddress, headers: req.headers }, () => s.authenticate(req.headers));
      facts = { ...facts, identity };
      await s.rateLimit.admit(identity);
      const received = await readGraphQLRequest(req, s.limits);
      const request = s.trust(received);
      const prepared = s.prepare(request);
      facts = { ...facts, operation: { name: prepared.operation.name?.value ?? null, hash: prepared.queryHash } };
      await s.rateLimit.admitPrepared(identity, prepared);
      const policy = s.policy();
      const profile = await failClosed('enforcement_failed', () => policy.profileFor(identity.principal, identity.purpose, start.receivedAt));
      facts = { ...facts, policyVersion: profile.policyVersion };
      const authorization = await failClosed('enforcement_failed', () => s.authorize(prepared, profile, policy.facts));
      const caller = new SubgraphCaller(identity.principal, identity.purpose, start.requestId);
      facts = { ...facts, subgraphCalls: caller.calls, subgraphJoined: caller.joined };
      const executed = await failClosed('execution_failed', () => s.execute(authorization, prepared, caller, () => clientGone(res)));
      const answered = await failClosed('enforcement_failed', () => s.release(executed, authorization, prepared));
      // A third-country principal's answer carries its onward-transfer condition; a transfer of personal data is marked in the record.
      const marked = await failClosed('enforcement_failed', () => markTransfer(answered, policy, identity));
      released = marked.released;
      if (marked.transfer) facts = { ...facts, transfer: marked.transfer };
    } catch (error) {
      return s.refuse(req, res, withRefusal(facts, error), error);
    }
    // Returned, not awaited: this frame would hold the answer's object tree through the audit wait (see deliver.ts).
    return s.deliver(res, { ...facts, enforcement: released.report }, released.answer);
  };
}

/** The client's connection is closed: nobody will read this answer. */
function clientGone(res: ServerResponse): boolean {
  return !res.socket || res.socket.destroyed;
}

/** What a refusal itself adds to the record: the principal it refused, the mutation's denials. */
function withRefusal(facts: RequestFacts, error: unknown): RequestFacts {
  if (error instanceof PrincipalRefusedError || error instanceof RefusedPrincipalRateLimitedError) return { ...facts, identity: error.identity };
  if (error instanceof UntrustedOperationError) return { ...facts, operation: error.attempted };
  if (error instanceof MutationRefusedError && facts.policyVersion) return { ...facts, enforcement: refusedMutationReport(error, facts.policyVersion) };
  return facts;
}
