/**
 * Who a subgraph call is made for: the verified principal, the declared purpose and the
 * request id. It is the execution context the gateway executor hands each data source, and the
 * only thing the context token is signed from.
 */
import type { DeclaredPurpose, Principal } from '../auth';

export class SubgraphCaller {
  /**
   * The subgraphs called for this request, in order: the data sources append as they call, the
   * request's log line reads it at delivery. The one thing execution writes back, because
   * @apollo/gateway's executor does not say which subgraphs it asked.
   */
  readonly calls: string[] = [];

  /**
   * For each call that joined an identical one in flight instead of being sent, the request id
   * that call went out with (what the subgraph's own logs show for it), so the request's log line
   * can say whose call served it.
   */
  readonly joined: string[] = [];

  constructor(
    readonly principal: Principal,
    readonly purpose: DeclaredPurpose,
    readonly requestId: string,
  ) {}
}

/** The caller of a data-source call, when the context is one (anything else: no caller, no token). */
export function callerOf(context: unknown): SubgraphCaller | undefined {
  return context instanceof SubgraphCaller ? context : undefined;
}
