import { request } from 'node:http';
import { GraphQLError } from 'graphql';
import { assertIdentifier } from '../../identifiers';
import { PortInUseError, KitOptionsError } from '../../errors';
import { scalarResolvers } from '../../scalars';
import { subgraphTypeDefs } from '../../sdl';
import { ALLOW_UNAUTHENTICATED, createSubgraphServer, type Caller, type CreateSubgraphServerOptions, type RunningSubgraph, type SubgraphContext } from '..';
import { postGraphQL } from './post-graphql';

const SDL = `
type Query {
  hello: String
  whoami: String
  requestId: String
  boom: String
  forbidden: String
  container(number: String!): Container
  slow: String
  loadersId: String
  extra: String
}
type Container @key(fields: "number") { number: ContainerNumber! }
`;

const running: RunningSubgraph[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

let resolverCalls = 0;
let releaseSlow: () => void = () => undefined;
let slowStarted: Promise<void> = Promise.resolve();
const internalErrors: unknown[] = [];

async function start(over: Partial<CreateSubgraphServerOptions> = {}): Promise<RunningSubgraph> {
  let markStarted: () => void = () => undefined;
  slowStarted = new Promise((r) => (markStarted = r));
  const loaderIds = new WeakMap<object, number>();
  let nextId = 0;
  const s = await createSubgraphServer({
    name: 'police',
    port: 0,
    authenticate: ALLOW_UNAUTHENTICATED,
    typeDefs: subgraphTypeDefs(SDL),
    resolvers: {
      ...scalarResolvers,
      Query: {
        hello: () => {
          resolverCalls++;
          return 'hi';
        },
        whoami: (_p: unknown, _a: unknown, ctx: SubgraphContext) => `${ctx.caller?.agency}/${ctx.caller?.purpose}`,
        requestId: (_p: unknown, _a: unknown, ctx: SubgraphContext) => ctx.requestId,
        boom: () => {
          throw new Error('secret value 1234');
        },
        forbidden: () => {
          throw new GraphQLError('not for you', { extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } });
        },
        container: (_p: unknown, a: { number: string }) => ({ number: assertIdentifier('container-number', a.number) }),
        slow: () =>
          new Promise<string>((resolve) => {
            releaseSlow = () => resolve('done');
            markStarted();
          }),
        loadersId: (_p: unknown, _a: unknown, ctx: SubgraphContext) => {
          if (!loaderIds.has(ctx.loaders)) loaderIds.set(ctx.loaders, nextId++);
          return String(loaderIds.get(ctx.loaders));
        },
        extra: (_p: unknown, _a: unknown, ctx: SubgraphContext & { extra?: string }) => ctx.extra ?? null,
      },
      Container: {
        __resolveReference: (ref: { number: string }) => {
          resolverCalls++;
          return ref;
        },
      },
    },
    onInternalError: (e) => internalErrors.push(e),
    ...over,
  });
  running.push(s);
  return s;
}

const base = (s: RunningSubgraph) => s.url.replace(/\/graphql$/, '');

beforeEach(() => {
  resolverCalls = 0;
  internalErrors.length = 0;
});

describe('createSubgraphServer routes', () => {
  it('serves /healthz and /graphql on 127.0.0.1', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/graphql`);
    const health = await fetch(`${base(s)}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', subgraph: 'police' });
    const r = await postGraphQL(s.url, '{ hello }');
    expect(r.body).toEqual({ data: { hello: 'hi' } });
  });

  it('answers GET /graphql queries', async () => {
    const s = await start();
    const res = await fetch(`${s.url}?query=${encodeURIComponent('{ hello }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'hi' } });
  });

  it('answers JSON 404 elsewhere', async () => {
    const s = await start();
    for (const path of ['/', '/nope', '/graphql/x']) {
      const res = await fetch(`${base(s)}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ errors: [{ message: `no route for ${path}`, extensions: { code: 'NOT_FOUND' } }] });
    }
  });

  it('refuses other methods on /graphql with 405', async () => {
    const s = await start();
    const res = await fetch(s.url, { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('refuses a body over 1 MB with 413, announced or streamed', async () => {
    const s = await start();
    const big = JSON.stringify({ query: `{ hello } # ${'x'.repeat(1024 * 1024)}` });
    const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]?.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });

    // Chunked: no content-length, the limit applies while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(resolverCalls).toBe(0);
  });

  it('refuses malformed JSON with 400', async () => {
    const s = await start();
    const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ hello }"' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expect(resolverCalls).toBe(0);
  });

  it('keeps connections alive longer than the gateway idles them', async () => {
    const s = await start();
    const res = await fetch(`${base(s)}/healthz`);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });
});

