import { defineEventFamily } from '../contract';
import { PARTNER_EVENTS } from './partner-feed';

/**
 * What the webhook channel reads: every partner event on one consumer, in stream order, so the
 * deliveries for a referral are queued in the order the referral service wrote them.
 */
export const WEBHOOK_EVENT_SOURCE = defineEventFamily('referral.v1.>', PARTNER_EVENTS);
