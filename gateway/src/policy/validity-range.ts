/**
 * A policy file's `validity: { from, to? }` as instants: `from` at 00:00 UTC (inclusive), the end
 * of the `to` day (exclusive), Infinity when open-ended, NaN for a text that is not a calendar date.
 * One reading for agreements, transfer bases and authorisations alike.
 */
const DAY_MS = 86_400_000;

function parseDay(s: string): number {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) ? Number.NaN : t;
}

export function validityRange(v: { readonly from: string; readonly to?: string }): { from: number; until: number } {
  return { from: parseDay(v.from), until: v.to === undefined ? Number.POSITIVE_INFINITY : parseDay(v.to) + DAY_MS };
}
