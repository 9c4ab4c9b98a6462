import { PolicyValidationError } from '../policy-validation-error';
import { loadPolicy, type LoadedPolicy } from '../load-policy';
import { watchPolicy } from '../watch-policy';
import { BASE_FILES, fixtureRegistries, fixtureSupergraph, principal, writePolicyDir } from './helpers/fixture-policy';

const REL = 'agreements/customs-to-be.yaml';
const at = new Date('2024-06-01T12:00:00Z');
const drugs = { code: 'drug-trafficking' };
const base = BASE_FILES[REL] ?? '';

describe('policy reload', () => {
  it('an invalid policy is refused at start-up', () => {
    const fx = writePolicyDir({ [REL]: base.replace('provider: NL-CUSTOMS', 'provider: NL-CUSTOM') });
    try {
      expect(() => watchPolicy(fx.dir, () => undefined, { supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries, intervalMs: 0 })).toThrow(
        PolicyValidationError,
      );
    } finally {
      fx.cleanup();
    }
  });

  it('swaps in a valid change, refuses an invalid one (logged, counted) and keeps the last good policy', () => {
    const fx = writePolicyDir();
    const changes: LoadedPolicy[] = [];
    const errors: Error[] = [];
    let counter = 0;
    const watch = watchPolicy(fx.dir, (p) => changes.push(p), {
      supergraphSdl: fixtureSupergraph(),
      registries: fixtureRegistries,
      intervalMs: 0,
      onError: (e) => errors.push(e),
      onRejected: () => counter++,
    });
    try {
      const v1 = watch.current();
      const be = principal('BE-POLICE', ['investigator']);
      expect(v1.profileFor(be, drugs, at).field('Container', 'sizeType')).toEqual({ effect: 'deny', reason: 'NO_AGREEMENT' });
      expect(watch.checkNow()).toBe(false); // nothing changed

      // A valid change: BE-POLICE now gets sizeType.
      fx.write(REL, base.replace('Container: [number, label, seizures]', 'Container: [number, sizeType, label, seizures]'));
      expect(watch.checkNow()).toBe(true);
      const v2 = watch.current();
      expect(v2.version).not.toBe(v1.version);
      expect(changes).toEqual([v2]);
      expect(v2.profileFor(be, drugs, at).field('Container', 'sizeType').effect).toBe('allow-if-row');
      // Decisions carry the version: a profile from the old policy keeps the old one.
      expect(v2.profileFor(be, drugs, at).policyVersion).toBe(v2.version);
      expect(v1.profileFor(be, drugs, at).policyVersion).toBe(v1.version);

      // An invalid change: refused, logged with file and line, counted; v2 stays.
      fx.write(REL, base.replace('Container: [number, label, seizures]', 'Container: [number, sizType]'));
      expect(watch.checkNow()).toBe(false);
      expect(watch.current()).toBe(v2);
      expect(watch.rejectedCount).toBe(1);
      expect(counter).toBe(1);
      expect(errors[0]?.message).toMatch(/policies\/agreements\/customs-to-be\.yaml:\d+: .*"Container\.sizType".*did you mean "sizeType"/);
      // Not re-reported while the broken file stays as it is.
      expect(watch.checkNow()).toBe(false);
      expect(watch.rejectedCount).toBe(1);

      // Fixing it is picked up.
      fx.write(REL, base);
      expect(watch.checkNow()).toBe(true);
      expect(watch.current().version).toBe(v1.version);
    } finally {
      watch.stop();
      fx.cleanup();
    }
  });

  it('version is a hash of the files: same files, same version; any byte changed, new version', () => {
    const a = writePolicyDir();
    const b = writePolicyDir();
    const c = writePolicyDir({ 'roles.yaml': `${BASE_FILES['roles.yaml'] ?? ''}# comment\n` });
    try {
      const load = (dir: string) => loadPolicy({ dir, supergraphSdl: fixtureSupergraph(), registries: fixtureRegistries }).version;
      expect(load(a.dir)).toBe(load(b.dir));
      expect(load(c.dir)).not.toBe(load(a.dir));
    } finally {
      a.cleanup();
      b.cleanup();
      c.cleanup();
    }
  });
});
