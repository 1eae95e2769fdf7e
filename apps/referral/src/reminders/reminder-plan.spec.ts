import { DateTime } from 'luxon';
import { FINAL_REFERRAL_STATUSES, REFERRAL_STATUSES } from '@nwd/contracts';
import { ACTIVE_REFERRAL_STATUSES } from '../loop/referral-lifecycle';
import { BusinessCalendar } from '../standards/business-calendar';
import { DEFAULT_STANDARDS, PlatformStandards, ReferralClockFacts } from '../standards/platform-standards';
import { Reminder, ReminderPlan } from './reminder-plan';

const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
const standards = new PlatformStandards(DEFAULT_STANDARDS, new BusinessCalendar({ country: 'US', timeZone: 'America/New_York' }));
const plan = new ReminderPlan(standards, { dueSoonBusinessDays: 1 });

/** A referral requested on Friday 2027-01-15, the Friday before Martin Luther King Jr. Day (Monday 18). */
function facts(overrides: Partial<ReferralClockFacts> = {}): ReferralClockFacts {
  return {
    status: 'requested',
    requestedAt: ny('2027-01-15T10:00'),
    respondedAt: null,
    acceptedAt: null,
    closedAt: null,
    firstNoteAt: null,
    lastNoteAt: null,
    outcomeKnownAt: null,
    exceptions: {},
    ...overrides,
  };
}

const accepted = (at = '2027-01-19T09:00', more: Partial<ReferralClockFacts> = {}) =>
  facts({ status: 'accepted', respondedAt: ny(at), acceptedAt: ny(at), ...more });

/** Local times, so a reader checks them against a calendar. */
function readable(reminders: Reminder[]) {
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'America/New_York' }).toISO();
  return reminders.map((r) => `${r.kind} ${r.standard} due ${local(r.dueAt)} fires ${local(r.fireAt)}`);
}

