import { PolicyError } from '../../errors';
import { loadPolicy } from '../load-policy';
import { PolicyValidationError } from '../policy-validation-error';
import { BASE_FILES, fixtureRegistries, fixtureSupergraph, writePolicyDir } from './helpers/fixture-policy';

/** Loads BASE_FILES with `rel` replaced by `text`; returns the error it must fail with. */
function loadError(rel: string, text: string): PolicyValidationError {
  const fx = writePolicyDir({ [rel]: text });
  try {
    loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries });
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  } finally {
    fx.cleanup();
  }
  throw new Error('policy loaded although it is invalid');
}

/** 1-based line of the first line of `text` containing `token`. */
function lineOf(text: string, token: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(token));
  if (i < 0) throw new Error(`token ${token} not in text`);
  return i + 1;
}

const AGREEMENT = 'agreements/customs-to-be.yaml';
const base = BASE_FILES[AGREEMENT] ?? '';
const mutate = (from: string, to: string) => {
  if (!base.includes(from)) throw new Error(`fixture lacks ${from}`);
  return base.replace(from, to);
};

/** Asserts one problem of `kind`, at the line of `token`, naming `nearest`. */
function expectProblem(rel: string, text: string, kind: string, token: string, nearest?: string) {
  const error = loadError(rel, text);
  expect(error).toBeInstanceOf(PolicyError);
  expect(error.code).toBe('POLICY_INVALID');
  const problem = error.problems.find((p) => p.kind === kind);
  expect(problem).toBeDefined();
  expect(problem?.file).toBe(`policies/${rel}`);
  expect(problem?.line).toBe(lineOf(text, token));
  expect(error.message).toContain(`policies/${rel}:${lineOf(text, token)}:`);
  if (nearest) expect(problem?.message).toContain(`did you mean "${nearest}"`);
  return problem;
}

