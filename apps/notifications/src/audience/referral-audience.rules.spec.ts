import { randomUUID } from 'node:crypto';
import { PARTNER_EVENT_TYPES, PartnerEventType, ReferralEventPayload, ReferralEvents } from '@nwd/contracts';
import { Audience, ReferralAudienceRules, ReferralParties } from './referral-audience.rules';

const A = randomUUID(); // the original sender
const B = randomUUID(); // the first receiver, which forwards
const C = randomUUID(); // the receiver it forwards to
const D = randomUUID(); // where C forwards again

function payload(overrides: Partial<ReferralEventPayload> = {}): ReferralEventPayload {
  return {
    referralId: randomUUID(),
    senderOrganizationId: A,
    receivingOrganizationId: B,
    status: 'requested',
    needs: ['food-insecurity'],
    version: 1,
    occurredAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

function who(audience: Audience): [string, string[], string][] {
  return audience.organizations.map((m) => [m.organizationId, m.roles, m.purpose]);
}

const TIME_DRIVEN: PartnerEventType[] = [ReferralEvents.dueSoon.subject, ReferralEvents.overdue.subject];
const LOOP_EVENTS = PARTNER_EVENT_TYPES.filter((t) => !TIME_DRIVEN.includes(t) && t !== ReferralEvents.forwarded.subject);

describe('ReferralAudienceRules.audienceOf', () => {
  it('covers every partner event type (a new type needs a rule here)', () => {
    expect(new Set([...LOOP_EVENTS, ReferralEvents.forwarded.subject, ...TIME_DRIVEN])).toEqual(new Set(PARTNER_EVENT_TYPES));
    expect(LOOP_EVENTS).toHaveLength(PARTNER_EVENT_TYPES.length - 3);
  });

  it.each(LOOP_EVENTS)('tells %s to the receiver and the sender, and no network admin', (type) => {
    const audience = ReferralAudienceRules.audienceOf(type, payload(), undefined);
    expect(who(audience)).toEqual([
      [B, ['receiver'], 'notice'],
      [A, ['sender'], 'notice'],
    ]);
    expect(audience.networkAdmins).toBe(false);
  });

  it.each(LOOP_EVENTS)('tells %s of a forwarded referral to the organizations upstream too', (type) => {
    const event = payload({ senderOrganizationId: B, receivingOrganizationId: C });
    const parties: ReferralParties = { ...ReferralAudienceRules.partiesOf(event, undefined), forwardChainOrganizationIds: [A] };
    expect(who(ReferralAudienceRules.audienceOf(type, event, parties))).toEqual([
      [C, ['receiver'], 'notice'],
      [B, ['sender'], 'notice'],
      [A, ['forward-chain'], 'notice'],
    ]);
  });

  it('tells a forward to the sender, the receiver that forwarded, the new receiver and whoever is upstream', () => {
    const event = payload({ status: 'rejected', forwardedToReferralId: randomUUID(), forwardedToOrganizationId: D, senderOrganizationId: B, receivingOrganizationId: C });
    const parties: ReferralParties = { ...ReferralAudienceRules.partiesOf(event, undefined), forwardChainOrganizationIds: [A] };
    const audience = ReferralAudienceRules.audienceOf(ReferralEvents.forwarded.subject, event, parties);
    expect(who(audience)).toEqual([
      [C, ['receiver'], 'notice'],
      [B, ['sender'], 'notice'],
      [D, ['forwarded-to'], 'notice'],
      [A, ['forward-chain'], 'notice'],
    ]);
    expect(audience.networkAdmins).toBe(false);
  });

  it('reminds only the receiver of a deadline coming due, whoever is upstream', () => {
    const event = payload({ standard: 'respond', senderOrganizationId: B, receivingOrganizationId: C });
    const parties: ReferralParties = { ...ReferralAudienceRules.partiesOf(event, undefined), forwardChainOrganizationIds: [A] };
    const audience = ReferralAudienceRules.audienceOf(ReferralEvents.dueSoon.subject, event, parties);
    expect(who(audience)).toEqual([[C, ['receiver'], 'reminder']]);
    expect(audience.networkAdmins).toBe(false);
  });

  it('reminds the receiver of a missed deadline and escalates it to the sender and the network admins (not upstream)', () => {
    const event = payload({ standard: 'respond', senderOrganizationId: B, receivingOrganizationId: C });
    const parties: ReferralParties = { ...ReferralAudienceRules.partiesOf(event, undefined), forwardChainOrganizationIds: [A] };
    const audience = ReferralAudienceRules.audienceOf(ReferralEvents.overdue.subject, event, parties);
    expect(who(audience)).toEqual([
      [C, ['receiver'], 'reminder'],
      [B, ['sender'], 'escalation'],
    ]);
    expect(audience.networkAdmins).toBe(true);
  });

  it('lists an organization once, with all its roles and its strongest purpose', () => {
    const own = payload({ senderOrganizationId: A, receivingOrganizationId: A });
    expect(who(ReferralAudienceRules.audienceOf(ReferralEvents.accepted.subject, own, undefined))).toEqual([[A, ['receiver', 'sender'], 'notice']]);
    expect(who(ReferralAudienceRules.audienceOf(ReferralEvents.overdue.subject, own, undefined))).toEqual([[A, ['receiver', 'sender'], 'escalation']]);
    // Forwarded back to where it came from: the new receiver is also the sender of the referral.
    const back = payload({ forwardedToOrganizationId: A });
    expect(who(ReferralAudienceRules.audienceOf(ReferralEvents.forwarded.subject, back, undefined))).toEqual([
      [B, ['receiver'], 'notice'],
      [A, ['sender', 'forwarded-to'], 'notice'],
    ]);
  });

  it('does without the chain when nothing was recorded of the referral', () => {
    const event = payload({ forwardedFromReferralId: randomUUID(), senderOrganizationId: B, receivingOrganizationId: C });
    expect(who(ReferralAudienceRules.audienceOf(ReferralEvents.requested.subject, event, undefined)).map(([id]) => id)).toEqual([C, B]);
  });
});

describe('ReferralAudienceRules.partiesOf', () => {
  it('records a referral sent directly with no chain', () => {
    const event = payload();
    expect(ReferralAudienceRules.partiesOf(event, undefined)).toEqual({
      referralId: event.referralId,
      senderOrganizationId: A,
      receivingOrganizationId: B,
      forwardedFromReferralId: null,
      forwardChainOrganizationIds: [],
    });
  });

  it('grows the chain with each forward, the original sender first, without the referral’s own parties', () => {
    const first = ReferralAudienceRules.partiesOf(payload(), undefined);
    const second = ReferralAudienceRules.partiesOf(
      payload({ senderOrganizationId: B, receivingOrganizationId: C, forwardedFromReferralId: first.referralId }),
      first,
    );
    expect(second.forwardedFromReferralId).toBe(first.referralId);
    expect(second.forwardChainOrganizationIds).toEqual([A]);
    const third = ReferralAudienceRules.partiesOf(
      payload({ senderOrganizationId: C, receivingOrganizationId: D, forwardedFromReferralId: second.referralId }),
      second,
    );
    expect(third.forwardChainOrganizationIds).toEqual([A, B]);
    // Forwarded back to the original sender: it is the receiver now, not upstream of itself.
    const loop = ReferralAudienceRules.partiesOf(
      payload({ senderOrganizationId: D, receivingOrganizationId: A, forwardedFromReferralId: third.referralId }),
      third,
    );
    expect(loop.forwardChainOrganizationIds).toEqual([B, C]);
  });

  it('keeps the referral it came from even when that one was never recorded', () => {
    const from = randomUUID();
    const parties = ReferralAudienceRules.partiesOf(payload({ senderOrganizationId: B, receivingOrganizationId: C, forwardedFromReferralId: from }), undefined);
    expect(parties.forwardedFromReferralId).toBe(from);
    expect(parties.forwardChainOrganizationIds).toEqual([]);
  });
});
