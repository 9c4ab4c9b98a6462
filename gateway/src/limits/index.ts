export { depthLimitRule } from './depth-limit-rule';
export { aliasLimitRule } from './alias-limit-rule';
