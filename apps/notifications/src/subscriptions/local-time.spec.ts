import { localTimeOf, nextDailyAt, quietHoursRelease } from './local-time';

const NY = 'America/New_York';

describe('quietHoursRelease', () => {
  it('lets mail due outside the quiet hours go at once', () => {
    const noon = new Date('2026-03-04T17:00:00Z'); // 12:00 in New York
    expect(quietHoursRelease(noon, { start: '22:00', end: '07:00' }, NY)).toEqual(noon);
    expect(quietHoursRelease(noon, null, NY)).toEqual(noon);
  });

  it('holds mail due late in overnight quiet hours until their end the next morning', () => {
    const late = new Date('2026-03-05T04:30:00Z'); // 23:30 on the 4th in New York
    expect(quietHoursRelease(late, { start: '22:00', end: '07:00' }, NY)).toEqual(new Date('2026-03-05T12:00:00Z'));
  });

  it('holds mail due after midnight until the same morning', () => {
    const early = new Date('2026-03-05T08:00:00Z'); // 03:00 in New York
    expect(quietHoursRelease(early, { start: '22:00', end: '07:00' }, NY)).toEqual(new Date('2026-03-05T12:00:00Z'));
  });

  it('holds mail inside daytime quiet hours until they end the same day', () => {
    const lunch = new Date('2026-03-04T17:15:00Z'); // 12:15
    expect(quietHoursRelease(lunch, { start: '12:00', end: '13:00' }, NY)).toEqual(new Date('2026-03-04T18:00:00Z'));
    // The end is not inside: 13:00 goes at once.
    const one = new Date('2026-03-04T18:00:00Z');
    expect(quietHoursRelease(one, { start: '12:00', end: '13:00' }, NY)).toEqual(one);
  });

  it('keeps the local end time across the spring DST change', () => {
    // 23:00 EST on 7 March 2026; clocks go forward at 02:00 on the 8th, so 07:00 EDT is 11:00Z.
    const beforeChange = new Date('2026-03-08T04:00:00Z');
    expect(quietHoursRelease(beforeChange, { start: '22:00', end: '07:00' }, NY)).toEqual(new Date('2026-03-08T11:00:00Z'));
  });

  it('treats equal start and end as no quiet hours', () => {
    const at = new Date('2026-03-04T17:00:00Z');
    expect(quietHoursRelease(at, { start: '12:00', end: '12:00' }, NY)).toEqual(at);
  });
});

describe('nextDailyAt', () => {
  it('is later the same day when the time is still ahead', () => {
    expect(nextDailyAt(new Date('2026-03-04T11:00:00Z'), '08:00', NY)).toEqual(new Date('2026-03-04T13:00:00Z'));
  });

  it('is the next day once the time has passed (or is now)', () => {
    expect(nextDailyAt(new Date('2026-03-04T14:00:00Z'), '08:00', NY)).toEqual(new Date('2026-03-05T13:00:00Z'));
    expect(nextDailyAt(new Date('2026-03-04T13:00:00Z'), '08:00', NY)).toEqual(new Date('2026-03-05T13:00:00Z'));
  });

  it('reads the time in the subscription’s zone, across DST', () => {
    expect(nextDailyAt(new Date('2026-03-07T14:00:00Z'), '08:00', NY)).toEqual(new Date('2026-03-08T12:00:00Z'));
    expect(nextDailyAt(new Date('2026-03-04T11:00:00Z'), '08:00', 'Europe/Madrid')).toEqual(new Date('2026-03-05T07:00:00Z'));
  });

  it('localTimeOf reads a wall clock', () => {
    expect(localTimeOf(new Date('2026-03-04T13:05:00Z'), NY)).toBe('08:05');
  });
});
