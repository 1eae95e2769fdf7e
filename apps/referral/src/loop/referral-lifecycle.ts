import { FINAL_REFERRAL_STATUSES, REFERRAL_OUTCOMES, REFERRAL_STATUSES, ReferralOutcome, ReferralStatus } from '@nwd/contracts';
import { DomainError, FieldProblem } from '@nwd/errors';

/** Which side of a referral the caller is on. An organization that is neither only ever sees 404s. */
export type ReferralParty = 'sender' | 'receiver';

/** The loop, as the partner agreement and the SDOH Clinical Care IG describe it. */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  requested: ['accepted', 'rejected', 'cancelled'],
  accepted: ['in-progress', 'on-hold', 'completed', 'failed', 'cancelled'],
  'in-progress': ['on-hold', 'completed', 'failed', 'cancelled'],
  'on-hold': ['in-progress', 'completed', 'failed', 'cancelled'],
  rejected: [],
  cancelled: [],
  completed: [],
  failed: [],
};

/** Only the sender withdraws its referral; everything else is the receiving organization's work. */
const ACTOR_OF: Readonly<Record<ReferralStatus, ReferralParty>> = {
  requested: 'sender',
  cancelled: 'sender',
  accepted: 'receiver',
  rejected: 'receiver',
  'in-progress': 'receiver',
  'on-hold': 'receiver',
  completed: 'receiver',
  failed: 'receiver',
};

/**
 * The status groupings, defined once: final statuses (from the contract) end the loop; every other
 * one is open; an open referral past its request is an accepted case ("active").
 */
const FINAL: ReadonlySet<ReferralStatus> = new Set(FINAL_REFERRAL_STATUSES);
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = REFERRAL_STATUSES.filter((status) => !FINAL.has(status));
export const ACTIVE_REFERRAL_STATUSES: readonly ReferralStatus[] = OPEN_REFERRAL_STATUSES.filter((status) => status !== 'requested');

/** Clocks of two machines disagree a little; an attempt "now" from a partner must not be refused as future. */
export const CLOCK_SKEW_MS = 5 * 60_000;

const NEEDS_REASON: ReadonlySet<ReferralStatus> = new Set(['rejected', 'cancelled', 'on-hold', 'failed']);
const CLOSES_LOOP: ReadonlySet<ReferralStatus> = new Set(['completed', 'failed']);

export interface TransitionRequest {
  from: ReferralStatus;
  to: ReferralStatus;
  party: ReferralParty;
  reason?: string | null;
  outcome?: ReferralOutcome | null;
  outcomeText?: string | null;
}

/** The moments a change of status records, which the platform-standards clock measures from. */
export interface StatusStamps {
  respondedAt?: Date;
  acceptedAt?: Date;
  closedAt?: Date;
}

/** What the note standards count: the receiver's shared notes. */
export interface NoteStamps {
  lastNoteAt?: Date;
  firstNoteAt?: Date;
}

export class ReferralLifecycle {
  static isFinal(status: ReferralStatus): boolean {
    return FINAL.has(status);
  }

  static isOpen(status: ReferralStatus): boolean {
    return !FINAL.has(status);
  }

  /** Accepted and not yet closed: a case the receiving organization is working. */
  static isActive(status: ReferralStatus): boolean {
    return ACTIVE_REFERRAL_STATUSES.includes(status);
  }

  static allowedFrom(status: ReferralStatus): readonly ReferralStatus[] {
    return REFERRAL_TRANSITIONS[status];
  }

  static isAllowed(from: ReferralStatus, to: ReferralStatus): boolean {
    return REFERRAL_TRANSITIONS[from].includes(to);
  }

  /** Who may move a referral into `to`. */
  static actorOf(to: ReferralStatus): ReferralParty {
    return ACTOR_OF[to];
  }

  static requiresReason(to: ReferralStatus): boolean {
    return NEEDS_REASON.has(to);
  }

  static closesLoop(to: ReferralStatus): boolean {
    return CLOSES_LOOP.has(to);
  }

