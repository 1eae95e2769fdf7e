import { Injectable } from '@nestjs/common';
import { EventEnvelope, PARTNER_EVENT_TYPES, PartnerEventType, ReferralEventPayload } from '@nwd/contracts';
import { Audience, ReferralAudienceRules, ReferralParties } from './referral-audience.rules';
import { ReferralPartyRepository } from './referral-party.repository';

/**
 * Who a referral event is for, for every channel (partner feeds, webhooks, email, in-app). Call
 * it from a consumer of the whole REFERRAL stream (`REFERRAL_EVENT_FAMILY`): it records the
 * referral's parties first (as statements of their own, see ReferralPartyRepository), so a channel
 * never waits on another consumer to have seen the referral a forwarded one came from.
 */
@Injectable()
export class ReferralAudience {
  constructor(private readonly parties: ReferralPartyRepository) {}

  async of(event: EventEnvelope<object>): Promise<Audience> {
    const type = partnerEventType(event.type);
    const payload = event.data as ReferralEventPayload;
    const parties = await this.record(payload);
    return ReferralAudienceRules.audienceOf(type, payload, parties);
  }

  /** Remembers the referral's parties (once); returns what is recorded for it. */
  async record(payload: ReferralEventPayload): Promise<ReferralParties> {
    const known = await this.parties.find(payload.referralId);
    if (known) return known;
    const forwardedFrom = payload.forwardedFromReferralId ? await this.parties.find(payload.forwardedFromReferralId) : undefined;
    const parties = ReferralAudienceRules.partiesOf(payload, forwardedFrom);
    await this.parties.record(parties);
    return parties;
  }
}

export function isPartnerEventType(type: string): type is PartnerEventType {
  return (PARTNER_EVENT_TYPES as readonly string[]).includes(type);
}

function partnerEventType(type: string): PartnerEventType {
  if (!isPartnerEventType(type)) throw new Error(`${type} is not a referral event partners receive`);
  return type;
}
