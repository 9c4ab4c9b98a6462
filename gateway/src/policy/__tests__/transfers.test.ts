/**
 * The transfer rules (LED Chapter V) in the one engine: `policy check` refuses what breaks them,
 * naming the rule and the article; decisions, row verdicts and the profile key apply them.
 */
import { loadPolicy, type LoadedPolicy } from '../load-policy';
import { PolicyValidationError } from '../policy-validation-error';
import type { PolicyRegistries } from '../registries';
import type { RowLabel } from '../types';
import { BASE_FILES, fixtureRegistries, fixtureSupergraph, principal, writePolicyDir } from './helpers/fixture-policy';

const NOW = new Date('2026-06-01T12:00:00Z');
const drugs = { code: 'drug-trafficking' };
const withCase = (caseRef: string, justification = 'identify the consignee') => ({ code: 'drug-trafficking', caseRef, justification });

const registries: PolicyRegistries = {
  agencies: new Map([...fixtureRegistries.agencies, ['CO-POLICE', undefined], ['EC-POLICE', undefined], ['UK-NCA', undefined], ['FR-POLICE', undefined]]),
  purposes: fixtureRegistries.purposes,
  standings: new Map([
    ['NL-CUSTOMS', { country: 'NL', standing: 'member-state' }],
    ['NL-POLICE', { country: 'NL', standing: 'member-state' }],
    ['BE-POLICE', { country: 'BE', standing: 'member-state' }],
    ['FR-POLICE', { country: 'FR', standing: 'member-state' }],
    ['EUROPOL', { country: 'EU', standing: 'eu-body' }],
    ['CO-POLICE', { country: 'CO', standing: 'third-country' }],
    ['EC-POLICE', { country: 'EC', standing: 'third-country' }],
    ['UK-NCA', { country: 'GB', standing: 'third-country' }],
  ]),
};

const FIELD_GROUPS = `groups:
  personal-data:
    description: identifies persons
    explicitOnly: true
    requiresRoleAndClearance: true
    personalData: true
    fields:
      Suspect: [name]
  suspect-roles:
    description: what a person did (also personal data)
    personalData: true
    fields:
      Suspect: [role]
`;

const BASES = `version: 1
bases:
  - id: co-instrument
    kind: safeguards-instrument
    title: instrument
    legalReference: an instrument
    scope: { countries: [CO], dataCategories: [personal-data], purposes: [drug-trafficking] }
    validity: { from: 2020-01-01, to: 2027-12-31 }
  - id: uk-adequacy
    kind: adequacy
    title: adequacy
    legalReference: a decision
    scope: { countries: [GB], dataCategories: [personal-data, suspect-roles], purposes: [drug-trafficking] }
    validity: { from: 2021-06-28 }
  - id: old-instrument
    kind: safeguards-instrument
    title: lapsed
    legalReference: lapsed instrument
    scope: { countries: [CO], dataCategories: [personal-data], purposes: [drug-trafficking] }
    validity: { from: 2010-01-01, to: 2019-12-31 }
`;

const CUSTOMS_TO_LATAM = `id: customs-to-latam
title: Customs to Colombia and Ecuador
intent: Seizures.
legalBasis: art. 35
provider: NL-CUSTOMS
recipients: [CO-POLICE, EC-POLICE]
purposes: [drug-trafficking]
validity: { from: 2024-01-01, to: 2030-12-31 }
transfers:
  CO-POLICE: { basis: co-instrument }
  EC-POLICE: { basis: no-personal-data }
grants:
  - id: seizures
    intent: seizures released to the partner
    fields: { Seizure: [id, substance, quantityKg, label], Container: [number, label, seizures] }
    rows: { releasableToRecipient: true }
  - id: lookup
    intent: lookup
    fields: { Query: [container, seizures] }
`;

const POLICE_TO_CO = `id: police-to-co
title: Police to Colombia — names under the instrument
intent: Names.
legalBasis: art. 37
provider: NL-POLICE
recipients: [CO-POLICE]
purposes: [drug-trafficking]
validity: { from: 2024-01-01, to: 2030-12-31 }
transfers:
  CO-POLICE: { basis: co-instrument }
grants:
  - id: names
    intent: names
    fieldGroups: [personal-data]
    fields: { Suspect: [id, label] }
    requires: { roles: [investigator], clearance: CONFIDENTIAL }
`;

