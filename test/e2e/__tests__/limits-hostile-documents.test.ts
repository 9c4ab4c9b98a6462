/**
 * No valid principal can end or stall the gateway with a document: a seeded fuzz run of hostile
 * documents — deep nesting, alias floods, directive floods, token floods, fragment fan-outs and
 * cycles, repeated fields, giant strings, many operations — against a real gateway (default limits). Each is
 * refused with 400, `BAD_USER_INPUT` and the limit it passed named in `reason` and message, and
 * has its audit record; afterwards the gateway still answers an ordinary dossier request.
 */
import { openAuditTrail } from '@pactum/gateway/src/audit';
import path from 'node:path';
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

/** The defaults of `config/gateway-config.ts`, which the stack's gateway runs with. */
const LIMITS = { documentBytes: 64 * 1024, tokens: 2000, depth: 12, aliases: 30, selections: 1000, directives: 50, fieldRepeats: 32 };

/** Deterministic PRNG (mulberry32): a failing case is reproducible from its seed. */
function prng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(r * (hi - lo + 1));
  };
}

interface Hostile {
  readonly kind: string;
  readonly query: string;
  readonly reason: string;
  /** A figure the message must name (the limit). */
  readonly names: number;
}

const fragmentName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : i < 52 ? String.fromCharCode(71 + i) : `Z${i}`);

/**
 * Fragment A spreads B `width` times, …, the last holds the leaves: width^levels copies of the
 * leaf in one selection set once inlined. Branching, each level spreads the next under `width`
 * different fields instead: as many distinct selections, no name repeated in a set.
 */
function fanOut(levels: number, width: number, leaf: string, branching = false): string {
  const defs = [`fragment ${fragmentName(levels)} on Query{${leaf}}`];
  for (let i = levels - 1; i >= 0; i--) {
    const next = fragmentName(i + 1);
    const body = branching ? Array.from({ length: width }, (_, j) => `f${j}{...${next}}`).join(' ') : `...${next}`.repeat(width);
    defs.push(`fragment ${fragmentName(i)} on Query{${body}}`);
  }
  return `query Q{...A} ${defs.join(' ')}`;
}

