/** The refusal of a document over one of the {@link OperationLimits}: 400, the limit named. */
import { BadUserInputError } from '../errors';
import type { LimitReason } from './operation-limits';

/** A `BAD_USER_INPUT` error whose reason names the limit and whose message gives the limit and the value found. */
export class LimitExceededError extends BadUserInputError {
  declare readonly reason: LimitReason;

  constructor(reason: LimitReason, message: string) {
    super(reason, message);
  }
}
