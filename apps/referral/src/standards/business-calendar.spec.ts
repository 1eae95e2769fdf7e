import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar';

const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
const local = (date: Date) => DateTime.fromJSDate(date, { zone: 'America/New_York' }).toISO();

describe('BusinessCalendar (US federal, America/New_York)', () => {
  const calendar = new BusinessCalendar({ country: 'US', timeZone: 'America/New_York' });

  it('skips weekends', () => {
    // Friday afternoon + 2 business days → end of Tuesday.
    expect(local(calendar.addBusinessDays(ny('2026-11-06T15:00'), 2))).toBe('2026-11-10T23:59:59.999-05:00');
    // A request on Saturday counts from Monday.
    expect(local(calendar.addBusinessDays(ny('2026-11-07T10:00'), 2))).toBe('2026-11-10T23:59:59.999-05:00');
  });

  it('skips Thanksgiving (Thursday 2026-11-26) but not the Friday after, which is no federal holiday', () => {
    expect(calendar.isBusinessDay(DateTime.fromISO('2026-11-26', { zone: 'America/New_York' }))).toBe(false);
    expect(calendar.holidayName(DateTime.fromISO('2026-11-26', { zone: 'America/New_York' }))).toBe('Thanksgiving Day');
    expect(calendar.isBusinessDay(DateTime.fromISO('2026-11-27', { zone: 'America/New_York' }))).toBe(true);
    // Wednesday before Thanksgiving: Friday is day 1, Monday day 2.
    expect(local(calendar.addBusinessDays(ny('2026-11-25T09:00'), 2))).toBe('2026-11-30T23:59:59.999-05:00');
  });

  it('skips Christmas and New Year’s Day', () => {
    // Thursday 2026-12-24 + 2: Christmas Friday and the weekend skipped → Monday 28 (1), Tuesday 29 (2).
    expect(local(calendar.addBusinessDays(ny('2026-12-24T16:00'), 2))).toBe('2026-12-29T23:59:59.999-05:00');
    // Wednesday 2026-12-30 + 2: Thursday 31 (1), New Year's Day skipped, Monday 2027-01-04 (2).
    expect(local(calendar.addBusinessDays(ny('2026-12-30T12:00'), 2))).toBe('2027-01-04T23:59:59.999-05:00');
  });

  it('finds the start of the last business days before a deadline, back over a weekend and a holiday', () => {
    // Deadline end of Wednesday 2027-01-20; Monday 18 is Martin Luther King Jr. Day.
    const deadline = ny('2027-01-20T23:59:59.999');
    expect(local(calendar.startOfLastBusinessDays(deadline, 1))).toBe('2027-01-20T00:00:00.000-05:00');
    expect(local(calendar.startOfLastBusinessDays(deadline, 2))).toBe('2027-01-19T00:00:00.000-05:00');
    expect(local(calendar.startOfLastBusinessDays(deadline, 3))).toBe('2027-01-15T00:00:00.000-05:00');
    // A deadline on a day off counts from the business day before it.
    expect(local(calendar.startOfLastBusinessDays(ny('2027-01-18T12:00'), 1))).toBe('2027-01-15T00:00:00.000-05:00');
  });

  it('counts days in the network’s zone, not UTC', () => {
    // 2026-11-06 23:30 in New York is already Saturday in UTC; still Friday here.
    const fridayNight = ny('2026-11-06T23:30');
    expect(fridayNight.toISOString()).toBe('2026-11-07T04:30:00.000Z');
    expect(local(calendar.addBusinessDays(fridayNight, 1))).toBe('2026-11-09T23:59:59.999-05:00');
  });

  it('counts business days between two instants, skipping Veterans Day', () => {
    // Monday 2 → Monday 16 November 2026: ten weekdays, one of them Veterans Day (Wednesday 11).
    expect(calendar.businessDaysBetween(ny('2026-11-02T10:00'), ny('2026-11-16T10:00'))).toBe(9);
    expect(calendar.businessDaysBetween(ny('2026-11-02T10:00'), ny('2026-11-17T10:00'))).toBe(10);
    expect(calendar.businessDaysBetween(ny('2026-11-02T10:00'), ny('2026-11-02T18:00'))).toBe(0);
  });

  it('adds a state’s holidays when configured, and refuses an unknown zone or country', () => {
    const newYork = new BusinessCalendar({ country: 'US', state: 'NY', timeZone: 'America/New_York' });
    // Lincoln's Birthday is a New York public holiday, not a federal one.
    const lincoln = DateTime.fromISO('2026-02-12', { zone: 'America/New_York' });
    expect(calendar.isBusinessDay(lincoln)).toBe(true);
    expect(newYork.isBusinessDay(lincoln)).toBe(false);
    expect(() => new BusinessCalendar({ country: 'US', timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => new BusinessCalendar({ country: 'QQ', timeZone: 'UTC' })).toThrow(/country/);
  });
});
