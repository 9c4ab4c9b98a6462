/**
 * `@skip` / `@include` read once at rewrite time and evaluated per request against its
 * variables, so a denied field placed under a condition comes back only when it was asked for.
 */
import { Kind, type DirectiveNode } from 'graphql';
import type { Condition, Conditions } from './enforcement-plan';

/** The skip/include conditions among `directives` (others are ignored). */
export function readConditions(directives: readonly DirectiveNode[] | undefined): Condition[] {
  const out: Condition[] = [];
  if (!directives) return out;
  for (const d of directives) {
    const name = d.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const v = arg.value;
    if (v.kind === Kind.BOOLEAN) out.push({ include: name === 'include', value: v.value });
    else if (v.kind === Kind.VARIABLE) out.push({ include: name === 'include', value: { variable: v.name.value } });
  }
  return out;
}

function holds(c: Condition, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  // graphql-js treats a missing/non-boolean `if` as an error during validation; a variable
  // that coerces to anything but `true` is read as `false`, as the executor does.
  const v = typeof c.value === 'boolean' ? c.value : variables?.[c.value.variable] === true;
  return c.include ? v : !v;
}

/** Whether a selection with these conditions was asked for, given the request's variables. */
export function conditionsHold(conditions: Conditions, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  if (conditions === null) return true;
  for (const alternative of conditions) {
    let all = true;
    for (const c of alternative) {
      if (!holds(c, variables)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
