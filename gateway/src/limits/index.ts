/**
 * Request limits: what a document may cost before the gateway parses, validates, rewrites and
 * plans it. The only public door.
 */
export { checkOperationLimits, maxNesting } from './check-operation-limits';
export { measureOperations, type OperationMeasure } from './measure-operations';
export { LimitExceededError } from './limit-exceeded-error';
export { INTROSPECTION_MAX_DEPTH, type LimitReason, type OperationLimits } from './operation-limits';
