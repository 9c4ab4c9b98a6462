import { subjectKey } from '../compile-policy';
import type { Subject } from '../decide-field';
import { loadPolicy, type LoadedPolicy } from '../load-policy';
import type { RowLabel } from '../types';
import { fixtureRegistries, fixtureSupergraph, principal, writePolicyDir } from './helpers/fixture-policy';

const IN_FORCE = new Date('2024-06-01T12:00:00Z');
const drugs = { code: 'drug-trafficking' };

const label = (over: Partial<RowLabel> = {}): RowLabel => ({
  owner: 'NL-CUSTOMS',
  handling: ['H0'],
  handlingNote: null,
  releasableTo: ['BE-POLICE'],
  caseRefs: [],
  europolSupport: false,
  ...over,
});

let policy: LoadedPolicy;
let cleanup: () => void;
beforeAll(() => {
  const fx = writePolicyDir();
  cleanup = fx.cleanup;
  policy = loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries });
});
afterAll(() => cleanup());

const be = principal('BE-POLICE', ['investigator']);

describe('field decisions (one per reason code)', () => {
  it('a row whose owner grants nothing is withheld whole, silently, even where the principal reads its own field on it', () => {
    // NL-POLICE reads Seizure.note (its own contribution) but customs, the owner of Seizure rows,
    // grants NL-POLICE nothing: the rows are withheld whatever the label, and so is `note` on them.
    const p = policy.profileFor(principal('NL-POLICE'), drugs, IN_FORCE);
    const rules = p.rowRules('Seizure');
    expect(rules?.canHideRows).toBe(true);
    expect(p.field('Seizure', 'note').effect).toBe('allow-if-row');
    expect(rules?.evaluate(label())).toEqual({ visible: false, reason: 'NO_AGREEMENT', secret: true });
    expect(rules?.evaluate(label({ owner: 'NL-POLICE', releasableTo: ['NL-POLICE'] }))).toEqual({ visible: false, reason: 'NO_AGREEMENT', secret: true });
    expect(policy.explainRow(principal('NL-POLICE'), drugs, IN_FORCE, 'Seizure', label())).toEqual({ visible: false, reason: 'NO_AGREEMENT', secret: true });
  });

  it('every labelled type has row rules, whatever the grants; unlabelled types have none', () => {
    for (const agency of ['NL-POLICE', 'NL-CUSTOMS', 'BE-POLICE', 'XX-UNKNOWN']) {
      const p = policy.profileFor(principal(agency), drugs, IN_FORCE);
      for (const type of ['Container', 'Seizure', 'Investigation', 'Suspect']) expect(p.rowRules(type)).toBeDefined();
      expect(p.rowRules('RecordLabel')).toBeUndefined();
    }
  });

  it('a purpose no agreement covers withholds every row of the owner, silently', () => {
    const p = policy.profileFor(be, { code: 'asset-recovery' }, IN_FORCE);
    expect(p.rowRules('Container')?.evaluate(label())).toEqual({ visible: false, reason: 'PURPOSE_NOT_COVERED', secret: true });
    expect(p.field('Container', 'number')).toEqual({ effect: 'deny', reason: 'PURPOSE_NOT_COVERED' });
  });

  it('releases an own-data field unconditionally, naming agreement and grant; the owner never loses its rows', () => {
    const p = policy.profileFor(principal('NL-CUSTOMS'), drugs, IN_FORCE);
    expect(p.field('Container', 'sizeType')).toEqual({ effect: 'allow', grant: { agreement: 'customs-own', grant: 'all' } });
    expect(p.rowRules('Container')?.canHideRows).toBe(false);
    expect(p.rowRules('Container')?.evaluate(label({ releasableTo: [], handling: ['H2'] })).visible).toBe(true);
  });

  it('NO_AGREEMENT: a field no grant names', () => {
    expect(policy.profileFor(be, drugs, IN_FORCE).field('Container', 'sizeType')).toEqual({ effect: 'deny', reason: 'NO_AGREEMENT' });
  });

  it('PURPOSE_NOT_COVERED: the agreement does not cover the declared purpose', () => {
    expect(policy.profileFor(be, { code: 'money-laundering' }, IN_FORCE).field('Seizure', 'substance')).toEqual({
      effect: 'deny',
      reason: 'PURPOSE_NOT_COVERED',
    });
  });

  it('AGREEMENT_EXPIRED: the day after the validity window ends, and not on its last day', () => {
    expect(policy.profileFor(be, drugs, new Date('2026-01-01T00:00:00Z')).field('Seizure', 'substance')).toEqual({
      effect: 'deny',
      reason: 'AGREEMENT_EXPIRED',
    });
    expect(policy.profileFor(be, drugs, new Date('2025-12-31T23:59:59Z')).field('Seizure', 'substance').effect).toBe('allow-if-row');
  });

  it('AGREEMENT_NOT_YET_VALID: before the window opens', () => {
    expect(policy.profileFor(be, drugs, new Date('2021-12-31T23:59:59Z')).field('Seizure', 'substance')).toEqual({
      effect: 'deny',
      reason: 'AGREEMENT_NOT_YET_VALID',
    });
  });

  it('ROLE_REQUIRED: the grant needs a role the principal lacks', () => {
    expect(policy.profileFor(principal('BE-POLICE', ['analyst']), drugs, IN_FORCE).field('Investigation', 'codeName')).toEqual({
      effect: 'deny',
      reason: 'ROLE_REQUIRED',
    });
  });

  it('INSUFFICIENT_CLEARANCE: below the grant minimum, and an unknown level counts as lowest', () => {
    expect(policy.profileFor(be, drugs, IN_FORCE).field('Suspect', 'name')).toEqual({ effect: 'deny', reason: 'INSUFFICIENT_CLEARANCE' });
    const unknown = principal('NL-POLICE', ['investigator'], 'COSMIC');
    expect(policy.profileFor(unknown, drugs, IN_FORCE).field('Suspect', 'name')).toEqual({ effect: 'deny', reason: 'INSUFFICIENT_CLEARANCE' });
    expect(policy.profileFor(principal('NL-POLICE', ['investigator']), drugs, IN_FORCE).field('Suspect', 'name')).toEqual({
      effect: 'allow',
      grant: { agreement: 'police-own', grant: 'personal' },
    });
  });

  it('HIT_ONLY: the recipient is granted only hit/no-hit on the type', () => {
    const p = policy.profileFor(be, drugs, IN_FORCE);
    expect(p.field('Container', 'investigations')).toEqual({ effect: 'deny', reason: 'HIT_ONLY' });
    // Released, but only on container rows customs does not withhold from BE-POLICE.
    expect(p.field('Container', 'policeHit')).toEqual({ effect: 'allow-if-row' });
    expect(p.field('Query', 'personHit')).toEqual({ effect: 'allow', grant: { agreement: 'police-to-be', grant: 'hit' } });
    expect(p.field('Hit', 'reference')).toEqual({ effect: 'allow', grant: { agreement: 'pactum:inherited', grant: 'Hit' } });
  });

  it('NOT_IN_POLICY: unknown types and fields, @inaccessible fields, federation plumbing', () => {
    const p = policy.profileFor(principal('NL-CUSTOMS'), drugs, IN_FORCE);
    expect(p.field('Nope', 'x')).toEqual({ effect: 'deny', reason: 'NOT_IN_POLICY' });
    expect(p.field('Container', 'nope')).toEqual({ effect: 'deny', reason: 'NOT_IN_POLICY' });
    expect(p.field('Query', 'internalAudit')).toEqual({ effect: 'deny', reason: 'NOT_IN_POLICY' });
    expect(p.field('Query', '_entities')).toEqual({ effect: 'deny', reason: 'NOT_IN_POLICY' });
    expect(p.field('Query', '_service')).toEqual({ effect: 'deny', reason: 'NOT_IN_POLICY' });
  });

  it('meta fields and label subfields are never decided on their own', () => {
    const p = policy.profileFor(be, drugs, IN_FORCE);
    expect(p.field('Seizure', '__typename')).toMatchObject({ effect: 'allow' });
    expect(p.field('RecordLabel', 'handlingNote')).toEqual({ effect: 'allow', grant: { agreement: 'pactum:inherited', grant: 'RecordLabel' } });
  });

  it('an entity field contributed by another subgraph belongs to that subgraph (external fields excluded)', () => {
    const police = policy.profileFor(principal('NL-POLICE'), drugs, IN_FORCE);
    // Released by police's own grant, on the rows customs lets police see (none here: see above).
    expect(police.field('Seizure', 'note')).toEqual({ effect: 'allow-if-row' });
    expect(policy.explain(principal('NL-POLICE'), drugs, IN_FORCE, 'Seizure', 'note').steps).toEqual(
      expect.arrayContaining([expect.objectContaining({ agreement: 'police-own', grant: 'records', outcome: 'allowed' })]),
    );
    expect(police.field('Seizure', 'id')).toEqual({ effect: 'deny', reason: 'NO_AGREEMENT' });
    expect(policy.facts.ownerSubgraph('Seizure', 'id')).toBe('customs');
    expect(policy.facts.ownerSubgraph('Seizure', 'note')).toBe('police');
  });
});

