import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { loadPurposes, loadTrustRegistry } from '../index';
import { repoRoot } from '../../config/paths';

const shippedAgencies = path.join(repoRoot(), 'policies', 'agencies.yaml');
const shippedPurposes = path.join(repoRoot(), 'policies', 'purposes.yaml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-loaders-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const agency = (id: string, extra: Partial<Record<'issuer' | 'jwks' | 'audience' | 'algorithms' | 'subgraph', string>> = {}) => `
  - id: ${id}
    name: ${id} agency
    country: NL
    subgraph: ${extra.subgraph ?? 'none'}
    identityProvider:
      issuer: ${extra.issuer ?? `https://idp.${id.toLowerCase()}.example`}
      jwks: ${extra.jwks ?? 'file:keys/x.jwks.json'}
      audience: ${extra.audience ?? 'pactum'}
      algorithms: ${extra.algorithms ?? '[EdDSA]'}`;

function expectConfigError(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.code).toBe('CONFIG_INVALID');
  if (typeof message === 'string') expect(error.message).toContain(message);
  else expect(error.message).toMatch(message);
}

describe('agency standing (LED Chapter V)', () => {
  const entry = (id: string, country: string, standing?: string) =>
    agency(id, { issuer: `https://idp.${id.toLowerCase()}.example` }).replace('country: NL', `country: ${country}${standing ? `\n    standing: ${standing}` : ''}`);

  it('the shipped registry: Dutch and partner police inside the Union, EU agencies EU bodies, the four partners abroad third-country', () => {
    const registry = loadTrustRegistry(shippedAgencies);
    const standing = (id: string) => registry.agency(id)?.standing;
    expect(['NL-POLICE', 'BE-POLICE', 'ES-POLICE'].map(standing)).toEqual(['member-state', 'member-state', 'member-state']);
    expect(['EUROPOL', 'EUROJUST'].map(standing)).toEqual(['eu-body', 'eu-body']);
    expect(['CO-POLICE', 'EC-POLICE', 'BR-PF', 'UK-NCA'].map(standing)).toEqual(['third-country', 'third-country', 'third-country', 'third-country']);
    expect(registry.agency('UK-NCA')?.country).toBe('GB');
  });

  it('left out, it follows from the country; an unknown country is a third country (never inside the Union by default)', () => {
    const registry = loadTrustRegistry(write('standing-derived.yaml', `agencies:${entry('NO-POLICE', 'NO')}${entry('EU-BODY', 'EU')}${entry('ZZ-POLICE', 'ZZ')}\n`));
    expect(registry.agencies.map((a) => a.standing)).toEqual(['member-state', 'eu-body', 'third-country']);
  });

  it('an international organisation may sit in any country', () => {
    const registry = loadTrustRegistry(write('standing-io.yaml', `agencies:${entry('INTERPOL', 'FR', 'international-organisation')}\n`));
    expect(registry.agency('INTERPOL')?.standing).toBe('international-organisation');
  });

  it.each([
    ['a third-country authority declared a Member State\'s', entry('CO-POLICE', 'CO', 'member-state'), 'member-state does not fit country CO (CO is a third-country)'],
    ['a Member State authority declared a third country', entry('BE-POLICE', 'BE', 'third-country'), 'third-country does not fit country BE (BE is a member-state)'],
    ['an unknown standing', entry('A-ONE', 'NL', 'partner'), '"partner" is not a standing'],
  ])('refuses %s, naming the entry', (_name, text, message) => {
    const file = write('standing-bad.yaml', `agencies:${text}\n`);
    expectConfigError(() => loadTrustRegistry(file), message);
    expectConfigError(() => loadTrustRegistry(file), /agencies\[0\]/);
  });
});

