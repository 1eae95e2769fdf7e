import { defineEventFamily } from '../contract';
import { ReferralEventPayload, ReferralEvents } from './referral.events';

/**
 * Every referral event, for a consumer that must see them in the order they happened (the
 * notifications service's fan-out: a partner's feed is in order per referral).
 */
export const REFERRAL_EVENT_FAMILY = defineEventFamily('referral.v1.>', 'REFERRAL', ReferralEventPayload, Object.values(ReferralEvents));