const POLICE_TO_EC_DEROGATION = `id: police-to-ec-case
title: Police to Ecuador — case by case
intent: Names of one case.
legalBasis: art. 38(1)(d)
provider: NL-POLICE
recipients: [EC-POLICE]
purposes: [drug-trafficking]
validity: { from: 2024-01-01, to: 2030-12-31 }
transfers:
  EC-POLICE: { derogation: individual-case }
grants:
  - id: lookup
    intent: look up the case
    fields: { Query: [investigation], Investigation: [agency, localId, codeName, label, suspects] }
  - id: names
    intent: names of the case
    fieldGroups: [personal-data]
    fields: { Suspect: [id, label] }
    requires: { roles: [investigator], clearance: CONFIDENTIAL }
`;

const BE_AUTHORISES_CO = `id: be-authorises-co
title: Belgian police authorise Colombia
intent: Data BE gave customs may go to Colombia.
legalBasis: art. 35(1)(c)
provider: BE-POLICE
recipients: [CO-POLICE]
purposes: [drug-trafficking]
validity: { from: 2024-01-01, to: 2030-12-31 }
authorisesTransfer:
  of: [NL-CUSTOMS]
`;

const SHIPPED_FIXTURE: Record<string, string> = {
  'field-groups.yaml': FIELD_GROUPS,
  'transfer-bases.yaml': BASES,
  'agreements/customs-to-latam.yaml': CUSTOMS_TO_LATAM,
  'agreements/police-to-co.yaml': POLICE_TO_CO,
  'agreements/police-to-ec-case.yaml': POLICE_TO_EC_DEROGATION,
  'agreements/be-authorises-co.yaml': BE_AUTHORISES_CO,
};

function load(overrides: Record<string, string | null> = {}, now = NOW): LoadedPolicy {
  const fx = writePolicyDir({ ...SHIPPED_FIXTURE, ...overrides });
  try {
    return loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries, now });
  } finally {
    fx.cleanup();
  }
}

function problemsOf(overrides: Record<string, string | null>, now = NOW): PolicyValidationError {
  try {
    load(overrides, now);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error('policy loaded although it breaks a transfer rule');
}

/** Asserts a problem of `kind` in `file` whose message names `rule` and `article`. */
function expectRefused(overrides: Record<string, string | null>, kind: string, rule: string, article: string, file: string): string {
  const error = problemsOf(overrides);
  const p = error.problems.find((x) => x.kind === kind);
  if (!p) throw new Error(`no ${kind} problem among: ${error.message}`);
  expect(p.file).toBe(`policies/${file}`);
  expect(p.message).toContain(`[${rule}`);
  expect(p.message).toContain(article);
  return p.message;
}

const replaced = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  return text.replace(from, to);
};

const customsLabel = (over: Partial<RowLabel> = {}): RowLabel => ({
  owner: 'NL-CUSTOMS', handling: ['H0'], handlingNote: null, releasableTo: ['CO-POLICE', 'EC-POLICE', 'BE-POLICE', 'FR-POLICE'], caseRefs: [], europolSupport: false, ...over,
});
const suspectLabel = (over: Partial<RowLabel> = {}): RowLabel => ({
  owner: 'NL-POLICE', handling: ['H0'], handlingNote: null, releasableTo: [], caseRefs: ['NL-ONB-1'], europolSupport: false, ...over,
});

const co = principal('CO-POLICE', ['investigator']);
const ec = principal('EC-POLICE', ['investigator'], 'CONFIDENTIAL', ['NL-ONB-1', 'NL-ONB-2']);

