/**
 * Time bounds as people type them on the command line: an ISO date or date-time
 * (`2025-01-10`, `2025-01-10T09:00:00Z`) or a span back from now (`90s`, `30m`, `24h`,
 * `7d`, `2w`).
 */
import { BadUserInputError } from '../../errors';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `text` into a Date; `option` names the flag in the error. */
export function parseTime(text: string, option: string, now: Date = new Date()): Date {
  const relative = /^(\d{1,6})([smhdw])$/.exec(text);
  if (relative) {
    const [, amount, unit] = relative;
    return new Date(now.getTime() - Number(amount) * (UNITS[unit ?? ''] ?? 0));
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new BadUserInputError('invalid_time', `${option} "${text}" is neither an ISO date/time (2025-01-10T09:00:00Z) nor a span like 24h, 7d, 30m`);
}

/** Parses `Type:Key` (e.g. `Container:MSCU1234566`). */
export function parseEntity(text: string): { type: string; key: string } {
  const at = text.indexOf(':');
  const type = at > 0 ? text.slice(0, at) : '';
  const key = at > 0 ? text.slice(at + 1) : '';
  if (!/^[A-Z][A-Za-z0-9_]*$/.test(type) || key.length === 0) {
    throw new BadUserInputError('invalid_entity', `--entity "${text}" must be Type:Key, e.g. Container:MSCU1234566`);
  }
  return { type, key };
}
