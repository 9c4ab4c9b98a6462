/**
 * A mutation asked for something the principal may not do or see. Refused whole, before any
 * subgraph is called: a mutation cannot be half-run the way a query can be half-answered.
 */
import { ForbiddenError } from '../errors';
import type { StaticDenial } from './enforcement-plan';

export class MutationRefusedError extends ForbiddenError {
  /** Every denied selection of the mutation, for the audit record. */
  readonly denials: readonly StaticDenial[];

  constructor(denials: readonly StaticDenial[]) {
    const first = denials[0];
    super(first?.reason ?? 'NOT_IN_POLICY', `mutation refused: ${denials.map((d) => `${d.coordinate} (${d.reason})`).join(', ')}`);
    this.denials = denials;
  }
}
