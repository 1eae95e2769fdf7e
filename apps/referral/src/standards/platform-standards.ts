import { DateTime } from 'luxon';
import { PlatformStandard, ReferralStatus } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { ReferralLifecycle } from '../loop/referral-lifecycle';
import { BusinessCalendar } from './business-calendar';

/** The network's partner agreement, in numbers; every figure is configurable (see ReferralConfig). */
export interface StandardsPolicy {
  /** Accept, reject or forward within this many business days of the request. */
  respondBusinessDays: number;
  /** First note to the referrer within this many business days of acceptance. */
  firstNoteBusinessDays: number;
  /** Closing as client-unreachable takes at least this many contact attempts… */
  unreachableAttempts: number;
  /** …spanning at least this many business days, first to last. */
  unreachableBusinessDays: number;
  /** Close within this many business days of the outcome becoming known. */
  closeBusinessDays: number;
  /** No accepted case open this many months without a note. */
  noteCadenceMonths: number;
}

export const DEFAULT_STANDARDS: StandardsPolicy = {
  respondBusinessDays: 2,
  firstNoteBusinessDays: 7,
  unreachableAttempts: 3,
  unreachableBusinessDays: 10,
  closeBusinessDays: 2,
  noteCadenceMonths: 3,
};

/** The standards that carry a due date (the unreachable-closure rule is checked when closing). */
export type TimedStandard = Exclude<PlatformStandard, 'unreachable-closure'>;
export const TIMED_STANDARDS: readonly TimedStandard[] = ['respond', 'first-note', 'close', 'note-cadence'];

/**
 * pending: not met, not yet due · overdue: past due, not met, no exception · excused: past due with an
 * exception note written after it fell due · met / met-late · lapsed: the referral ended before it was met.
 */
export type StandardState = 'pending' | 'overdue' | 'excused' | 'met' | 'met-late' | 'lapsed';

export interface DueDate {
  dueAt: string;
  metAt: string | null;
  state: StandardState;
}

/** What the clock needs to know about a referral. Notes count when the receiving organization shares them. */
export interface ReferralClockFacts {
  status: ReferralStatus;
  requestedAt: Date;
  respondedAt: Date | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
  firstNoteAt: Date | null;
  lastNoteAt: Date | null;
  outcomeKnownAt: Date | null;
  /** The latest exception note per standard. */
  exceptions: Partial<Record<PlatformStandard, Date>>;
}

/** One standard's clock on one referral: started at `since`, due at `dueAt`, met at `metAt` (if it was). */
export interface Deadline {
  since: Date;
  dueAt: Date;
  metAt: Date | null;
}

export interface StandardsReport {
  dueDates: Partial<Record<TimedStandard, DueDate>>;
  overdue: TimedStandard[];
  /** The earliest due date still open (pending or overdue): `overdue=true` lists referrals whose next due date has passed. */
  nextDueAt: Date | null;
}

export class PlatformStandards {
  constructor(
    readonly policy: StandardsPolicy,
    readonly calendar: BusinessCalendar,
  ) {}

  /** The deadlines a referral has, whatever the time: when each clock started, when it falls due, when it was met. */
  deadlines(facts: ReferralClockFacts): Partial<Record<TimedStandard, Deadline>> {
    const due: Partial<Record<TimedStandard, Deadline>> = {
      respond: {
        since: facts.requestedAt,
        dueAt: this.calendar.addBusinessDays(facts.requestedAt, this.policy.respondBusinessDays),
        metAt: facts.respondedAt,
      },
    };
    if (facts.acceptedAt) {
      due['first-note'] = {
        since: facts.acceptedAt,
        dueAt: this.calendar.addBusinessDays(facts.acceptedAt, this.policy.firstNoteBusinessDays),
        metAt: facts.firstNoteAt,
      };
    }
    if (facts.outcomeKnownAt) {
      due.close = {
        since: facts.outcomeKnownAt,
        dueAt: this.calendar.addBusinessDays(facts.outcomeKnownAt, this.policy.closeBusinessDays),
        metAt: facts.closedAt,
      };
    }
    // A rolling standard: each note from the receiver starts the period again, so it is never "met", only kept.
    if (facts.acceptedAt && ReferralLifecycle.isActive(facts.status)) {
      const since = facts.lastNoteAt && facts.lastNoteAt > facts.acceptedAt ? facts.lastNoteAt : facts.acceptedAt;
      due['note-cadence'] = {
        since,
        dueAt: DateTime.fromJSDate(since, { zone: this.calendar.options.timeZone }).plus({ months: this.policy.noteCadenceMonths }).toJSDate(),
        metAt: null,
      };
    }
    return due;
  }