describe('ReminderPlan', () => {
  it('reminds on the deadline’s own business day and escalates just after it, skipping the weekend and the holiday', () => {
    // Respond within 2 business days of Friday: Tuesday 19 (1), Wednesday 20 (2); Saturday, Sunday and Monday 18 do not count.
    expect(readable(plan.of(facts()))).toEqual([
      'due-soon respond due 2027-01-20T23:59:59.999-05:00 fires 2027-01-20T00:00:00.000-05:00',
      'overdue respond due 2027-01-20T23:59:59.999-05:00 fires 2027-01-21T00:00:00.000-05:00',
    ]);
  });

  it('fires overdue at the first instant the standards call the deadline breached', () => {
    const [, overdue] = plan.of(facts());
    const report = (at: Date) => standards.evaluate(facts(), at).dueDates.respond!.state;
    expect(report(new Date(overdue!.fireAt.getTime() - 1))).toBe('pending');
    expect(report(overdue!.fireAt)).toBe('overdue');
  });

  it('takes the due-soon lead in business days, and gives no due-soon where the lead is longer than the period', () => {
    const fireAt = (days: number) => readable(new ReminderPlan(standards, { dueSoonBusinessDays: days }).of(facts())).filter((r) => r.startsWith('due-soon'));
    expect(fireAt(2)).toEqual(['due-soon respond due 2027-01-20T23:59:59.999-05:00 fires 2027-01-19T00:00:00.000-05:00']);
    // Three business days back is the start of Friday 15: before the request at 10:00, so no reminder.
    expect(fireAt(3)).toEqual([]);
    expect(fireAt(0)).toEqual([]);
    // The escalation does not depend on the lead.
    expect(new ReminderPlan(standards, { dueSoonBusinessDays: 0 }).of(facts()).map((r) => r.kind)).toEqual(['overdue']);
  });

  it('drops the respond reminders once the receiver responds, on time or late', () => {
    for (const at of ['2027-01-19T09:00', '2027-01-22T09:00']) {
      expect(plan.of(accepted(at)).some((r) => r.standard === 'respond')).toBe(false);
    }
  });

  it('schedules the first note and the note cadence from acceptance; the cadence gets no due-soon', () => {
    // 7 business days from Tuesday 19: 20, 21, 22, 25, 26, 27, 28 → end of Thursday 28.
    expect(readable(plan.of(accepted()))).toEqual([
      'due-soon first-note due 2027-01-28T23:59:59.999-05:00 fires 2027-01-28T00:00:00.000-05:00',
      'overdue first-note due 2027-01-28T23:59:59.999-05:00 fires 2027-01-29T00:00:00.000-05:00',
      'overdue note-cadence due 2027-04-19T09:00:00.000-04:00 fires 2027-04-19T09:00:00.001-04:00',
    ]);
  });

  it('moves the stale-case escalation to 3 months after each note, and drops the first-note reminders once it is written', () => {
    const noted = accepted('2027-01-19T09:00', { firstNoteAt: ny('2027-01-20T10:00'), lastNoteAt: ny('2027-03-01T10:00') });
    expect(readable(plan.of(noted))).toEqual(['overdue note-cadence due 2027-06-01T10:00:00.000-04:00 fires 2027-06-01T10:00:00.001-04:00']);
  });

  it('schedules the close within 2 business days of the outcome becoming known, across a holiday', () => {
    // Known Friday 2027-02-12; Monday 15 is Washington's Birthday: Tuesday 16 (1), Wednesday 17 (2).
    const known = accepted('2027-01-19T09:00', { status: 'in-progress', firstNoteAt: ny('2027-01-20T10:00'), lastNoteAt: ny('2027-02-12T10:00'), outcomeKnownAt: ny('2027-02-12T15:00') });
    expect(readable(plan.of(known)).filter((r) => r.includes(' close '))).toEqual([
      'due-soon close due 2027-02-17T23:59:59.999-05:00 fires 2027-02-17T00:00:00.000-05:00',
      'overdue close due 2027-02-17T23:59:59.999-05:00 fires 2027-02-18T00:00:00.000-05:00',
    ]);
  });

  it('does not escalate a breach already excused by an exception note, but still owes the rest', () => {
    const excused = facts({ exceptions: { respond: ny('2027-01-21T09:00') } });
    expect(plan.of(excused).map((r) => `${r.kind} ${r.standard}`)).toEqual(['due-soon respond']);
    // An exception for another standard changes nothing here.
    expect(plan.of(facts({ exceptions: { 'unreachable-closure': ny('2027-01-16T09:00') } }))).toEqual(plan.of(facts()));
  });

  it.each(FINAL_REFERRAL_STATUSES)('owes nothing once the referral is %s', (status) => {
    const closed = accepted('2027-01-19T09:00', { status, closedAt: ny('2027-01-20T09:00'), outcomeKnownAt: ny('2027-01-20T08:00') });
    expect(plan.of(closed)).toEqual([]);
    expect(plan.of(facts({ status, closedAt: ny('2027-01-16T09:00') }))).toEqual([]);
  });

  it.each(REFERRAL_STATUSES.filter((s) => !(FINAL_REFERRAL_STATUSES as readonly string[]).includes(s)))('orders every open status’s schedule by firing time (%s)', (status) => {
    const open = status === 'requested' ? facts() : accepted('2027-01-19T09:00', { status });
    const reminders = plan.of(open);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.map((r) => r.fireAt.getTime())).toEqual([...reminders.map((r) => r.fireAt.getTime())].sort((a, b) => a - b));
    // A case being worked owes the stale-case escalation; a request does not.
    expect(reminders.some((r) => r.standard === 'note-cadence')).toBe(ACTIVE_REFERRAL_STATUSES.includes(status));
    for (const r of reminders) expect(r.fireAt.getTime()).toBeLessThanOrEqual(r.dueAt.getTime() + 1);
  });

  it('is a function of the facts alone: the same referral, the same schedule', () => {
    expect(plan.of(accepted())).toEqual(plan.of(accepted()));
  });

  describe('same', () => {
    const base = plan.of(facts());
    it('holds for the same reminders in any order', () => {
      expect(ReminderPlan.same(base, [...base].reverse())).toBe(true);
      expect(ReminderPlan.same([], [])).toBe(true);
    });
    it('fails for a moved deadline, a new firing time, a dropped or an added reminder', () => {
      const moved = plan.of(facts({ requestedAt: ny('2027-01-19T10:00') }));
      expect(ReminderPlan.same(base, moved)).toBe(false);
      expect(ReminderPlan.same(base, new ReminderPlan(standards, { dueSoonBusinessDays: 2 }).of(facts()))).toBe(false);
      expect(ReminderPlan.same(base, base.slice(1))).toBe(false);
      expect(ReminderPlan.same(base, [...base, ...plan.of(accepted())])).toBe(false);
    });
  });
});
