import { KitOptionsError } from '../errors';
import { ALLOW_UNAUTHENTICATED } from './allow-unauthenticated';
import type { CreateSubgraphServerOptions } from './types';

/**
 * Validates the server options at run time (JavaScript callers, `as never` casts), before
 * anything is opened or bound. `caller` names the public function in the messages.
 *
 * @throws KitOptionsError naming the option and what to pass instead.
 */
export function checkServerOptions(options: CreateSubgraphServerOptions, caller: string): void {
  const fail = (option: string, message: string): never => {
    throw new KitOptionsError(option, `${caller}: ${message}`);
  };
  if (typeof options !== 'object' || options === null) fail('options', 'options must be an object');
  if (typeof options.name !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(options.name)) {
    fail('name', 'options.name must be a lower-case subgraph name such as "police"');
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    fail('port', `options.port must be an integer 0-65535, got ${String(options.port)}`);
  }
  if (options.typeDefs?.kind !== 'Document') fail('typeDefs', 'options.typeDefs must be a parsed DocumentNode (use subgraphTypeDefs)');
  if (typeof options.resolvers !== 'object' || options.resolvers === null) fail('resolvers', 'options.resolvers must be an object');
  checkAuthenticate(options.authenticate, options.name, fail);
  for (const hook of ['createContext', 'onStop', 'onInternalError'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') fail(hook, `options.${hook} must be a function`);
  }
  if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes > 0)) {
    fail('maxBodyBytes', 'options.maxBodyBytes must be a positive integer');
  }
}

// Fail closed: a subgraph built without a verifier would answer anyone, so leaving the
// option out is an error, never a default.
function checkAuthenticate(value: unknown, name: unknown, fail: (option: string, message: string) => never): void {
  if (value === ALLOW_UNAUTHENTICATED || typeof value === 'function') return;
  const audience = typeof name === 'string' ? name : '<subgraph name>';
  const what =
    value === undefined || value === null
      ? 'options.authenticate is required'
      : `options.authenticate must be a function or ALLOW_UNAUTHENTICATED, got ${typeof value === 'symbol' ? 'another symbol' : typeof value}`;
  fail(
    'authenticate',
    `${what}: pass the gateway context-token verifier, createContextTokenVerifier({ audience: '${audience}', publicKeyFile }) ` +
      '(runSubgraphMain gives it to the factory as `authenticate`), or ALLOW_UNAUTHENTICATED in tests (the subgraph then answers anyone)',
  );
}
