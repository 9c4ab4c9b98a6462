/**
 * `fields: "*"`: a grant releasing everything its provider's subgraph contributes, without
 * listing types by hand — fields on entities others own, the query fields, value types (which
 * follow their parent) — but never mutations, explicit-only groups, rows or hit-only grants.
 */
import { loadPolicy } from '../load-policy';
import { PolicyValidationError } from '../policy-validation-error';
import { fixtureRegistries, fixtureSupergraph, principal, writePolicyDir } from './helpers/fixture-policy';

const AT = new Date('2024-06-01T12:00:00Z');
const drugs = { code: 'drug-trafficking' };

const agreement = (grant: string) => `id: customs-everything
title: Customs shares its whole subgraph
intent: Everything customs contributes, for the partner.
legalBasis: test
provider: NL-CUSTOMS
recipients: [BE-POLICE]
purposes: [drug-trafficking]
validity: { from: 2020-01-01 }
grants:
  - id: everything
    intent: every field customs answers for
${grant}`;

function load(grant: string) {
  const fx = writePolicyDir({ 'agreements/customs-to-be.yaml': null, 'agreements/customs-everything.yaml': agreement(grant) });
  try {
    return loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries });
  } finally {
    fx.cleanup();
  }
}

function problemsOf(grant: string): { kind: string; message: string }[] {
  try {
    load(grant);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.problems.map((p) => ({ kind: p.kind, message: p.message }));
    throw error;
  }
  throw new Error('policy loaded although it is invalid');
}

describe('a grant of a whole subgraph contribution (fields: "*")', () => {
  it('releases every field the provider answers for, on every type, and nothing of another provider', () => {
    const policy = load('    fields: "*"\n');
    const profile = policy.profileFor(principal('BE-POLICE'), drugs, AT);
    for (const [type, field] of [['Query', 'container'], ['Query', 'seizures'], ['Container', 'sizeType'], ['Seizure', 'quantityKg'], ['Container', 'number']] as const) {
      expect(profile.field(type, field).effect).not.toBe('deny');
    }
    expect(profile.field('Container', 'investigations').effect).toBe('deny');
    expect(profile.field('Query', 'investigation').effect).toBe('deny');
    const label = { owner: 'NL-CUSTOMS', handling: ['H0'], handlingNote: null, releasableTo: [], caseRefs: [], europolSupport: false };
    expect(policy.explain(principal('BE-POLICE'), drugs, AT, 'Seizure', 'substance', label).grant).toEqual({ agreement: 'customs-everything', grant: 'everything' });
  });

  it('is refused with row conditions, naming the key', () => {
    expect(problemsOf('    fields: "*"\n    rows: { releasableToRecipient: true }\n')).toEqual([
      { kind: 'wildcard_grant', message: expect.stringMatching(/fields: "\*" cannot be combined with rows/) },
    ]);
  });

  it('is refused on a hit-only grant', () => {
    expect(problemsOf('    fields: "*"\n    hitOnly: true\n').map((p) => p.kind)).toEqual(['wildcard_grant']);
  });

  it('any other string is a shape error', () => {
    expect(problemsOf('    fields: "all"\n').map((p) => p.kind)).toContain('schema');
  });
});
