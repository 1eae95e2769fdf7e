import { actorOf, assertAuthoredBy, Principal } from '@nwd/auth';
import { ReferralFactory } from './referral.factory';

const CLINIC = '0190f0a4-0000-7000-8000-000000000001';
const PANTRY = '0190f0a4-0000-7000-8000-000000000002';
const principal: Principal = { subject: 'clinic-ehr', organizationId: CLINIC, roles: ['system'] } as Principal;
const actor = actorOf(principal);
const now = new Date('2025-11-26T15:00:00Z');

function newReferral(chainId?: string) {
  return ReferralFactory.referral(actor, {
    ...(chainId ? { chainId } : {}),
    clientId: '0190f0a4-0000-7000-8000-0000000000cc',
    receivingOrganizationId: PANTRY,
    partyOrganizationIds: [CLINIC, PANTRY],
    receivingServiceId: null,
    needs: ['food-insecurity'],
    urgency: 'routine',
    description: null,
    forwardedFromId: null,
    deidentified: false,
    consentIds: [],
  }, now);
}

describe('ReferralFactory', () => {
  it('starts a referral requested at version 1, sent by the actor, the first of its own chain', () => {
    const referral = newReferral();
    expect(referral).toMatchObject({ status: 'requested', version: 1, senderOrganizationId: CLINIC, chainId: referral.id, createdAt: now, updatedAt: now });
    expect(referral.reference).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(referral.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('puts a forwarded referral in the chain it continues', () => {
    expect(newReferral('0190f0a4-0000-7000-8000-0000000000dd').chainId).toBe('0190f0a4-0000-7000-8000-0000000000dd');
  });

  it('writes timeline entries as the acting client, shared unless said otherwise, at the referral’s version', () => {
    const referral = Object.assign(newReferral(), { version: 3 });
    const entry = ReferralFactory.entry(actor, referral, now, { kind: 'note', text: 'hello' });
    expect(entry).toMatchObject({ referralId: referral.id, authorOrganizationId: CLINIC, authorClientId: 'clinic-ehr', visibility: 'shared', version: 3, text: 'hello', reason: null });
  });

  it('keeps an id chosen beforehand (the consent service was asked with it) as the referral’s and its chain’s', () => {
    const id = '0190f0a4-0000-7000-8000-0000000000ee';
    const referral = ReferralFactory.referral(actor, { ...newReferral(), id, chainId: undefined }, now);
    expect(referral).toMatchObject({ id, chainId: id });
  });

  it('keeps the client’s personal data out of event payloads', () => {
    const payload = ReferralFactory.payload(newReferral(), now, { forwardedFromReferralId: PANTRY });
    expect(Object.keys(payload).sort()).toEqual(['forwardedFromReferralId', 'needs', 'occurredAt', 'receivingOrganizationId', 'referralId', 'senderOrganizationId', 'status', 'version']);
  });
});

describe('tenancy', () => {
  it('refuses to write a row for another organization than the actor’s', () => {
    expect(() => assertAuthoredBy(actor, CLINIC, 'referral')).not.toThrow();
    expect(() => assertAuthoredBy(actor, PANTRY, 'referral')).toThrow(/another organization/);
  });
});
