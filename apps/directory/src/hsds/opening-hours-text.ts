import type { ScheduleRule } from './opening-hours';

/**
 * Weekly hours read from the free text directories are full of ("Monday-Friday, 8:30-5; Saturday, 9-12",
 * "24 hours daily"): most of the San Mateo County schedules have nothing else, and without this no listing of
 * theirs could ever be "open now". The reading is deliberately strict — any part of the text it does not
 * understand ("by appointment", "varies", seasons, "second Monday of the month", a named sub-program) makes
 * the whole text unread (null), so a listing is never shown open on a guess.
 *
 * Times without am/pm follow the way US offices write them: 7–11 are mornings, 12 is noon, 1–6 afternoons,
 * and a range's end falls after its start ("8-5" is 8 am to 5 pm, "4-8" is 4 pm to 8 pm).
 */
export function hoursFromText(text: string | null | undefined): ScheduleRule[] | null {
  const cleaned = (text ?? '').toLowerCase().replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (!cleaned) return null;
  if (ALWAYS_OPEN.test(cleaned)) return [{ freq: 'WEEKLY', byday: WEEK.join(','), opens_at: '00:00', closes_at: '24:00' }];
  const rules: ScheduleRule[] = [];
  const clauses = cleaned.split(';').map((clause) => clause.trim());
  for (const [index, clause] of clauses.entries()) {
    // One leading label ("Office: Monday-Friday, 8-5") is the listing's own hours; labels further on name
    // other programs' hours, which are not the listing's.
    const unlabelled = index === 0 ? clause.replace(/^[a-z ]+:\s*(?=[a-z])/, '') : clause;
    const parsed = clauseRules(unlabelled);
    if (!parsed) return null;
    rules.push(...parsed);
  }
  return rules;
}

const WEEK = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ALWAYS_OPEN = /^(open )?24[ -]hours?( a day)?(,? (daily|7 days a week|every day))?$|^24[ -]hour facility$|^daily,? 24 hours$/;
const DAY_NAMES: Record<string, number> = {
  monday: 0, mon: 0, tuesday: 1, tues: 1, tue: 1, wednesday: 2, wed: 2, thursday: 3, thurs: 3, thur: 3, thu: 3,
  friday: 4, fri: 4, saturday: 5, sat: 5, sunday: 6, sun: 6,
};
const DAY_GROUPS: Record<string, number[]> = { daily: [0, 1, 2, 3, 4, 5, 6], 'every day': [0, 1, 2, 3, 4, 5, 6], weekdays: [0, 1, 2, 3, 4], weekends: [5, 6] };
const DAY = `(?:${Object.keys(DAY_NAMES).sort((a, b) => b.length - a.length).join('|')})`;
const DAY_ITEM = new RegExp(`^(?:(${DAY})\\.?(?: ?- ?(${DAY})\\.?)?|(${Object.keys(DAY_GROUPS).join('|')}))(?:\\s+|$)`);
const TIME = `(?:(\\d{1,2})(?::(\\d{2}))? ?([ap])\\.?m\\.?|(\\d{1,2})(?::(\\d{2}))?|(?:12 )?(noon)|(?:12 )?(midnight))`;
const RANGE = new RegExp(`^${TIME} ?(?:-|–|to) ?${TIME}$`);

/** "monday, wednesday-friday, 9-12, 1-5" → the days, then the ranges on each of them. */
function clauseRules(clause: string): ScheduleRule[] | null {
  const days: number[] = [];
  const ranges: [string, string][] = [];
  for (const part of clause.split(',').map((p) => p.trim()).filter(Boolean)) {
    let rest = part;
    for (let match = DAY_ITEM.exec(rest); match && !ranges.length; match = DAY_ITEM.exec(rest)) {
      days.push(...dayItem(match));
      rest = rest.slice(match[0].length);
    }
    if (!rest) continue;
    const range = timeRange(rest);
    if (!range) return null;
    ranges.push(range);
  }
  if (!days.length || !ranges.length) return null;
  const byday = [...new Set(days)].sort((a, b) => a - b).map((d) => WEEK[d]).join(',');
  return ranges.map(([opens_at, closes_at]) => ({ freq: 'WEEKLY', byday, opens_at, closes_at }));
}

function dayItem(match: RegExpExecArray): number[] {
  if (match[3]) return DAY_GROUPS[match[3]];
  const first = DAY_NAMES[match[1]];
  if (match[2] === undefined) return [first];
  const last = DAY_NAMES[match[2]];
  const days: number[] = [];
  for (let day = first; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === last) return days;
  }
}

interface Time {
  hour: number;
  minute: number;
  meridiem?: 'a' | 'p';
}

function time(groups: (string | undefined)[]): Time {
  const [hour, minute, meridiem, bareHour, bareMinute, noon, midnight] = groups;
  if (noon) return { hour: 12, minute: 0, meridiem: 'p' };
  if (midnight) return { hour: 12, minute: 0, meridiem: 'a' };
  if (hour !== undefined) return { hour: Number(hour), minute: Number(minute ?? 0), meridiem: meridiem as 'a' | 'p' };
  return { hour: Number(bareHour), minute: Number(bareMinute ?? 0) };
}

/** Minutes after midnight of an hour on a 12-hour clock. */
const on12 = ({ hour, minute }: Time, meridiem: 'a' | 'p'): number => ((hour % 12) + (meridiem === 'p' ? 12 : 0)) * 60 + minute;

function timeRange(text: string): [string, string] | null {
  const match = RANGE.exec(text);
  if (!match) return null;
  const start = time(match.slice(1, 8));
  const end = time(match.slice(8, 15));
  if ([start, end].some((t) => t.hour > 12 || t.minute > 59 || (t.hour === 0 && t.meridiem))) return null;
  let opens: number;
  let closes: number;
  if (start.meridiem && end.meridiem) {
    opens = on12(start, start.meridiem);
    closes = on12(end, end.meridiem);
  } else if (end.meridiem) {
    closes = on12(end, end.meridiem);
    // "5-7 pm" is the evening; "10-2 pm" began in the morning.
    opens = on12(start, end.meridiem) < closes ? on12(start, end.meridiem) : on12(start, 'a');
  } else {
    opens = start.meridiem ? on12(start, start.meridiem) : on12(start, start.hour >= 7 && start.hour <= 11 ? 'a' : 'p');
    closes = on12(end, 'a');
    if (closes <= opens) closes = on12(end, 'p');
    if (closes <= opens) return null;
  }
  // Midnight as an end is the end of the day, not its start.
  if (closes === 0) closes = 24 * 60;
  return [clock(opens), clock(closes)];
}

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
