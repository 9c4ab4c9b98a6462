/**
 * Grant coverage of the policy tests (as `opa test --coverage` does for rules): a grant is
 * covered when some test's decision names it — the grant that released the field, or a grant
 * that may release it on a row (a conditional case, or a row case it decided). A grant that only
 * ever refused a test (a `ROLE_REQUIRED` under it, say) is counted as tested the other way, but
 * not covered: nothing shows that it releases what its intent says.
 */
import { grantId } from './describe-grant';
import type { PolicyModel } from './policy-model';
import type { PolicyTestReport } from './run-policy-tests';

/** Coverage of one grant. */
export interface GrantCoverage {
  readonly grant: string;
  readonly agreement: string;
  readonly source: string;
  /** Tests whose decision this grant released (or may release on a row). */
  readonly releasedIn: readonly string[];
  /** Tests this grant was a candidate for and refused. */
  readonly refusedIn: readonly string[];
  readonly covered: boolean;
}

/** Coverage per agreement and overall. */
export interface CoverageReport {
  readonly grants: readonly GrantCoverage[];
  readonly agreements: readonly { readonly agreement: string; readonly covered: number; readonly total: number; readonly percent: number }[];
  readonly covered: number;
  readonly total: number;
  /** Covered / total × 100, one decimal. */
  readonly percent: number;
}

const pct = (n: number, d: number): number => (d === 0 ? 100 : Math.round((n / d) * 1000) / 10);

/** Computes coverage of `model`'s grants by the results in `report`. */
export function grantCoverage(model: PolicyModel, report: PolicyTestReport): CoverageReport {
  const released = new Map<string, Set<string>>();
  const refused = new Map<string, Set<string>>();
  const note = (m: Map<string, Set<string>>, grant: string, test: string) => m.set(grant, (m.get(grant) ?? new Set()).add(test));
  for (const r of report.results) {
    const name = r.case.name;
    for (const g of r.releasedBy ?? []) note(released, g, name);
    const e = r.explanation;
    if (!e) continue;
    if (e.grant) note(released, `${e.grant.agreement}/${e.grant.grant}`, name);
    for (const s of e.steps) {
      if (s.grant === undefined || s.agreement.startsWith('pactum:')) continue;
      const id = `${s.agreement}/${s.grant}`;
      // A candidate that passed counts when the case stayed conditional (no label to decide it).
      if (s.outcome === 'allowed' && e.effect === 'allow-if-row') note(released, id, name);
      else if (s.outcome !== 'allowed') note(refused, id, name);
    }
  }
  const grants = model.grants.map((g): GrantCoverage => {
    const id = grantId(g);
    const releasedIn = [...(released.get(id) ?? [])];
    return { grant: id, agreement: g.ref.agreement, source: `${g.file}:${g.line}`, releasedIn, refusedIn: [...(refused.get(id) ?? [])], covered: releasedIn.length > 0 };
  });
  const byAgreement = new Map<string, { covered: number; total: number }>();
  for (const g of grants) {
    const a = byAgreement.get(g.agreement) ?? { covered: 0, total: 0 };
    a.total++;
    if (g.covered) a.covered++;
    byAgreement.set(g.agreement, a);
  }
  const covered = grants.filter((g) => g.covered).length;
  return {
    grants: [...grants].sort((a, b) => a.grant.localeCompare(b.grant)),
    agreements: [...byAgreement].map(([agreement, a]) => ({ agreement, ...a, percent: pct(a.covered, a.total) })).sort((a, b) => a.agreement.localeCompare(b.agreement)),
    covered,
    total: grants.length,
    percent: pct(covered, grants.length),
  };
}
