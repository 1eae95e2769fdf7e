import { REFERRAL_STATUSES, ReferralStatus } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { REFERRAL_TRANSITIONS, ReferralLifecycle, TransitionRequest } from './referral-lifecycle';

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
});
