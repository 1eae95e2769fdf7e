import { FINAL_REFERRAL_STATUSES, REFERRAL_OUTCOMES, ReferralOutcome, ReferralStatus } from '@nwd/contracts';
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

export class ReferralLifecycle {
  static isFinal(status: ReferralStatus): boolean {
    return (FINAL_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(status);
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
    if (problems.length) throw DomainError.invalid('request.validation-failed', `Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
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
}
