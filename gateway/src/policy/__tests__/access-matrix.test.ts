/**
 * The access matrix on the shipped policies: cells as the engine decides them, classes that
 * merge only identical profiles, and the claim the enumeration rests on — a principal holding
 * several roles sees, field by field, the most any one of its roles sees.
 */
import { join } from 'node:path';
import { loadSupergraphSdl } from '@pactum/schema';
import type { Principal } from '../../auth';
import { computeAccessMatrix, type AccessMatrix } from '../access-matrix';
import { describeRowConditions } from '../describe-grant';
import { accessFields, evaluateProfile, type AccessCell } from '../effective-access';
import { loadPolicy, type LoadedPolicy } from '../load-policy';

const POLICIES = join(__dirname, '..', '..', '..', '..', 'policies');
const AT = new Date('2026-06-01T12:00:00Z');

let policy: LoadedPolicy;
let matrix: AccessMatrix;
beforeAll(() => {
  policy = loadPolicy({ dir: POLICIES, supergraphSdl: loadSupergraphSdl(), now: AT });
  matrix = computeAccessMatrix(policy, { at: AT });
});

function cellOf(agency: string, purpose: string, role: string, clearance: string, coordinate: string): AccessCell {
  const k = matrix.classes.find((c) => c.agency === agency && c.purpose === purpose && c.members.some((m) => m.role === role && m.clearance === clearance));
  const i = matrix.fields.findIndex((f) => f.coordinate === coordinate);
  const cell = k?.cells[i];
  if (!cell) throw new Error(`no cell ${agency} ${purpose} ${role}@${clearance} ${coordinate}`);
  return cell;
}

it('covers every agency, purpose, role × clearance and field of the registries', () => {
  const { agencies, purposes, roles, clearanceLevels } = policy.model.catalogue;
  expect(matrix.agencies).toEqual(agencies);
  expect(matrix.purposes).toEqual(purposes);
  const members = matrix.classes.reduce((n, c) => n + c.members.length, 0);
  expect(members).toBe(agencies.length * purposes.length * (roles.length + 1) * (clearanceLevels.length + 1));
  expect(matrix.fields.map((f) => f.coordinate)).toContain('Seizure.substance');
  expect(matrix.fields.map((f) => f.coordinate)).not.toContain('Query._entities');
});

it('names the grant, its row conditions, and the reason of a denial (BE-POLICE)', () => {
  const seizure = cellOf('BE-POLICE', 'drug-trafficking', 'investigator', 'CONFIDENTIAL', 'Seizure.substance');
  expect(seizure.effect).toBe('conditional');
  expect(seizure.grants).toEqual(['joint-statement-2021-ports/seizures-and-movements']);
  expect(seizure.conditions[0]).toContain("row released by its owner to the principal's agency");
  expect(cellOf('BE-POLICE', 'drug-trafficking', 'investigator', 'CONFIDENTIAL', 'Query.container')).toEqual({
    effect: 'allowed', grants: ['joint-statement-2021-ports/lookups-and-vessels'], conditions: [],
  });
  expect(cellOf('BE-POLICE', 'money-laundering', 'investigator', 'CONFIDENTIAL', 'Seizure.substance')).toMatchObject({ effect: 'denied' });
  expect(cellOf('BE-POLICE', 'drug-trafficking', 'investigator', 'CONFIDENTIAL', 'CustomsDeclaration.goodsDescription')).toMatchObject({ effect: 'denied', reason: 'NO_AGREEMENT' });
  // Personal data needs the role and the clearance: the two profiles differ exactly there.
  expect(cellOf('BE-POLICE', 'jit-operations', 'investigator', 'CONFIDENTIAL', 'Suspect.name').effect).toBe('conditional');
  expect(cellOf('BE-POLICE', 'jit-operations', 'investigator', 'RESTRICTED', 'Suspect.name')).toMatchObject({ effect: 'denied', reason: 'INSUFFICIENT_CLEARANCE' });
  expect(cellOf('BE-POLICE', 'jit-operations', 'analyst', 'SECRET', 'Suspect.name')).toMatchObject({ effect: 'denied', reason: 'ROLE_REQUIRED' });
  expect(matrix.grants['joint-statement-2021-ports/seizures-and-movements']).toMatchObject({ validity: { from: '2021-12-08', to: '2030-12-31' }, legalBasis: expect.stringContaining('2023/977') });
});

it('merges only profiles the engine decides identically', () => {
  const fields = accessFields(policy.model);
  for (const k of matrix.classes.filter((c) => c.agency === 'NL-POLICE' || c.agency === 'EUROPOL')) {
    for (const m of k.members) {
      expect(evaluateProfile(policy, { agency: k.agency, purpose: k.purpose, ...m }, fields, AT)).toEqual(k.cells);
    }
  }
  const be = matrix.classes.filter((c) => c.agency === 'BE-POLICE' && c.purpose === 'drug-trafficking').map((c) => c.label);
  expect(be).toContain('investigator, clearance ≥ CONFIDENTIAL');
});

it('a principal with several roles gets, field by field, the most permissive of its single roles', () => {
  const rank = { deny: 0, 'allow-if-row': 1, allow: 2 } as const;
  const { roles, clearanceLevels, agencies, purposes } = policy.model.catalogue;
  const principal = (agency: string, purpose: string, rs: string[], clearance: string): Principal => ({
    subject: 't', agency, issuer: 't', roles: new Set(rs), clearance, purposes: new Set([purpose]), cases: new Set(),
  });
  let compared = 0;
  for (const agency of agencies) {
    for (const purpose of purposes) {
      for (let i = 0; i < roles.length; i++) {
        const a = roles[i] ?? '';
        const b = roles[(i + 2) % roles.length] ?? '';
        const clearance = clearanceLevels[(i + agency.length) % clearanceLevels.length] ?? '';
        const both = policy.profileFor(principal(agency, purpose, [a, b], clearance), { code: purpose }, AT);
        const pa = policy.profileFor(principal(agency, purpose, [a], clearance), { code: purpose }, AT);
        const pb = policy.profileFor(principal(agency, purpose, [b], clearance), { code: purpose }, AT);
        for (const f of matrix.fields) {
          const expected = Math.max(rank[pa.field(f.type, f.field).effect], rank[pb.field(f.type, f.field).effect]);
          expect([f.coordinate, rank[both.field(f.type, f.field).effect]]).toEqual([f.coordinate, expected]);
          compared++;
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(10_000);
});

it('lists a row condition it does not know by name, so a new kind of condition is never hidden', () => {
  const rows = { excludeHandling: ['H2'], releasableToRecipient: false, europolSupport: false, allowRestrictedNotes: new Set<string>(), existenceSecret: false, transferBasis: 'adequacy' };
  expect(describeRowConditions(rows)).toEqual(['row carries none of the handling codes H2', 'transferBasis: "adequacy"']);
});

it('narrows to the agencies and purposes asked for', () => {
  const one = computeAccessMatrix(policy, { at: AT, agencies: ['BE-POLICE'], purposes: ['drug-trafficking'] });
  expect(new Set(one.classes.map((c) => `${c.agency} ${c.purpose}`))).toEqual(new Set(['BE-POLICE drug-trafficking']));
});
