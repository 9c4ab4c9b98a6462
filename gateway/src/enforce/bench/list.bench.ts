/**
 * Micro-benchmark of the work that grows with the rows: a 1,000-row seizure list shaped like the
 * bench's `list-1000` (ten pages of 100 seizures, each with its container and the police's hit),
 * as the NL-POLICE investigator on the case, against the committed supergraph and the shipped
 * policies. Per answer: @apollo/gateway's own `computeResponse`, Pactum's compiled shaping
 * (server/shape-response.ts) of the same merged answer, and post-processing of the shaped one.
 * Run: `node --import tsx gateway/src/enforce/bench/list.bench.ts`.
 */
import { join } from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import * as federationInternals from '@apollo/federation-internals';
import { parse } from 'graphql';
import { loadApiSchema, loadSupergraphSdl } from '@pactum/schema';
import type { Principal } from '../../auth/principal';
import { loadPolicy } from '../../policy';
import { shapeFast } from '../../server/shape-response';
import { postProcess, rewriteOperation } from '..';

type Row = Record<string, unknown>;
interface Shaping {
  computeResponse(args: { operation: unknown; variables: Record<string, unknown>; input: Row; introspectionHandling: () => null }): { data: unknown };
}

const PAGES = 10;
const PER_PAGE = 100;
const query = `query SeizureList {\n${Array.from(
  { length: PAGES },
  (_, p) => `  p${p}: seizures(port: "P${p}", first: ${PER_PAGE}) { id port seizedAt substance quantityKg container { number ownerCode reefer policeHit { hit reference } } }`,
).join('\n')}\n}`;

const principal: Principal = {
  subject: 'bench.investigator',
  agency: 'NL-POLICE',
  issuer: 'bench',
  roles: new Set(['investigator']),
  clearance: 'CONFIDENTIAL',
  purposes: new Set(['drug-trafficking']),
  cases: new Set(['NL-ONB-2024-0456']),
};

const sdl = loadSupergraphSdl();
const schema = loadApiSchema();
const policy = loadPolicy({ dir: join(__dirname, '../../../../policies'), supergraphSdl: sdl });
const profile = policy.profileFor(principal, { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' }, new Date());
const rewrite = rewriteOperation({ schema, document: parse(query), operationName: 'SeizureList', profile, facts: policy.facts });
if (!rewrite.document || !rewrite.source) throw new Error('nothing left to execute for this principal');

/** The merged answer as @apollo/gateway holds it before shaping (labels the investigator passes). */
const label = (owner: string): Row => ({ owner, handling: ['H0'], releasableTo: ['NL-POLICE', 'NL-CUSTOMS'], handlingNote: null, caseRefs: ['NL-ONB-2024-0456'], europolSupport: true });
const input: Row = {};
for (let p = 0; p < PAGES; p++) {
  input[`p${p}`] = Array.from({ length: PER_PAGE }, (_, i) => ({
    id: `S-${p}-${i}`,
    port: `P${p}`,
    seizedAt: '2024-01-15T15:32:45Z',
    substance: 'cocaine',
    quantityKg: 12.5,
    __pactum_label_Seizure: label('NL-CUSTOMS'),
    container: { __typename: 'Container', number: `MSCU${p}${String(i).padStart(6, '0')}`, ownerCode: 'MSC', reefer: true, __pactum_label_Container: label('NL-CUSTOMS'), policeHit: { hit: true, reference: null } },
  }));
}

const apiSchema = Supergraph.build(sdl).apiSchema();
const operation = operationFromDocument(apiSchema, rewrite.document, { validate: false });
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module @apollo/gateway's executor calls
const shaping = require(require.resolve('@apollo/gateway/dist/resultShaping', { paths: [require.resolve('@apollo/gateway')] })) as Shaping;
const original = () => shaping.computeResponse({ operation, variables: {}, input, introspectionHandling: () => null }).data;
const fast = () => shapeFast(operation, {}, input, federationInternals);
if (JSON.stringify(original()) !== JSON.stringify(fast())) throw new Error('the compiled shaping differs from @apollo/gateway on this answer');

function time(name: string, runs: number, op: () => unknown): void {
  for (let i = 0; i < Math.ceil(runs / 5); i++) op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) op();
  console.log(`${name.padEnd(48)} ${(Number(process.hrtime.bigint() - start) / 1e6 / runs).toFixed(2).padStart(7)} ms per 1,000-row answer`);
}

time('shape: @apollo/gateway computeResponse', 100, original);
time('shape: compiled (server/shape-response.ts)', 300, fast);
// Post-processing mutates the answer: fresh copies are made before the clock starts.
const shaped = JSON.stringify(fast());
const check = postProcess({ data: JSON.parse(shaped) as Row }, rewrite.plan, {});
if (check.released.length !== 2 * PAGES * PER_PAGE || check.rowDenials.length > 0) throw new Error('the investigator should be released every row of this answer');
const copies = Array.from({ length: 360 }, () => JSON.parse(shaped) as Row);
let next = 0;
time('post-process (rows checked, keys, stripping)', 300, () => postProcess({ data: copies[next++] ?? null }, rewrite.plan, {}));
