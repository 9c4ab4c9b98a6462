/**
 * Principals for the oracle, drawn from the policy registries: every agency of agencies.yaml,
 * roles of roles.yaml, clearances of classification.yaml, case memberships among the seeded
 * cases, and a purpose of purposes.yaml. Three in four are an agency's usual principal (the role
 * and clearance its own agreements ask for, mostly drug trafficking, often in the story's case),
 * so that much gets released; the others are anything at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { demoWorld, STORY_CASE } from '@pactum/demo-world';
import type { DeclaredPurpose, Principal } from '@pactum/gateway/src/auth';
import { readRegistries } from '@pactum/gateway/src/policy';

/** A principal and the purpose it declares, as plain data (it shrinks and prints). */
export interface OraclePrincipal {
  readonly agency: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  readonly cases: readonly string[];
  readonly purpose: string;
  /** The case the request names (`x-case-ref`, one of `cases`): what a derogation to a third country needs. */
  readonly caseRef?: string;
}

/** What the registries of a policy folder offer. */
export interface PrincipalSpace {
  readonly agencies: readonly string[];
  readonly roles: readonly string[];
  readonly clearances: readonly string[];
  readonly purposes: readonly string[];
  readonly cases: readonly string[];
}

/** Reads the registries of `policyDir` and the seeded cases. */
export function principalSpace(policyDir: string): PrincipalSpace {
  const registries = readRegistries(policyDir);
  const roles = parse(fs.readFileSync(path.join(policyDir, 'roles.yaml'), 'utf8')) as { roles: Record<string, unknown> };
  const classification = parse(fs.readFileSync(path.join(policyDir, 'classification.yaml'), 'utf8')) as { clearanceLevels: string[] };
  const world = demoWorld();
  const cases = new Set<string>();
  for (const c of world.judicialCases.slice(0, 6)) {
    cases.add(c.localId);
    if (c.jit) cases.add(c.jit.id);
  }
  for (const i of world.investigations.slice(0, 4)) cases.add(i.localId);
  return {
    agencies: [...registries.agencies.keys()],
    roles: Object.keys(roles.roles),
    clearances: classification.clearanceLevels,
    purposes: [...registries.purposes],
    cases: [...cases],
  };
}

/** The story's Eurojust case and its JIT (docs/demo-world.md). */
const STORY_CASES = [STORY_CASE.localId, STORY_CASE.jitId];

/** Agencies whose grants from others carry row conditions (releasable-to, Europol flag, case links, JIT membership). */
const CROSS_AGENCY = ['BE-POLICE', 'EUROPOL', 'EUROJUST', 'NL-POLICE', 'CO-POLICE', 'UK-NCA'];

/** The role an agency's own staff hold in the demo world (its own agreements ask for it). */
const USUAL_ROLE: Readonly<Record<string, string>> = {
  'NL-POLICE': 'investigator',
  'NL-CUSTOMS': 'customs-officer',
  EUROPOL: 'analyst',
  EUROJUST: 'judicial-officer',
  'NL-FIOD': 'financial-investigator',
  'NL-OM': 'prosecutor',
};

export function principalArbitrary(space: PrincipalSpace): fc.Arbitrary<OraclePrincipal> {
  const anyone = fc.record({
    agency: fc.constantFrom(...space.agencies),
    roles: fc.subarray([...space.roles], { maxLength: 2 }),
    clearance: fc.constantFrom(...space.clearances),
    cases: fc.subarray([...space.cases], { maxLength: 3 }),
    purpose: fc.constantFrom(...space.purposes),
  });
  // Agencies that receive other agencies' rows under row conditions come up more often: that is where rows are withheld.
  const crossAgency = space.agencies.filter((a) => CROSS_AGENCY.includes(a));
  const usual = fc
    .record({
      agency: fc.oneof({ arbitrary: fc.constantFrom(...space.agencies), weight: 1 }, { arbitrary: fc.constantFrom(...crossAgency), weight: 2 }),
      clearance: fc.constantFrom('CONFIDENTIAL', 'SECRET'),
      // Membership of the story's case and JIT opens most of the cross-agency grants.
      cases: fc.oneof(fc.constant(STORY_CASES.filter((c) => space.cases.includes(c))), fc.subarray([...space.cases], { maxLength: 3 })),
      purpose: fc.constantFrom('drug-trafficking', 'drug-trafficking', 'money-laundering', 'jit-operations'),
    })
    .map((p) => ({ ...p, roles: [USUAL_ROLE[p.agency] ?? 'investigator'] }));
  // Half the requests name one of the principal's cases (x-case-ref), so derogations get exercised both ways.
  return fc
    .tuple(fc.oneof({ arbitrary: usual, weight: 3 }, { arbitrary: anyone, weight: 1 }), fc.nat({ max: 5 }))
    .map(([p, pick]): OraclePrincipal => {
      const caseRef = pick % 2 === 0 ? p.cases[(pick >> 1) % Math.max(1, p.cases.length)] : undefined;
      return caseRef === undefined ? p : { ...p, caseRef };
    });
}

/** The verified principal the gateway builds from this principal's token, for the decision functions. */
export function asPrincipal(p: OraclePrincipal): { principal: Principal; purpose: DeclaredPurpose } {
  return {
    principal: {
      subject: subjectOf(p),
      agency: p.agency,
      issuer: `oracle:${p.agency}`,
      roles: new Set(p.roles),
      clearance: p.clearance,
      purposes: new Set([p.purpose]),
      cases: new Set(p.cases),
    },
    purpose: { code: p.purpose, justification: 'need-to-know oracle', ...(p.caseRef !== undefined ? { caseRef: p.caseRef } : {}) },
  };
}

/** A stable pseudonymous subject per principal. */
export function subjectOf(p: OraclePrincipal): string {
  return `oracle.${p.agency.toLowerCase()}`;
}
