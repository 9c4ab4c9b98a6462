/**
 * Measures what one entry of each gateway cache keeps alive on the heap, so that the estimators
 * in `../size-estimates.ts` are calibrated, not guessed. Run from the repo root:
 *
 *   node --expose-gc --import tsx gateway/src/cache/measure/measure-retained-sizes.ts
 *
 * Method: build N distinct values of a kind, keep them in an array, and divide the growth of
 * `heapUsed` (after a full GC before and after) by N. Values are made distinct (a different
 * case set, a different variable name) so no two share structure by accident, the way two
 * different clients' entries would not.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse, print } from 'graphql';
import { loadApiSchema, loadOperations, loadSupergraphSdl } from '@pactum/schema';
import type { Principal } from '../../auth/principal';
import { principalFromClaims } from '../../auth/principal-from-claims';
import type { AgencyEntry } from '../../auth/trust-registry';
import { estimateVerifiedTokenBytes } from '../size-estimates';
import { filterSchema, profileVisibility, rewriteOperation } from '../../enforce';
import { loadPolicy } from '../../policy';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function retained<T>(label: string, n: number, make: (i: number) => T, describe: (v: T) => string = () => ''): number {
  const keep: T[] = [];
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) keep.push(make(i));
  gc?.();
  gc?.();
  const per = (process.memoryUsage().heapUsed - before) / n;
  console.log(`${label.padEnd(44)} ${Math.round(per).toString().padStart(8)} B/entry  ${describe(keep[0] as T)}`);
  keep.length = 0;
  return per;
}

const sdl = loadSupergraphSdl();
const schema = loadApiSchema(sdl);
const policy = loadPolicy({ dir: join(__dirname, '..', '..', '..', '..', 'policies'), supergraphSdl: sdl });
const principal = (i: number): Principal => ({
  subject: `m${i}`, agency: 'NL-POLICE', issuer: 'https://idp.example', roles: new Set(['investigator']),
  clearance: 'SECRET', purposes: new Set(['drug-trafficking']), cases: new Set([`NL-ONB-2024-${i}`]),
});
const purpose = { code: 'drug-trafficking' };
const now = new Date();
const operations = loadOperations();
const fields: [string, string][] = [];
for (const type of Object.values(schema.getTypeMap())) {
  if (type.name.startsWith('__') || !('getFields' in type)) continue;
  for (const f of Object.keys(type.getFields())) fields.push([type.name, f]);
}
console.log(`supergraph API schema: ${fields.length} fields`);

// An access profile fully populated (every field decided, every type's row rules built): the
// most a profile can grow to, since decisions are memoised only for fields the schema has.
retained('access profile, fully populated', 300, (i) => {
  const p = policy.profileFor(principal(i), purpose, now);
  for (const [t, f] of fields) p.field(t, f);
  for (const t of Object.keys(schema.getTypeMap())) p.rowRules(t);
  return p;
});
retained('access profile, fresh (no decision yet)', 1000, (i) => policy.profileFor(principal(10_000 + i), purpose, now));

for (const [name, source] of Object.entries(operations)) {
  const doc = parse(source);
  const profile = policy.profileFor(principal(1), purpose, now);
  retained(`rewrite ${name}`, 200, (i) => {
    // Distinct documents, as distinct clients' would be: a renamed operation.
    const d = parse(source.replace(`query ${name}`, `query ${name}${i}`));
    return rewriteOperation({ schema, document: d, operationName: `${name}${i}`, profile, facts: policy.facts });
  }, (r) => `source ${source.length} B, rewritten ${r.source?.length ?? 0} B`);
  retained(`parsed document ${name}`, 500, (i) => parse(source.replace(`query ${name}`, `query ${name}${i}`)), (d) => `source ${source.length} B, JSON ${JSON.stringify(d).length} B`);
  void doc;
}

const supergraph = Supergraph.build(sdl);
const planner = new QueryPlanner(supergraph);
const apiSchema = supergraph.apiSchema();
for (const name of ['ContainerDossier', 'PersonHitCheck']) {
  const source = operations[name] ?? '';
  const profile = policy.profileFor(principal(1), purpose, now);
  const rewritten = rewriteOperation({ schema, document: parse(source), operationName: name, profile, facts: policy.facts });
  const text = rewritten.source ?? print(parse(source));
  retained(`query plan ${name}`, 100, (i) => {
    const op = operationFromDocument(apiSchema, parse(text.replace(`query ${name}`, `query ${name}${i}`)), { operationName: `${name}${i}` });
    return planner.buildQueryPlan(op);
  }, (p) => `JSON ${JSON.stringify(p).length} B, rewritten source ${text.length} B`);
}

const profile = policy.profileFor(principal(1), purpose, now);
retained('filtered introspection schema', 20, () => filterSchema(schema, profileVisibility(profile)), () => `schema SDL ${sdl.length} B`);

// Keyed by the token's SHA-256 (43 base64url characters); the principal built from a token's
// claims as they arrive (parsed JSON: fresh strings, as a real token's are).
const nlPolice = { id: 'NL-POLICE', identityProvider: { issuer: 'https://idp.politie.example' } } as unknown as AgencyEntry;
retained('verified token entry (digest + principal)', 5000, (i) => {
  const claims = JSON.parse(JSON.stringify({
    sub: `nl-police-investigator.${String(i).padStart(5, '0')}`, clearance: 'SECRET', roles: ['investigator'],
    purposes: ['drug-trafficking', 'organised-crime'], cases: [`NL-ONB-2024-${i}`], jti: `jti-${i}-${'z'.repeat(20)}`,
  })) as Record<string, unknown>;
  return { key: createHash('sha256').update(`token ${i}`).digest('base64url'), value: { principal: principalFromClaims(claims, nlPolice), until: Date.now() } };
}, (e) => `estimate ${estimateVerifiedTokenBytes(e.key, [...Object.values(e.value.principal)].flatMap((v) => (typeof v === 'string' ? [v] : [...(v as Set<string>)])))} B`);
retained('context token memo entry', 5000, (i) => ({ key: `police\u0000NL-POLICE\u0000m${i}\u0000drug-trafficking\u0000`, value: { token: `eyJ${'y'.repeat(420)}${i}`, exp: 1 } }));
