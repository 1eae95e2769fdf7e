import { IsUUID } from 'class-validator';
import { defineEvent, defineEventFamily, isEventFamily } from './contract';
import { REFERRAL_EVENT_FAMILY } from './referral/referral.family';
import { ReferralEvents } from './referral/referral.events';

class Payload {
  @IsUUID() id!: string;
}

describe('defineEventFamily', () => {
  it('holds every referral event on REFERRAL under referral.v1.>', () => {
    expect(REFERRAL_EVENT_FAMILY.subject).toBe('referral.v1.>');
    expect(REFERRAL_EVENT_FAMILY.stream.name).toBe('REFERRAL');
    expect(REFERRAL_EVENT_FAMILY.members.map((m) => m.subject)).toEqual(Object.values(ReferralEvents).map((e) => e.subject));
    expect(isEventFamily(REFERRAL_EVENT_FAMILY)).toBe(true);
    expect(isEventFamily(ReferralEvents.accepted)).toBe(false);
  });

  it('refuses a member outside its subject or its stream, and a subject that is not a prefix wildcard', () => {
    const identityEvent = defineEvent('identity.v1.thing', 'IDENTITY', Payload);
    expect(() => defineEventFamily('referral.v1.>', 'REFERRAL', Payload, [identityEvent])).toThrow('not in family referral.v1.>');
    expect(() => defineEventFamily('referral.v1.*', 'REFERRAL', Payload, [])).toThrow('ends with ".>"');
  });
});