  /**
   * Checks a transition in the order a caller can act on: the loop (409, with the allowed next
   * statuses), then who may do it (403), then what must be said about it (400 naming each field).
   */
  static assertTransition(request: TransitionRequest): void {
    const { from, to, party } = request;
    if (!ReferralLifecycle.isAllowed(from, to)) {
      const allowed = ReferralLifecycle.allowedFrom(from);
      throw DomainError.conflict(
        'referral.illegal-transition',
        allowed.length
          ? `A ${from} referral can become ${allowed.join(', ')}, not ${to}`
          : `A ${from} referral is final; it cannot become ${to}`,
        { from, to, allowed },
      );
    }
    const actor = ReferralLifecycle.actorOf(to);
    if (party !== actor) {
      throw DomainError.forbidden(
        'referral.wrong-party',
        actor === 'sender' ? `Only the sending organization may mark a referral ${to}` : `Only the receiving organization may mark a referral ${to}`,
      );
    }
    const problems: FieldProblem[] = [];
    if (ReferralLifecycle.requiresReason(to) && !request.reason?.trim()) {
      problems.push({ field: 'reason', messages: [`reason is required when a referral becomes ${to}`] });
    }
    if (ReferralLifecycle.closesLoop(to)) {
      if (!request.outcome) {
        problems.push({ field: 'outcome', messages: [`outcome is required when a referral becomes ${to}: one of ${REFERRAL_OUTCOMES.join(', ')}`] });
      } else if (request.outcome === 'other' && !request.outcomeText?.trim()) {
        problems.push({ field: 'outcomeText', messages: ['outcomeText is required when the outcome is other'] });
      }
    } else {
      if (request.outcome) problems.push({ field: 'outcome', messages: ['outcome is recorded only when a referral becomes completed or failed'] });
      if (request.outcomeText) problems.push({ field: 'outcomeText', messages: ['outcomeText is recorded only when a referral becomes completed or failed'] });
    }
    if (problems.length) throw DomainError.invalidFields(problems);
  }

  /** Forwarding is a response to a request: only the receiver, only while the referral is `requested`. */
  static assertForward(from: ReferralStatus, party: ReferralParty): void {
    if (from !== 'requested') {
      throw DomainError.conflict('referral.illegal-transition', `Only a requested referral can be forwarded; this one is ${from}`, {
        from,
        to: 'forwarded',
        allowed: ReferralLifecycle.allowedFrom(from),
      });
    }
    if (party !== 'receiver') throw DomainError.forbidden('referral.wrong-party', 'Only the receiving organization may forward a referral');
  }

  /**
   * The moments a move from `from` to `to` records: any answer to a request but its withdrawal is
   * the response; acceptance starts the first-note clock; a final status closes the loop.
   */
  static stampsOf(from: ReferralStatus, to: ReferralStatus, now: Date): StatusStamps {
    return {
      ...(from === 'requested' && to !== 'cancelled' ? { respondedAt: now } : {}),
      ...(to === 'accepted' ? { acceptedAt: now } : {}),
      ...(ReferralLifecycle.isFinal(to) ? { closedAt: now } : {}),
    };
  }

  /** A shared note by the receiver keeps the note cadence, and the first one after acceptance is the first note. */
  static noteStamps(party: ReferralParty, referral: { acceptedAt: Date | null; firstNoteAt: Date | null }, now: Date): NoteStamps {
    if (party !== 'receiver') return {};
    return { lastNoteAt: now, ...(referral.acceptedAt && !referral.firstNoteAt ? { firstNoteAt: now } : {}) };
  }

  /** The receiver tries to reach the client while the referral is open, at a time between the request and now. */
  static assertContactAttempt(party: ReferralParty, referral: { status: ReferralStatus; createdAt: Date }, at: Date, now: Date): void {
    if (party !== 'receiver') throw DomainError.forbidden('referral.wrong-party', 'Contact attempts are recorded by the receiving organization');
    if (ReferralLifecycle.isFinal(referral.status)) {
      throw DomainError.conflict('referral.final', `The referral is ${referral.status}`, { status: referral.status });
    }
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw fieldError('at', 'at must not be in the future');
    if (at < referral.createdAt) throw fieldError('at', 'at must not be before the referral was made');
  }

  /** The receiver records when it learned the outcome of an accepted case: not in the future, not before acceptance. */
  static assertOutcomeKnown(party: ReferralParty, referral: { status: ReferralStatus; acceptedAt: Date | null }, knownAt: Date, now: Date): void {
    if (party !== 'receiver') {
      throw DomainError.forbidden('referral.wrong-party', 'The receiving organization records when the outcome became known');
    }
    if (!ReferralLifecycle.isActive(referral.status)) {
      throw DomainError.conflict('referral.not-active', `The outcome-known date is recorded on an accepted case; this referral is ${referral.status}`, {
        status: referral.status,
      });
    }
    if (knownAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw fieldError('knownAt', 'knownAt must not be in the future');
    if (referral.acceptedAt && knownAt < referral.acceptedAt) throw fieldError('knownAt', 'knownAt must not be before the referral was accepted');
  }
}

/** A 400 naming one field, shaped as the validation pipe's. */
export function fieldError(field: string, message: string): DomainError {
  return DomainError.invalidField(field, message);
}
