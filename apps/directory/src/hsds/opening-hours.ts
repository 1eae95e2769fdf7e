import { hoursFromText } from './opening-hours-text';

/** The HSDS schedule fields "open now" reads. */
export interface ScheduleRule {
  freq?: string | null;
  byday?: string | null;
  opens_at?: string | null;
  closes_at?: string | null;
  /** Free-text hours, read when the structured fields are empty (see hoursFromText). */
  description?: string | null;
  valid_from?: string | null;
  valid_to?: string | null;
  /** HSDS 3.0: the UTC offset in hours. */
  timezone?: number | string | null;
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** A half-open interval of minutes in the local week, Monday 00:00 = 0. */
export type WeeklyInterval = [start: number, end: number];

function minutesOfDay(time: string | null | undefined): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(time ?? '');
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/**
 * Weekly opening hours from HSDS recurring schedules (RRULE-style `freq=WEEKLY` + `byday` + `opens_at`/
 * `closes_at`), in the listing's local time; a schedule with free-text hours only is read by hoursFromText,
 * and says nothing when that cannot read it. Monthly rules (`1MO`) are left out. Schedules no longer valid on
 * `on` are left out.
 */
export function weeklyIntervals(schedules: ScheduleRule[], on?: string): WeeklyInterval[] {
  const intervals: WeeklyInterval[] = [];
  for (const schedule of schedules) {
    const freq = (schedule.freq ?? 'WEEKLY').toUpperCase();
    if (freq !== 'WEEKLY' && freq !== 'DAILY') continue;
    if (on && ((schedule.valid_from && on < schedule.valid_from) || (schedule.valid_to && on > schedule.valid_to))) continue;
    const opens = minutesOfDay(schedule.opens_at);
    const closes = minutesOfDay(schedule.closes_at);
    if (opens === undefined || closes === undefined) {
      if (!schedule.opens_at && !schedule.closes_at) intervals.push(...weeklyIntervals(hoursFromText(schedule.description) ?? []));
      continue;
    }
    const tokens = (schedule.byday ?? '').split(',').map((d) => d.trim().toUpperCase()).filter(Boolean);
    if (tokens.some((token) => !DAYS.includes(token))) continue;
    const days = tokens.length && freq === 'WEEKLY' ? tokens.map((d) => DAYS.indexOf(d)) : [0, 1, 2, 3, 4, 5, 6];
    // Closing at or before opening means the night runs into the next day.
    const length = closes > opens ? closes - opens : closes + 24 * 60 - opens;
    for (const day of days) {
      const start = day * 24 * 60 + opens;
      const end = start + length;
      if (end <= MINUTES_PER_WEEK) intervals.push([start, end]);
      else intervals.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
    }
  }
  return merge(intervals);
}

function merge(intervals: WeeklyInterval[]): WeeklyInterval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: WeeklyInterval[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The zone a listing's hours are read in: HSDS 3.0 gives schedules a whole-hour UTC offset; otherwise the
 * listing's IANA zone, otherwise the network's. `Etc/GMT+8` is UTC−8 (POSIX signs are inverted).
 */
export function listingTimeZone(schedules: ScheduleRule[], listingZone: string | null | undefined, networkZone: string): string {
  const offset = schedules.map((s) => (s.timezone === null || s.timezone === undefined || s.timezone === '' ? NaN : Number(s.timezone))).find(Number.isFinite);
  if (offset !== undefined && Number.isInteger(offset) && Math.abs(offset) <= 14) {
    return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  return listingZone || networkZone;
}

/** PostgreSQL int4multirange literal of weekly intervals, or null when there are none. */
export function toMultirange(intervals: WeeklyInterval[]): string | null {
  return intervals.length ? `{${intervals.map(([start, end]) => `[${start},${end})`).join(',')}}` : null;
}
