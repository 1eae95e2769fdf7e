/**
 * SQL for the minute of the local week (Monday 00:00 = 0) of the instant `at` in the time zone `zone`, both
 * SQL expressions: what a listing's `weekly_hours` multirange is measured in (see hsds/opening-hours.ts).
 */
export function minuteOfLocalWeek(at: string, zone: string): string {
  const local = `(${at}::timestamptz AT TIME ZONE ${zone})`;
  return `((extract(isodow FROM ${local})::int - 1) * 1440 + extract(hour FROM ${local})::int * 60 + extract(minute FROM ${local})::int)`;
}
