import { FINAL_REFERRAL_STATUSES, REFERRAL_STATUSES, ReferralStatus } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { ACTIVE_REFERRAL_STATUSES, CLOCK_SKEW_MS, OPEN_REFERRAL_STATUSES, REFERRAL_TRANSITIONS, ReferralLifecycle, TransitionRequest } from './referral-lifecycle';

function errorOf(request: TransitionRequest): DomainError | undefined {
  try {
    ReferralLifecycle.assertTransition(request);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/** What each target status needs to be said about it, so only the rule under test fails. */
function complete(to: ReferralStatus): Pick<TransitionRequest, 'reason' | 'outcome'> {
  return {
    reason: ReferralLifecycle.requiresReason(to) ? 'because' : undefined,
    outcome: ReferralLifecycle.closesLoop(to) ? 'service-provided' : undefined,
  };
}

const pairs = REFERRAL_STATUSES.flatMap((from) => REFERRAL_STATUSES.map((to) => [from, to] as const));

describe('ReferralLifecycle', () => {
  it('has the transitions of the issue, and the four final statuses lead nowhere', () => {
    expect(REFERRAL_TRANSITIONS.requested).toEqual(['accepted', 'rejected', 'cancelled']);
    expect(REFERRAL_TRANSITIONS['on-hold']).toEqual(['in-progress', 'completed', 'failed', 'cancelled']);
    for (const status of ['rejected', 'cancelled', 'completed', 'failed'] as const) {
      expect(ReferralLifecycle.isFinal(status)).toBe(true);
      expect(ReferralLifecycle.allowedFrom(status)).toEqual([]);
    }
  });

  it.each(pairs.filter(([from, to]) => !ReferralLifecycle.isAllowed(from, to)))('refuses %s → %s with 409 naming the allowed ones', (from, to) => {
    const error = errorOf({ from, to, party: ReferralLifecycle.actorOf(to), ...complete(to) });
    expect(error?.kind).toBe('conflict');
    expect(error?.code).toBe('referral.illegal-transition');
    expect(error?.extensions).toEqual({ from, to, allowed: REFERRAL_TRANSITIONS[from] });
  });

  it.each(pairs.filter(([from, to]) => ReferralLifecycle.isAllowed(from, to)))('allows %s → %s only to its actor', (from, to) => {
    const actor = ReferralLifecycle.actorOf(to);
    expect(errorOf({ from, to, party: actor, ...complete(to) })).toBeUndefined();
    const wrong = errorOf({ from, to, party: actor === 'sender' ? 'receiver' : 'sender', ...complete(to) });
    expect(wrong?.kind).toBe('forbidden');
  });

  it('lets only the sender cancel', () => {
    expect(ReferralLifecycle.actorOf('cancelled')).toBe('sender');
    for (const to of ['accepted', 'rejected', 'in-progress', 'on-hold', 'completed', 'failed'] as const) expect(ReferralLifecycle.actorOf(to)).toBe('receiver');
  });

  it.each(['rejected', 'cancelled', 'on-hold', 'failed'] as const)('requires a reason for %s', (to) => {
    const from = to === 'rejected' ? 'requested' : 'accepted';
    const error = errorOf({ from, to, party: ReferralLifecycle.actorOf(to), reason: '  ', outcome: ReferralLifecycle.closesLoop(to) ? 'no-capacity' : undefined });
    expect(error?.kind).toBe('invalid');
    expect(error?.extensions.errors).toEqual([{ field: 'reason', messages: [expect.stringContaining('reason is required')] }]);
  });

  it.each(['completed', 'failed'] as const)('requires an outcome for %s, and text for other', (to) => {
    const reason = to === 'failed' ? 'client moved' : undefined;
    const missing = errorOf({ from: 'in-progress', to, party: 'receiver', reason });
    expect(missing?.extensions.errors).toEqual([{ field: 'outcome', messages: [expect.any(String)] }]);
    const other = errorOf({ from: 'in-progress', to, party: 'receiver', reason, outcome: 'other' });
    expect(other?.extensions.errors).toEqual([{ field: 'outcomeText', messages: [expect.any(String)] }]);
    expect(errorOf({ from: 'in-progress', to, party: 'receiver', reason, outcome: 'other', outcomeText: 'moved away' })).toBeUndefined();
  });

  it('refuses an outcome on a transition that does not close the loop', () => {
    const error = errorOf({ from: 'requested', to: 'accepted', party: 'receiver', outcome: 'service-provided' });
    expect(error?.extensions.errors).toEqual([{ field: 'outcome', messages: [expect.any(String)] }]);
  });

  it('forwards only a requested referral, only by its receiver', () => {
    expect(() => ReferralLifecycle.assertForward('requested', 'receiver')).not.toThrow();
    expect(() => ReferralLifecycle.assertForward('requested', 'sender')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => ReferralLifecycle.assertForward('accepted', 'receiver')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  describe('status groupings', () => {
    it('splits every status into open or final, and the open ones past the request are active', () => {
      expect([...OPEN_REFERRAL_STATUSES, ...FINAL_REFERRAL_STATUSES].sort()).toEqual([...REFERRAL_STATUSES].sort());
      expect(OPEN_REFERRAL_STATUSES).toEqual(['requested', 'accepted', 'in-progress', 'on-hold']);
      expect(ACTIVE_REFERRAL_STATUSES).toEqual(['accepted', 'in-progress', 'on-hold']);
    });

    it.each(REFERRAL_STATUSES)('%s is open exactly when it leads somewhere', (status) => {
      expect(ReferralLifecycle.isOpen(status)).toBe(ReferralLifecycle.allowedFrom(status).length > 0);
      expect(ReferralLifecycle.isFinal(status)).toBe(!ReferralLifecycle.isOpen(status));
      expect(ReferralLifecycle.isActive(status)).toBe(ReferralLifecycle.isOpen(status) && status !== 'requested');
    });
  });

  describe('what each status sets', () => {
    const now = new Date('2025-11-26T15:00:00Z');
    const legal = REFERRAL_STATUSES.flatMap((from) => REFERRAL_TRANSITIONS[from].map((to) => [from, to] as const));

    it.each(legal)('%s → %s stamps the response, the acceptance and the closing it is', (from, to) => {
      const stamps = ReferralLifecycle.stampsOf(from, to, now);
      expect(stamps.respondedAt).toBe(from === 'requested' && to !== 'cancelled' ? now : undefined);
      expect(stamps.acceptedAt).toBe(to === 'accepted' ? now : undefined);
      expect(stamps.closedAt).toBe(ReferralLifecycle.isFinal(to) ? now : undefined);
    });

    it('a withdrawn request was never answered', () => {
      expect(ReferralLifecycle.stampsOf('requested', 'cancelled', now)).toEqual({ closedAt: now });
      expect(ReferralLifecycle.stampsOf('requested', 'rejected', now)).toEqual({ respondedAt: now, closedAt: now });
      expect(ReferralLifecycle.stampsOf('requested', 'accepted', now)).toEqual({ respondedAt: now, acceptedAt: now });
      expect(ReferralLifecycle.stampsOf('in-progress', 'on-hold', now)).toEqual({});
    });

    it('counts the receiver’s notes only: the first after acceptance, and each for the cadence', () => {
      const accepted = new Date('2025-11-20T15:00:00Z');
      expect(ReferralLifecycle.noteStamps('sender', { acceptedAt: accepted, firstNoteAt: null }, now)).toEqual({});
      expect(ReferralLifecycle.noteStamps('receiver', { acceptedAt: null, firstNoteAt: null }, now)).toEqual({ lastNoteAt: now });
      expect(ReferralLifecycle.noteStamps('receiver', { acceptedAt: accepted, firstNoteAt: null }, now)).toEqual({ lastNoteAt: now, firstNoteAt: now });
      expect(ReferralLifecycle.noteStamps('receiver', { acceptedAt: accepted, firstNoteAt: accepted }, now)).toEqual({ lastNoteAt: now });
    });
  });

  describe('contact attempts', () => {
    const now = new Date('2025-11-26T15:00:00Z');
    const referral = { status: 'accepted' as ReferralStatus, createdAt: new Date('2025-11-20T15:00:00Z') };
    const attempt = (overrides: Partial<{ party: 'sender' | 'receiver'; status: ReferralStatus; at: Date }> = {}) => () =>
      ReferralLifecycle.assertContactAttempt(overrides.party ?? 'receiver', { ...referral, status: overrides.status ?? referral.status }, overrides.at ?? now, now);

    it('are the receiver’s, on an open referral, between the request and now (give or take clock skew)', () => {
      expect(attempt()).not.toThrow();
      expect(attempt({ status: 'requested', at: referral.createdAt })).not.toThrow();
      expect(attempt({ at: new Date(now.getTime() + CLOCK_SKEW_MS) })).not.toThrow();
    });

    it('are refused from the sender (403), on a final referral (409), in the future or before the request (400 naming at)', () => {
      expect(attempt({ party: 'sender' })).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'referral.wrong-party' }));
      for (const status of FINAL_REFERRAL_STATUSES) expect(attempt({ status })).toThrow(expect.objectContaining({ kind: 'conflict', code: 'referral.final' }));
      for (const at of [new Date(now.getTime() + CLOCK_SKEW_MS + 1), new Date(referral.createdAt.getTime() - 1)]) {
        expect(attempt({ at })).toThrow(expect.objectContaining({ kind: 'invalid', extensions: { errors: [{ field: 'at', messages: [expect.any(String)] }] } }));
      }
    });
  });

  describe('the outcome-known date', () => {
    const now = new Date('2025-12-04T15:00:00Z');
    const acceptedAt = new Date('2025-12-01T15:00:00Z');
    const known = (overrides: Partial<{ party: 'sender' | 'receiver'; status: ReferralStatus; knownAt: Date }> = {}) => () =>
      ReferralLifecycle.assertOutcomeKnown(overrides.party ?? 'receiver', { status: overrides.status ?? 'in-progress', acceptedAt }, overrides.knownAt ?? now, now);

    it.each(ACTIVE_REFERRAL_STATUSES)('is recorded by the receiver on an %s case', (status) => {
      expect(known({ status })).not.toThrow();
    });

    it('is refused from the sender (403), before acceptance or after closing (409), in the future or before acceptance (400 naming knownAt)', () => {
      expect(known({ party: 'sender' })).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'referral.wrong-party' }));
      for (const status of ['requested', ...FINAL_REFERRAL_STATUSES] as const) {
        expect(known({ status })).toThrow(expect.objectContaining({ kind: 'conflict', code: 'referral.not-active', extensions: { status } }));
      }
      for (const knownAt of [new Date(now.getTime() + CLOCK_SKEW_MS + 1), new Date(acceptedAt.getTime() - 1)]) {
        expect(known({ knownAt })).toThrow(expect.objectContaining({ kind: 'invalid', extensions: { errors: [{ field: 'knownAt', messages: [expect.any(String)] }] } }));
      }
    });
  });
});
