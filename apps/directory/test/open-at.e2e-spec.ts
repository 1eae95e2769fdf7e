import { Client } from 'pg';
import { adminDatabaseUrl } from '@nwd/testing';
import { toMultirange, weeklyIntervals } from '../src/hsds/opening-hours';
import { minuteOfLocalWeek } from '../src/search/minute-of-week';

/** The search's "open at" test as PostgreSQL answers it: a listing's weekly hours against the instant in its zone. */
describe('open at (SQL)', () => {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  const weekdays = toMultirange(weeklyIntervals([{ freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }]));

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  async function openAt(at: string, zone: string): Promise<boolean> {
    const [row] = (await client.query(`SELECT $1::int4multirange @> ${minuteOfLocalWeek('$2', '$3::text')} AS open`, [weekdays, at, zone])).rows;
    return row.open;
  }

  it('is open by the listing’s own clock: 16:30 in Los Angeles is 19:30 in New York', async () => {
    const at = '2024-03-06T00:30:00Z'; // Tuesday 16:30 in LA, 19:30 in NY
    expect(await openAt(at, 'America/Los_Angeles')).toBe(true);
    expect(await openAt(at, 'America/New_York')).toBe(false);
  });

  it('follows daylight saving time', async () => {
    // 16:30 UTC is 08:30 PST in winter (closed) and 09:30 PDT in summer (open).
    expect(await openAt('2024-01-10T16:30:00Z', 'America/Los_Angeles')).toBe(false);
    expect(await openAt('2024-07-10T16:30:00Z', 'America/Los_Angeles')).toBe(true);
  });

  it('closes on the weekend and at closing time', async () => {
    expect(await openAt('2024-03-09T18:00:00Z', 'Etc/UTC')).toBe(false); // Saturday
    expect(await openAt('2024-03-08T17:00:00Z', 'Etc/UTC')).toBe(false); // Friday 17:00
    expect(await openAt('2024-03-08T16:59:00Z', 'Etc/UTC')).toBe(true);
  });

  it('counts the week from Monday 00:00 in the zone, POSIX offsets included (Etc/GMT+5 is UTC−5)', async () => {
    const [row] = (await client.query(`SELECT ${minuteOfLocalWeek('$1', '$2::text')} AS minute`, ['2024-03-04T12:00:00Z', 'Etc/GMT+5'])).rows;
    expect(row.minute).toBe(7 * 60);
    // Sunday 23:59 is the last minute of the week, not before Monday.
    const [last] = (await client.query(`SELECT ${minuteOfLocalWeek('$1', '$2::text')} AS minute`, ['2024-03-10T23:59:00Z', 'Etc/UTC'])).rows;
    expect(last.minute).toBe(7 * 1440 - 1);
  });
});
