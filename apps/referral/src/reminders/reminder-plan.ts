import { ReferralLifecycle } from '../loop/referral-lifecycle';
import { PlatformStandards, ReferralClockFacts, stateOf, TIMED_STANDARDS, TimedStandard } from '../standards/platform-standards';

/** `due-soon` reminds the receiver before a deadline; `overdue` escalates once it has passed unmet. */
export const REMINDER_KINDS = ['due-soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** The deadlines worth a reminder before them: the rolling note cadence has only its breach (the stale case). */
export const DUE_SOON_STANDARDS: readonly TimedStandard[] = ['respond', 'first-note', 'close'];

/** One time-driven event a referral is owed: which standard, which deadline, and when it fires. */
export interface Reminder {
  standard: TimedStandard;
  kind: ReminderKind;
  dueAt: Date;
  fireAt: Date;
}

export interface ReminderPolicy {
  /** Due-soon fires when this many business days are left, the deadline's own day counted (0: no due-soon). */
  dueSoonBusinessDays: number;
}

/**
 * Which reminders a referral has now, from its clock facts alone (not the time of asking), so the
 * same referral always gets the same schedule and a write that meets or moves a deadline changes it:
 * - overdue, just after a deadline, when the standard would then be overdue (open, not met, not excused);
 * - due-soon, at the start of the last business days before a respond, first-note or close deadline,
 *   unless that is not after the clock started (a period shorter than the lead gets no reminder).
 * A closed referral has none: its standards are met or lapsed.
 */
export class ReminderPlan {
  constructor(
    private readonly standards: PlatformStandards,
    readonly policy: ReminderPolicy,
  ) {}

  of(facts: ReferralClockFacts): Reminder[] {
    const open = ReferralLifecycle.isOpen(facts.status);
    if (!open) return [];
    const deadlines = this.standards.deadlines(facts);
    const reminders: Reminder[] = [];
    for (const standard of TIMED_STANDARDS) {
      const deadline = deadlines[standard];
      if (!deadline || deadline.metAt) continue;
      const { since, dueAt } = deadline;
      const exception = facts.exceptions[standard];
      if (this.policy.dueSoonBusinessDays > 0 && DUE_SOON_STANDARDS.includes(standard)) {
        const fireAt = this.standards.calendar.startOfLastBusinessDays(dueAt, this.policy.dueSoonBusinessDays);
        if (fireAt > since) reminders.push({ standard, kind: 'due-soon', dueAt, fireAt });
      }
      // The first instant `evaluate` calls the standard overdue.
      const breachedAt = new Date(dueAt.getTime() + 1);
      if (stateOf(dueAt, null, open, exception, breachedAt) === 'overdue') reminders.push({ standard, kind: 'overdue', dueAt, fireAt: breachedAt });
    }
    return reminders.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
  }

  /** Whether two schedules are the same reminders (a write that leaves the deadlines alone writes nothing). */
  static same(a: readonly Reminder[], b: readonly Reminder[]): boolean {
    if (a.length !== b.length) return false;
    const keys = new Set(a.map(fingerprint));
    return b.every((reminder) => keys.has(fingerprint(reminder)));
  }
}

/** A reminder's identity is its referral, standard, kind and deadline; `fireAt` is in the fingerprint so a new lead reschedules. */
function fingerprint(r: Reminder): string {
  return `${r.standard}|${r.kind}|${r.dueAt.getTime()}|${r.fireAt.getTime()}`;
}