const GENERATORS: readonly ((r: (lo: number, hi: number) => number) => Hostile)[] = [
  (r) => {
    const d = r(LIMITS.depth + 1, 40);
    return { kind: `nesting ${d}`, query: `{ container(number: "MSCU1234566") ${'{ a '.repeat(d - 1)}${'}'.repeat(d - 1)} }`, reason: 'limit_depth', names: LIMITS.depth };
  },
  (r) => {
    const d = r(60, 5000);
    return { kind: `bracket nesting ${d}`, query: `${'{ a '.repeat(d)}${'}'.repeat(d)}`, reason: 'limit_depth', names: 2 * 20 + 8 };
  },
  (r) => {
    const n = r(LIMITS.aliases + 1, 600);
    return { kind: `${n} aliases`, query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`, reason: 'limit_aliases', names: LIMITS.aliases };
  },
  (r) => {
    const k = r(4, 40);
    const aliases = Array.from({ length: 10 }, (_, i) => `x${i}: __typename`).join(' ');
    return { kind: `10 aliases spread ${k} times`, query: `{ ${'...A '.repeat(k)}} fragment A on Query { ${aliases} }`, reason: 'limit_aliases', names: LIMITS.aliases };
  },
  (r) => {
    // Seven tokens each: at most 270 stay under the token limit.
    const n = r(LIMITS.directives + 1, 270);
    return { kind: `${n} directives`, query: `{ __typename ${'@skip(if: false) '.repeat(n)}}`, reason: 'limit_directives', names: LIMITS.directives };
  },
  (r) => {
    // Short tokens: a flood that stays under the size limit.
    const n = r(LIMITS.tokens + 1, 30_000);
    return { kind: `${n} fields (token flood)`, query: `{ ${'a '.repeat(n)}}`, reason: 'limit_tokens', names: LIMITS.tokens };
  },
  (r) => {
    // Every copy of the leaf lands in one selection set: its repeats pass their limit first.
    const levels = r(10, 40);
    const width = r(2, 4);
    const leaf = r(0, 1) ? '__typename' : 'container(number: "MSCU1234566") { number }';
    return { kind: `fan-out ${width}^${levels}`, query: fanOut(levels, width, leaf), reason: 'limit_field_repeats', names: LIMITS.fieldRepeats };
  },
  (r) => {
    const levels = r(10, 19);
    const width = r(2, 4);
    return { kind: `branching fan-out ${width}^${levels}`, query: fanOut(levels, width, '__typename', true), reason: 'limit_selections', names: LIMITS.selections };
  },
  (r) => {
    const n = r(1, 6);
    const defs = Array.from({ length: n }, (_, i) => `fragment C${i} on Query { __typename ...C${(i + 1) % n} ...C${(i + 1) % n} }`);
    return { kind: `cycle of ${n}`, query: `{ ...C0 } ${defs.join(' ')}`, reason: 'limit_selections', names: LIMITS.selections };
  },
  (r) => {
    const n = r(LIMITS.documentBytes + 1, 900_000);
    return { kind: `string of ${n}`, query: `{ container(number: "${'M'.repeat(n)}") { number } }`, reason: 'limit_document_bytes', names: LIMITS.documentBytes };
  },
  (r) => {
    const n = r(LIMITS.fieldRepeats + 1, 450);
    const how = r(0, 2);
    const repeated = how === 0 ? ' seizures { id }'.repeat(n) : how === 1 ? ' ... on Container { seizures { id } }'.repeat(Math.min(n, 200)) : Array.from({ length: Math.min(n, 150) }, (_, i) => ` ...S${i}`).join('');
    const fragments = how === 2 ? Array.from({ length: Math.min(n, 150) }, (_, i) => `fragment S${i} on Container { seizures { id } }`).join(' ') : '';
    return { kind: `${n} repeats (${how})`, query: `{ container(number: "MSCU1234566") {${repeated} } } ${fragments}`, reason: 'limit_field_repeats', names: LIMITS.fieldRepeats };
  },
  (r) => {
    const n = r(500, 4000);
    return { kind: `${n} operations`, query: Array.from({ length: n }, (_, i) => `query Q${i}{a}`).join('\n'), reason: 'limit_tokens', names: LIMITS.tokens };
  },
];

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.keys.token(NL_CUSTOMS_OFFICER);
}, 120_000);
afterAll(async () => stack?.stop());

async function dossier() {
  return ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
}

test('a seeded run of hostile documents: each refused with 400, the limit named, audited; the gateway keeps serving', async () => {
  const seed = Number(process.env.PACTUM_FUZZ_SEED ?? 20261201);
  const r = prng(seed);
  const cases: Hostile[] = [];
  for (let round = 0; round < 8; round++) for (const g of GENERATORS) cases.push(g(r));

  const refused: { kind: string; auditId: string; reason: string }[] = [];
  for (const c of cases) {
    const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', query: c.query });
    const error = reply.body.errors?.[0];
    const seen = { kind: c.kind, seed, status: reply.status, code: error?.extensions?.code, reason: error?.extensions?.reason };
    expect(seen).toEqual({ kind: c.kind, seed, status: 400, code: 'BAD_USER_INPUT', reason: c.reason });
    expect(error?.message).toContain(String(c.names));
    expect(reply.body.data).toBeUndefined();
    const auditId = reply.body.extensions?.auditId;
    expect(typeof auditId).toBe('string');
    refused.push({ kind: c.kind, auditId: auditId as string, reason: c.reason });
  }

  const after = await dossier();
  expect(after.status).toBe(200);
  expect((after.body.data?.container as { number?: string } | null)?.number).toBe('MSCU1234566');

  const trail = await openAuditTrail({ file: path.join(stack.stateDir, 'audit', 'audit.sqlite') });
  try {
    const records = new Map<string, { outcome: string; refusal?: { code: string; reason: string } }>();
    for await (const record of trail.query({})) records.set(record.id, record.event);
    const missing = refused.filter((x) => {
      const event = records.get(x.auditId);
      return event?.outcome !== 'refused' || event.refusal?.reason !== x.reason || event.refusal.code !== 'BAD_USER_INPUT';
    });
    expect(missing).toEqual([]);
  } finally {
    await trail.close();
  }
}, 120_000);

test('a 2^30 fragment fan-out under 1 kB is refused in milliseconds, again and again, with the heap flat', async () => {
  const query = fanOut(30, 2, '__typename');
  expect(query.length).toBeLessThan(1024);
  await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', query });
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', query });
    times.push(performance.now() - t0);
    expect([reply.status, reply.body.errors?.[0]?.extensions?.reason]).toEqual([400, 'limit_field_repeats']);
  }
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  times.sort((a, b) => a - b);
  // The whole round trip, audit append included; the check itself takes microseconds (unit test).
  expect(times[25]).toBeLessThan(50);
  // 50 refusals: what they leave behind is audit rows and sockets, not 2^30 of anything.
  expect(heapGrowth).toBeLessThan(32 * 1024 * 1024);
  expect((await dossier()).status).toBe(200);
}, 60_000);