describe('row rules', () => {
  const beSeizures = () => {
    const rules = policy.profileFor(be, drugs, IN_FORCE).rowRules('Seizure');
    if (!rules) throw new Error('expected row rules for Seizure');
    return rules;
  };

  it('names the label field and the subfields the checks read', () => {
    const rules = beSeizures();
    expect(rules.labelField).toBe('label');
    expect(rules.labelSubfields).toEqual(expect.arrayContaining(['owner', 'handling', 'releasableTo']));
    expect(rules.labelSubfields).not.toContain('caseRefs');
  });

  it('releases a passing row field by field, naming the grant', () => {
    const v = beSeizures().evaluate(label());
    if (!v.visible) throw new Error('row should be visible');
    expect(v.field('substance')).toEqual({ allowed: true, grant: { agreement: 'customs-to-be', grant: 'seizures' } });
    expect(v.field('__typename')).toMatchObject({ allowed: true });
    expect(v.field('note')).toEqual({ allowed: false, reason: 'NO_AGREEMENT' });
  });

  it('NOT_RELEASABLE: the owner did not release the row to the recipient', () => {
    expect(beSeizures().evaluate(label({ releasableTo: ['NL-POLICE'] }))).toEqual({ visible: false, reason: 'NOT_RELEASABLE', secret: false });
  });

  it('HANDLING_RESTRICTED: an H2 row goes no further; an H3 row stays with its owner', () => {
    expect(beSeizures().evaluate(label({ handling: ['H0', 'H2'] }))).toEqual({ visible: false, reason: 'HANDLING_RESTRICTED', secret: false });
    expect(beSeizures().evaluate(label({ handling: ['H3'], handlingNote: 'controlled delivery' }))).toEqual({
      visible: false,
      reason: 'HANDLING_RESTRICTED',
      secret: false,
    });
  });

  it('the owner reads its own H3 rows', () => {
    const rules = policy.profileFor(principal('NL-CUSTOMS'), drugs, IN_FORCE).rowRules('Seizure');
    expect(rules?.canHideRows).toBe(false);
    expect(rules?.evaluate(label({ handling: ['H3'], handlingNote: 'controlled delivery' })).visible).toBe(true);
  });

  it('NOT_A_CASE_MEMBER: a JIT file for a principal outside the JIT', () => {
    const outsider = policy.profileFor(be, drugs, IN_FORCE).rowRules('Investigation');
    const member = policy.profileFor(principal('BE-POLICE', ['investigator'], 'CONFIDENTIAL', ['JIT-7']), drugs, IN_FORCE).rowRules('Investigation');
    const jitRow = label({ owner: 'NL-POLICE', caseRefs: ['NL-1', 'JIT-7'] });
    expect(outsider?.evaluate(jitRow)).toEqual({ visible: false, reason: 'NOT_A_CASE_MEMBER', secret: false });
    expect(member?.evaluate(jitRow).visible).toBe(true);
    // Membership of a case that is not a JIT does not count for a JIT-only grant.
    const nonJit = policy.profileFor(principal('BE-POLICE', ['investigator'], 'CONFIDENTIAL', ['NL-1']), drugs, IN_FORCE).rowRules('Investigation');
    expect(nonJit?.evaluate(jitRow).visible).toBe(false);
  });

  it('ROW_SECRET: a withheld row whose grant makes its existence secret', () => {
    const secretCleared = policy.profileFor(principal('BE-POLICE', ['investigator'], 'SECRET'), drugs, IN_FORCE).rowRules('Suspect');
    expect(secretCleared?.evaluate(label({ owner: 'NL-POLICE', caseRefs: ['JIT-7'] }))).toEqual({ visible: false, reason: 'ROW_SECRET', secret: true });
  });

  it('an H3 row passes only where the grant has a rule for its note', () => {
    const member = policy.profileFor(principal('BE-POLICE', ['investigator'], 'SECRET', ['JIT-7']), drugs, IN_FORCE).rowRules('Suspect');
    const row = (note: string) => label({ owner: 'NL-POLICE', handling: ['H3'], handlingNote: note, caseRefs: ['JIT-7'] });
    const ok = member?.evaluate(row('shareable with JIT members'));
    if (!ok?.visible) throw new Error('row with an allowed note should be visible');
    expect(ok.field('name')).toEqual({ allowed: true, grant: { agreement: 'police-to-be', grant: 'jit-names' } });
    expect(member?.evaluate(row('owner only'))).toEqual({ visible: false, reason: 'ROW_SECRET', secret: true });
  });

  it('a row the owner withholds is dropped whole even when another agency contributes a released field', () => {
    const rules = policy.profileFor(be, drugs, IN_FORCE).rowRules('Container');
    // The static decision tells enforcement to read the label even for the unconditional police field.
    expect(policy.profileFor(be, drugs, IN_FORCE).field('Container', 'policeHit').effect).toBe('allow-if-row');
    expect(policy.explain(be, drugs, IN_FORCE, 'Container', 'policeHit').effect).toBe('allow-if-row');
    expect(rules?.evaluate(label({ releasableTo: [] }))).toEqual({ visible: false, reason: 'NOT_RELEASABLE', secret: false });
    const visible = rules?.evaluate(label());
    if (!visible?.visible) throw new Error('expected visible');
    expect(visible.field('policeHit')).toEqual({ allowed: true, grant: { agreement: 'police-to-be', grant: 'hit' } });
  });
});

