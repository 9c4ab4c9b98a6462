export { depthLimitRule, INTROSPECTION_MAX_DEPTH } from './depth-limit-rule';
export { aliasLimitRule } from './alias-limit-rule';
