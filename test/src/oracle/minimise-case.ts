/**
 * A greedy second pass after fast-check's shrinking. fast-check shrinks an array by its length
 * and then item by item, so a failing root field behind an innocent one, or a selection in the
 * middle of a set, often survives. This pass tries the one-step simplifications of a failing
 * case — drop one selection anywhere, drop a directive or an alias, unwrap a fragment, spread it
 * once, drop a role or a case membership — and keeps each that still fails, until none does.
 */
import type { OracleOperation, Selection } from './oracle-operation';
import type { CaseOutcome, OracleCase } from './start-oracle';

/** One-step simplifications of a selection list (each result is non-empty). */
function simplerLists(list: readonly Selection[]): Selection[][] {
  const out: Selection[][] = [];
  list.forEach((s, i) => {
    const replace = (by: readonly Selection[]) => [...list.slice(0, i), ...by, ...list.slice(i + 1)];
    if (list.length > 1) out.push(replace([]));
    for (const simpler of simplerSelections(s)) out.push(replace([simpler]));
    if (s.kind !== 'field') out.push(replace(s.selections));
  });
  return out;
}

function simplerSelections(s: Selection): Selection[] {
  const out: Selection[] = [];
  if (s.condition) {
    const { condition: _dropped, ...rest } = s;
    out.push(rest as Selection);
  }
  if (s.kind === 'field' && s.alias && s.name !== '__typename') {
    const { alias: _dropped, ...rest } = s;
    out.push(rest);
  }
  if (s.kind === 'spread' && s.times > 1) out.push({ ...s, times: 1 });
  const children = s.selections;
  if (children) for (const list of simplerLists(children)) out.push({ ...s, selections: list } as Selection);
  return out;
}

function simplerCases(c: OracleCase): OracleCase[] {
  const out: OracleCase[] = simplerLists(c.operation.selections).map((selections): OracleCase => ({ ...c, operation: { selections } satisfies OracleOperation }));
  const p = c.principal;
  p.roles.forEach((_, i) => out.push({ ...c, principal: { ...p, roles: p.roles.filter((__, j) => j !== i) } }));
  p.cases.forEach((_, i) => out.push({ ...c, principal: { ...p, cases: p.cases.filter((__, j) => j !== i) } }));
  return out;
}

/**
 * The smallest case reachable from `c` by one-step simplifications that all still fail;
 * at most `budget` re-checks against the live system.
 */
export async function minimiseCase(
  c: OracleCase,
  outcome: CaseOutcome,
  check: (c: OracleCase) => Promise<CaseOutcome>,
  budget = 400,
): Promise<{ readonly case: OracleCase; readonly outcome: CaseOutcome; readonly checks: number }> {
  let best = { case: c, outcome };
  let checks = 0;
  let improved = true;
  while (improved && checks < budget) {
    improved = false;
    for (const candidate of simplerCases(best.case)) {
      if (checks >= budget) break;
      checks++;
      const o = await check(candidate);
      // An operation the generator could not have produced (invalid GraphQL) is not a simpler failure.
      if (o.problems.length > 0 && !o.problems.some((x) => x.startsWith('the generator produced an invalid operation'))) {
        best = { case: candidate, outcome: o };
        improved = true;
        break;
      }
    }
  }
  return { ...best, checks };
}