describe('profiles', () => {
  it('the key is derived from every attribute of the subject the decisions read (none can be left out)', () => {
    const model = { version: 'v', validityBoundaries: [10, 20] } as unknown as Parameters<typeof subjectKey>[0];
    const subject: Subject = { agency: 'A', roles: new Set(['r']), clearanceRank: 1, clearanceName: 'C', purpose: 'p', cases: new Set(['c']), at: 15, transferTo: '', derogationCase: '' };
    const base = subjectKey(model, subject);
    const variants: Subject[] = [
      { ...subject, agency: 'B' },
      { ...subject, roles: new Set(['r', 's']) },
      { ...subject, clearanceRank: 2 },
      { ...subject, clearanceName: 'D' },
      { ...subject, purpose: 'q' },
      { ...subject, cases: new Set() },
      { ...subject, at: 25 },
      { ...subject, transferTo: 'CO' },
      { ...subject, derogationCase: 'NL-ONB-2024-0456' },
    ];
    const keys = variants.map((v) => subjectKey(model, v));
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
    // Within one validity epoch the instant does not matter; set order never does.
    expect(subjectKey(model, { ...subject, at: 19, roles: new Set(['r']) })).toBe(base);
    // An attribute the key cannot encode stops the process rather than being skipped.
    expect(() => subjectKey(model, { ...subject, extra: { nested: true } } as unknown as Subject)).toThrow(/no key encoding/);
    // Case names cannot be forged to collide with another set.
    expect(subjectKey(model, { ...subject, cases: new Set(['a', 'b']) })).not.toBe(subjectKey(model, { ...subject, cases: new Set(['a;1:b']) }));
  });

  it('equal keys for equal (agency, roles, clearance, purpose, cases, validity epoch); the profile is reused', () => {
    const a = policy.profileFor(principal('BE-POLICE', ['investigator', 'analyst'], 'CONFIDENTIAL', ['JIT-7', 'NL-1']), drugs, IN_FORCE);
    const b = policy.profileFor(
      { ...principal('BE-POLICE', ['analyst', 'investigator'], 'CONFIDENTIAL', ['NL-1', 'JIT-7']), subject: 'someone-else' },
      drugs,
      new Date('2024-09-01T00:00:00Z'),
    );
    expect(b.key).toBe(a.key);
    expect(b).toBe(a);
    expect(a.policyVersion).toBe(policy.version);
  });

  it('different keys when any decision input differs, including crossing a validity boundary', () => {
    const base = policy.profileFor(be, drugs, IN_FORCE).key;
    const keys = [
      policy.profileFor(principal('BE-POLICE', ['analyst']), drugs, IN_FORCE).key,
      policy.profileFor(principal('BE-POLICE', ['investigator'], 'SECRET'), drugs, IN_FORCE).key,
      policy.profileFor(principal('BE-POLICE', ['investigator'], 'CONFIDENTIAL', ['JIT-7']), drugs, IN_FORCE).key,
      policy.profileFor(principal('NL-POLICE', ['investigator']), drugs, IN_FORCE).key,
      policy.profileFor(be, { code: 'hit-follow-up' }, IN_FORCE).key,
      policy.profileFor(be, drugs, new Date('2026-01-01T00:00:00Z')).key,
    ];
    expect(new Set([base, ...keys]).size).toBe(keys.length + 1);
  });

  it('no choice of role or case names makes two different principals share a key', () => {
    const keys = [
      principal('BE-POLICE', ['x', 'y']),
      principal('BE-POLICE', ['x,y']),
      principal('BE-POLICE', ['1:x1:y']),
      principal('BE-POLICE', ['2;1:x1:y']),
      principal('BE-POLICE', [], 'CONFIDENTIAL', ['x', 'y']),
      principal('BE-POLICE', ['x'], 'CONFIDENTIAL', ['y']),
    ].map((p) => policy.profileFor(p, drugs, IN_FORCE).key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps at most maxProfiles profiles', () => {
    const fx = writePolicyDir();
    try {
      const small = loadPolicy({ dir: fx.dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries, maxProfiles: 2 });
      const first = small.profileFor(principal('BE-POLICE', ['a']), drugs, IN_FORCE);
      small.profileFor(principal('BE-POLICE', ['b']), drugs, IN_FORCE);
      small.profileFor(principal('BE-POLICE', ['c']), drugs, IN_FORCE);
      expect(small.profileFor(principal('BE-POLICE', ['a']), drugs, IN_FORCE)).not.toBe(first);
    } finally {
      fx.cleanup();
    }
  });
});

describe('interface fields', () => {
  it('are released only as far as every implementation releases them', () => {
    // BE-POLICE: Seizure.sizeOrQuantity is not granted (Container's neither) → denied.
    expect(policy.profileFor(be, drugs, IN_FORCE).field('Labelled', 'sizeOrQuantity')).toEqual({ effect: 'deny', reason: 'NO_AGREEMENT' });
    // BE-POLICE: label is granted on both, on rows → conditional.
    expect(policy.profileFor(be, drugs, IN_FORCE).field('Labelled', 'label')).toEqual({ effect: 'allow-if-row' });
    // NL-CUSTOMS owns both → allowed.
    expect(policy.profileFor(principal('NL-CUSTOMS'), drugs, IN_FORCE).field('Labelled', 'sizeOrQuantity')).toEqual({
      effect: 'allow',
      grant: { agreement: 'customs-own', grant: 'all' },
    });
  });
});

describe('supergraph facts', () => {
  it('keys, owning agencies and subgraph agencies come from the supergraph and the registry', () => {
    expect(policy.facts.keyFields('Investigation')).toEqual(['agency', 'localId']);
    expect(policy.facts.keyFields('RecordLabel')).toBeUndefined();
    expect(policy.facts.owningAgency('Container')).toBe('NL-CUSTOMS');
    expect(policy.facts.owningAgency('Investigation')).toBe('NL-POLICE');
    expect(policy.facts.agencyOfSubgraph('police')).toBe('NL-POLICE');
    expect(policy.facts.ownerSubgraph('Container', 'investigations')).toBe('police');
    expect(policy.facts.ownerSubgraph('Container', 'number')).toBe('customs');
    expect(policy.facts.ownerSubgraph('Container', 'nope')).toBeUndefined();
  });
});

describe('explain', () => {
  it('tells which candidate failed and why, and the row outcome on a label', () => {
    const e = policy.explain(be, drugs, IN_FORCE, 'Seizure', 'substance', label({ handling: ['H2'] }));
    expect(e).toMatchObject({ coordinate: 'Seizure.substance', owner: 'NL-CUSTOMS', effect: 'deny', reason: 'HANDLING_RESTRICTED', rowVisible: false });
    expect(e.steps.map((s) => s.outcome)).toContain('HANDLING_RESTRICTED');
    const ok = policy.explain(be, drugs, IN_FORCE, 'Seizure', 'substance', label());
    expect(ok).toMatchObject({ effect: 'allow', grant: { agreement: 'customs-to-be', grant: 'seizures' }, rowVisible: true });
    expect(policy.explain(be, drugs, IN_FORCE, 'Seizure', 'substance').effect).toBe('allow-if-row');
  });
});