describe('authenticate hook', () => {
  const refuse = async (): Promise<Caller> => {
    throw Object.assign(new Error('context token expired'), { code: 'UNAUTHENTICATED', reason: 'token_expired' });
  };

  it("does not echo a hook's unexpected failure (a file path, a bug) to the caller", async () => {
    const s = await start({
      authenticate: async () => {
        throw new Error('ENOENT: no such file /secret/keys/gateway.public.jwk');
      },
    });
    const r = await postGraphQL(s.url, '{ hello }');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ errors: [{ message: 'caller not authenticated', extensions: { code: 'UNAUTHENTICATED', reason: 'unauthenticated' } }] });
    expect(resolverCalls).toBe(0);
  });

  it.each([
    ['a query', '{ hello }'],
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Container", number: "MSCU1234566" }]) { ... on Container { number } } }'],
  ])('refuses %s with 401 before any resolver runs', async (_what, query) => {
    const s = await start({ authenticate: refuse });
    const r = await postGraphQL(s.url, query);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ errors: [{ message: 'context token expired', extensions: { code: 'UNAUTHENTICATED', reason: 'token_expired' } }] });
    expect(resolverCalls).toBe(0);
  });

  it('runs before the body is parsed', async () => {
    const s = await start({ authenticate: refuse });
    const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect(res.status).toBe(401);
  });

  it('passes the caller into the context, and its request id', async () => {
    const caller: Caller = { subject: 'u1', agency: 'NL-CUSTOMS', purpose: 'drug-trafficking', requestId: 'req-42' };
    const seen: string[] = [];
    const s = await start({
      authenticate: async (req) => {
        seen.push(String(req.headers['x-context-token']));
        return caller;
      },
    });
    const r = await postGraphQL(s.url, '{ whoami requestId }', undefined, { 'x-context-token': 'tok' });
    expect(r.body).toEqual({ data: { whoami: 'NL-CUSTOMS/drug-trafficking', requestId: 'req-42' } });
    expect(seen).toEqual(['tok']);
  });

  it.each([[null], [{}], [{ subject: 'u', agency: 'NL-POLICE', purpose: '', requestId: 'r' }], [{ subject: 'u', agency: 'A', purpose: 'p', requestId: 'r', caseRef: 7 }], [{ subject: 'u', agency: 'A', purpose: 'p', requestId: '' }], [{ subject: 'u', agency: 'A', purpose: 'p', requestId: 42 }]])(
    'refuses when the hook returns an incomplete caller %j',
    async (value) => {
      const s = await start({ authenticate: async () => value as never });
      const r = await postGraphQL(s.url, '{ hello }');
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'caller_invalid' });
      expect(resolverCalls).toBe(0);
    },
  );
});

describe('authenticate is required (fail closed)', () => {
  it('refuses options without authenticate, saying what to pass, and serves nothing', async () => {
    const options = { name: 'police', port: 0, typeDefs: subgraphTypeDefs(SDL), resolvers: { Query: { hello: () => 'hi' } } };
    const error = await createSubgraphServer(options as unknown as CreateSubgraphServerOptions).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KitOptionsError);
    expect(error).toMatchObject({ code: 'OPTIONS_INVALID', reason: 'authenticate' });
    const message = (error as Error).message;
    expect(message).toContain('createSubgraphServer: options.authenticate is required');
    expect(message).toContain("createContextTokenVerifier({ audience: 'police'");
    expect(message).toContain('ALLOW_UNAUTHENTICATED in tests');
  });

  it('with ALLOW_UNAUTHENTICATED answers a request that carries no credentials, with no ctx.caller', async () => {
    const s = await start({ authenticate: ALLOW_UNAUTHENTICATED });
    const r = await postGraphQL(s.url, '{ hello whoami }');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { hello: 'hi', whoami: 'undefined/undefined' } });
  });

  it('ALLOW_UNAUTHENTICATED is one unique symbol, not a registered one', () => {
    expect(typeof ALLOW_UNAUTHENTICATED).toBe('symbol');
    expect(Symbol.keyFor(ALLOW_UNAUTHENTICATED)).toBeUndefined();
  });
});

