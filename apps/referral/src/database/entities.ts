import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { Client } from '../referrals/entities/client.entity';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralTimelineEntry } from '../referrals/entities/referral-timeline-entry.entity';

/** Every table this service owns. */
export const entities: Function[] = [Client, Referral, ReferralTimelineEntry, IdempotencyKey];
