/**
 * Stage 6: post-process. What the gateway returned becomes what may be released (need-to-know's
 * `release`: rows withheld, denied fields nulled with FORBIDDEN errors, injected selections
 * stripped), introspection answered by the gateway is replaced by the filtered answer, and every
 * error is formatted (masked unless it has a wire code). An answer with data is 200.
 */
import type { GraphQLSchema } from 'graphql';
import { WIRE_STATUS } from '../../errors';
import type { Authorization, EnforcementReport, Enforcement, FilteredIntrospection } from '../../enforce';
import { formatError } from '../format-error';
import type { Answer } from './deliver';
import type { Executed } from './execute-operation';
import type { PreparedOperation } from './prepare-operation';

/** The answer and the report it was released under. */
export interface ReleasedAnswer {
  readonly answer: Answer;
  readonly report: EnforcementReport;
}

export function createResponseRelease(
  enforcement: Enforcement,
  introspection: FilteredIntrospection,
  schema: GraphQLSchema,
): (executed: Executed, authorization: Authorization, prepared: PreparedOperation) => ReleasedAnswer {
  return (executed, authorization, prepared) => {
    const released = enforcement.release(executed, authorization, prepared.coercedVariables);
    // Whatever root introspection the executor still answered (from the full API schema: under
    // @skip/@include, inside a root fragment) is replaced by the filtered answer before release.
    if (released.data && (executed.answeredBy === 'gateway' || executed.answeredBy === 'gateway+introspection')) {
      introspection.merge(
        { schema, profile: authorization.profile, document: prepared.document, operationName: prepared.operationName, variables: prepared.variables },
        released.data,
      );
    }
    const errors = released.errors.map((e) => formatError(e));
    const status = released.data !== undefined ? 200 : WIRE_STATUS[errors[0]?.extensions.code ?? 'INTERNAL_SERVER_ERROR'];
    const body = {
      ...(errors.length > 0 ? { errors } : {}),
      ...(released.data !== undefined ? { data: released.data } : {}),
    };
    return { answer: { status, body }, report: released.report };
  };
}
