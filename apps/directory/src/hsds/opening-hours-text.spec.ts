import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { hoursFromText } from './opening-hours-text';
import { weeklyIntervals } from './opening-hours';

const hours = (text: string) => hoursFromText(text)?.map(({ byday, opens_at, closes_at }) => `${byday} ${opens_at}-${closes_at}`);

describe('weekly hours from free text', () => {
  it.each([
    ['Monday-Friday, 8-5', ['MO,TU,WE,TH,FR 08:00-17:00']],
    ['Monday-Friday, 8:30-4:45', ['MO,TU,WE,TH,FR 08:30-16:45']],
    ['Monday-Friday, 9-12, 1-5', ['MO,TU,WE,TH,FR 09:00-12:00', 'MO,TU,WE,TH,FR 13:00-17:00']],
    ['Monday-Thursday, 4-8', ['MO,TU,WE,TH 16:00-20:00']],
    ['Tuesday, Thursday, 12-3', ['TU,TH 12:00-15:00']],
    ['Monday, 2-7; Tuesday, Wednesday, 11-8; Thursday-Saturday, 10-6', ['MO 14:00-19:00', 'TU,WE 11:00-20:00', 'TH,FR,SA 10:00-18:00']],
    ['Wednesday, 5-7 pm', ['WE 17:00-19:00']],
    ['Tuesday, 7:30 pm-9:45 pm', ['TU 19:30-21:45']],
    ['Monday-Friday, 8 am-10 pm', ['MO,TU,WE,TH,FR 08:00-22:00']],
    ['Saturday, Sunday 7 am-8 pm', ['SA,SU 07:00-20:00']],
    ['Friday-Monday, 6 pm-8 am', ['MO,FR,SA,SU 18:00-08:00']],
    ['Daily, 10-5', ['MO,TU,WE,TH,FR,SA,SU 10:00-17:00']],
    ['Office: Monday-Friday, 8-5', ['MO,TU,WE,TH,FR 08:00-17:00']],
    ['Monday-Friday, 9-noon', ['MO,TU,WE,TH,FR 09:00-12:00']],
    ['24 hours daily', ['MO,TU,WE,TH,FR,SA,SU 00:00-24:00']],
    ['Tue.-Sun., 10-4', ['TU,WE,TH,FR,SA,SU 10:00-16:00']],
    ['Daily, 7:30 am-12 midnight', ['MO,TU,WE,TH,FR,SA,SU 07:30-24:00']],
    ['24-hour facility', ['MO,TU,WE,TH,FR,SA,SU 00:00-24:00']],
  ])('reads %j', (text, expected) => {
    expect(hours(text)).toEqual(expected);
  });

  it.each([
    'By appointment',
    'Varies according to program',
    'Daily',
    'Daily, sunrise to sunset',
    'Summer, 8 am-Midnight; winter, 8-5',
    'Regular meetings held on the second Monday of the month, November-May',
    'Tuesday, Thursday, 12-3; first and third Saturday of the month, 12-3',
    'Monday-Friday, 5 am-10 pm; Saturday, Sunday 7 am-8 pm; Senior Program, Monday-Friday, 7:30-3:30',
    'Monday, Thursday, 1-5; Tuesday, 2-8; Wednesday, 10-5; Saturday, 11-5. (Closed Fridays and Sundays; Christmas and New Year holidays)',
    'Monday-Friday, 25-26',
  ])('leaves %j unread rather than guess', (text) => {
    expect(hoursFromText(text)).toBeNull();
  });

  it('gives "open now" to most San Mateo County listings, whose hours are free text only', () => {
    const file = resolve(__dirname, '../../../../../shared/fixtures/hsds/smc-ohana-2014/hsds3-tabular/schedules.csv');
    const rows: { description: string; opens_at: string }[] = parse(readFileSync(file), { columns: true });
    const freeText = rows.filter((row) => !row.opens_at && row.description);
    const read = freeText.filter((row) => hoursFromText(row.description));
    expect(freeText.length).toBeGreaterThan(900);
    expect(read.length / freeText.length).toBeGreaterThan(0.7);
    // Whatever is read makes weekly intervals inside the week.
    for (const row of read) {
      for (const [start, end] of weeklyIntervals(hoursFromText(row.description)!)) expect([start >= 0, end <= 7 * 1440, end > start]).toEqual([true, true, true]);
    }
  });
});
