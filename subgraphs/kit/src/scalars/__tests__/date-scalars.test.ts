import { checkDateTime, checkLocalDate } from '..';

describe('checkDateTime', () => {
  it.each(['2024-03-01T08:30:00Z', '2024-03-01T08:30:00.123Z', '2024-03-01T08:30:00+01:00', '2024-02-29T23:59:59-05:30'])('accepts %s', (v) => {
    expect(checkDateTime(v)).toBeNull();
  });
  it.each([
    ['2024-03-01T08:30:00', 'DateTime 2024-03-01T08:30:00: must be ISO-8601 with a time zone, e.g. 2024-03-01T08:30:00Z'],
    ['2024-02-30T08:30:00Z', 'DateTime 2024-02-30T08:30:00Z: 2024-02-30 is not a calendar date'],
    ['2024-03-01T24:00:00Z', 'DateTime 2024-03-01T24:00:00Z: time of day out of range'],
    ['yesterday', 'DateTime yesterday: must be ISO-8601 with a time zone, e.g. 2024-03-01T08:30:00Z'],
  ])('refuses %j', (v, message) => {
    expect(checkDateTime(v)).toBe(message);
  });
});

describe('checkLocalDate', () => {
  it('accepts calendar dates and refuses others', () => {
    expect(checkLocalDate('2024-02-29')).toBeNull();
    expect(checkLocalDate('2023-02-29')).toBe('LocalDate 2023-02-29: not a calendar date');
    expect(checkLocalDate('2024-13-01')).toBe('LocalDate 2024-13-01: not a calendar date');
    expect(checkLocalDate('01-03-2024')).toBe('LocalDate 01-03-2024: must be YYYY-MM-DD');
  });
});