describe('policy check refuses what breaks a transfer rule, naming the rule and the article', () => {
  it('the fixture itself loads (so each refusal below is caused by its one change)', () => {
    expect(() => load()).not.toThrow();
  });

  it('a third-country recipient without transfer terms', () => {
    const text = replaced(CUSTOMS_TO_LATAM, '  EC-POLICE: { basis: no-personal-data }\n', '');
    const message = expectRefused({ 'agreements/customs-to-latam.yaml': text }, 'transfer_terms_missing', 'transfer-terms-required', 'LED art. 35(1)(d)', 'agreements/customs-to-latam.yaml');
    expect(message).toContain('EC-POLICE is a third-country authority (EC)');
  });

  it('personal data under a basis that is not in force', () => {
    const text = replaced(POLICE_TO_CO, 'basis: co-instrument', 'basis: old-instrument');
    const message = expectRefused({ 'agreements/police-to-co.yaml': text }, 'transfer_basis_not_in_force', 'transfer-basis-in-force', 'art. 37(1)(a)', 'agreements/police-to-co.yaml');
    expect(message).toContain('old-instrument');
  });

  it('personal data under a basis that lapses before the check runs (the load instant decides)', () => {
    const error = problemsOf({}, new Date('2028-01-05T00:00:00Z'));
    expect(error.problems.map((p) => p.kind)).toContain('transfer_basis_not_in_force');
  });

  it('a basis that does not cover the purpose', () => {
    const text = replaced(POLICE_TO_CO, 'purposes: [drug-trafficking]', 'purposes: [drug-trafficking, money-laundering]');
    const message = expectRefused({ 'agreements/police-to-co.yaml': text }, 'transfer_purpose_not_covered', 'transfer-basis-scope', 'LED art. 36, 37', 'agreements/police-to-co.yaml');
    expect(message).toContain('money-laundering');
  });

  it('a basis that does not cover the data category', () => {
    const text = replaced(POLICE_TO_CO, 'fields: { Suspect: [id, label] }', 'fields: { Suspect: [id, role, label] }');
    const message = expectRefused({ 'agreements/police-to-co.yaml': text }, 'transfer_category_not_covered', 'transfer-basis-scope', 'LED art. 36, 37', 'agreements/police-to-co.yaml');
    expect(message).toContain('suspect-roles');
  });

  it('personal data to a recipient the agreement says gets none', () => {
    const text = replaced(POLICE_TO_CO, 'basis: co-instrument', 'basis: no-personal-data');
    expectRefused({ 'agreements/police-to-co.yaml': text }, 'transfer_basis_missing', 'transfer-basis-in-force', 'LED art. 35(1)(d)', 'agreements/police-to-co.yaml');
  });

  it('an unknown basis, with the nearest name', () => {
    const text = replaced(POLICE_TO_CO, 'basis: co-instrument', 'basis: co-instrumnt');
    const message = expectRefused({ 'agreements/police-to-co.yaml': text }, 'unknown_transfer_basis', 'transfer-basis-in-force', 'LED art.', 'agreements/police-to-co.yaml');
    expect(message).toContain('did you mean "co-instrument"');
  });

  it('a basis that does not cover the recipient\'s country', () => {
    const text = replaced(POLICE_TO_CO, 'basis: co-instrument', 'basis: uk-adequacy');
    const message = expectRefused({ 'agreements/police-to-co.yaml': text }, 'transfer_basis_scope', 'transfer-basis-scope', 'LED art. 36, 37', 'agreements/police-to-co.yaml');
    expect(message).toContain('country CO');
  });

  it('transfer terms for a recipient inside the Union', () => {
    const text = replaced(
      replaced(CUSTOMS_TO_LATAM, 'recipients: [CO-POLICE, EC-POLICE]', 'recipients: [CO-POLICE, EC-POLICE, BE-POLICE]'),
      '  EC-POLICE: { basis: no-personal-data }\n',
      '  EC-POLICE: { basis: no-personal-data }\n  BE-POLICE: { basis: no-personal-data }\n',
    );
    expectRefused({ 'agreements/customs-to-latam.yaml': text }, 'transfer_inside_union', 'transfer-terms-required', 'LED art. 35(1)(d)', 'agreements/customs-to-latam.yaml');
  });

  it('a derogation grant releasing what no case label can restrict', () => {
    const text = replaced(POLICE_TO_EC_DEROGATION, 'fields: { Query: [investigation],', 'fields: { Query: [investigation, personHit],');
    const message = expectRefused({ 'agreements/police-to-ec-case.yaml': text }, 'derogation_without_case', 'derogation-individual-case', 'LED art. 38', 'agreements/police-to-ec-case.yaml');
    expect(message).toContain('Query.personHit');
  });

  it('an authorisation given by an agency that is not a Member State\'s', () => {
    const text = replaced(BE_AUTHORISES_CO, 'provider: BE-POLICE', 'provider: EUROPOL');
    expectRefused({ 'agreements/be-authorises-co.yaml': text }, 'authorisation_not_member_state', 'member-state-authorisation', 'LED art. 35(1)(c)', 'agreements/be-authorises-co.yaml');
  });

  it('an authorisation with grants is refused by the file schema (it is not an agreement to share)', () => {
    const error = problemsOf({ 'agreements/be-authorises-co.yaml': `${BE_AUTHORISES_CO}grants:\n  - id: x\n    intent: x\n    fields: { Seizure: [id] }\n` });
    expect(error.problems.some((p) => p.kind === 'schema' && p.file === 'policies/agreements/be-authorises-co.yaml')).toBe(true);
  });

  it('a transfer-bases.yaml naming an unknown purpose, a category that is not personal data, and a Union country', () => {
    const text = replaced(replaced(replaced(BASES, 'purposes: [drug-trafficking] }\n    validity: { from: 2020-01-01, to: 2027-12-31 }', 'purposes: [drug-trafficing] }\n    validity: { from: 2020-01-01, to: 2027-12-31 }'),
      'dataCategories: [personal-data, suspect-roles]', 'dataCategories: [personal-data, suspect-roles, hits]'), 'countries: [GB]', 'countries: [GB, BE]');
    const error = problemsOf({ 'transfer-bases.yaml': text });
    const kinds = error.problems.filter((p) => p.file === 'policies/transfer-bases.yaml').map((p) => p.kind).sort();
    expect(kinds).toEqual(['basis_inside_union', 'unknown_data_category', 'unknown_purpose']);
    expect(error.problems.every((p) => p.file !== 'policies/transfer-bases.yaml' || p.message.startsWith('[transfer-basis-registry, LED art. 36, 37]'))).toBe(true);
  });

  it('without transfer-bases.yaml, personal data to a third country has no basis', () => {
    const error = problemsOf({ 'transfer-bases.yaml': null });
    expect(error.problems.filter((p) => p.kind === 'unknown_transfer_basis').length).toBeGreaterThan(0);
  });
});

