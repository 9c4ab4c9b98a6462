/**
 * Micro-benchmark of policy decisions on the shipped policy and supergraph:
 * ns per field decision (cached profile), ns per row evaluation, µs per profile build
 * (first request of a new profile key) and per profileFor cache hit.
 * Run: node --import tsx gateway/src/policy/bench/field-decision.bench.ts
 */
import { join } from 'node:path';
import { loadSupergraphSdl } from '@pactum/schema';
import type { Principal } from '../../auth/principal';
import { loadPolicy } from '../load-policy';
import type { RowLabel } from '../types';

const policy = loadPolicy({ dir: join(__dirname, '..', '..', '..', '..', 'policies'), supergraphSdl: loadSupergraphSdl() });
const at = new Date('2026-06-01T12:00:00Z');
const purpose = { code: 'drug-trafficking' };
const principal = (agency: string, roles: string[], cases: string[] = []): Principal => ({
  subject: 'bench', agency, issuer: 'bench', roles: new Set(roles), clearance: 'CONFIDENTIAL', purposes: new Set(), cases: new Set(cases),
});

// The coordinates a ContainerDossier request decides (about 80).
const COORDS: [string, string][] = [];
for (const type of policy.model.supergraph.types.values()) {
  if (['Container', 'CustomsDeclaration', 'Company', 'Scan', 'Seizure', 'PortCall', 'Vessel', 'Investigation', 'Suspect', 'JudicialCase', 'Jit', 'SienaMessage', 'IntelligenceReport', 'RecordLabel'].includes(type.name)) {
    for (const f of type.fields.keys()) COORDS.push([type.name, f]);
  }
}

function time(label: string, iterations: number, fn: (i: number) => void, unit: 'ns' | 'µs'): void {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  const value = unit === 'ns' ? ns : ns / 1000;
  console.log(`${label.padEnd(58)} ${value.toFixed(unit === 'ns' ? 0 : 2).padStart(10)} ${unit}/op`);
}

const be = principal('BE-POLICE', ['investigator'], ['JIT-2024-07']);
const profile = policy.profileFor(be, purpose, at);
let sink = 0;
time('field decision, cached profile (profile.field)', 2_000_000, (i) => {
  const c = COORDS[i % COORDS.length];
  if (c && profile.field(c[0], c[1]).effect === 'allow') sink++;
}, 'ns');

const rules = profile.rowRules('Seizure');
const label: RowLabel = { owner: 'NL-CUSTOMS', handling: ['H0'], handlingNote: null, releasableTo: ['NL-POLICE', 'BE-POLICE'], caseRefs: [], europolSupport: false };
time('row evaluation + 6 field verdicts (Seizure, BE-POLICE)', 500_000, () => {
  const v = rules?.evaluate(label);
  if (v?.visible) for (const f of ['id', 'port', 'seizedAt', 'substance', 'quantityKg', 'label']) if (v.field(f).allowed) sink++;
}, 'ns');

time('profileFor, cache hit (key built from principal)', 500_000, () => {
  if (policy.profileFor(be, purpose, at) === profile) sink++;
}, 'ns');

let n = 0;
time(`profile build + all ${COORDS.length} ContainerDossier-type decisions (cold)`, 2_000, () => {
  const p = policy.profileFor(principal('BE-POLICE', [`role-${n++}`]), purpose, at);
  for (const c of COORDS) if (p.field(c[0], c[1]).effect === 'deny') sink++;
}, 'µs');

console.log(`(policy ${policy.version}; ${COORDS.length} coordinates; checksum ${sink % 7})`);
