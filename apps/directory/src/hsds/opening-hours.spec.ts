import { listingTimeZone, toMultirange, weeklyIntervals } from './opening-hours';

describe('opening hours', () => {
  const weekdays = { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' };

  it('turns weekly RRULE-style schedules into intervals of the local week', () => {
    expect(weeklyIntervals([{ freq: 'WEEKLY', byday: 'MO,WE', opens_at: '09:00:00', closes_at: '12:30:00' }])).toEqual([
      [540, 750],
      [2 * 1440 + 540, 2 * 1440 + 750],
    ]);
  });

  it('runs a night past midnight into the next day, and Sunday night into Monday', () => {
    expect(weeklyIntervals([{ freq: 'WEEKLY', byday: 'SU', opens_at: '20:00', closes_at: '08:00' }])).toEqual([
      [0, 480],
      [6 * 1440 + 1200, 7 * 1440],
    ]);
  });

  it('reads free-text hours when there are no structured ones, and ignores monthly schedules and schedules out of their validity', () => {
    expect(weeklyIntervals([{ description: 'Monday, 9-5' }, { freq: 'MONTHLY', byday: '1MO', opens_at: '09:00', closes_at: '10:00' }])).toEqual([[540, 1020]]);
    expect(weeklyIntervals([{ description: 'By appointment' }])).toEqual([]);
    expect(weeklyIntervals([{ description: 'Monday, 9-5', valid_to: '2024-01-31' }], '2024-02-01')).toEqual([]);
    expect(weeklyIntervals([{ ...weekdays, valid_to: '2024-01-31' }], '2024-02-01')).toEqual([]);
    expect(weeklyIntervals([{ ...weekdays, valid_to: '2024-01-31' }], '2024-01-31')).toHaveLength(5);
  });

  it('merges overlapping schedules', () => {
    expect(weeklyIntervals([
      { byday: 'MO', opens_at: '09:00', closes_at: '12:00' },
      { byday: 'MO', opens_at: '11:00', closes_at: '14:00' },
    ])).toEqual([[540, 840]]);
  });

  it('reads the HSDS numeric offset before the listing’s zone', () => {
    expect(listingTimeZone([{ timezone: -5 }], 'America/Los_Angeles', 'America/New_York')).toBe('Etc/GMT+5');
    expect(listingTimeZone([{ timezone: 3 }], null, 'Etc/UTC')).toBe('Etc/GMT-3');
    expect(listingTimeZone([{}], 'America/Los_Angeles', 'America/New_York')).toBe('America/Los_Angeles');
    expect(listingTimeZone([], null, 'America/New_York')).toBe('America/New_York');
  });

  it('writes a PostgreSQL multirange', () => {
    expect(toMultirange([[0, 10], [20, 30]])).toBe('{[0,10),[20,30)}');
    expect(toMultirange([])).toBeNull();
  });
});
