/**
 * Token lifetimes as people write them: `90s`, `15m`, `1h`, `1d`, or plain seconds.
 */

/** Longest lifetime a development token may have: one day. */
export const MAX_DEV_TOKEN_TTL_SEC = 24 * 60 * 60;

const UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds of a ttl; throws `RangeError` with a message fit for a CLI user. */
export function parseTtl(value: string | number): number {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else {
    const match = /^(\d{1,6})([smhd]?)$/.exec(value.trim());
    if (!match?.[1]) throw new RangeError(`ttl "${value}" is not a duration (e.g. 90s, 15m, 1h, 1d)`);
    seconds = Number(match[1]) * (UNIT[match[2] || 's'] ?? 1);
  }
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError('ttl must be at least 1 second');
  if (seconds > MAX_DEV_TOKEN_TTL_SEC) throw new RangeError('ttl must be at most 1d');
  return seconds;
}