describe('context and errors', () => {
  it('gives every request fresh loaders and merges createContext', async () => {
    const s = await start({ createContext: async () => ({ extra: 'from-context', loaders: 'must not win' }) });
    const a = await postGraphQL(s.url, '{ loadersId extra }');
    const b = await postGraphQL(s.url, '{ loadersId }');
    expect(a.body).toEqual({ data: { loadersId: '0', extra: 'from-context' } });
    expect(b.body).toEqual({ data: { loadersId: '1' } });
  });

  it('tells every cache not to keep an answer, with data or with errors', async () => {
    const s = await start();
    for (const query of ['{ hello }', '{ boom }', '{ nosuchfield }']) {
      const r = await postGraphQL(s.url, query);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('takes a well-formed x-request-id and replaces a malformed one', async () => {
    const s = await start();
    const ok = await postGraphQL(s.url, '{ requestId }', undefined, { 'x-request-id': 'gw-1.2:3' });
    expect(ok.body).toEqual({ data: { requestId: 'gw-1.2:3' } });
    expect(ok.headers.get('x-request-id')).toBe('gw-1.2:3');
    const bad = await postGraphQL(s.url, '{ requestId }', undefined, { 'x-request-id': 'a b<script>' });
    expect((bad.body.data as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks unexpected errors', async () => {
    const s = await start();
    const r = await postGraphQL(s.url, '{ boom hello }');
    expect(r.body).toEqual({
      data: { boom: null, hello: 'hi' },
      errors: [{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(JSON.stringify(r.body)).not.toContain('1234');
    expect(internalErrors).toHaveLength(1);
    expect((internalErrors[0] as Error).message).toBe('secret value 1234');
  });

  it('keeps errors meant for clients: FORBIDDEN with reason, identifier errors as BAD_USER_INPUT', async () => {
    const s = await start();
    const f = await postGraphQL(s.url, '{ forbidden }');
    expect(f.body.errors?.[0]).toMatchObject({ message: 'not for you', extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } });
    const c = await postGraphQL(s.url, '{ container(number: "MSCU1234567") { number } }');
    expect(c.body.errors?.[0]).toMatchObject({
      message: 'container number MSCU1234567: check digit should be 6',
      path: ['container'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'check_digit' },
    });
    expect(JSON.stringify(c.body)).not.toContain('stacktrace');
  });

  it('reports GraphQL syntax and validation errors with their codes', async () => {
    const s = await start();
    expect((await postGraphQL(s.url, '{ hello')).body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect((await postGraphQL(s.url, '{ nope }')).body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('ports and stopping', () => {
  it('rejects a taken port with a clear message and code EADDRINUSE', async () => {
    const first = await start();
    const error = await start({ port: first.port }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ code: 'EADDRINUSE', message: `port ${first.port} is already in use (subgraph police)` });
    // The first server is unaffected.
    expect((await postGraphQL(first.url, '{ hello }')).body).toEqual({ data: { hello: 'hi' } });
  });

  it('lets an in-flight request finish, then closes, then runs onStop', async () => {
    const events: string[] = [];
    const s = await start({ onStop: () => void events.push('onStop') });
    const inFlight = postGraphQL(s.url, '{ slow }').then((r) => {
      events.push('response');
      return r;
    });
    await slowStarted;
    const stopped = s.stop().then(() => events.push('stopped'));
    // Stop waits for the request; release it only once stop has begun.
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);
    releaseSlow();
    expect((await inFlight).body).toEqual({ data: { slow: 'done' } });
    await stopped;
    expect(events).toEqual(['response', 'onStop', 'stopped']);
    await expect(fetch(`${base(s)}/healthz`)).rejects.toThrow();
    await expect(s.stop()).resolves.toBeUndefined();
  });

  it.each<[Partial<CreateSubgraphServerOptions>, string]>([
    [{ name: 'Police!' }, 'options.name must be a lower-case subgraph name'],
    [{ port: 70000 }, 'options.port must be an integer 0-65535, got 70000'],
    [{ port: 1.5 }, 'options.port must be an integer 0-65535, got 1.5'],
    [{ typeDefs: 'type Query { a: String }' as never }, 'options.typeDefs must be a parsed DocumentNode'],
    [{ authenticate: 'yes' as never }, 'options.authenticate must be a function or ALLOW_UNAUTHENTICATED, got string'],
    [{ authenticate: Symbol('pactum.subgraph.allowUnauthenticated') as never }, 'options.authenticate must be a function or ALLOW_UNAUTHENTICATED, got another symbol'],
    [{ authenticate: undefined as never }, 'options.authenticate is required'],
    [{ authenticate: null as never }, 'options.authenticate is required'],
    [{ maxBodyBytes: -1 }, 'options.maxBodyBytes must be a positive integer'],
  ])('refuses bad options %j', async (over, message) => {
    await expect(start(over)).rejects.toThrow(KitOptionsError);
    await expect(start(over)).rejects.toThrow(message);
  });
});
