import { DateTime } from 'luxon';

/** A wall-clock time `HH:mm`, read in a subscription's IANA time zone. */
export type LocalTime = string;

export const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface QuietHours {
  /** Mail due from this local time on waits… */
  start: LocalTime;
  /** …until this one (the next day's when `end` is earlier than `start`: 22:00–07:00). */
  end: LocalTime;
}

function minutesOf(time: LocalTime): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function at(day: DateTime, time: LocalTime): DateTime {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * When mail due at `now` may go out: `now` itself outside the quiet hours, else the instant they end
 * in `zone` (luxon keeps the wall-clock time across a DST change). Equal start and end mean no quiet hours.
 */
export function quietHoursRelease(now: Date, quiet: QuietHours | null, zone: string): Date {
  if (!quiet || quiet.start === quiet.end) return now;
  const local = DateTime.fromJSDate(now, { zone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const overnight = start > end;
  const inside = overnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return now;
  const endsTomorrow = overnight && minute >= start;
  return at(endsTomorrow ? local.plus({ days: 1 }) : local, quiet.end).toJSDate();
}

/** The first instant after `after` at which it is `time` in `zone`: when the next daily digest falls due. */
export function nextDailyAt(after: Date, time: LocalTime, zone: string): Date {
  const local = DateTime.fromJSDate(after, { zone });
  const today = at(local, time);
  return (today > local ? today : at(local.plus({ days: 1 }), time)).toJSDate();
}

/** `now` as `HH:mm` in `zone` (for tests and templates). */
export function localTimeOf(now: Date, zone: string): LocalTime {
  return DateTime.fromJSDate(now, { zone }).toFormat('HH:mm');
}
