/**
 * The need-to-know oracle's system: the whole stack (four seeded subgraphs and the real gateway),
 * a bare `@apollo/gateway` over the same subgraphs, the compiled policy of the stack's policy
 * folder, and `check(case)`, which runs one generated case through both and compares — and, through
 * recording proxies in front of the subgraphs, checks that no subgraph was asked for a field the
 * principal is denied statically.
 */
import { parse, print, validate, type GraphQLSchema } from 'graphql';
import { loadApiSchema, loadSupergraphSdl } from '@pactum/schema';
import { loadPolicy, type CompiledPolicy } from '@pactum/gateway/src/policy';
import { ask } from '../client';
import { requestedFields } from '../ntk-requested-fields';
import { startStack, type Stack } from '../stack';
import { openAuditEntities, type AuditEntities } from './audit-entities';
import { augmentOperation } from './augment-operation';
import { CALLER_HEADERS, startBareGateway, type BareGateway } from './bare-gateway';
import { compareAnswers, readGatewayAnswer, type GatewayAnswer } from './compare-answers';
import { discoverKeys, type KeyPools } from './oracle-keys';
import { printOperation, type OracleOperation, type PrintedOperation } from './oracle-operation';
import { asPrincipal, principalSpace, subjectOf, type OraclePrincipal, type PrincipalSpace } from './principal-arbitrary';
import { referenceAnswer, type ReferenceAnswer } from './reference-answer';
import { loadTransferRules } from './transfer-rules';

/** One generated case. */
export interface OracleCase {
  readonly principal: OraclePrincipal;
  readonly operation: OracleOperation;
}

/** One case's outcome: empty `problems` when the gateway released exactly what the rules allow. */
export interface CaseOutcome {
  readonly printed: PrintedOperation;
  readonly problems: readonly string[];
  readonly expected?: ReferenceAnswer;
  readonly got?: GatewayAnswer;
  /** Coordinates the gateway asked the subgraphs for (keys, `__typename` and its own injections left out). */
  readonly asked?: ReadonlySet<string>;
}

export interface Oracle {
  readonly schema: GraphQLSchema;
  readonly policy: CompiledPolicy;
  readonly pools: KeyPools;
  readonly space: PrincipalSpace;
  readonly stack: Stack;
  check(c: OracleCase): Promise<CaseOutcome>;
  stop(): Promise<void>;
}

/** Request limits raised well above what the generator produces (each setting's own ceiling). */
const ORACLE_LIMITS: Record<string, string> = {
  PACTUM_MAX_ALIASES: '1000',
  PACTUM_MAX_DIRECTIVES: '10000',
  PACTUM_MAX_SELECTIONS: '100000',
  PACTUM_MAX_TOKENS: '100000',
  PACTUM_MAX_DOCUMENT_BYTES: '1048576',
};

/** Asks the bare gateway, which tells the subgraphs that `p` is calling (as the real gateway would). */
async function askBare(url: string, p: OraclePrincipal, query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }> {
  const headers = {
    'content-type': 'application/json',
    [CALLER_HEADERS.agency]: p.agency,
    [CALLER_HEADERS.subject]: subjectOf(p),
    [CALLER_HEADERS.purpose]: p.purpose,
  };
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
}

/** Boots the oracle's system (a few seconds). */
export async function startOracle(): Promise<Oracle> {
  const supergraphSdl = loadSupergraphSdl();
  const schema = loadApiSchema(supergraphSdl);
  // The oracle tests enforcement, not the request limits: its operations may be large (fragments
  // spread several times multiply aliases, directives, selections and tokens once inlined).
  // Recording proxies in front of the subgraphs show what the gateway asked them (data minimisation).
  const stack = await startStack({ env: ORACLE_LIMITS, record: true });
  let bare: BareGateway | undefined;
  let audit: AuditEntities | undefined;
  try {
    bare = await startBareGateway({ supergraphSdl, subgraphUrls: stack.subgraphUrls, stateDir: stack.stateDir });
    const policy = loadPolicy({ dir: stack.policyDir, supergraphSdl });
    const space = principalSpace(stack.policyDir);
    const transfers = loadTransferRules(stack.policyDir);
    const pools = await discoverKeys(bare.url, space.agencies);
    const bareUrl = bare.url;
    const tokens = new Map<string, Promise<string>>();
    const tokenFor = (p: OraclePrincipal): Promise<string> => {
      const key = JSON.stringify([p.agency, [...p.roles].sort(), p.clearance, [...p.cases].sort(), p.purpose]);
      let t = tokens.get(key);
      if (!t) {
        t = stack.keys.token({ agency: p.agency, sub: subjectOf(p), roles: p.roles, clearance: p.clearance, purposes: [p.purpose], cases: p.cases });
        tokens.set(key, t);
      }
      return t;
    };
    // The stack's gateway has written its first record by the time it serves; open the trail after the first reply.
    const auditTrail = (): AuditEntities => (audit ??= openAuditEntities(stack.stateDir));
    const keyFieldsOf = (t: string) => policy.facts.keyFields(t);
    const recorders = Object.values(stack.recorded);

    return {
      schema,
      policy,
      pools,
      space,
      stack,
      async check(c) {
        const printed = printOperation(c.operation);
        const doc = parse(printed.query);
        const invalid = validate(schema, doc);
        if (invalid.length > 0) return { printed, problems: [`the generator produced an invalid operation: ${invalid.map((e) => e.message).join('; ')}`] };
        const full = await askBare(bareUrl, c.principal, print(augmentOperation(schema, doc, keyFieldsOf)), printed.variables);
        if (full.errors || !full.data) return { printed, problems: [`the bare gateway failed: ${JSON.stringify(full.errors)}`] };
        const { principal, purpose } = asPrincipal(c.principal);
        const at = new Date();
        const expected = referenceAnswer(schema, policy, { principal, purpose, at }, doc, printed.variables, full.data);
        for (const proxy of recorders) proxy.clear();
        const reply = await ask(stack.gatewayUrl, {
          token: await tokenFor(c.principal),
          purpose: purpose.code,
          justification: purpose.justification ?? 'need-to-know oracle',
          ...(purpose.caseRef !== undefined ? { caseRef: purpose.caseRef } : {}),
          query: printed.query,
          variables: printed.variables,
        });
        const got = readGatewayAnswer(reply);
        const audited = got.auditId ? auditTrail().of(got.auditId) : undefined;
        const problems = compareAnswers(expected, got, audited);
        // The transfer rules, restated from the policy files alone (no engine code), on what the gateway released.
        problems.push(...transfers.check(c.principal, at, full.data, audited, reply.body.extensions));
        // A field denied statically (no row involved) is not even asked of the subgraphs.
        const asked = requestedFields(recorders.flatMap((p) => p.requests));
        for (const coordinate of asked) {
          const [typeName = '', fieldName = ''] = coordinate.split('.');
          const e = policy.explain(principal, purpose, at, typeName, fieldName);
          if (e.effect === 'deny') problems.push(`a subgraph was asked for ${coordinate}, denied statically (${e.reason ?? ''})`);
        }
        return { printed, expected, got, asked, problems };
      },
      async stop() {
        audit?.close();
        await bare?.stop();
        await stack.stop();
      },
    };
  } catch (err) {
    audit?.close();
    await bare?.stop();
    await stack.stop();
    throw err;
  }
}