describe('loadTrustRegistry', () => {
  it('loads the shipped registry with every agency of the scenario', () => {
    const registry = loadTrustRegistry(shippedAgencies);
    expect(registry.agencies.map((a) => a.id)).toEqual([
      'NL-POLICE', 'NL-CUSTOMS', 'EUROJUST', 'EUROPOL', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE', 'NL-OM', 'NL-FIOD',
      'CO-POLICE', 'EC-POLICE', 'BR-PF', 'UK-NCA', 'MAOC-N',
    ]);
    expect(registry.agencyOfSubgraph('police')).toBe('NL-POLICE');
    expect(registry.agencyOfSubgraph('customs')).toBe('NL-CUSTOMS');
    expect(registry.agencyOfSubgraph('eurojust')).toBe('EUROJUST');
    expect(registry.agencyOfSubgraph('europol')).toBe('EUROPOL');
    expect(registry.agencyOfSubgraph('nope')).toBeUndefined();
    const be = registry.byIssuer('https://idp.be-police.dev.pactum.local');
    expect(be?.id).toBe('BE-POLICE');
    expect(be?.subgraph).toBeNull();
    expect(be?.identityProvider.jwks).toEqual({ kind: 'file', path: path.join(repoRoot(), '.pactum', 'dev-idp', 'BE-POLICE.jwks.json') });
    expect(registry.agency('NL-OM')?.identityProvider.algorithms).toEqual(['EdDSA', 'ES256']);
  });

  it('accepts https and loopback-http URLs, an audience list, and resolves file: relative to the YAML', () => {
    const file = write('ok.yaml', `agencies:${agency('A-ONE', { jwks: 'https://idp.a.example/jwks' })}${agency('B-TWO', {
      jwks: 'http://127.0.0.1:8080/jwks', audience: '[pactum, pactum-test]', subgraph: 'police',
    })}${agency('C-THREE', { jwks: 'file:../c.json' })}\n`);
    const registry = loadTrustRegistry(file);
    expect(registry.agency('A-ONE')?.identityProvider.jwks).toEqual({ kind: 'url', url: 'https://idp.a.example/jwks' });
    expect(registry.agency('B-TWO')?.identityProvider.audience).toEqual(['pactum', 'pactum-test']);
    expect(registry.agency('C-THREE')?.identityProvider.jwks).toEqual({ kind: 'file', path: path.resolve(dir, '..', 'c.json') });
    expect(registry.agencyOfSubgraph('police')).toBe('B-TWO');
  });

  const bad: [string, string, string | RegExp][] = [
    ['HMAC algorithm', `agencies:${agency('A-ONE')}${agency('B-TWO')}${agency('C-THREE')}${agency('FR-POLICE', { algorithms: '[EdDSA, HS256]' })}`,
      /agencies\.yaml: agencies\[3\] \(FR-POLICE\): identityProvider\.algorithms: HS256 is not an asymmetric algorithm \(line \d+\)$/],
    ['alg none', `agencies:${agency('A-ONE', { algorithms: '[none]' })}`, 'agencies[0] (A-ONE): identityProvider.algorithms: none is not an asymmetric algorithm'],
    ['unknown algorithm', `agencies:${agency('A-ONE', { algorithms: '[XS999]' })}`, 'XS999 is not a supported algorithm'],
    ['empty algorithms', `agencies:${agency('A-ONE', { algorithms: '[]' })}`, 'identityProvider.algorithms: must not be empty'],
    ['unknown key', `agencies:${agency('A-ONE')}\n    colour: blue`, 'agencies[0] (A-ONE): colour: unknown key'],
    ['unknown top-level key', `agencies:${agency('A-ONE')}\nextra: 1`, 'extra: unknown key'],
    ['__proto__ key', `agencies:${agency('A-ONE')}\n    __proto__: { x: 1 }`, '__proto__: unknown key'],
    ['duplicate id', `agencies:${agency('A-ONE')}${agency('A-ONE', { issuer: 'https://other.example' })}`, 'agencies[1] (A-ONE): id: duplicate agency id A-ONE'],
    ['duplicate issuer', `agencies:${agency('A-ONE', { issuer: 'https://same.example' })}${agency('B-TWO', { issuer: 'https://same.example' })}`,
      'agencies[1] (B-TWO): identityProvider.issuer: issuer https://same.example is already used by A-ONE'],
    ['duplicate subgraph owner', `agencies:${agency('A-ONE', { subgraph: 'police' })}${agency('B-TWO', { subgraph: 'police' })}`, 'subgraph police is already owned by A-ONE'],
    ['http JWKS off loopback', `agencies:${agency('A-ONE', { jwks: 'http://idp.example/jwks' })}`, 'identityProvider.jwks: http://idp.example/jwks uses http; only https is allowed'],
    ['http issuer off loopback', `agencies:${agency('A-ONE', { issuer: 'http://idp.example' })}`, 'identityProvider.issuer: http://idp.example uses http'],
    ['not a URL', `agencies:${agency('A-ONE', { jwks: 'idp.example/jwks' })}`, '"idp.example/jwks" is not a URL'],
    ['ftp scheme', `agencies:${agency('A-ONE', { jwks: 'ftp://idp.example/jwks' })}`, 'unsupported scheme ftp:'],
    ['empty file:', `agencies:${agency('A-ONE', { jwks: "'file:'" })}`, 'file: needs a path'],
    ['missing identityProvider', 'agencies:\n  - id: A-ONE\n    name: x\n    country: NL\n    subgraph: none', 'agencies[0] (A-ONE): identityProvider: is required'],
    ['missing issuer', 'agencies:\n  - id: A-ONE\n    name: x\n    country: NL\n    subgraph: none\n    identityProvider:\n      jwks: file:x\n      audience: a\n      algorithms: [EdDSA]',
      'identityProvider.issuer: is required'],
    ['bad id', `agencies:${agency('nl-police')}`, 'agencies[0] (nl-police): id: "nl-police" is not an agency id'],
    ['bad country', `agencies:${agency('A-ONE').replace('country: NL', 'country: Netherlands')}`, 'country: "Netherlands" is not a two-letter country code'],
    ['agencies not a list', 'agencies: {}', 'agencies: must be a list'],
    ['empty file', '', '(top level): must be a mapping'],
    ['YAML syntax error', 'agencies: [\n', /agencies\.yaml:\d+: YAML syntax error/],
    ['duplicate YAML key', `agencies:${agency('A-ONE')}\n    name: again`, /YAML syntax error/],
    ['wrong version', `version: 2\nagencies:${agency('A-ONE')}`, 'version: only version 1 is supported'],
  ];
  it.each(bad)('refuses %s with a message naming file, entry and problem', (_name, text, message) => {
    const file = write('agencies.yaml', text);
    expectConfigError(() => loadTrustRegistry(file), message);
    expectConfigError(() => loadTrustRegistry(file), /agencies\.yaml/);
  });

  it('refuses a missing file', () => {
    expectConfigError(() => loadTrustRegistry(path.join(dir, 'absent.yaml')), /absent\.yaml: cannot read the file \(ENOENT\)/);
  });
});