describe('an invalid policy is refused with file, line and nearest valid name', () => {
  it('unknown type', () => {
    const text = mutate('Container: [number, label, seizures]', 'Contaner: [number, label, seizures]');
    expectProblem(AGREEMENT, text, 'unknown_type', 'Contaner', 'Container');
  });

  it('unknown field', () => {
    const text = mutate('Seizure: [id, substance, quantityKg, label]', 'Seizure: [id, substnce, quantityKg, label]');
    expectProblem(AGREEMENT, text, 'unknown_field', 'substnce', 'substance');
  });

  it('unknown field written as a block list names its own line', () => {
    const text = mutate('fields: { Query: [container, seizures] }', 'fields:\n      Query:\n        - container\n        - seizurs');
    expectProblem(AGREEMENT, text, 'unknown_field', '- seizurs', 'seizures');
  });

  it('unknown agency (provider and recipient)', () => {
    expectProblem(AGREEMENT, mutate('recipients: [BE-POLICE]', 'recipients: [BE-POLICEE]'), 'unknown_agency', 'BE-POLICEE', 'BE-POLICE');
    expectProblem(AGREEMENT, mutate('provider: NL-CUSTOMS', 'provider: NL-CUSTOM'), 'unknown_agency', 'NL-CUSTOM', 'NL-CUSTOMS');
  });

  it('unknown purpose', () => {
    expectProblem(AGREEMENT, mutate('purposes: [drug-trafficking]', 'purposes: [drug-trafficing]'), 'unknown_purpose', 'drug-trafficing', 'drug-trafficking');
  });

  it('unknown role and clearance', () => {
    const rel = 'agreements/police-to-be.yaml';
    const text = (BASE_FILES[rel] ?? '').replace('requires: { roles: [investigator] }', 'requires: { roles: [investigater] }');
    expectProblem(rel, text, 'unknown_role', 'investigater', 'investigator');
    const text2 = (BASE_FILES[rel] ?? '').replace('clearance: SECRET', 'clearance: SECERT');
    expectProblem(rel, text2, 'unknown_clearance', 'SECERT', 'SECRET');
  });

  it('unknown handling code', () => {
    expectProblem(AGREEMENT, mutate('excludeHandling: [H2]', 'excludeHandling: [H22]'), 'unknown_handling_code', 'H22', 'H2');
  });

  it('unknown key (a misspelt condition must never be ignored)', () => {
    expectProblem(AGREEMENT, mutate('rows: {', 'row: {'), 'schema', 'row: {', 'rows');
    expectProblem(AGREEMENT, mutate('releasableToRecipient: true', 'releasableToRecipent: true'), 'schema', 'releasableToRecipent', 'releasableToRecipient');
  });

  it('missing required key', () => {
    const problem = expectProblem(AGREEMENT, mutate('legalBasis: joint statement\n', ''), 'schema', 'id: customs-to-be');
    expect(problem?.message).toContain('missing required key "legalBasis"');
  });

  it('a grant of fields its provider does not own', () => {
    const problem = expectProblem(AGREEMENT, mutate('Container: [number, label, seizures]', 'Container: [number, investigations]'), 'not_owner', 'investigations');
    expect(problem?.message).toContain('Container.investigations is owned by NL-POLICE, not by the provider NL-CUSTOMS');
  });

  it('personal data named field by field instead of through its group', () => {
    const rel = 'agreements/police-own.yaml';
    const text = (BASE_FILES[rel] ?? '').replace('Suspect: "*"', 'Suspect: [id, name]');
    const problem = expectProblem(rel, text, 'explicit_group', 'Suspect: [id, name]');
    expect(problem?.message).toContain('fieldGroups: [personal-data]');
  });

  it('personal data granted without role and clearance', () => {
    const rel = 'agreements/police-own.yaml';
    const text = (BASE_FILES[rel] ?? '').replace("    requires: { roles: [investigator], clearance: CONFIDENTIAL }\n", '');
    expectProblem(rel, text, 'missing_requirement', 'fieldGroups: [personal-data]');
  });

  it('a hit-only grant naming a field that is not a hit', () => {
    const rel = 'agreements/police-to-be.yaml';
    const text = (BASE_FILES[rel] ?? '').replace('Container: [policeHit]', 'Container: [investigations]');
    expectProblem(rel, text, 'hit_only_field', 'Container: [investigations]');
  });

  it('row conditions on rows without a label', () => {
    const text = mutate('fields: { Query: [container, seizures] }', 'fields: { Query: [container, seizures] }\n    rows: { releasableToRecipient: true }');
    expectProblem(AGREEMENT, text, 'rows_without_label', 'rows: { releasableToRecipient: true }\n'.split('\n')[0] ?? '');
  });

  it('a shared value type named in a grant', () => {
    expectProblem(AGREEMENT, mutate('Container: [number, label, seizures]', 'RecordLabel: [owner]'), 'value_type', 'RecordLabel');
  });

  it('duplicate agreement ids across files', () => {
    expectProblem('agreements/zz-copy.yaml', base, 'duplicate_id', 'id: customs-to-be');
  });

  it('a validity window that ends before it starts', () => {
    expectProblem(AGREEMENT, mutate('to: 2025-12-31', 'to: 2021-12-31'), 'bad_validity', 'validity');
  });

  it('a YAML syntax error', () => {
    const text = mutate('purposes: [drug-trafficking]', 'purposes: [drug-trafficking');
    const error = loadError(AGREEMENT, text);
    expect(error.problems[0]?.kind).toBe('yaml_syntax');
    expect(error.message).toContain(`policies/${AGREEMENT}:`);
  });

  it('an unknown name in a field group', () => {
    const rel = 'field-groups.yaml';
    const text = (BASE_FILES[rel] ?? '').replace('Suspect: [name]', 'Suspect: [nmae]');
    expectProblem(rel, text, 'unknown_field', 'nmae', 'name');
  });

  it('reports every problem of a load, not just the first', () => {
    const text = mutate('purposes: [drug-trafficking]', 'purposes: [drug-trafficing]').replace('recipients: [BE-POLICE]', 'recipients: [BE-POLICEE]');
    const error = loadError(AGREEMENT, text);
    expect(error.problems.map((p) => p.kind).sort()).toEqual(['unknown_agency', 'unknown_purpose']);
  });

  it('a missing classification file', () => {
    const fx = writePolicyDir({ 'classification.yaml': null });
    try {
      expect(() => loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries })).toThrow(/classification\.yaml.*missing/);
    } finally {
      fx.cleanup();
    }
  });

  it('a supergraph that is not a composed supergraph', () => {
    const fx = writePolicyDir();
    try {
      expect(() => loadPolicy({ dir: fx.dir, supergraphSdl: 'type Query { a: Int }', registries: fixtureRegistries })).toThrow(PolicyValidationError);
    } finally {
      fx.cleanup();
    }
  });
});
