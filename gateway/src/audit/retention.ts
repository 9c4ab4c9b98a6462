/**
 * How long audit records are kept (`PACTUM_AUDIT_RETENTION`): `3y`, `18mo`, `26w`, `400d`.
 * Calendar arithmetic in UTC (3y back from 2029-03-01 is 2026-03-01), never shorter than a day:
 * a typo must not turn into "delete everything older than three minutes".
 */
import { ConfigError } from '../errors';

/** A parsed retention period. */
export interface Retention {
  /** As given, e.g. `3y`. */
  readonly text: string;
  /** Records older than the returned instant may be pruned. */
  cutoff(now: Date): Date;
}

const UNITS: Record<string, (d: Date, n: number) => void> = {
  y: (d, n) => d.setUTCFullYear(d.getUTCFullYear() - n),
  mo: (d, n) => d.setUTCMonth(d.getUTCMonth() - n),
  w: (d, n) => d.setUTCDate(d.getUTCDate() - 7 * n),
  d: (d, n) => d.setUTCDate(d.getUTCDate() - n),
};

/** Parses `text`; a `ConfigError` naming `name` when it is not `<n>y|mo|w|d` with 1 ≤ n ≤ 100000. */
export function parseRetention(text: string, name = 'PACTUM_AUDIT_RETENTION'): Retention {
  const m = /^([1-9]\d{0,5})(y|mo|w|d)$/.exec(text.trim());
  if (!m) throw new ConfigError('audit_config', `${name} must be a period such as 3y, 18mo, 26w or 400d, not "${text}"`);
  const n = Number(m[1]);
  const back = UNITS[m[2] ?? 'd'];
  if (!back) throw new ConfigError('audit_config', `${name}: unknown unit in "${text}"`);
  return {
    text: text.trim(),
    cutoff(now) {
      const d = new Date(now.getTime());
      back(d, n);
      return d;
    },
  };
}
