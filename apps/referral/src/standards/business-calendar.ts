import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export interface BusinessCalendarOptions {
  /** ISO 3166-1 country, e.g. `US`: its public holidays are not business days. */
  country: string;
  /** Optional subdivision (`NY`), adding the state's public holidays. */
  state?: string;
  /** IANA zone in which the network's days begin and end. */
  timeZone: string;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_REMEMBERED_DEADLINES = 10_000;

/**
 * Business days of the network: Monday to Friday, minus the public holidays of its country (and
 * state) from a maintained calendar, counted in the network's time zone.
 */
export class BusinessCalendar {
  private readonly holidays: Holidays;
  private readonly holidayDates = new Map<number, ReadonlySet<string>>();
  private readonly deadlines = new Map<string, Date>();

  constructor(readonly options: BusinessCalendarOptions) {
    if (!DateTime.local().setZone(options.timeZone).isValid) throw new Error(`Unknown time zone ${options.timeZone}`);
    this.holidays = options.state ? new Holidays(options.country, options.state) : new Holidays(options.country);
    if (!this.holidays.getCountries()[options.country.toUpperCase()]) throw new Error(`No holiday calendar for country ${options.country}`);
  }

  /** The calendar day an instant falls on, in the network's zone. */
  day(instant: Date): DateTime {
    return DateTime.fromJSDate(instant, { zone: this.options.timeZone }).startOf('day');
  }

  isBusinessDay(day: DateTime): boolean {
    const local = day.setZone(this.options.timeZone);
    if (local.weekday > 5) return false;
    return !this.holidaysOf(local.year).has(local.toISODate()!);
  }

  holidayName(day: DateTime): string | undefined {
    const date = day.setZone(this.options.timeZone).toISODate()!;
    return this.holidays.getHolidays(day.year).find((h) => h.type === 'public' && h.date.startsWith(date))?.name;
  }

  /**
   * The end of the `days`-th business day after the day of `from` (that day itself does not
   * count: a request on Friday afternoon, 2 business days → end of Tuesday).
   */
  addBusinessDays(from: Date, days: number): Date {
    // Every zone's offset is a whole number of quarter hours, so all instants of one UTC quarter
    // hour fall on the same local day and share a deadline: computed once, not per referral.
    const key = `${Math.floor(from.getTime() / QUARTER_HOUR_MS)}:${days}`;
    let deadline = this.deadlines.get(key);
    if (!deadline) {
      if (this.deadlines.size >= MAX_REMEMBERED_DEADLINES) this.deadlines.clear();
      deadline = this.computeAddBusinessDays(from, days);
      this.deadlines.set(key, deadline);
    }
    return new Date(deadline);
  }

  private computeAddBusinessDays(from: Date, days: number): Date {
    let day = this.day(from);
    for (let counted = 0; counted < days; ) {
      day = day.plus({ days: 1 });
      if (this.isBusinessDay(day)) counted++;
    }
    return day.endOf('day').toJSDate();
  }

  /**
   * The start of the last `days` business days up to and including the day of `deadline` (1: the
   * deadline's own day; 2: the business day before it too), skipping weekends and holidays.
   */
  startOfLastBusinessDays(deadline: Date, days: number): Date {
    let day = this.day(deadline);
    while (!this.isBusinessDay(day)) day = day.minus({ days: 1 });
    for (let counted = 1; counted < days; ) {
      day = day.minus({ days: 1 });
      if (this.isBusinessDay(day)) counted++;
    }
    return day.toJSDate();
  }

  /** Business days after the day of `from` up to and including the day of `to`. */
  businessDaysBetween(from: Date, to: Date): number {
    const last = this.day(to);
    let day = this.day(from);
    let count = 0;
    while (day < last) {
      day = day.plus({ days: 1 });
      if (this.isBusinessDay(day)) count++;
    }
    return count;
  }

  private holidaysOf(year: number): ReadonlySet<string> {
    let dates = this.holidayDates.get(year);
    if (!dates) {
      // `date` is the local calendar date of the holiday (substitute days included), which is what we compare.
      dates = new Set(this.holidays.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      this.holidayDates.set(year, dates);
    }
    return dates;
  }
}