describe('loadPurposes', () => {
  it('loads the shipped purposes', () => {
    const purposes = loadPurposes(shippedPurposes);
    for (const code of ['drug-trafficking', 'money-laundering', 'asset-recovery', 'jit-operations', 'hit-follow-up']) {
      expect(purposes.has(code)).toBe(true);
    }
    expect(purposes.get('hit-follow-up')?.justificationRequired).toBe(true);
    expect(purposes.get('drug-trafficking')?.justificationRequired).toBe(false);
    expect(purposes.get('drug-trafficking')?.legalBasis).toMatch(/2016\/680/);
    expect(purposes.has('constructor')).toBe(false);
    expect(purposes.get('__proto__')).toBeUndefined();
  });

  const entry = (code: string, extra = '') => `
  - code: ${code}
    description: d
    legalBasis: l
    justificationRequired: false${extra}`;
  const bad: [string, string, string][] = [
    ['duplicate code', `purposes:${entry('a-b')}${entry('a-b')}`, 'purposes[1] (a-b): code: duplicate purpose code a-b'],
    ['unknown key', `purposes:${entry('a-b', '\n    extra: 1')}`, 'purposes[0] (a-b): extra: unknown key'],
    ['bad code', `purposes:${entry('Drug Trafficking')}`, 'purposes[0] (Drug Trafficking): code: "Drug Trafficking" is not a purpose code'],
    ['non-boolean flag', `purposes:${entry('a-b').replace('false', '"no"')}`, 'purposes[0] (a-b): justificationRequired: must be true or false, got string'],
    ['missing legal basis', 'purposes:\n  - code: a-b\n    description: d\n    justificationRequired: true', 'purposes[0] (a-b): legalBasis: is required'],
    ['empty list', 'purposes: []', 'purposes: must not be empty'],
  ];
  it.each(bad)('refuses %s', (_name, text, message) => {
    const file = write('purposes.yaml', text);
    expectConfigError(() => loadPurposes(file), `purposes.yaml: ${message}`);
  });
});
