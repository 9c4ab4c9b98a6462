/**
 * The need-to-know differential oracle at a fixed seed: random operations (nested selections,
 * aliases, inline and named fragments, fragments spread several times, `__typename`-only
 * selections, `@skip` / `@include` with variables and defaults, lookups by keys that exist and
 * don't) as random principals of the registries, through the real gateway on the seeded data,
 * each compared with the reference — the same operation answered in full by a bare
 * `@apollo/gateway` and pruned node by node by the policy's decision functions — every released
 * entity looked up in the request's audit record, and no field denied statically asked of a
 * subgraph (recording proxies). See test/src/oracle/. On demand, at
 * any size and seed: `npm run oracle -- --cases 20000 [--seed N]`.
 */
import { compareAnswers } from '../../src/oracle/compare-answers';
import { runOracle } from '../../src/oracle/run-oracle';
import { startOracle, type Oracle } from '../../src/oracle/start-oracle';

const SEED = 20211208;
const CASES = 300;

describe('need-to-know oracle', () => {
  let oracle: Oracle;

  beforeAll(async () => {
    oracle = await startOracle();
  }, 120_000);

  afterAll(async () => {
    await oracle?.stop();
  });

  test(`the gateway releases exactly what the rules allow, and audits it (${CASES} cases, seed ${SEED})`, async () => {
    const report = await runOracle(oracle, { cases: CASES, seed: SEED });
    if (report.failed) throw new Error(report.failure);
    expect(report.cases).toBe(CASES);
    // The cases prove something only if they release, deny and withhold: each in a fair share of them.
    const { released, denied, withheldInLists, withheldSingle } = report.coverage;
    expect(released).toBeGreaterThan(CASES / 10);
    expect(denied).toBeGreaterThan(CASES / 10);
    expect(withheldInLists).toBeGreaterThan(CASES / 30);
    expect(withheldSingle).toBeGreaterThan(0);
  }, 120_000);

  test('one known case as the reference sees it, and the comparison catches a reply releasing more or less', async () => {
    // NL-CUSTOMS reads its own container: the police hit is granted, the police investigations only as hit/no-hit.
    const outcome = await oracle.check({
      principal: { agency: 'NL-CUSTOMS', roles: ['customs-officer'], clearance: 'CONFIDENTIAL', cases: [], purpose: 'drug-trafficking' },
      operation: {
        selections: [
          {
            kind: 'field',
            name: 'container',
            args: [{ name: 'number', type: 'ContainerNumber!', value: 'MSCU1234566', asVariable: true }],
            selections: [
              { kind: 'field', name: 'number' },
              { kind: 'field', name: 'policeHit', selections: [{ kind: 'field', name: 'hit' }] },
              { kind: 'field', name: 'investigations', selections: [{ kind: 'field', name: 'codeName' }] },
            ],
          },
        ],
      },
    });
    expect(outcome.problems).toEqual([]);
    const { expected, got } = outcome;
    if (!expected || !got) throw new Error('the case did not run');
    expect(expected.data).toEqual({ container: { number: 'MSCU1234566', policeHit: { hit: true }, investigations: null } });
    expect(expected.forbidden).toEqual(new Map([['container.investigations', 'HIT_ONLY']]));
    expect(expected.entities).toEqual(new Set(['Container:MSCU1234566']));
    // The hit-only investigations were never asked of the police subgraph; the hit was.
    expect(outcome.asked).toEqual(new Set(['Query.container', 'Container.policeHit', 'Hit.hit']));

    // A test that cannot fail is a defect: the same reply, tampered, must be reported.
    const audited = new Set(expected.entities);
    const more = { ...got, data: { container: { number: 'MSCU1234566', policeHit: { hit: true }, investigations: [{ codeName: 'BANAANSCHIL' }] } }, forbidden: new Map<string, string>() };
    expect(compareAnswers(expected, more, audited)).toEqual([
      'data differs from the reference',
      'missing FORBIDDEN at container.investigations (HIT_ONLY)',
    ]);
    const otherReason = { ...got, forbidden: new Map([['container.investigations', 'NO_AGREEMENT']]) };
    expect(compareAnswers(expected, otherReason, audited)).toEqual(['FORBIDDEN at container.investigations: reason NO_AGREEMENT, the reference says HIT_ONLY']);
    expect(compareAnswers(expected, got, new Set())).toEqual(['released entity Container:MSCU1234566 is not in the audit record']);
  });
});
