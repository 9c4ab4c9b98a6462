import { stringScalar } from './identifier-scalar';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when year-month-day names a day that exists (no 2024-02-30). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/** Why `value` is not an ISO-8601 date-time with an explicit offset, or null. */
export function checkDateTime(value: string): string | null {
  const m = DATE_TIME.exec(value);
  if (!m) return `DateTime ${value.slice(0, 40)}: must be ISO-8601 with a time zone, e.g. 2024-03-01T08:30:00Z`;
  const [, y, mo, d, h, mi, s] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return `DateTime ${value}: ${y}-${mo}-${d} is not a calendar date`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return `DateTime ${value}: time of day out of range`;
  return null;
}

/** Why `value` is not a calendar date `YYYY-MM-DD`, or null. */
export function checkLocalDate(value: string): string | null {
  const m = LOCAL_DATE.exec(value);
  if (!m) return `LocalDate ${value.slice(0, 40)}: must be YYYY-MM-DD`;
  const [, y, mo, d] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return `LocalDate ${value}: not a calendar date`;
  return null;
}

/** ISO-8601 date-time with an explicit offset. Resolvers may return a string or a `Date`. */
export const DateTime = stringScalar({
  name: 'DateTime',
  description: 'ISO-8601 date-time with a time zone offset (e.g. 2024-03-01T08:30:00Z).',
  problemOf: checkDateTime,
  toOutput: (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : v),
});

/** Calendar date without time zone, `YYYY-MM-DD`. */
export const LocalDate = stringScalar({
  name: 'LocalDate',
  description: 'Calendar date YYYY-MM-DD, without time zone (e.g. 2024-03-01).',
  problemOf: checkLocalDate,
});