  /** Each due date of a referral, its state at `now`, and the breaches. */
  evaluate(facts: ReferralClockFacts, now: Date): StandardsReport {
    const open = ReferralLifecycle.isOpen(facts.status);
    const due = this.deadlines(facts);
    const report: StandardsReport = { dueDates: {}, overdue: [], nextDueAt: null };
    for (const standard of TIMED_STANDARDS) {
      const entry = due[standard];
      if (!entry) continue;
      const state = stateOf(entry.dueAt, entry.metAt, open, facts.exceptions[standard], now);
      report.dueDates[standard] = { dueAt: entry.dueAt.toISOString(), metAt: entry.metAt?.toISOString() ?? null, state };
      if (state === 'overdue') report.overdue.push(standard);
      if ((state === 'pending' || state === 'overdue') && (!report.nextDueAt || entry.dueAt < report.nextDueAt)) report.nextDueAt = entry.dueAt;
    }
    return report;
  }

  /**
   * Closing a referral as client-unreachable: enough attempts, far enough apart, so "unreachable"
   * means someone really tried — unless an exception note explains why not.
   */
  assertUnreachableClosure(attempts: readonly Date[], exception: Date | undefined): void {
    if (exception) return;
    const sorted = [...attempts].sort((a, b) => a.getTime() - b.getTime());
    const span = sorted.length ? this.calendar.businessDaysBetween(sorted[0]!, sorted[sorted.length - 1]!) : 0;
    const { unreachableAttempts: required, unreachableBusinessDays: days } = this.policy;
    if (sorted.length >= required && span >= days) return;
    throw DomainError.unprocessable(
      'referral.unreachable-closure-unmet',
      `Closing as client-unreachable needs ${required} contact attempts over ${days} business days ` +
        `(recorded: ${sorted.length} over ${span}); otherwise attach an exception note for unreachable-closure`,
      { attempts: sorted.length, businessDaysSpanned: span, requiredAttempts: required, requiredBusinessDays: days },
    );
  }

  /** An exception note is attached to a breach: only an overdue standard, or the unreachable-closure rule before closing. */
  assertExceptionApplies(standard: PlatformStandard, report: StandardsReport, status: ReferralStatus): void {
    if (!ReferralLifecycle.isOpen(status)) {
      throw DomainError.unprocessable('referral.closed', `The referral is ${status}; there is no open standard to explain`);
    }
    if (standard === 'unreachable-closure') return;
    if (report.dueDates[standard]?.state !== 'overdue') {
      throw DomainError.unprocessable(
        'referral.standard-not-breached',
        `${standard} is not overdue on this referral; an exception note explains a breach`,
        { overdue: report.overdue },
      );
    }
  }
}

/** The state of a standard at `now` (exported for the reminder schedule, which must agree with it). */
export function stateOf(dueAt: Date, metAt: Date | null, open: boolean, exception: Date | undefined, now: Date): StandardState {
  if (metAt) return metAt <= dueAt ? 'met' : 'met-late';
  if (!open) return 'lapsed';
  if (now <= dueAt) return 'pending';
  return exception && exception >= dueAt ? 'excused' : 'overdue';
}