describe('decisions apply the transfer rules', () => {
  let policy: LoadedPolicy;
  beforeAll(() => {
    policy = load();
  });

  it('non-personal data goes to a third country under its terms, on rows released to it', () => {
    const p = policy.profileFor(ec, drugs, NOW);
    expect(p.field('Seizure', 'quantityKg').effect).toBe('allow-if-row');
    const verdict = p.rowRules('Seizure')?.evaluate(customsLabel());
    expect(verdict?.visible).toBe(true);
    expect(p.rowRules('Seizure')?.evaluate(customsLabel({ releasableTo: ['BE-POLICE'] }))).toEqual({ visible: false, reason: 'NOT_RELEASABLE', secret: false });
  });

  it('personal data under a basis in force is released; once the basis lapses it is not, though the agreement runs on', () => {
    expect(policy.explain(co, drugs, NOW, 'Suspect', 'name', suspectLabel()).effect).toBe('allow');
    const later = new Date('2028-01-01T00:00:00Z');
    const e = policy.explain(co, drugs, later, 'Suspect', 'name', suspectLabel());
    expect(e.effect).toBe('deny');
    expect(e.reason).toBe('NO_TRANSFER_BASIS');
    expect(e.steps.some((s) => s.outcome === 'NO_TRANSFER_BASIS' && s.detail.includes('co-instrument'))).toBe(true);
    // The basis's end is a validity boundary: the cached profile does not outlive it.
    expect(policy.profileFor(co, drugs, NOW).key).not.toBe(policy.profileFor(co, drugs, later).key);
    expect(policy.profileFor(co, drugs, later).field('Suspect', 'name')).toEqual({ effect: 'deny', reason: 'NO_TRANSFER_BASIS' });
  });

  it('a derogation applies only to a request naming a case with a justification', () => {
    expect(policy.explain(ec, drugs, NOW, 'Suspect', 'name').reason).toBe('DEROGATION_REQUIRES_CASE');
    expect(policy.explain(ec, { code: 'drug-trafficking', caseRef: 'NL-ONB-1' }, NOW, 'Suspect', 'name').reason).toBe('DEROGATION_REQUIRES_CASE');
    expect(policy.explain(ec, { code: 'drug-trafficking', caseRef: 'NL-ONB-1', justification: '   ' }, NOW, 'Suspect', 'name').reason).toBe('DEROGATION_REQUIRES_CASE');
    expect(policy.explain(ec, { code: 'drug-trafficking', justification: 'why' }, NOW, 'Investigation', 'codeName').reason).toBe('DEROGATION_REQUIRES_CASE');
    const granted = policy.explain(ec, withCase('NL-ONB-1'), NOW, 'Suspect', 'name', suspectLabel());
    expect(granted.effect).toBe('allow');
    expect(granted.grant).toEqual({ agreement: 'police-to-ec-case', grant: 'names' });
  });

  it('a derogation releases only rows of the case the request names', () => {
    const other = policy.explain(ec, withCase('NL-ONB-2'), NOW, 'Suspect', 'name', suspectLabel());
    expect(other).toMatchObject({ effect: 'deny', reason: 'NOT_A_CASE_MEMBER', rowVisible: false });
    const rules = policy.profileFor(ec, withCase('NL-ONB-2'), NOW).rowRules('Suspect');
    expect(rules?.labelSubfields).toContain('caseRefs');
    expect(rules?.evaluate(suspectLabel({ caseRefs: ['NL-ONB-2'] })).visible).toBe(true);
    expect(rules?.evaluate(suspectLabel()).visible).toBe(false);
  });

  it('the profile key tells derogation cases apart for a third country, and not inside the Union', () => {
    const keys = [drugs, withCase('NL-ONB-1'), withCase('NL-ONB-2'), { code: 'drug-trafficking', caseRef: 'NL-ONB-1' }].map((p) => policy.profileFor(ec, p, NOW).key);
    expect(new Set(keys).size).toBe(3); // a case without justification is no derogation: same as none
    expect(keys[3]).toBe(keys[0]);
    const be = principal('BE-POLICE', ['investigator'], 'CONFIDENTIAL', ['NL-ONB-1']);
    expect(policy.profileFor(be, withCase('NL-ONB-1'), NOW).key).toBe(policy.profileFor(be, drugs, NOW).key);
  });

  it('a row another Member State provided goes to a third country only with that state\'s authorisation', () => {
    const belgian = customsLabel({ origin: 'BE-POLICE' });
    expect(policy.explainRow(co, drugs, NOW, 'Seizure', belgian)).toEqual({ visible: true });
    expect(policy.explainRow(ec, drugs, NOW, 'Seizure', belgian)).toEqual({ visible: false, reason: 'TRANSFER_NOT_AUTHORISED', secret: false });
    const e = policy.explain(ec, drugs, NOW, 'Seizure', 'quantityKg', belgian);
    expect(e.steps.some((s) => s.detail.includes('LED art. 35(1)(c)'))).toBe(true);
    // Another origin than the authorising one, and the authorisation's end.
    expect(policy.explainRow(co, drugs, NOW, 'Seizure', customsLabel({ origin: 'FR-POLICE' }))).toMatchObject({ visible: false, reason: 'TRANSFER_NOT_AUTHORISED' });
    expect(policy.explainRow(co, drugs, new Date('2031-01-01T00:00:00Z'), 'Seizure', belgian).visible).toBe(false);
    // The owner's own rows and rows of no origin are not affected; inside the Union nothing changes.
    expect(policy.explainRow(ec, drugs, NOW, 'Seizure', customsLabel({ origin: 'NL-CUSTOMS' }))).toEqual({ visible: true });
    expect(policy.explainRow(ec, drugs, NOW, 'Seizure', customsLabel({ origin: null }))).toEqual({ visible: true });
    expect(policy.profileFor(co, drugs, NOW).rowRules('Seizure')?.labelSubfields).toContain('origin');
  });

  it('an authorisation covers only its purposes and recipients', () => {
    const narrower = replaced(BE_AUTHORISES_CO, 'recipients: [CO-POLICE]', 'recipients: [EC-POLICE]');
    const p = load({ 'agreements/be-authorises-co.yaml': narrower });
    const belgian = customsLabel({ origin: 'BE-POLICE' });
    expect(p.explainRow(co, drugs, NOW, 'Seizure', belgian).visible).toBe(false);
    expect(p.explainRow(ec, drugs, NOW, 'Seizure', belgian).visible).toBe(true);
  });

  it('inside the Union the transfer rules read nothing: no origin subfield, no derogation', () => {
    const be = principal('BE-POLICE', ['investigator']);
    const rules = policy.profileFor(be, drugs, new Date('2024-06-01T12:00:00Z')).rowRules('Seizure');
    expect(rules?.labelSubfields).not.toContain('origin');
  });
});

describe('the base fixture is unaffected', () => {
  it('has no transfer bases and no third-country recipients', () => {
    expect(BASE_FILES['transfer-bases.yaml']).toBeUndefined();
  });
});
