/**
 * The oracle's verdict on one case: the gateway's reply against the reference answer. Released
 * data must be deep-equal (nothing more, nothing less), the FORBIDDEN errors must sit at the same
 * paths with the same reasons, nothing else may go wrong, and every released entity must be in the
 * request's audit record.
 */
import { isDeepStrictEqual } from 'node:util';
import type { GraphQLReply } from '../client';
import type { ReferenceAnswer } from './reference-answer';

/** What the gateway answered, in the reference's terms. */
export interface GatewayAnswer {
  readonly status: number;
  readonly data: Record<string, unknown> | null | undefined;
  readonly forbidden: ReadonlyMap<string, string>;
  /** Errors other than FORBIDDEN (message and code). */
  readonly otherErrors: readonly string[];
  readonly auditId: string | undefined;
}

export function readGatewayAnswer(reply: GraphQLReply): GatewayAnswer {
  const forbidden = new Map<string, string>();
  const otherErrors: string[] = [];
  for (const e of reply.body.errors ?? []) {
    if (e.extensions?.code === 'FORBIDDEN') forbidden.set((e.path ?? []).join('.'), String(e.extensions.reason));
    else otherErrors.push(`${String(e.extensions?.code)}: ${e.message}`);
  }
  const auditId = reply.body.extensions?.auditId;
  return { status: reply.status, data: reply.body.data, forbidden, otherErrors, auditId: typeof auditId === 'string' ? auditId : undefined };
}

const PRESENT = '<present>';

/** JSON values rebuilt in this realm: a strict deep-equal also compares prototypes, and replies parsed elsewhere (a test VM) have others. */
const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** A copy of `data` with a non-null value at each of `paths` replaced by a marker. */
export function masked(data: Record<string, unknown> | null, paths: readonly string[]): Record<string, unknown> | null {
  if (data === null || paths.length === 0) return data;
  const copy = structuredClone(data);
  for (const p of paths) {
    const keys = p.split('.');
    let at: unknown = copy;
    for (const k of keys.slice(0, -1)) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
    const last = keys[keys.length - 1] ?? '';
    if (at !== null && typeof at === 'object' && (at as Record<string, unknown>)[last] != null) (at as Record<string, unknown>)[last] = PRESENT;
  }
  return copy;
}

/**
 * `got` with a `null` put back to `{}` wherever the reference has an empty object: stock
 * @apollo/gateway (2.x) answers `null` for an object whose every selection is skipped when both
 * the field and its only `__typename` carry variable conditions
 * (`query($a: Boolean!, $b: Boolean!) { vessel(imo: "9074729") @include(if: $a) { __typename @include(if: $b) } }`
 * with a true, b false gives `{ vessel: null }`). Only an object with nothing in it is forgiven:
 * a lost FORBIDDEN error or value under it is still a difference.
 */
function emptyObjectsAsExpected(got: unknown, want: unknown): unknown {
  if (got === null && want !== null && typeof want === 'object' && !Array.isArray(want) && Object.keys(want).length === 0) return {};
  if (Array.isArray(got) && Array.isArray(want)) return got.map((g: unknown, i) => emptyObjectsAsExpected(g, want[i]));
  if (got !== null && typeof got === 'object' && want !== null && typeof want === 'object' && !Array.isArray(got) && !Array.isArray(want)) {
    const w = want as Record<string, unknown>;
    return Object.fromEntries(Object.entries(got as Record<string, unknown>).map(([k, v]) => [k, emptyObjectsAsExpected(v, w[k])]));
  }
  return got;
}

/** The differences, one line each; empty when the gateway released exactly what the rules allow. */
export function compareAnswers(expected: ReferenceAnswer, got: GatewayAnswer, audited: ReadonlySet<string> | undefined): string[] {
  const problems: string[] = [];
  if (got.status !== 200) problems.push(`HTTP status ${got.status}`);
  for (const e of got.otherErrors) problems.push(`unexpected error ${e}`);
  const want = plain(masked(expected.data, expected.volatile));
  if (!isDeepStrictEqual(emptyObjectsAsExpected(plain(masked(got.data ?? null, expected.volatile)), want), want)) problems.push('data differs from the reference');
  for (const [path, reason] of expected.forbidden) {
    const actual = got.forbidden.get(path);
    if (actual === undefined) problems.push(`missing FORBIDDEN at ${path || '(root)'} (${reason})`);
    else if (actual !== reason) problems.push(`FORBIDDEN at ${path || '(root)'}: reason ${actual}, the reference says ${reason}`);
  }
  for (const [path, reason] of got.forbidden) {
    if (!expected.forbidden.has(path)) problems.push(`unexpected FORBIDDEN at ${path || '(root)'} (${reason})`);
  }
  if (audited === undefined) {
    if (expected.entities.size > 0) problems.push('no audit record found for the response');
  } else {
    for (const e of expected.entities) if (!audited.has(e)) problems.push(`released entity ${e} is not in the audit record`);
  }
  return problems;
}
